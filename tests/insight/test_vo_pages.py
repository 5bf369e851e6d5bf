"""Secondary schools' results in the browser's terms: entering the four indicators (what is
accepted, what is refused and that a refusal changes nothing), the school page with the
judgement and the rule, deleting a period, the signals that follow, the DUO uploads with their
preview and confirmation, and the overview's queries."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stelsel.insight.duo_imports import import_exams
from stelsel.insight.library import norms_ensure_loaded
from stelsel.insight.models import DataImport, ExamResult, Signal, SignalKind, VoValue
from stelsel.insight.signals import signal_sentence
from stelsel.insight.vo_entry import Entry, vo_values_delete, vo_values_save
from stelsel.insight.vo_results import vo_goal_figures
from stelsel.organisations.roles import Role
from tests.factories import grant, make_board, make_school, make_user
from tests.factories.clock import at, clock

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
EXAMS = DATA / "duo-examens-2018-2019-excerpt.csv"
NOW = at(date(2025, 11, 3))
YEAR = 2025
D = Decimal


@pytest.fixture
def vo(world):
    """The world's own school as a secondary school (00AH00, in DUO's excerpt)."""
    norms_ensure_loaded()
    school = world.school
    school.kind, school.instellingscode, school.vestigingscode = "vo", "00AH", "00AH00"
    school.save()
    return world


def entry_url(world, year=YEAR, school=None):
    return reverse("insight:vo_entry", args=[world.board.pk, (school or world.school).pk, year])


def school_url(world, school=None):
    return reverse("insight:vo_school", args=[world.board.pk, (school or world.school).pk])


GOOD = {
    "onderwijspositie__vestiging__value": "-0,05",
    "onderwijspositie__vestiging__norm": "-0,10",
    "onderbouwsnelheid__vestiging__value": "94,80",
    "onderbouwsnelheid__vestiging__norm": "95,50",
    "bovenbouwsucces__havo__value": "84,2",
    "bovenbouwsucces__havo__norm": "82,00",
    "examencijfers__havo__value": "6,31",
    "examencijfers__havo__norm": "6,20",
    "examencijfers__vmbo-b__norm": "6,50",  # the prefilled norm of an empty afdeling
    "examencijfers__vmbo-k__norm": "6,23",
}


def post(client, world, data, user=Role.QUALITY_OFFICER, year=YEAR):
    client.force_login(world.users[user])
    with clock(NOW):
        return client.post(entry_url(world, year), data)


def stored():
    return sorted(
        (v.indicator, v.afdeling, v.value, v.norm)
        for v in VoValue.objects.all().order_by("indicator", "afdeling")
    )


def test_the_form_shows_the_published_norms_in_dutch(client, vo):
    client.force_login(vo.users[Role.QUALITY_OFFICER])
    with clock(NOW):
        page = client.get(entry_url(vo)).content.decode()
    assert 'name="onderbouwsnelheid__vestiging__norm" value="95,50"' in page
    assert 'name="examencijfers__vmbo-k__norm" value="6,23"' in page
    assert 'name="bovenbouwsucces__havo__norm" value="82,00"' in page
    assert 'name="onderwijspositie__vestiging__norm"' in page  # not published: empty
    assert 'name="onderwijspositie__vestiging__norm" value' not in page
    assert "onderbouwsnelheid__vestiging__apcg" in page


def test_entering_values_stores_them_and_shows_the_judgement(client, vo):
    response = post(client, vo, GOOD)
    assert response.status_code == 302
    assert response.url == school_url(vo) + f"?jaar={YEAR}"
    assert stored() == [
        ("bovenbouwsucces", "havo", D("84.20"), D("82.00")),
        ("examencijfers", "havo", D("6.31"), D("6.20")),
        ("onderbouwsnelheid", "", D("94.80"), D("95.50")),
        ("onderwijspositie", "", D("-0.05"), D("-0.10")),
    ]
    value = VoValue.objects.get(indicator="onderbouwsnelheid")
    assert (value.source, value.entered_by, value.board) == (
        "isd",
        vo.users[Role.QUALITY_OFFICER],
        vo.board,
    )
    client.cookies["django_language"] = "en"
    page = client.get(school_url(vo)).content.decode()
    assert "Computed judgement over 2023-2025" in page
    assert "Sufficient" in page  # only R2 below
    assert "How the judgement is computed" in page
    assert "exactly R1 and R2 are below the norm" in page


def test_the_corrected_norm_is_computed_from_the_shares(client, vo):
    data = {
        **GOOD,
        "onderbouwsnelheid__vestiging__apcg": "12",
        "onderbouwsnelheid__vestiging__lateral_entry": "5",
    }
    assert post(client, vo, data).status_code == 302
    value = VoValue.objects.get(indicator="onderbouwsnelheid")
    assert value.norm == D("95.02")  # 95.50 − 3.0 × 0.12 − 2.5 × 0.05, half up
    assert value.shares == {"apcg": "0.12", "lateral_entry": "0.05"}
    client.force_login(vo.users[Role.QUALITY_OFFICER])
    with clock(NOW):
        page = client.get(entry_url(vo)).content.decode()
    assert 'name="onderbouwsnelheid__vestiging__apcg" value="12,00"' in page


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"onderbouwsnelheid__vestiging__value": "120"},
            "onderbouwsnelheid__vestiging__value",
            "between 0 and 100",
        ),
        ({"examencijfers__havo__value": "11"}, "examencijfers__havo__value", "between 1 and 10"),
        ({"examencijfers__havo__value": "0,5"}, "examencijfers__havo__value", "between 1 and 10"),
        (
            {"onderwijspositie__vestiging__value": "1,5"},
            "onderwijspositie__vestiging__value",
            "between -1 and 1",
        ),
        (
            {"onderwijspositie__vestiging__norm": ""},
            "onderwijspositie__vestiging__norm",
            "Internet Schooldossier",
        ),
        ({"examencijfers__havo__norm": ""}, "examencijfers__havo__norm", "Internet Schooldossier"),
        (
            {"bovenbouwsucces__havo__value": "84,123"},
            "bovenbouwsucces__havo__value",
            "two decimals",
        ),
        ({"examencijfers__vwo__norm": "6,1"}, "examencijfers__vwo__value", "value too"),
        (
            {"onderbouwsnelheid__vestiging__apcg": "140"},
            "onderbouwsnelheid__vestiging__apcg",
            "between 0 and 100",
        ),
        (
            {
                "onderbouwsnelheid__vestiging__apcg": "50",
                "onderbouwsnelheid__vestiging__norm": "90",
            },
            "onderbouwsnelheid__vestiging__norm",
            "does not match",
        ),
        ({"bovenbouwsucces__havo__value": "veel"}, "bovenbouwsucces__havo__value", "number"),
    ],
    ids=[
        "percentage above 100",
        "grade above 10",
        "grade below 1",
        "score beyond 1",
        "no norm where none is published",
        "unpublished exam norm left empty",
        "three decimals",
        "a norm without a value",
        "share above 100",
        "norm contradicting the shares",
        "not a number",
    ],
)
def test_a_bad_value_is_refused_on_its_field_and_changes_nothing(client, vo, change, field, words):
    assert post(client, vo, GOOD).status_code == 302
    before = list(VoValue.objects.order_by("pk").values())
    signals = list(Signal.objects.order_by("pk").values_list("pk", "resolved_at", "figures"))
    client.cookies["django_language"] = "en"  # English messages: decimal points in the form
    data = {**GOOD, "bovenbouwsucces__havo__value": "70", **change}
    response = post(client, vo, {k: v.replace(",", ".") for k, v in data.items()})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert list(VoValue.objects.order_by("pk").values()) == before
    assert (
        list(Signal.objects.order_by("pk").values_list("pk", "resolved_at", "figures")) == signals
    )


def test_an_empty_form_is_refused(client, vo):
    client.cookies["django_language"] = "en"
    response = post(client, vo, {"examencijfers__vmbo-b__norm": "6.50"})  # the prefilled norm
    assert response.status_code == 200
    assert "Enter at least one" in str(response.context["form"].non_field_errors())
    assert not VoValue.objects.exists()


def test_editing_replaces_the_period_and_the_signals_follow(client, vo):
    post(client, vo, {**GOOD, "onderwijspositie__vestiging__value": "-0,20"})

    def open_signals():
        return {(s.kind, s.indicator) for s in Signal.objects.filter(resolved_at__isnull=True)}

    assert open_signals() == {
        (SignalKind.BELOW_NORM, "VO R1 onderwijspositie"),
        (SignalKind.BELOW_NORM, "VO R2 onderbouwsnelheid"),
        (SignalKind.BELOW_NORM, "VO havo"),  # R1 and R2 below: insufficient, unless
        (SignalKind.NEAR_NORM, "VO R3 bovenbouwsucces havo"),  # 84.20 against 82: within 3
    }
    judgement = Signal.objects.get(indicator="VO havo")
    assert judgement.figures["judgement"] == "onvoldoende_tenzij"
    post(client, vo, {**GOOD, "onderbouwsnelheid__vestiging__value": "97"})
    assert VoValue.objects.get(indicator="onderbouwsnelheid").value == D("97.00")
    assert VoValue.objects.count() == 4
    assert open_signals() == {
        (SignalKind.NEAR_NORM, "VO R2 onderbouwsnelheid"),  # 97 − 95.50 < 3 points
        (SignalKind.NEAR_NORM, "VO R3 bovenbouwsucces havo"),
    }
    assert Signal.objects.get(indicator="VO havo").resolved_at is not None


def test_the_sentences_of_vo_signals(vo):
    with clock(NOW):
        vo_values_save(
            board=vo.board,
            school=vo.school,
            last_year=YEAR,
            entries={
                ("onderwijspositie", ""): Entry(D("-0.2"), D("-0.1")),
                ("onderbouwsnelheid", ""): Entry(D("94"), None),
                ("examencijfers", "vmbo-k"): Entry(D("6.1"), None),
                ("bovenbouwsucces", "vmbo-k"): Entry(D("85"), D("84")),
            },
            user=None,
        )
    sentences = {s.indicator: signal_sentence(s) for s in Signal.objects.all()}
    entered = VoValue.objects.first().updated_at.date().isoformat()
    assert sentences["VO R2 onderbouwsnelheid"] == (
        "R2 Progress without delay in years 1 and 2 over 2023-2025 is 94.00, below the school's "
        f"norm of 95.50. Source: Internet Schooldossier, entered {entered}."
    )
    assert sentences["VO R4 examencijfers vmbo-k"].startswith(
        "R4 Central exam grades (vmbo kader) over 2023-2025 is 6.10, below the school's norm "
        "of 6.23."
    )
    assert sentences["VO R3 bovenbouwsucces vmbo-k"].startswith(
        "R3 Progress without delay from year 3 on (vmbo kader) over 2023-2025 is 85.00, less "
        "than 3 points above the school's norm of 84.00."
    )
    assert sentences["VO vmbo-k"].startswith(
        "The computed judgement for vmbo kader over 2023-2025 is “Insufficient”: R1, R2, R4 "
        "below the norm"
    )


def test_deleting_a_period_asks_first_and_closes_its_signals(client, vo):
    post(client, vo, {**GOOD, "onderwijspositie__vestiging__value": "-0,20"})
    url = reverse("insight:vo_delete", args=[vo.board.pk, vo.school.pk, YEAR])
    client.cookies["django_language"] = "en"
    assert "Delete the values for 2023-2025?" in client.get(url).content.decode()
    assert VoValue.objects.count() == 4
    response = client.post(url)
    assert response.status_code == 302
    assert not VoValue.objects.exists()
    assert not Signal.objects.filter(resolved_at__isnull=True).exists()
    assert client.get(url).status_code == 404  # nothing left to delete


def test_the_service_refuses_a_school_that_is_not_secondary(world):
    norms_ensure_loaded()
    with pytest.raises(ValidationError, match="secondary school"):
        vo_values_save(
            board=world.board,
            school=world.school,
            last_year=YEAR,
            entries={("onderbouwsnelheid", ""): Entry(D(96))},
            user=None,
        )
    assert vo_values_delete(board=world.board, school=world.school, last_year=YEAR) == 0


@pytest.mark.parametrize("year", [2014, 2099])
def test_a_period_out_of_range_is_not_found(client, vo, year):
    client.force_login(vo.users[Role.BOARD_EXECUTIVE])
    with clock(NOW):
        assert client.get(entry_url(vo, year)).status_code == 404


def test_other_schools_and_kinds_answer_not_found(client, vo):
    client.force_login(vo.users[Role.SCHOOL_LEADER])
    assert client.get(school_url(vo)).status_code == 200
    # the other school of the board is a primary school, and not the leader's
    assert client.get(school_url(vo, vo.other_school)).status_code == 404
    client.force_login(vo.users[Role.BOARD_EXECUTIVE])
    assert client.get(school_url(vo, vo.other_school)).status_code == 404  # not secondary
    other = make_school(vo.other_board, kind="vo")
    url = reverse("insight:vo_school", args=[vo.board.pk, other.pk])
    assert client.get(url).status_code == 404  # another board's school under this board
    client.force_login(vo.users[Role.STAFF])
    assert client.get(entry_url(vo)).status_code == 403


def test_the_school_page_shows_duo_exam_results_beside_the_entered_grades(client, vo):
    import_exams(EXAMS.read_bytes(), EXAMS.name, year=2019)
    with clock(at(date(2019, 10, 1))):
        vo_values_save(
            board=vo.board,
            school=vo.school,
            last_year=2019,
            entries={("examencijfers", "havo"): Entry(D("6.42"), D("6.20"))},
            user=vo.users[Role.QUALITY_OFFICER],
        )
    client.force_login(vo.users[Role.SUPERVISOR])
    client.cookies["django_language"] = "en"
    response = client.get(school_url(vo))
    page = response.content.decode()
    assert "Exam results (DUO)" in page
    # havo 2019 at 00AH00: six lines, 7 + 34 + 5 + 33 + 7 + 9 = 95 candidates
    havo = next(r for r in response.context["exams"].rows if r.afdeling == "havo")
    assert (havo.lines, havo.candidates, havo.passed) == (6, 95, 87)
    # (7×6.6 + 34×6.4 + 5×6.6 + 33×6.3 + 7×6.6 + 9×6.6) ÷ 95 = 610.3 ÷ 95
    assert havo.central_exam_mean == D("6.42")
    assert response.context["cross_check"][0] == {
        "afdeling": "havo",
        "entered": D("6.42"),
        "duo": D("6.42"),
    }
    assert "No judgement: too little data" in page  # one indicator only


def test_the_overview_lists_the_boards_secondary_schools(client, vo):
    post(client, vo, GOOD)
    client.force_login(vo.users[Role.COUNCIL])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("insight:vo_overview", args=[vo.board.pk])).content.decode()
    assert vo.school.name in page and "2023-2025" in page and "Sufficient" in page
    assert vo.other_school.name not in page  # primary


def test_the_overviews_queries_do_not_grow_with_schools(client, vo):
    client.force_login(vo.users[Role.BOARD_EXECUTIVE])
    url = reverse("insight:vo_overview", args=[vo.board.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    post(client, vo, GOOD)
    client.force_login(vo.users[Role.BOARD_EXECUTIVE])
    few = count()
    for _n in range(5):
        school = make_school(vo.board, kind="vo")
        with clock(NOW):
            vo_values_save(
                board=vo.board,
                school=school,
                last_year=YEAR,
                entries={("onderbouwsnelheid", ""): Entry(D(96))},
                user=None,
            )
    assert count() == few


# --- DUO's files on the web ----------------------------------------------------------------------


def upload(client, world, name="duo_exams", year="2019", data=None, file_name=EXAMS.name):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    client.cookies["django_language"] = "en"
    file = SimpleUploadedFile(file_name, data if data is not None else EXAMS.read_bytes())
    return client.post(
        reverse(f"insight:{name}", args=[world.board.pk]), {"file": file, "year": year}
    )


def test_the_exam_upload_previews_then_imports_exactly_that_file(client, vo):
    response = upload(client, vo)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview" in page and "School locations imported" in page
    report = response.context["report"]
    assert report.kept == ["00AH00"]
    assert "00TQ00" in report.unknown_locations
    assert not ExamResult.objects.exists()
    sha = response.context["pending"]["sha256"]
    confirm = reverse("insight:duo_exams_confirm", args=[vo.board.pk])
    response = client.post(confirm, {"sha256": sha})
    assert response.status_code == 302
    assert ExamResult.objects.filter(school=vo.school, year=2019).count() == 12
    assert DataImport.objects.get().board == vo.board
    history = client.get(reverse("insight:import_history", args=[vo.board.pk])).content.decode()
    assert "2018-2019" in history and "School locations imported" in history
    # the preview is used up: confirming again imports nothing
    response = client.post(confirm, {"sha256": sha}, follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert DataImport.objects.count() == 1


def test_a_confirmation_for_another_file_imports_nothing(client, vo):
    upload(client, vo)
    confirm = reverse("insight:duo_exams_confirm", args=[vo.board.pk])
    response = client.post(confirm, {"sha256": "0" * 64}, follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert not ExamResult.objects.exists()


def test_a_bad_upload_names_the_row_and_column(client, vo):
    data = EXAMS.read_bytes().replace(b";34;33;1;", b";34;35;1;")
    response = upload(client, vo, data=data)
    errors = response.context["form"].errors["file"]
    assert "row 3" in errors[0] and "column GESLAAGDEN" in errors[0]
    assert response.context["report"] is None


def test_the_upload_needs_the_year_for_a_file_without_one(client, vo):
    response = upload(client, vo, year="")
    assert "no column with the school year" in response.context["form"].errors["file"][0]
    response = upload(client, vo, year="2018")
    assert "2018-2019" in response.context["form"].errors["file"][0]


def test_the_pupil_upload_imports_counts_as_measurements(client, vo):
    data = (DATA / "duo-leerlingen-per-vestiging-constructed.csv").read_bytes()
    response = upload(client, vo, name="duo_pupils", year="", data=data, file_name="leerlingen.csv")
    assert response.context["report"].kept == ["00AH00"]
    sha = response.context["pending"]["sha256"]
    confirm = reverse("insight:duo_pupils_confirm", args=[vo.board.pk])
    assert client.post(confirm, {"sha256": sha}).status_code == 302
    client.cookies["django_language"] = "en"
    page = client.get(school_url(vo)).content.decode()
    assert "385 pupils on 1 October 2023 (DUO: leerlingen.csv)." in page


def test_a_user_of_another_board_reaches_nothing(client, vo):
    other = make_board()
    outsider = make_user()
    grant(outsider, other, Role.BOARD_EXECUTIVE)
    client.force_login(outsider)
    assert client.get(school_url(vo)).status_code == 404
    assert client.post(entry_url(vo), GOOD).status_code == 404
    assert not VoValue.objects.exists()


def test_a_vo_signal_has_its_own_page_source_and_goal(client, vo):
    post(client, vo, {**GOOD, "onderwijspositie__vestiging__value": "-0,20"})
    below = Signal.objects.get(indicator="VO R2 onderbouwsnelheid")
    near = Signal.objects.get(indicator="VO R3 bovenbouwsucces havo")
    judgement = Signal.objects.get(indicator="VO havo")
    assert vo_goal_figures(below) == {
        "title": "R2 Progress without delay in years 1 and 2 at or above 95.50 over three years",
        "indicator": "R2 Progress without delay in years 1 and 2",
        "baseline": D("94.80"),
        "target": D("95.50"),
        "unit": "%",
    }
    assert vo_goal_figures(near)["target"] == D("85.00")  # the norm plus the board's margin
    assert vo_goal_figures(judgement)["target"] is None
    assert "havo" in vo_goal_figures(judgement)["title"]
    client.force_login(vo.users[Role.BOARD_EXECUTIVE])
    client.cookies["django_language"] = "en"
    response = client.get(reverse("insight:signal", args=[vo.board.pk, below.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "below the school&#x27;s norm of 95.50" in page
    assert "Internet Schooldossier, as the board entered it on" in page
