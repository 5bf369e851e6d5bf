"""The picture block: every standard of the report's units' current pictures with the status and
substantiation the picture pages show, for the report's schools only, in a fixed number of
queries."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stelsel.frameworks.level_labels import shown
from stelsel.lib.date_formats import short_date
from stelsel.picture.entries.selectors import picture_summaries, picture_view
from stelsel.picture.entries.services import EntryChange, entry_update
from stelsel.picture.models import Indicator, Perspective
from stelsel.reports.blocks import Scope, collect
from stelsel.reports.blocks.picture import SUBSTANTIATION
from tests.factories import make_board, make_picture, make_school, make_user

pytestmark = pytest.mark.django_db

START, END = date(2025, 8, 1), date(2026, 7, 31)


class World:
    """A board with three pictured schools, one pictured school outside every scope, a school
    without a picture, and a picture of the board itself."""

    def __init__(self):
        self.board = make_board(name="Stichting Beeld")
        self.user = make_user()
        Indicator.objects.create(
            board=self.board, perspective="requirements", code="EB1", title="Eigen eis"
        )
        Indicator.objects.create(
            board=self.board, perspective="ambitions", code="AM1", title="Eigen ambitie"
        )
        self.schools = {
            name: make_school(self.board, name=name) for name in ("De Akker", "De Beemd", "De Dijk")
        }
        self.outside = make_school(self.board, name="Buiten de Rapportage")
        self.empty = make_school(self.board, name="Nog Geen Beeld")
        self.pictures = {}
        for n, (name, school) in enumerate([*self.schools.items(), ("out", self.outside)]):
            picture = make_picture(self.board, school)
            self.pictures[name] = picture
            self.judge(picture, "KL1", "ok", visible=f"Zichtbaar in {school.name}.")
            if n % 2:
                self.judge(picture, "KL2", "nok", ambitions="Het schoolplan wil meer.\nEn beter.")
            self.judge(picture, "EB1", "nnb" if n else "ok", secured="Geborgd.")
        self.judge(self.pictures["out"], "KL2", "ok", accounted="GEHEIM-BUITEN-SCOPE")
        self.board_picture = make_picture(self.board, None)
        self.judge(self.board_picture, "KL1", "nok", accounted="In het jaarverslag.")

    def judge(self, picture, code, status, **texts):
        entry = picture.entries.filter(standard__code=code).first() or picture.entries.get(
            indicator__code=code
        )
        entry_update(
            entry=entry,
            revision=entry.revision,
            change=EntryChange(status=status, **texts),
            user=self.user,
        )

    def scope(self, *schools, board_level=False):
        return Scope(
            self.board, tuple(sorted(schools, key=lambda s: s.name)), board_level, START, END
        )


@pytest.fixture
def w():
    return World()


def page_rows(picture) -> list[list]:
    """The rows the picture page shows (`picture_view`), with each entry's substantiation as
    the entry's page shows it."""
    return [
        [
            f"{row.code} {row.title}",
            str(dict(Perspective.choices)[row.perspective]),
            shown(row.status_label) or "Not yet judged",
            short_date(row.judged_at) or None,
            *[getattr(row.entry, name) or None for name, _label in SUBSTANTIATION],
        ]
        for block in picture_view(picture).perspectives
        for row in block.rows
    ]


def detail_tables(snapshot):
    return [t for t in snapshot["tables"] if "the picture per standard" in t["caption"]]


def test_one_school_shows_the_picture_page_rows(w):
    school = w.schools["De Beemd"]
    picture = w.pictures["De Beemd"]
    snapshot = collect("picture", w.scope(school))
    assert snapshot["kind"] == "picture"
    assert snapshot["source"] == "Quality picture"
    assert snapshot["source_path"] == reverse("picture:picture", args=[w.board.pk, picture.pk])
    assert snapshot["as_of"] == timezone.localdate().isoformat()
    (detail,) = detail_tables(snapshot)
    assert detail["caption"].startswith("De Beemd:")
    assert detail["rows"] == page_rows(picture)
    by_code = {row[0].split()[0]: row for row in detail["rows"]}
    assert by_code["KL1"][2] == "In order"
    assert by_code["KL2"][2] == "Not yet in order"
    assert by_code["KL2"][4] == "Het schoolplan wil meer.\nEn beter."
    assert by_code["EB1"][2] == "Not yet judged"  # the neutral level names itself
    assert by_code["AM1"][1] == "Ambitions" and by_code["AM1"][2] == "Not yet judged"
    assert by_code["AM1"][3] is None and by_code["AM1"][4] is None
    assert snapshot["empty"] == "" and snapshot["notes"] == []


def test_the_figures_are_the_board_overviews(w):
    schools = list(w.schools.values())
    snapshot = collect("picture", w.scope(*schools))
    overview = snapshot["tables"][0]
    summaries = picture_summaries({p.pk: p.framework_version_id for p in w.pictures.values()})
    expected = []
    for name, school in sorted(w.schools.items()):
        figure = summaries[w.pictures[name].pk].requirements
        expected.append(
            [
                school.name,
                "2026-2027",
                w.pictures[name].framework_version.name,
                figure.in_order,
                figure.not_in_order,
                figure.not_judged,
                figure.total,
            ]
        )
    assert overview["rows"] == expected
    assert [row[3:] for row in overview["rows"]] == [[2, 0, 1, 3], [1, 1, 1, 3], [1, 0, 2, 3]]
    details = detail_tables(snapshot)
    assert [t["caption"].split(":")[0] for t in details] == ["De Akker", "De Beemd", "De Dijk"]
    for table, name in zip(details, sorted(w.schools), strict=True):
        assert table["rows"] == page_rows(w.pictures[name])
    assert snapshot["source_path"] == reverse("picture:overview", args=[w.board.pk])


def test_a_school_outside_the_scope_never_appears(w):
    for schools in ([w.schools["De Akker"]], list(w.schools.values())):
        text = json.dumps(collect("picture", w.scope(*schools)))
        assert "Buiten de Rapportage" not in text
        assert "GEHEIM-BUITEN-SCOPE" not in text
        assert "In het jaarverslag." not in text  # the board's own only at board level


def test_the_board_itself_at_board_level(w):
    snapshot = collect("picture", w.scope(w.schools["De Dijk"], board_level=True))
    overview = snapshot["tables"][0]
    assert [row[0] for row in overview["rows"]] == ["Stichting Beeld", "De Dijk"]
    board_table = detail_tables(snapshot)[0]
    assert board_table["caption"].startswith("Stichting Beeld:")
    assert board_table["rows"] == page_rows(w.board_picture)


def test_a_school_without_a_picture(w):
    snapshot = collect("picture", w.scope(w.empty))
    assert snapshot["tables"] == []
    assert snapshot["empty"] == "No quality picture has been started for the units of this report."
    mixed = collect("picture", w.scope(w.empty, w.schools["De Dijk"]))
    assert mixed["notes"] == ["No quality picture has been started yet for: Nog Geen Beeld."]
    assert len(detail_tables(mixed)) == 1


def test_queries_do_not_grow_with_the_schools(w, django_assert_num_queries):
    with CaptureQueriesContext(connection) as one:
        collect("picture", w.scope(w.schools["De Akker"]))
    with django_assert_num_queries(len(one.captured_queries)):
        collect("picture", w.scope(*w.schools.values(), board_level=True))


def test_the_snapshot_is_plain_json(w):
    snapshot = collect("picture", w.scope(*w.schools.values(), board_level=True))
    assert json.loads(json.dumps(snapshot)) == snapshot
