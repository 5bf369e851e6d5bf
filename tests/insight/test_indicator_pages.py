"""The pages of own indicators: the overview with latest values, trend and standing in words,
entering and correcting a value, importing a school's own figures (upload, column mapping,
preview, confirm; a saved mapping reused), the picture's indicator form with unit, norm and
target, and a plan goal that shows its indicator's latest measurement."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stelsel.insight.models import ColumnMapping, DataImport, Measurement
from stelsel.insight.uploads import UPLOAD_DIR
from stelsel.organisations.roles import Role
from stelsel.picture.models import Direction, Indicator, IndicatorLevel, Perspective
from tests.factories import make_school
from tests.factories.planning import make_check_in, make_goal, make_plan

pytestmark = pytest.mark.django_db

D = datetime.date
DATA = Path(__file__).parent / "data"
TEMPLATES = Path(__file__).resolve().parents[2] / "src/stelsel/insight/templates/insight/indicators"


def make_indicator(board, code="VERZ", **fields) -> Indicator:
    fields.setdefault("unit", "%")
    fields.setdefault("direction", Direction.LOWER)
    return Indicator.objects.create(
        board=board,
        perspective=fields.pop("perspective", Perspective.AMBITIONS),
        code=code,
        title=fields.pop("title", "Ziekteverzuim leerlingen"),
        **fields,
    )


def measure(indicator, school, day, value):
    return Measurement.objects.create(
        board=indicator.board,
        indicator=indicator,
        school=school,
        measured_on=day,
        value=Decimal(str(value)),
    )


def as_role(client, world, role):
    client.force_login(world.users[role])
    return client


def url(name, *args):
    return reverse(f"insight:{name}", args=args)


def text(response) -> str:
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def absence(world):
    """Absence per school, lower is better, norm 5% and target 4%: the school falls below the
    norm in its last value after three values getting worse; the other school reaches the
    target."""
    indicator = make_indicator(world.board, norm=Decimal(5), target=Decimal(4))
    for day, value in ((D(2024, 10, 1), "3.5"), (D(2025, 1, 1), "4.5"), (D(2025, 10, 1), "6.25")):
        measure(indicator, world.school, day, value)
    measure(indicator, world.other_school, D(2025, 10, 1), "3")
    return indicator


# --- The overview and one indicator ---------------------------------------------------------


def test_the_overview_shows_latest_values_trend_and_standing_in_words(
    client, english, world, absence
):
    make_indicator(world.board, "SOC", unit="", title="Sociale veiligheid")
    page = as_role(client, world, Role.SUPERVISOR).get(url("indicators", world.board.pk))
    assert page.status_code == 200
    body = text(page)
    assert "VERZ Ziekteverzuim leerlingen" in body
    assert (
        "De Eigen School 6.25 % 1 Oct 2025 3.5 → 4.5 → 6.25 (worsening) Worse than the norm" in body
    )
    assert "De Andere School 3 % 1 Oct 2025 3 Target reached" in body
    assert "1 below norm or target" in body
    assert "1 own indicator in use has no unit of measurement" in body
    # A reader enters nothing and defines nothing.
    assert "Enter a value" not in body and "Import own figures" not in body
    assert "Define indicators" not in body


def test_a_school_leader_sees_their_own_school_only(client, english, world, absence):
    board_level = make_indicator(
        world.board, "PERS", level=IndicatorLevel.BOARD, title="Verzuim personeel"
    )
    measure(board_level, None, D(2025, 10, 1), 5)
    page = as_role(client, world, Role.SCHOOL_LEADER).get(url("indicators", world.board.pk))
    body = text(page)
    assert "De Eigen School" in body
    assert "De Andere School" not in body
    assert "No school or board level you see uses this indicator" in body  # PERS
    assert f"?eenheid={world.school.pk}" in page.content.decode()


def test_the_board_office_enters_values_for_every_unit(client, english, world, absence):
    make_indicator(world.board, "PERS", level=IndicatorLevel.BOTH, title="Verzuim personeel")
    page = as_role(client, world, Role.QUALITY_OFFICER).get(url("indicators", world.board.pk))
    content = page.content.decode()
    assert "?eenheid=bestuur" in content
    assert f"?eenheid={world.other_school.pk}" in content
    assert "Define indicators" in text(page)


def test_the_overview_reads_a_fixed_number_of_queries(client, world, absence):
    client = as_role(client, world, Role.BOARD_EXECUTIVE)
    path = url("indicators", world.board.pk)
    client.get(path)
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    for n in range(4):
        school = make_school(world.board)
        extra = make_indicator(world.board, f"X{n}", level=IndicatorLevel.BOTH)
        for month in range(1, 7):
            measure(extra, school, D(2025, month, 1), month)
            measure(absence, school, D(2025, month, 1), month)
        measure(extra, None, D(2025, 1, 1), 2)
    with CaptureQueriesContext(connection) as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_the_indicator_page_lists_values_with_changes_for_those_who_may(
    client, english, world, absence
):
    page = as_role(client, world, Role.SCHOOL_LEADER).get(
        url("indicator", world.board.pk, absence.pk)
    )
    body = text(page)
    assert "6.25 %" in body and "3.5 %" in body
    assert "De Andere School" not in body
    assert body.count("Remove De Eigen School") == 3
    page = as_role(client, world, Role.STAFF).get(url("indicator", world.board.pk, absence.pk))
    assert "Remove De Eigen School" not in text(page)
    assert "Enter a value" not in text(page)


def test_an_indicator_without_a_unit_or_of_another_board_has_no_page(client, world):
    unmeasured = make_indicator(world.board, "A", unit="")
    foreign = make_indicator(world.other_board, "B")
    client = as_role(client, world, Role.BOARD_EXECUTIVE)
    assert client.get(url("indicator", world.board.pk, unmeasured.pk)).status_code == 404
    assert client.get(url("indicator", world.board.pk, foreign.pk)).status_code == 404


# --- Values by hand -------------------------------------------------------------------------


def test_a_school_leader_enters_a_value_for_their_school(client, english, world, absence):
    client = as_role(client, world, Role.SCHOOL_LEADER)
    path = url("measurement_add", world.board.pk, absence.pk)
    form = client.get(path)
    assert [v for v, _n in form.context["form"].fields["unit"].choices] == [str(world.school.pk)]
    answer = client.post(
        path,
        {
            "unit": world.school.pk,
            "measured_on": "2026-01-05",
            "value": "5,5",
            "source": "Register",
        },
    )
    assert answer.status_code == 302
    value = Measurement.objects.get(measured_on=D(2026, 1, 5))
    assert (value.school, value.value, value.source) == (world.school, Decimal("5.5"), "Register")
    assert value.entered_by == world.users[Role.SCHOOL_LEADER]


@pytest.mark.parametrize(
    ("post", "field", "words"),
    [
        ({"measured_on": "2099-01-01"}, "measured_on", "in the future"),
        ({"measured_on": "1990-01-01"}, "measured_on", "2000 or later"),
        ({"value": "120"}, "value", "between 0 and 100"),
        ({"value": "veel"}, "value", "must be a number"),
        ({"measured_on": "2025-10-01"}, "measured_on", "already has a value"),
    ],
)
def test_bad_values_by_hand_are_refused_on_their_field(
    client, english, world, absence, post, field, words
):
    client = as_role(client, world, Role.QUALITY_OFFICER)
    before = Measurement.objects.count()
    answer = client.post(
        url("measurement_add", world.board.pk, absence.pk),
        {"unit": world.school.pk, "measured_on": "2026-01-05", "value": "4", **post},
    )
    assert answer.status_code == 400
    assert words in " ".join(answer.context["form"].errors[field])
    assert Measurement.objects.count() == before


def test_units_out_of_reach_are_refused(client, world, absence):
    client = as_role(client, world, Role.SCHOOL_LEADER)
    path = url("measurement_add", world.board.pk, absence.pk)
    for unit in (world.other_school.pk, world.other_board_school.pk, "bestuur"):
        answer = client.post(path, {"unit": unit, "measured_on": "2026-01-05", "value": "4"})
        assert answer.status_code == 400  # not among the choices
    board_only = make_indicator(world.board, "PERS", level=IndicatorLevel.BOARD)
    assert client.get(url("measurement_add", world.board.pk, board_only.pk)).status_code == 403
    assert Measurement.objects.count() == 4


def test_a_value_is_corrected_and_removed(client, english, world, absence):
    client = as_role(client, world, Role.QUALITY_OFFICER)
    value = Measurement.objects.get(school=world.other_school)
    path = url("measurement_edit", world.board.pk, value.pk)
    assert client.get(path).context["form"].initial["value"] == "3"
    answer = client.post(path, {"measured_on": "2025-10-02", "value": "2,75", "source": ""})
    assert answer.status_code == 302
    value.refresh_from_db()
    assert (value.measured_on, value.value) == (D(2025, 10, 2), Decimal("2.75"))
    path = url("measurement_remove", world.board.pk, value.pk)
    assert "cannot be undone" in text(client.get(path))
    assert client.post(path).status_code == 302
    assert not Measurement.objects.filter(pk=value.pk).exists()


def test_staff_and_other_schools_do_not_change_values(client, world, absence):
    value = Measurement.objects.get(school=world.other_school)
    leader = as_role(client, world, Role.SCHOOL_LEADER)
    assert leader.post(url("measurement_remove", world.board.pk, value.pk)).status_code == 404
    mine = Measurement.objects.filter(school=world.school).first()
    staff = as_role(client, world, Role.STAFF)
    assert staff.post(url("measurement_remove", world.board.pk, mine.pk)).status_code == 403
    assert Measurement.objects.count() == 4


# --- A school's own figures -----------------------------------------------------------------


@pytest.fixture
def export_world(world):
    world.school.instellingscode, world.school.vestigingscode = "77AA", "77AA00"
    world.school.save()
    world.other_school.instellingscode, world.other_school.vestigingscode = "77BB", "77BB00"
    world.other_school.save()
    absence = make_indicator(world.board, norm=Decimal(5))
    parents = make_indicator(
        world.board, "TEVO", unit="cijfer", direction=Direction.HIGHER, title="Tevredenheid ouders"
    )
    return world, absence, parents


def upload(client, board, data: bytes, name="verzuim.csv", **extra):
    return client.post(
        url("own_figures", board.pk), {"file": SimpleUploadedFile(name, data), **extra}
    )


MAPPING = {
    "school_mode": "code",
    "school_column": "Vestigingscode",
    "date_mode": "column",
    "date_column": "Peildatum",
    "source": "Verzuimregistratie",
}


def kept_files() -> list[str]:
    try:
        return default_storage.listdir(UPLOAD_DIR)[1]
    except FileNotFoundError:
        return []


def test_an_export_is_mapped_previewed_and_confirmed(client, english, export_world):
    world, absence, parents = export_world
    client = as_role(client, world, Role.QUALITY_OFFICER)
    data = (DATA / "eigen-cijfers-verzuim.csv").read_bytes()
    answer = upload(client, world.board, data)
    assert answer.url == url("own_figures_mapping", world.board.pk)
    page = client.get(answer.url)
    body = text(page)
    assert "3 rows of figures" in body and "77BB00" in body
    form = page.context["form"]
    # The columns named after an indicator's code or title are suggested.
    assert [f.initial for f in form.value_fields()] == ["", "", "", "", str(parents.pk)]
    answer = client.post(
        answer.url,
        {**MAPPING, "value_3": absence.pk, "value_4": parents.pk, "save_as": "Verzuim ParnasSys"},
    )
    assert answer.url == url("own_figures_preview", world.board.pk)
    assert ColumnMapping.objects.get(board=world.board).name == "Verzuim ParnasSys"
    preview = client.get(answer.url)
    body = text(preview)
    assert "5 values to add" in body and "1 empty cell (no value)" in body
    assert "0 problems" in body and "Import these values" in body
    assert not Measurement.objects.exists()
    sha = preview.context["sha256"]
    answer = client.post(url("own_figures_confirm", world.board.pk), {"sha256": sha})
    assert answer.url == url("indicators", world.board.pk)
    assert Measurement.objects.count() == 5
    assert set(Measurement.objects.values_list("source", flat=True)) == {"Verzuimregistratie"}
    assert DataImport.objects.get().rows == 3
    assert kept_files() == []
    # The confirmation is used up: a second one imports nothing.
    answer = client.post(url("own_figures_confirm", world.board.pk), {"sha256": sha}, follow=True)
    assert "Nothing was imported" in text(answer)
    assert Measurement.objects.count() == 5


def test_a_saved_mapping_goes_straight_to_the_preview_when_the_columns_fit(
    client, english, export_world
):
    world, absence, parents = export_world
    saved = ColumnMapping.objects.create(
        board=world.board,
        name="Verzuim",
        columns={
            "school": {"column": "Vestigingscode", "by": "code"},
            "date": {"column": "Peildatum"},
            "values": [{"column": "Verzuim %", "indicator": absence.pk}],
        },
    )
    client = as_role(client, world, Role.SCHOOL_LEADER)
    data = (DATA / "eigen-cijfers-verzuim.csv").read_bytes()
    answer = upload(client, world.board, data, mapping=saved.pk)
    assert answer.url == url("own_figures_preview", world.board.pk)
    body = text(client.get(answer.url))
    # The school leader may not enter the other school's figures: refused with its row.
    assert "1 problem" in body and "1 problems" not in body
    assert "3 Vestigingscode you may not enter figures for De Andere School" in body
    assert "Import these values" not in body
    # A file without the mapped columns goes to the mapping, naming what it lacks.
    data = b"Vestigingscode;Datum;Verzuim %\r\n77AA00;2025-10-01;4\r\n"
    answer = upload(client, world.board, data, mapping=saved.pk)
    assert answer.url == url("own_figures_mapping", world.board.pk)
    page = client.get(answer.url)
    assert "lacks the column(s) the mapping “Verzuim” reads: “Peildatum”" in text(page)
    form = page.context["form"]
    assert form.initial["school_column"] == "Vestigingscode" and form.initial["date_column"] == ""
    assert [f.initial for f in form.value_fields()] == ["", "", str(absence.pk)]
    assert not Measurement.objects.exists()


def test_files_with_pupil_data_are_refused_at_the_upload_and_not_kept(
    client, english, export_world
):
    world, _absence, _parents = export_world
    client = as_role(client, world, Role.QUALITY_OFFICER)
    data = b"Vestigingscode;Naam;Geboortedatum;Verzuim %\r\n77AA00;Sam;2016-02-03;4\r\n"
    answer = upload(client, world.board, data)
    assert answer.status_code == 400
    assert "individual pupils" in " ".join(answer.context["form"].errors["file"])
    assert kept_files() == []
    assert client.get(url("own_figures_mapping", world.board.pk)).status_code == 302


def test_a_file_over_the_size_limit_is_refused_unread(client, english, settings, export_world):
    world, _absence, _parents = export_world
    settings.INSIGHT_MAX_UPLOAD_BYTES = 1024 * 1024
    client = as_role(client, world, Role.QUALITY_OFFICER)
    data = b"Vestigingscode;Peildatum;Verzuim %\r\n" + b"77AA00;2025-10-01;4\r\n" * 60_000
    answer = upload(client, world.board, data)
    assert answer.status_code == 400
    assert "larger than 1 MB" in " ".join(answer.context["form"].errors["file"])
    assert kept_files() == []


def test_an_unmapped_school_or_date_column_is_asked_for(client, english, export_world):
    world, absence, _parents = export_world
    client = as_role(client, world, Role.QUALITY_OFFICER)
    upload(client, world.board, (DATA / "eigen-cijfers-verzuim.csv").read_bytes())
    path = url("own_figures_mapping", world.board.pk)
    answer = client.post(path, {**MAPPING, "school_column": "", "date_column": ""})
    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert "school_column" in errors and "date_column" in errors
    assert "at least one column" not in str(errors)
    answer = client.post(path, MAPPING)
    assert "Choose at least one column with figures" in text(answer)
    fixed = {**MAPPING, "date_mode": "fixed", "value_3": absence.pk}
    answer = client.post(path, {**fixed, "date": "2099-01-01"})
    assert "in the future" in str(answer.context["form"].errors["date"])
    answer = client.post(path, fixed)
    assert "Give the date for the whole file" in str(answer.context["form"].errors["date"])
    answer = client.post(path, {**MAPPING, "value_0": absence.pk})
    assert "already names the school" in text(answer)
    answer = client.post(path, {**MAPPING, "value_3": absence.pk, "value_4": absence.pk})
    assert "already feeds this indicator" in text(answer)
    assert not ColumnMapping.objects.exists()


def test_a_preview_with_problems_lists_them_and_cannot_be_confirmed(client, english, export_world):
    world, absence, _parents = export_world
    client = as_role(client, world, Role.QUALITY_OFFICER)
    data = "Vestigingscode;Peildatum;Verzuim %\r\n77AA00;2025-10-01;4\r\n99XX00;2025-10-01;140\r\n"
    upload(client, world.board, data.encode())
    client.post(url("own_figures_mapping", world.board.pk), {**MAPPING, "value_2": absence.pk})
    preview = client.get(url("own_figures_preview", world.board.pk))
    body = text(preview)
    assert "no school of this board has the code “99XX00”" in body
    assert "Import these values" not in body
    answer = client.post(
        url("own_figures_confirm", world.board.pk),
        {"sha256": preview.context["sha256"]},
        follow=True,
    )
    assert "Nothing was imported" in text(answer)
    assert not Measurement.objects.exists() and not DataImport.objects.exists()


def test_a_saved_mapping_is_removed(client, world):
    saved = ColumnMapping.objects.create(board=world.board, name="Oud", columns={})
    foreign = ColumnMapping.objects.create(board=world.other_board, name="Ander", columns={})
    client = as_role(client, world, Role.SCHOOL_LEADER)
    assert client.post(url("column_mapping_delete", world.board.pk, foreign.pk)).status_code == 404
    assert client.post(url("column_mapping_delete", world.board.pk, saved.pk)).status_code == 302
    assert list(ColumnMapping.objects.all()) == [foreign]


# --- The picture's indicator form -----------------------------------------------------------


def test_the_board_office_defines_an_indicator_with_unit_norm_and_target(client, english, world):
    client = as_role(client, world, Role.QUALITY_OFFICER)
    path = reverse("picture:indicators", args=[world.board.pk])
    base = {
        "perspective": "ambitions",
        "level": "both",
        "code": "VERZ",
        "title": "Ziekteverzuim",
        "description": "",
        "direction": "lower",
    }
    answer = client.post(path, {**base, "norm": "5"})
    assert answer.status_code == 400
    assert "unit" in answer.context["form"].errors
    answer = client.post(path, {**base, "unit": "%", "norm": "105"})
    assert "between 0 and 100" in str(answer.context["form"].errors["norm"])
    answer = client.post(path, {**base, "unit": "%", "norm": "5", "target": "3.5"})
    assert answer.status_code == 302
    indicator = Indicator.objects.get(code="VERZ")
    assert (indicator.unit, indicator.direction, indicator.norm, indicator.target) == (
        "%",
        Direction.LOWER,
        Decimal(5),
        Decimal("3.5"),
    )
    edit = reverse("picture:indicator_edit", args=[world.board.pk, indicator.pk])
    answer = client.post(
        edit,
        {"title": "Verzuim", "description": "", "unit": "%", "direction": "lower", "target": "4"},
    )
    assert answer.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.title, indicator.norm, indicator.target, indicator.code) == (
        "Verzuim",
        None,
        Decimal(4),
        "VERZ",
    )
    assert "norm" not in text(client.get(path)).split("VERZ")[1][:5]


def test_a_dutch_board_types_norms_with_a_decimal_comma(client, world):
    indicator = make_indicator(world.board)
    client = as_role(client, world, Role.BOARD_EXECUTIVE)
    answer = client.post(
        reverse("picture:indicator_edit", args=[world.board.pk, indicator.pk]),
        {"title": "Verzuim", "unit": "%", "direction": "lower", "norm": "5,5"},
    )
    assert answer.status_code == 302
    indicator.refresh_from_db()
    assert indicator.norm == Decimal("5.5")


# --- A goal that takes its measurements from an own indicator --------------------------------


def test_a_goal_shows_its_indicators_latest_measurement_and_a_check_in_starts_from_it(
    client, english, world, absence
):
    plan = make_plan(world.board, world.school)
    goal = make_goal(plan, baseline=Decimal("6.5"), target=Decimal(4), unit="%")
    goal.indicators.add(absence)
    make_check_in(goal, measured=Decimal(6))
    client = as_role(client, world, Role.SCHOOL_LEADER)
    page = client.get(reverse("planning:goal", args=[world.board.pk, goal.pk]))
    body = text(page)
    assert "Latest measurements of the goal's own indicators" in body
    assert (
        "VERZ Ziekteverzuim leerlingen De Eigen School 1 Oct 2025 6.25 % 2.25 short of the target"
        in body
    )
    assert page.context["check_in_form"].initial["measured"] == "6.25"
    form = client.get(reverse("planning:check_in_add", args=[world.board.pk, goal.pk]))
    assert form.context["form"].initial["measured"] == "6.25"
    # The board's goal on the same indicator (measured per school and for the board) reads the
    # board's own value.
    board_goal = make_goal(make_plan(world.board, None), target=Decimal(4), unit="%")
    board_goal.indicators.add(absence)
    measure(absence, None, D(2025, 9, 1), "3.75")
    client = as_role(client, world, Role.BOARD_EXECUTIVE)
    body = text(client.get(reverse("planning:goal", args=[world.board.pk, board_goal.pk])))
    assert "Stichting Eigen 1 Sep 2025 3.75 % target reached" in body


def test_a_goal_without_measured_indicators_shows_no_measurements(client, english, world):
    goal = make_goal(make_plan(world.board, world.school))
    goal.indicators.add(make_indicator(world.board, "A", unit=""))
    page = as_role(client, world, Role.SCHOOL_LEADER).get(
        reverse("planning:goal", args=[world.board.pk, goal.pk])
    )
    assert "Latest measurements" not in text(page)
    assert "measured" not in page.context["check_in_form"].initial


# --- Security by construction ---------------------------------------------------------------


def test_the_templates_hold_no_inline_scripts_or_styles():
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text()
        assert "<script" not in source and "style=" not in source, template.name
