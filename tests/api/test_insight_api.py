"""Data and early warning in the JSON API: own indicators, their values (written under the same
rules as the pages), the open signals and the primary results in the record of
`signals --json`."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stelsel.accounts.services import token_create
from stelsel.insight.models import Measurement, Signal, SignalKind
from stelsel.insight.signals import signals_refresh
from stelsel.organisations.roles import Role
from stelsel.picture.models import Direction, Indicator, IndicatorLevel, Perspective
from tests.api.test_planning_api import as_user, bearer, patch, post, url
from tests.factories import make_school
from tests.factories.insight import add_results, add_schoolweging, make_ovt

pytestmark = pytest.mark.django_db

D = datetime.date


def make_indicator(board, code="VERZ", **fields) -> Indicator:
    fields.setdefault("unit", "%")
    return Indicator.objects.create(
        board=board,
        perspective=Perspective.AMBITIONS,
        code=code,
        title=fields.pop("title", "Ziekteverzuim"),
        **fields,
    )


def measure(indicator, school, day, value):
    return Measurement.objects.create(
        board=indicator.board, indicator=indicator, school=school, measured_on=day, value=value
    )


@pytest.fixture
def absence(world):
    indicator = make_indicator(world.board, direction=Direction.LOWER, norm=Decimal(5))
    measure(indicator, world.school, D(2025, 1, 1), Decimal("4.5"))
    measure(indicator, world.school, D(2025, 10, 1), Decimal("6.25"))
    measure(indicator, world.other_school, D(2025, 10, 1), Decimal("3"))
    signals_refresh(world.board)
    return indicator


def value_body(world, indicator, **extra):
    return {
        "indicator_id": indicator.pk,
        "school_id": world.school.pk,
        "measured_on": "2026-01-05",
        "value": "5,5",
        "source": "Register",
        **extra,
    }


# --- Indicators ----------------------------------------------------------------------------


def test_indicators_list_the_measured_ones_with_latest_values_per_unit(client, world, absence):
    make_indicator(world.board, "SOC", unit="")
    answer = as_user(client, world, Role.SUPERVISOR).get(url("indicators", world.board.pk))
    assert answer.status_code == 200
    [found] = answer.json()
    assert (found["code"], found["unit"], found["direction"], found["norm"]) == (
        "VERZ",
        "%",
        "lower",
        5.0,
    )
    units = {u["school_name"]: u for u in found["units"]}
    # The board's own row comes first (the indicator applies to schools and the board).
    assert found["units"][0]["school_id"] is None and found["units"][0]["recent"] == []
    mine = units["De Eigen School"]
    assert [r["value"] for r in mine["recent"]] == [4.5, 6.25]
    assert mine["standing"] == "worse_than_norm" and mine["trend"] == "worsening"
    assert units["De Andere School"]["standing"] == "meets_norm"


def test_a_school_role_gets_their_school_only(client, world, absence):
    answer = as_user(client, world, Role.STAFF).get(url("indicators", world.board.pk))
    assert [u["school_name"] for u in answer.json()[0]["units"]] == ["De Eigen School"]
    answer = client.get(url("measurements", world.board.pk))
    assert {m["school_name"] for m in answer.json()} == {"De Eigen School"}


def test_the_indicator_list_reads_a_fixed_number_of_queries(client, world, absence):
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    path = url("indicators", world.board.pk)
    client.get(path)
    with CaptureQueriesContext(connection) as small:
        client.get(path)
    for n in range(3):
        school = make_school(world.board)
        extra = make_indicator(world.board, f"X{n}")
        for month in range(1, 5):
            measure(extra, school, D(2025, month, 1), month)
    with CaptureQueriesContext(connection) as large:
        client.get(path)
    assert len(large) == len(small)


# --- Reading values ------------------------------------------------------------------------


def test_values_are_filtered_by_indicator_unit_and_dates(client, world, absence):
    client = as_user(client, world, Role.QUALITY_OFFICER)
    measure(absence, None, D(2025, 6, 1), Decimal(4))
    path = url("measurements", world.board.pk)
    assert len(client.get(path).json()) == 4
    answer = client.get(path, {"school_id": world.school.pk, "since": "2025-06-01"})
    assert [(m["measured_on"], m["value"], m["standing"]) for m in answer.json()] == [
        ("2025-10-01", 6.25, "worse_than_norm")
    ]
    answer = client.get(path, {"board_itself": "true"})
    assert [m["school_id"] for m in answer.json()] == [None]
    answer = client.get(path, {"indicator_id": absence.pk, "until": "2025-01-01"})
    assert [m["measured_on"] for m in answer.json()] == ["2025-01-01"]
    assert client.get(path, {"since": "1-1-2025"}).status_code == 422
    foreign = make_indicator(world.other_board)
    assert client.get(path, {"indicator_id": foreign.pk}).status_code == 404
    assert client.get(path, {"school_id": world.other_board_school.pk}).status_code == 404


def test_one_value_of_another_board_or_school_answers_404(client, world, absence):
    theirs = measure(make_indicator(world.other_board), world.other_board_school, D(2025, 1, 1), 1)
    other = Measurement.objects.get(school=world.other_school)
    client = as_user(client, world, Role.SCHOOL_LEADER)
    assert client.get(url("measurement", world.board.pk, theirs.pk)).status_code == 404
    assert client.get(url("measurement", world.board.pk, other.pk)).status_code == 404
    mine = Measurement.objects.filter(school=world.school).first()
    assert (
        client.get(url("measurement", world.board.pk, mine.pk)).json()["indicator_code"] == "VERZ"
    )


# --- Writing values ------------------------------------------------------------------------


def test_a_school_leader_enters_a_value_with_a_token(client, world, absence):
    _token, raw = token_create(user=world.users[Role.SCHOOL_LEADER], name="Dashboard")
    answer = post(
        client, url("measurement_create", world.board.pk), value_body(world, absence), **bearer(raw)
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["value"], body["school_id"], body["standing"], body["source"]) == (
        5.5,
        world.school.pk,
        "worse_than_norm",
        "Register",
    )
    created = Measurement.objects.get(pk=body["id"])
    assert created.entered_by == world.users[Role.SCHOOL_LEADER]
    assert Signal.objects.filter(
        kind=SignalKind.OWN_BELOW, school=world.school, resolved_at__isnull=True
    ).exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"measured_on": "2099-01-01"}, "measured_on", "in the future"),
        ({"measured_on": "1999-12-31"}, "measured_on", "2000 or later"),
        ({"value": 101}, "value", "between 0 and 100"),
        ({"value": "veel"}, "value", "must be a number"),
        ({"value": 4.555}, "value", "at most two decimals"),
        ({"measured_on": "2025-10-01"}, "measured_on", "already has a value"),
        ({"school_id": None}, "school_id", "per school"),
    ],
)
def test_bad_values_answer_422_on_their_field_and_change_nothing(
    client, english, world, absence, change, field, words
):
    absence.level = IndicatorLevel.SCHOOL
    absence.save()
    client = as_user(client, world, Role.QUALITY_OFFICER)
    answer = post(
        client, url("measurement_create", world.board.pk), value_body(world, absence, **change)
    )
    assert answer.status_code == 422, answer.content
    assert words in " ".join(answer.json()["errors"][field])
    assert Measurement.objects.count() == 3


def test_bodies_that_do_not_fit_are_refused(client, world, absence):
    client = as_user(client, world, Role.QUALITY_OFFICER)
    path = url("measurement_create", world.board.pk)
    answer = client.post(path, "not json", content_type="application/json")
    assert answer.status_code == 400
    assert post(client, path, {"value": 4}).status_code == 422
    assert post(client, path, value_body(world, absence, colour="red")).status_code == 422
    assert post(client, path, value_body(world, absence, measured_on="1-1-2025")).status_code == 422
    unmeasured = make_indicator(world.board, "A", unit="")
    foreign = make_indicator(world.other_board)
    for indicator in (unmeasured, foreign):
        answer = post(client, path, value_body(world, indicator))
        assert answer.status_code == 422
        assert "indicator_id" in answer.json()["errors"]
    answer = post(client, path, value_body(world, absence, school_id=world.other_board_school.pk))
    assert answer.status_code == 422 and "school_id" in answer.json()["errors"]
    assert Measurement.objects.count() == 3


def test_units_and_roles_out_of_reach_are_refused(client, world, absence):
    path = url("measurement_create", world.board.pk)
    leader = as_user(client, world, Role.SCHOOL_LEADER)
    answer = post(leader, path, value_body(world, absence, school_id=world.other_school.pk))
    assert answer.status_code == 422  # a school they do not see
    answer = post(leader, path, value_body(world, absence, school_id=None))
    assert answer.status_code == 403  # the board's own figures
    staff = as_user(client, world, Role.STAFF)
    assert post(staff, path, value_body(world, absence)).status_code == 403
    outsider = client
    outsider.force_login(world.outsider)
    assert post(outsider, path, value_body(world, absence)).status_code == 404
    assert Measurement.objects.count() == 3


def test_a_value_is_corrected_and_removed(client, world, absence):
    value = Measurement.objects.get(school=world.other_school)
    client = as_user(client, world, Role.QUALITY_OFFICER)
    path = url("measurement_update", world.board.pk, value.pk)
    answer = patch(client, path, {"value": 7})
    assert answer.status_code == 200 and answer.json()["standing"] == "worse_than_norm"
    value.refresh_from_db()
    assert (value.value, value.measured_on) == (Decimal(7), D(2025, 10, 1))
    assert patch(client, path, {}).status_code == 422
    answer = patch(client, path, {"measured_on": "2099-01-01"})
    assert answer.status_code == 422 and "measured_on" in answer.json()["errors"]
    assert patch(client, path, {"school_id": world.school.pk}).status_code == 422
    value.refresh_from_db()
    assert value.measured_on == D(2025, 10, 1)
    answer = client.delete(url("measurement_delete", world.board.pk, value.pk))
    assert answer.status_code == 204
    assert not Measurement.objects.filter(pk=value.pk).exists()


def test_others_do_not_change_values(client, world, absence):
    other = Measurement.objects.get(school=world.other_school)
    mine = Measurement.objects.filter(school=world.school).first()
    leader = as_user(client, world, Role.SCHOOL_LEADER)
    assert (
        patch(leader, url("measurement_update", world.board.pk, other.pk), {"value": 1}).status_code
        == 404
    )
    assert leader.delete(url("measurement_delete", world.board.pk, other.pk)).status_code == 404
    staff = as_user(client, world, Role.STAFF)
    assert (
        patch(staff, url("measurement_update", world.board.pk, mine.pk), {"value": 1}).status_code
        == 403
    )
    assert staff.delete(url("measurement_delete", world.board.pk, mine.pk)).status_code == 403
    assert Measurement.objects.count() == 3
    assert Measurement.objects.get(pk=mine.pk).value == mine.value


# --- Signals and results -------------------------------------------------------------------


def test_open_signals_come_with_their_sentence_and_figures(client, english, world, absence):
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    answer = client.get(url("signals", world.board.pk))
    [signal] = answer.json()
    assert (signal["kind"], signal["indicator"], signal["school_id"]) == (
        "own_below",
        "VERZ",
        world.school.pk,
    )
    assert signal["figures"]["value"] == "6.25"
    assert "Ziekteverzuim is 6.25 %" in signal["sentence"]
    assert "norm of 5.00" in signal["sentence"]
    assert signal["first_seen"]
    # A resolved signal is no longer listed.
    Measurement.objects.filter(school=world.school).delete()
    signals_refresh(world.board)
    assert client.get(url("signals", world.board.pk)).json() == []


def test_signals_of_another_school_stay_with_that_school(client, world, absence):
    measure(absence, world.other_school, D(2025, 11, 1), Decimal(9))
    signals_refresh(world.board)
    answer = as_user(client, world, Role.STAFF).get(url("signals", world.board.pk))
    assert {s["school_id"] for s in answer.json()} == {world.school.pk}
    outsider = client
    outsider.force_login(world.outsider)
    assert outsider.get(url("signals", world.board.pk)).status_code == 404


def test_results_are_the_records_of_signals_json(client, world):
    ovt = make_ovt(world.board, world.school)
    add_results(ovt, {2023: (20, 90, 40), 2024: (20, 90, 40), 2025: (20, 90, 40)})
    add_schoolweging(ovt, 31.5)
    other = make_ovt(world.board, world.other_school)
    add_results(other, {2023: (20, 95, 60), 2024: (20, 95, 60), 2025: (20, 95, 60)})
    client = as_user(client, world, Role.QUALITY_OFFICER)
    answer = client.get(url("results", world.board.pk))
    records = {(r["ovt"], r["indicator"]): r for r in answer.json()}
    assert len(records) == 4
    target = records[(ovt.code, "1S/2F")]
    assert target == {
        "ovt": ovt.code,
        "indicator": "1S/2F",
        "period": "2023-2025",
        "percentage": 40.0,
        "pupils": 60,
        "schoolweging": 31.5,
        "norm": 43.5,
        "outcome": "below",
        "published_outcome": None,
        "source": "computed",
        "board": int(world.board.number),
        "school": world.school.pk,
    }
    answer = as_user(client, world, Role.SCHOOL_LEADER).get(url("results", world.board.pk))
    assert {r["school"] for r in answer.json()} == {world.school.pk}


def test_the_openapi_document_lists_the_data_routes(client):
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert {
        "/api/v1/boards/{board_id}/indicators",
        "/api/v1/boards/{board_id}/measurements",
        "/api/v1/boards/{board_id}/measurements/{measurement_id}",
        "/api/v1/boards/{board_id}/signals",
        "/api/v1/boards/{board_id}/results",
    } <= paths
    document = client.get("/api/v1/openapi.json").json()
    methods = set(document["paths"]["/api/v1/boards/{board_id}/measurements/{measurement_id}"])
    assert {"get", "patch", "delete"} <= methods
    body = document["paths"]["/api/v1/boards/{board_id}/measurements"]["post"]["requestBody"]
    assert "indicator_id" in body["content"]["application/json"]["schema"]["properties"]
