"""Measurements of own indicators: what the service accepts, what it refuses (and that a refusal
changes nothing), and that the board's signals follow every write."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stelsel.insight.measurements import (
    measurement_create,
    measurement_delete,
    measurement_update,
    parse_value,
)
from stelsel.insight.models import Measurement, Signal, SignalKind
from stelsel.insight.own_indicators import Standing, Trend, standing, trend
from stelsel.picture.models import Direction, Indicator, IndicatorLevel, Perspective
from tests.factories import make_board, make_school, make_user

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def board():
    return make_board(name="Stichting Meten")


@pytest.fixture
def school(board):
    return make_school(board, name="De Meetlat")


def indicator(board, code="VERZ", *, unit="%", level=IndicatorLevel.BOTH, **fields):
    return Indicator.objects.create(
        board=board,
        perspective=Perspective.AMBITIONS,
        code=code,
        title=fields.pop("title", "Ziekteverzuim"),
        unit=unit,
        level=level,
        **fields,
    )


def create(board, ind, school, day=D(2025, 10, 1), value="4,5", source="Verzuimregister"):
    return measurement_create(
        board=board,
        indicator=ind,
        school=school,
        measured_on=day,
        value=value,
        source=source,
        user=None,
    )


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_it_stores_a_value_typed_with_a_decimal_comma_or_point(board, school):
    ind = indicator(board)
    first = create(board, ind, school, value="4,5")
    second = create(board, ind, school, day=D(2025, 11, 1), value="4.75")
    third = create(board, ind, school, day=D(2025, 12, 1), value=Decimal("3"))
    assert [first.value, second.value, third.value] == [Decimal("4.5"), Decimal("4.75"), 3]
    assert first.source == "Verzuimregister" and first.board == board


def test_a_percentage_may_carry_its_sign_and_lies_between_0_and_100(board, school):
    ind = indicator(board)
    assert create(board, ind, school, value="85%").value == Decimal("85")
    for value in ("100,01", "-1", "250"):
        errors = errors_of(lambda v=value: create(board, ind, school, day=D(2025, 9, 1), value=v))
        assert "between 0 and 100" in errors["value"][0]
    assert Measurement.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("veel", "must be a number, such as 85 or 7,5: “veel” is not one"),
        ("", "Give the value"),
        (None, "Give the value"),
        ("4,555", "at most two decimals"),
        ("1.234,5", "thousands separators"),
        ("12%", "not in percent"),
    ],
)
def test_it_refuses_values_that_are_not_numbers_of_the_unit(board, school, value, message):
    ind = indicator(board, unit="days")
    errors = errors_of(lambda: create(board, ind, school, value=value))
    assert message in errors["value"][0]
    assert not Measurement.objects.exists()


def test_a_count_may_be_any_size_the_field_holds(board, school):
    ind = indicator(board, unit="pupils")
    assert create(board, ind, school, value="412").value == 412
    errors = errors_of(lambda: create(board, ind, school, day=D(2024, 10, 1), value="1" * 14))
    assert "too large" in errors["value"][0]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (None, "Give the reference date"),
        (D(1999, 12, 31), "2000 or later"),
        (D(1, 1, 1), "2000 or later"),
        ("tomorrow", "in the future"),
    ],
)
def test_it_refuses_reference_dates_that_have_not_been_or_are_implausible(
    board, school, day, message
):
    if day == "tomorrow":
        day = timezone.localdate() + datetime.timedelta(days=1)
    ind = indicator(board)
    errors = errors_of(lambda: create(board, ind, school, day=day))
    assert message in errors["measured_on"][0]
    assert not Measurement.objects.exists()


def test_today_is_a_reference_date(board, school):
    ind = indicator(board)
    assert create(board, ind, school, day=timezone.localdate()).pk


def test_one_value_per_indicator_unit_and_date(board, school):
    ind = indicator(board)
    create(board, ind, school)
    errors = errors_of(lambda: create(board, ind, school, value="3"))
    assert "already has a value" in errors["measured_on"][0]
    # The board itself and another school are other units: their values may share the date.
    create(board, ind, None)
    create(board, ind, make_school(board))
    errors = errors_of(lambda: create(board, ind, None, value="3"))
    assert "The board already has a value" in errors["measured_on"][0]
    assert Measurement.objects.count() == 3


def test_the_indicator_must_apply_to_the_unit(board, school):
    per_school = indicator(board, "S", level=IndicatorLevel.SCHOOL)
    board_only = indicator(board, "B", level=IndicatorLevel.BOARD)
    assert "per school" in errors_of(lambda: create(board, per_school, None))["school"][0]
    assert "board itself" in errors_of(lambda: create(board, board_only, school))["school"][0]
    assert create(board, per_school, school).school == school
    assert create(board, board_only, None).school is None


def test_an_indicator_without_a_unit_or_retired_takes_no_values(board, school):
    unmeasured = indicator(board, "A", unit="")
    retired = indicator(board, "R", active=False)
    assert "no unit" in errors_of(lambda: create(board, unmeasured, school))["indicator"][0]
    assert "retired" in errors_of(lambda: create(board, retired, school))["indicator"][0]
    assert not Measurement.objects.exists()


def test_another_boards_indicator_or_school_is_a_programming_error(board, school):
    other = make_board()
    with pytest.raises(ValueError):
        create(board, indicator(other), school)
    with pytest.raises(ValueError):
        create(board, indicator(board), make_school(other))


def test_a_source_longer_than_the_field_is_refused(board, school):
    errors = errors_of(lambda: create(board, indicator(board), school, source="x" * 201))
    assert "source" in errors


def test_a_correction_keeps_the_unit_and_refuses_a_taken_date(board, school):
    ind = indicator(board)
    user = make_user()
    first = create(board, ind, school, day=D(2025, 10, 1))
    create(board, ind, school, day=D(2025, 11, 1))
    measurement_update(
        measurement=first, measured_on=D(2025, 10, 2), value="3,9", source="Correctie", user=user
    )
    first.refresh_from_db()
    assert (first.measured_on, first.value, first.source, first.entered_by) == (
        D(2025, 10, 2),
        Decimal("3.9"),
        "Correctie",
        user,
    )
    errors = errors_of(
        lambda: measurement_update(
            measurement=first, measured_on=D(2025, 11, 1), value="1", source="", user=user
        )
    )
    assert "measured_on" in errors
    first.refresh_from_db()
    assert first.measured_on == D(2025, 10, 2) and first.value == Decimal("3.9")


def test_signals_follow_every_write(board, school):
    ind = indicator(board, norm=Decimal(5), direction=Direction.LOWER)
    value = create(board, ind, school, value="6,5")
    signal = Signal.objects.get(kind=SignalKind.OWN_BELOW)
    assert signal.school == school and signal.figures["value"] == "6.50"
    measurement_update(
        measurement=value, measured_on=value.measured_on, value="4", source="", user=None
    )
    signal.refresh_from_db()
    assert signal.resolved_at is not None
    measurement_update(
        measurement=value, measured_on=value.measured_on, value="7", source="", user=None
    )
    signal.refresh_from_db()
    assert signal.resolved_at is None
    measurement_delete(measurement=value)
    signal.refresh_from_db()
    assert signal.resolved_at is not None
    assert not Measurement.objects.exists()


def test_parse_value_reads_numbers_as_people_type_them(board):
    ind = indicator(board)
    assert parse_value(ind, " 7,5 ") == (Decimal("7.5"), None)
    assert parse_value(ind, 7.5) == (Decimal("7.5"), None)
    assert parse_value(ind, "85 %") == (Decimal("85"), None)


@pytest.mark.parametrize(
    ("direction", "value", "expected"),
    [
        (Direction.HIGHER, "7", Standing.WORSE_THAN_NORM),
        (Direction.HIGHER, "7.5", Standing.SHORT_OF_TARGET),
        (Direction.HIGHER, "8", Standing.TARGET_REACHED),
        (Direction.LOWER, "8.5", Standing.WORSE_THAN_NORM),
        (Direction.LOWER, "7.5", Standing.SHORT_OF_TARGET),
        (Direction.LOWER, "7", Standing.TARGET_REACHED),
    ],
)
def test_the_standing_follows_the_better_direction(board, direction, value, expected):
    norm, target = (Decimal("7.5"), Decimal(8)) if direction == Direction.HIGHER else (8, 7)
    ind = indicator(board, unit="score", direction=direction, norm=norm, target=target)
    assert standing(ind, Decimal(value)) == expected


def test_without_a_target_the_norm_alone_decides(board):
    ind = indicator(board, norm=Decimal(5), direction=Direction.LOWER)
    assert standing(ind, Decimal(4)) == Standing.MEETS_NORM
    assert standing(indicator(board, "X"), Decimal(4)) is None


def test_the_trend_reads_the_last_values_in_the_better_direction(board):
    lower = indicator(board, direction=Direction.LOWER)
    higher = indicator(board, "T", direction=Direction.HIGHER)
    values = [Decimal(6), Decimal(5), Decimal(4)]
    assert trend(lower, values) == Trend.IMPROVING
    assert trend(higher, values) == Trend.WORSENING
    assert trend(higher, [Decimal(4), Decimal(6), Decimal(5)]) == Trend.MIXED
    assert trend(higher, [Decimal(4), Decimal(4)]) == Trend.LEVEL
    assert trend(higher, [Decimal(4)]) is None
