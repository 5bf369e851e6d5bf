"""The eligibility checks against what Stelsel knows: inspection judgements and the board's
assignments; what it cannot know stays 'unknown'."""

import datetime

import pytest

from stelsel.trajectories import eligibility
from stelsel.trajectories.applications import application_submit
from tests.factories import make_assignment, make_board, make_school
from tests.factories.trajectories import make_cohort, make_programme

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def test_a_school_judged_insufficient_in_the_last_three_years_is_found(world):
    world.school.inspection_judgement = "onvoldoende"
    world.school.inspection_judgement_date = datetime.date(2024, 3, 12)
    world.school.save()
    world.other_school.inspection_judgement = "zeer_zwak"
    world.other_school.inspection_judgement_date = datetime.date(2022, 3, 12)  # too long ago
    world.other_school.save()
    result = eligibility.judged_insufficient_3y(world.board, TODAY)
    assert result.status == eligibility.MET
    assert len(result.findings) == 1
    assert world.school.name in result.findings[0]


def test_no_recent_insufficient_judgement_is_not_met_and_none_at_all_is_unknown(world):
    assert eligibility.judged_insufficient_3y(world.board, TODAY).status == eligibility.UNKNOWN
    world.school.inspection_judgement = "voldoende"
    world.school.inspection_judgement_date = datetime.date(2025, 3, 12)
    world.school.save()
    assert eligibility.judged_insufficient_3y(world.board, TODAY).status == eligibility.NOT_MET


def test_assignments_to_the_board_are_found_not_those_to_a_school(world):
    assert eligibility.board_assignments(world.board, TODAY).status == eligibility.NOT_MET
    make_assignment(world.board, world.school, text="Aan de school")
    assert eligibility.board_assignments(world.board, TODAY).status == eligibility.NOT_MET
    make_assignment(world.board, None, text="Zorg voor zicht op kwaliteit")
    result = eligibility.board_assignments(world.board, TODAY)
    assert result.status == eligibility.MET
    assert "Zorg voor zicht op kwaliteit" in result.findings[0]


def test_a_risk_investigation_is_unknown_to_stelsel(world):
    assert eligibility.risk_investigation_3y(world.board, TODAY).status == eligibility.UNKNOWN


def test_single_school_boards_not_judged_sufficient_without_orders(db):
    board = make_board()
    school = make_school(board)
    check = eligibility.not_sufficient_or_good_2y
    assert check(board, TODAY).status == eligibility.UNKNOWN
    school.inspection_judgement = "voldoende"
    school.inspection_judgement_date = datetime.date(2025, 1, 10)
    school.save()
    assert check(board, TODAY).status == eligibility.NOT_MET
    make_assignment(board, school, deadline=datetime.date(2025, 9, 1))
    assert check(board, TODAY).status == eligibility.MET
    school.inspection_judgement_date = datetime.date(2023, 1, 10)
    school.save()
    assert check(board, TODAY).status == eligibility.MET


def test_the_application_stores_claims_findings_and_the_single_school_criteria(db):
    board = make_board()
    school = make_school(board)
    school.inspection_judgement = "onvoldoende"
    school.inspection_judgement_date = datetime.date(2025, 11, 3)
    school.save()
    cohort = make_cohort(make_programme())
    application = application_submit(
        cohort=cohort,
        board=board,
        applicant=None,
        question="Werkt ons stelsel van kwaliteitszorg?",
        claimed=["quality_system_works", "not_recently_good"],
        today=TODAY,
    )
    assert application.single_school_board
    assert application.criteria["claimed"] == ["quality_system_works", "not_recently_good"]
    assert application.criteria["checked"] == {"not_recently_good": eligibility.MET}
    assert school.name in application.criteria["found"]["not_recently_good"][0]


def test_a_criterion_of_the_other_kind_of_board_is_refused(world):
    from django.core.exceptions import ValidationError

    cohort = make_cohort(make_programme())
    with pytest.raises(ValidationError):
        application_submit(
            cohort=cohort,
            board=world.board,
            applicant=None,
            question="Vraag",
            claimed=["quality_system_works"],  # a single-school criterion
            today=TODAY,
        )
