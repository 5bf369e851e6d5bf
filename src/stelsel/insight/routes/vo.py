"""Routes of the insight app: secondary schools' results (the four indicators the board enters
and the computed judgement) and the upload of DUO's exam results and pupil counts."""

from django.urls import path

from stelsel.insight.models import ImportKind
from stelsel.insight.views import vo as views

VO = "besturen/<int:board_id>/data/vo/"
SCHOOL = "besturen/<int:board_id>/scholen/<int:school_id>/data/vo/"
DUO = "besturen/<int:board_id>/data/duo/"
EXAMS = {"kind": ImportKind.DUO_EXAMS}
PUPILS = {"kind": ImportKind.DUO_PUPILS}

urlpatterns = [
    path(VO, views.vo_overview, name="vo_overview"),
    path(SCHOOL, views.vo_school, name="vo_school"),
    path(SCHOOL + "<int:year>/invoeren/", views.vo_entry, name="vo_entry"),
    path(SCHOOL + "<int:year>/verwijderen/", views.vo_delete, name="vo_delete"),
    path(DUO + "examens/", views.duo_upload, EXAMS, name="duo_exams"),
    path(DUO + "examens/bevestigen/", views.duo_confirm, EXAMS, name="duo_exams_confirm"),
    path(DUO + "leerlingen/", views.duo_upload, PUPILS, name="duo_pupils"),
    path(DUO + "leerlingen/bevestigen/", views.duo_confirm, PUPILS, name="duo_pupils_confirm"),
]
