from django.urls import path

from stelsel.reports import inspector_views, views

app_name = "reports"

REPORTS = "besturen/<int:board_id>/rapportages/"
REPORT = REPORTS + "<int:report_id>/"
VERSION = REPORT + "versies/<int:number>/"
TEMPLATES = REPORTS + "sjablonen/"
FILE = VERSION + "bestanden/<str:format>/"

urlpatterns = [
    path(REPORTS, views.report_list, name="list"),
    path(REPORTS + "nieuw/", views.report_compose, name="compose"),
    path(REPORT, views.report_detail, name="report"),
    path(REPORT + "nieuwe-versie/", views.version_new, name="version_new"),
    path(REPORT + "vergelijken/", views.version_compare, name="compare"),
    path(VERSION, views.version_detail, name="version"),
    path(VERSION + "ter-review/", views.version_submit, name="version_submit"),
    path(VERSION + "uitbrengen/", views.version_issue, name="version_issue"),
    path(VERSION + "inspecteur/", views.version_share, name="version_share"),
    path(
        VERSION + "onderdelen/<int:section_id>/bewerken/", views.section_edit, name="section_edit"
    ),
    path(
        VERSION + "onderdelen/<int:section_id>/opmerkingen/",
        views.comment_add,
        name="comment_add",
    ),
    path(
        VERSION + "opmerkingen/<int:comment_id>/afgehandeld/",
        views.comment_resolve,
        name="comment_resolve",
    ),
    path(VERSION + "cijfers/", views.draft_figures, name="draft_figures"),
    path(FILE, views.version_file, name="file"),
    path(FILE + "download/", views.version_file_download, name="file_download"),
    path(TEMPLATES, views.template_list, name="templates"),
    path(TEMPLATES + "<int:template_id>/kopieren/", views.template_copy, name="template_copy"),
    path(TEMPLATES + "<int:template_id>/bewerken/", views.template_edit, name="template_edit"),
    # An issued report added to an inspector's link, opened through the link's token.
    path(
        "inzage/<str:token>/rapportage/<int:version_id>/",
        inspector_views.inspector_report,
        name="inspector_report",
    ),
]
