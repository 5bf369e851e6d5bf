"""Entering a school's own year of results: what is accepted, what is refused (and that a refusal
changes nothing), changing and removing an entry, and the signals that follow."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.insight.models import Ovt, PoResult, ResultSource, Signal, SignalKind
from stelsel.insight.results_entry import (
    entry_years,
    po_result_delete,
    po_result_enter,
    school_year_now,
)
from stelsel.organisations.roles import Role
from tests.factories import grant, make_user
from tests.factories.clock import at, clock
from tests.factories.insight import make_ovt
from tests.insight.results_world import excerpt_world

pytestmark = pytest.mark.django_db

SPRING_2026 = at(date(2026, 5, 1))  # school year 2025-2026: its doorstroomtoets is in


@pytest.fixture
def excerpt():
    return excerpt_world()


@pytest.fixture
def ovt(excerpt):
    return Ovt.objects.select_related("school").get(code="00AP|C1")


def enter(ovt, user=None, **values):
    fields = {"year": 2026, "pupils": 20, "fundamental": "95", "target": "55", **values}
    with clock(SPRING_2026):
        return po_result_enter(ovt=ovt, user=user, **fields)


def refused(ovt, **values) -> dict:
    """The field errors of a refused entry; asserts nothing was written."""
    before = list(PoResult.objects.order_by("pk").values_list("pk", "updated_at", "pupils"))
    signals = list(Signal.objects.order_by("pk").values_list("pk", "resolved_at"))
    with pytest.raises(ValidationError) as info:
        enter(ovt, **values)
    assert list(PoResult.objects.order_by("pk").values_list("pk", "updated_at", "pupils")) == before
    assert list(Signal.objects.order_by("pk").values_list("pk", "resolved_at")) == signals
    return info.value.message_dict


# --- The years a school may enter ------------------------------------------------------------


def test_the_school_year_turns_in_august():
    assert school_year_now(date(2026, 7, 31)) == 2026
    assert school_year_now(date(2026, 8, 1)) == 2027


def test_the_years_run_from_after_the_inspectorates_period_to_the_current_school_year(ovt):
    years = entry_years(ovt, today=date(2026, 5, 1))
    assert (years.official_last, years.years, years.default) == (2025, [2026], 2026)
    years = entry_years(ovt, today=date(2026, 12, 3))
    assert (years.years, years.default) == ([2026, 2027], 2026)
    # Before the year after the period has begun, nothing can be entered.
    assert entry_years(ovt, today=date(2025, 6, 1)).default is None


def test_without_the_inspectorates_figures_the_last_three_school_years_can_be_entered(excerpt):
    school = excerpt.schools["00AP"]
    fresh = make_ovt(excerpt.board, school, code="00AP|C9")
    years = entry_years(fresh, today=date(2026, 5, 1))
    assert (years.official_last, years.years, years.default) == (None, [2024, 2025, 2026], 2026)


# --- What is accepted ------------------------------------------------------------------------


def test_an_entry_is_stored_as_the_schools_own_with_who_entered_it(excerpt, ovt):
    result = enter(ovt, user=excerpt.leader, fundamental="94,44", target="55.56", pupils="18")
    result.refresh_from_db()
    assert (result.source, result.year, result.pupils) == (ResultSource.SCHOOL, 2026, 18)
    assert (result.fundamental, result.target) == (Decimal("94.44"), Decimal("55.56"))
    assert result.entered_by == excerpt.leader
    # The inspectorate's years are untouched.
    assert PoResult.objects.filter(ovt=ovt, source=ResultSource.INSPECTORATE).count() == 3


def test_a_percentage_rounded_to_one_decimal_is_accepted(ovt):
    # 50 of 60 levels is 83.333…: 83,3 and 83,33 are the same figure rounded.
    assert enter(ovt, fundamental="83,3", target="50").fundamental == Decimal("83.30")
    assert enter(ovt, fundamental="83,33", target="50").fundamental == Decimal("83.33")


def test_entering_the_same_year_again_corrects_it(excerpt, ovt):
    enter(ovt, user=excerpt.leader)
    enter(ovt, user=excerpt.executive, pupils=10, fundamental="90", target="40")
    own = PoResult.objects.get(ovt=ovt, source=ResultSource.SCHOOL)
    assert (own.pupils, own.fundamental, own.entered_by) == (10, Decimal("90"), excerpt.executive)


def test_zero_pupils_is_a_year_without_results(ovt):
    result = enter(ovt, pupils="0", fundamental="", target="")
    assert (result.pupils, result.fundamental, result.target) == (0, None, None)


# --- What is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"fundamental": "veel"}, "fundamental", "must be a number"),
        ({"fundamental": "95%"}, "fundamental", "without the percent sign"),
        ({"fundamental": "1.234,5"}, "fundamental", "one decimal sign"),
        ({"fundamental": "101"}, "fundamental", "between 0 and 100"),
        ({"target": "-5"}, "target", "between 0 and 100"),
        ({"fundamental": "95,123"}, "fundamental", "at most two decimals"),
        ({"fundamental": ""}, "fundamental", "Enter the %1F"),
        ({"fundamental": "80", "target": "85"}, "target", "cannot be above the %1F"),
        ({"pupils": "-3"}, "pupils", "cannot be negative"),
        ({"pupils": "12,5"}, "pupils", "whole number"),
        ({"pupils": ""}, "pupils", "Enter the number of pupils"),
        ({"pupils": "1001"}, "pupils", "not plausible"),
        ({"pupils": "0", "fundamental": "90"}, "fundamental", "leave the percentages empty"),
        ({"year": 2027}, "year", "lies in the future"),
        ({"year": "twee"}, "year", "Choose the school year"),
        ({"year": 2025}, "year", "The inspectorate's figures for 2024-2025 are in Stelsel"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(ovt, values, field, words):
    errors = refused(ovt, **values)
    assert words in " ".join(errors[field])


def test_a_percentage_between_the_steps_of_the_pupils_is_refused_with_the_nearest_values(ovt):
    # 20 pupils: 60 reference levels, steps of 1.67. 84 lies between 83.33 and 85.00.
    errors = refused(ovt, pupils=20, fundamental="84", target="50")
    assert "nearest possible values are 83.33 and 85.00" in errors["fundamental"][0]


def test_all_problems_are_named_at_once(ovt):
    errors = refused(ovt, pupils="-1", fundamental="abc", target="200", year=2030)
    assert set(errors) == {"pupils", "fundamental", "target", "year"}


def test_a_year_within_the_inspectorates_period_cannot_be_filled_in(excerpt):
    # 11EL|C2 has no results for 2023: that gap is the inspectorate's, its outcome too little data.
    gap = Ovt.objects.select_related("school").get(code="11EL|C2")
    with clock(SPRING_2026), pytest.raises(ValidationError) as info:
        po_result_enter(ovt=gap, year=2023, pupils=20, fundamental="90", target="50", user=None)
    assert "within the inspectorate's results period" in info.value.message_dict["year"][0]


def test_an_ovt_not_linked_to_a_school_cannot_get_entries(excerpt):
    unlinked = Ovt.objects.get(code="14YV|C1")
    assert unlinked.school_id is None
    before = PoResult.objects.count()
    with clock(SPRING_2026), pytest.raises(ValidationError, match="not linked"):
        po_result_enter(
            ovt=unlinked, year=2026, pupils=20, fundamental="90", target="50", user=None
        )
    assert PoResult.objects.count() == before


# --- Signals follow ----------------------------------------------------------------------------


def test_a_coming_window_below_the_norm_is_a_signal_until_the_entry_is_removed(excerpt, ovt):
    # 00AP is above both norms over 2023-2025; a weak 2026 brings 1F over 2024-2026 below 85.
    result = enter(ovt, pupils=20, fundamental="60", target="20")
    coming = Signal.objects.get(board=excerpt.board, kind=SignalKind.COMING_BELOW, indicator="1F")
    assert coming.school == excerpt.schools["00AP"] and coming.resolved_at is None
    assert coming.figures["period"] == "2024-2026"
    po_result_delete(result=result)
    coming.refresh_from_db()
    assert coming.resolved_at is not None
    assert not PoResult.objects.filter(ovt=ovt, source=ResultSource.SCHOOL).exists()


def test_the_inspectorates_figures_cannot_be_removed_as_an_own_entry(ovt):
    theirs = PoResult.objects.get(ovt=ovt, year=2025, source=ResultSource.INSPECTORATE)
    with pytest.raises(ValidationError):
        po_result_delete(result=theirs)
    assert PoResult.objects.filter(pk=theirs.pk).exists()


# --- The pages -------------------------------------------------------------------------------


def create_url(excerpt, brin="00AP"):
    return reverse("insight:result_create", args=[excerpt.board.pk, excerpt.schools[brin].pk])


def test_a_school_leader_enters_the_year_and_lands_on_the_coming_window(client, excerpt, ovt):
    client.force_login(excerpt.leader)
    with clock(SPRING_2026):
        page = client.get(create_url(excerpt))
        assert page.status_code == 200
        assert page.context["form"]["year"].value() == 2026
        response = client.post(
            create_url(excerpt),
            {"ovt": ovt.pk, "year": 2026, "pupils": "20", "fundamental": "95", "target": "55"},
        )
    school = excerpt.schools["00AP"]
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("insight:school_results", args=[excerpt.board.pk, school.pk]) + f"#ovt-{ovt.pk}"
    )
    assert PoResult.objects.get(ovt=ovt, source=ResultSource.SCHOOL).entered_by == excerpt.leader
    with clock(SPRING_2026):
        page = client.get(response["Location"])
    assert [w.period for w in page.context["results"].ovts[0].coming] == ["2024-2026"]


def test_the_form_shows_the_services_message_and_stores_nothing(client, english, excerpt, ovt):
    client.force_login(excerpt.leader)
    with clock(SPRING_2026):
        response = client.post(
            create_url(excerpt),
            {"ovt": ovt.pk, "year": 2025, "pupils": "20", "fundamental": "95", "target": "96,67"},
        )
    assert response.status_code == 200
    text = response.content.decode()
    assert "The inspectorate&#x27;s figures for 2024-2025 are in Stelsel already" in text
    assert "cannot be above the %1F" in text
    assert not PoResult.objects.filter(source=ResultSource.SCHOOL).exists()


def test_the_form_offers_only_the_schools_confirmed_ovts(client, excerpt):
    client.force_login(excerpt.executive)
    page = client.get(create_url(excerpt, "03HV"))
    codes = [o.code for o in page.context["form"].fields["ovt"].queryset]
    assert codes == ["03HV|C1", "03HV|C2"]
    # Another school's OVT is not a choice, even when posted.
    other = Ovt.objects.get(code="00AP|C1")
    with clock(SPRING_2026):
        response = client.post(
            create_url(excerpt, "03HV"),
            {"ovt": other.pk, "year": 2026, "pupils": 20, "fundamental": "95", "target": "55"},
        )
    assert response.status_code == 200 and "ovt" in response.context["form"].errors
    assert not PoResult.objects.filter(source=ResultSource.SCHOOL).exists()


def test_a_school_without_a_linked_ovt_is_told_to_link_it_first(client, english, excerpt):
    client.force_login(excerpt.executive)
    response = client.get(create_url(excerpt, "14YV"))
    assert response.status_code == 200 and response.context["form"] is None
    assert "No inspectorate school (OVT) is linked to this school yet" in response.content.decode()


def test_who_may_enter(client, excerpt):
    staff = make_user()
    grant(staff, excerpt.board, Role.STAFF, excerpt.schools["00AP"])
    supervisor = make_user()
    grant(supervisor, excerpt.board, Role.SUPERVISOR)
    for user, status in (
        (staff, 403),
        (supervisor, 403),
        (excerpt.other_leader, 404),  # another school of the board
        (excerpt.outsider, 404),  # another board
        (excerpt.leader, 200),
    ):
        client.force_login(user)
        assert client.get(create_url(excerpt)).status_code == status, user


def test_changing_and_removing_an_own_entry_through_the_pages(client, excerpt, ovt):
    enter(ovt, user=excerpt.leader)
    school = excerpt.schools["00AP"]
    args = [excerpt.board.pk, school.pk, ovt.pk, 2026]
    client.force_login(excerpt.leader)
    page = client.get(reverse("insight:result_edit", args=args))
    assert page.status_code == 200
    assert page.context["form"].initial == {"pupils": 20, "fundamental": "95,00", "target": "55,00"}
    with clock(SPRING_2026):
        response = client.post(
            reverse("insight:result_edit", args=args),
            {"pupils": "24", "fundamental": "93,06", "target": "50"},
        )
    assert response.status_code == 302
    own = PoResult.objects.get(ovt=ovt, source=ResultSource.SCHOOL)
    assert (own.pupils, own.fundamental) == (24, Decimal("93.06"))
    # Removing needs a POST; a GET changes nothing.
    assert client.get(reverse("insight:result_delete", args=args)).status_code == 405
    assert client.post(reverse("insight:result_delete", args=args)).status_code == 302
    assert not PoResult.objects.filter(ovt=ovt, source=ResultSource.SCHOOL).exists()


def test_the_inspectorates_year_and_other_schools_ovts_have_no_edit_page(client, excerpt, ovt):
    client.force_login(excerpt.executive)
    school = excerpt.schools["00AP"]
    # No own entry of 2025: the inspectorate's figures are not editable.
    url = reverse("insight:result_edit", args=[excerpt.board.pk, school.pk, ovt.pk, 2025])
    assert client.get(url).status_code == 404
    # An OVT of another school under this school's address.
    enter(Ovt.objects.select_related("school").get(code="05SW|C1"))
    other = Ovt.objects.get(code="05SW|C1")
    url = reverse("insight:result_edit", args=[excerpt.board.pk, school.pk, other.pk, 2026])
    assert client.get(url).status_code == 404
    # Absurd years are no entry either.
    url = reverse("insight:result_edit", args=[excerpt.board.pk, school.pk, ovt.pk, 10**12])
    assert client.get(url).status_code == 404


def test_when_the_inspectorate_has_the_current_year_there_is_nothing_to_enter(
    client, english, excerpt
):
    client.force_login(excerpt.leader)
    with clock(at(date(2025, 6, 1))):  # school year 2024-2025, published in the excerpt
        response = client.get(create_url(excerpt))
    assert response.status_code == 200 and response.context["form"] is None
    assert "there is no year to enter now" in response.content.decode()
