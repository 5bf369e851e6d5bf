"""Matrix entries: secondary schools' results and the upload of DUO's exam results and pupil
counts.

Everyone on the board reads the VO pages of the schools they see (VIEW_DATA); school roles get
404 for another school's. Entering and deleting a school's values is for the board office and
the school leader (ENTER_DATA); staff and the readers get 403 after the school is found. The
scoped school is made a secondary school first: the pages answer 404 for other kinds. The DUO
uploads are the board office's (MANAGE_DATA); the confirm POST without a preview redirects back
with a message, for those allowed.
"""

from decimal import Decimal

from stelsel.insight.models import VoValue
from stelsel.organisations.models import School, SchoolKind
from stelsel.organisations.roles import Role
from tests.test_permission_matrix import ALL, BOARD_OFFICE, Route, _scoped_school, board_kwargs

ENTER = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER}
YEAR = 2024


def _vo_school(world, scope) -> School:
    school = _scoped_school(world, scope)
    School.objects.filter(pk=school.pk).update(kind=SchoolKind.VO)
    school.kind = SchoolKind.VO
    return school


def vo_school_kwargs(world, scope):
    school = _vo_school(world, scope)
    return {"board_id": school.board_id, "school_id": school.pk}


def vo_period_kwargs(world, scope):
    school = _vo_school(world, scope)
    VoValue.objects.get_or_create(
        board=school.board,
        school=school,
        last_year=YEAR,
        indicator="onderbouwsnelheid",
        afdeling="",
        defaults={"value": Decimal("96.10"), "norm": Decimal("95.50"), "source": "isd"},
    )
    return {"board_id": school.board_id, "school_id": school.pk, "year": YEAR}


ROUTES = {
    "insight:vo_overview": Route(board_kwargs, ALL),
    "insight:vo_school": Route(vo_school_kwargs, ALL, school_scoped=True),
    "insight:vo_entry": Route(vo_period_kwargs, ENTER, school_scoped=True),
    "insight:vo_delete": Route(vo_period_kwargs, ENTER, school_scoped=True),
    "insight:duo_exams": Route(board_kwargs, BOARD_OFFICE),
    "insight:duo_exams_confirm": Route(board_kwargs, BOARD_OFFICE, method="post", ok=302),
    "insight:duo_pupils": Route(board_kwargs, BOARD_OFFICE),
    "insight:duo_pupils_confirm": Route(board_kwargs, BOARD_OFFICE, method="post", ok=302),
}
