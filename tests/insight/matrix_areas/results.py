"""Matrix entries: the data overview, a school's results, and a school's own entries.

Everyone on the board reads the figures of the units they see: school roles get 404 for another
school's page. Entering, changing and removing an own year is for the board office and the
school leader (ENTER_DATA); staff and the board's readers get 403. Removing is a POST that
redirects back to the school's page.
"""

from stelsel.insight.models import PoResult, ResultSource
from stelsel.organisations.roles import Role
from tests.factories.insight import make_ovt
from tests.test_permission_matrix import ALL, Route, _scoped_school, board_kwargs, school_kwargs

ENTER = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER}


def own_entry_kwargs(world, scope):
    """An OVT confirmed as the scoped school's, with the school's own figures for 2026."""
    school = _scoped_school(world, scope)
    ovt = make_ovt(school.board, school)
    PoResult.objects.create(
        ovt=ovt, year=2026, source=ResultSource.SCHOOL, pupils=20, fundamental=95, target=55
    )
    return {"board_id": school.board_id, "school_id": school.pk, "ovt_id": ovt.pk, "year": 2026}


ROUTES = {
    "insight:data": Route(board_kwargs, ALL),
    "insight:school_results": Route(school_kwargs, ALL, school_scoped=True),
    "insight:result_create": Route(school_kwargs, ENTER, school_scoped=True),
    "insight:result_edit": Route(own_entry_kwargs, ENTER, school_scoped=True),
    "insight:result_delete": Route(
        own_entry_kwargs, ENTER, method="post", ok=302, school_scoped=True
    ),
}
