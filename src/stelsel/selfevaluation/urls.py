from django.urls import include, path

from stelsel.selfevaluation import views

app_name = "selfevaluation"

ROUND = "besturen/<int:board_id>/zelfevaluatie/<int:round_id>/"

urlpatterns = [
    path("besturen/<int:board_id>/zelfevaluatie/", views.round_list, name="rounds"),
    path("besturen/<int:board_id>/zelfevaluatie/nieuw/", views.round_create, name="round_create"),
    path(
        "besturen/<int:board_id>/zelfevaluatie/overzicht/<int:version_id>/",
        views.rollup,
        name="rollup",
    ),
    path(
        "besturen/<int:board_id>/zelfevaluatie/vragenlijsten/nieuw/",
        views.questionnaire_compose,
        name="questionnaire_compose",
    ),
    path(ROUND, views.round_detail, name="round"),
    path(ROUND + "resultaten/", views.round_results, name="results"),
    path(ROUND + "resultaten.pdf", views.results_pdf, name="results_pdf"),
    path(ROUND + "resultaten.xlsx", views.results_xlsx, name="results_xlsx"),
    path(ROUND + "gesprek/", views.agenda, name="agenda"),
    path(ROUND + "uitnodigingen/", views.invitations_add, name="invitations_add"),
    path(ROUND + "qr/<int:perspective_id>/", views.meeting_qr, name="meeting_qr"),
    path(ROUND + "code/<int:perspective_id>/", views.meeting_present, name="meeting_present"),
    path(ROUND + "wijzigen/", views.round_edit, name="round_edit"),
    path(ROUND + "<slug:action>/", views.round_action, name="round_action"),
    path("", include("stelsel.selfevaluation.answering.urls")),  # the respondent's pages
]
