from django.urls import path

from stelsel.reports import views

app_name = "reports"

REPORTS = "besturen/<int:board_id>/rapportages/"
REPORT = REPORTS + "<int:report_id>/"
VERSION = REPORT + "versies/<int:number>/"
TEMPLATES = REPORTS + "sjablonen/"

urlpatterns = [
    path(REPORTS, views.report_list, name="list"),
    path(REPORTS + "nieuw/", views.report_compose, name="compose"),
    path(REPORT, views.report_detail, name="report"),
    path(REPORT + "nieuwe-versie/", views.version_new, name="version_new"),
    path(REPORT + "vergelijken/", views.version_compare, name="compare"),
    path(VERSION, views.version_detail, name="version"),
    path(VERSION + "ter-review/", views.version_submit, name="version_submit"),
    path(VERSION + "uitbrengen/", views.version_issue, name="version_issue"),
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
    path(TEMPLATES, views.template_list, name="templates"),
    path(TEMPLATES + "<int:template_id>/kopieren/", views.template_copy, name="template_copy"),
    path(TEMPLATES + "<int:template_id>/bewerken/", views.template_edit, name="template_edit"),
]
