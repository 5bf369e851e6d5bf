"""The self-evaluation block: the shared results of the report's rounds exactly as the results
page shows them, small groups withheld everywhere, for the report's schools only, in a fixed
number of queries."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stelsel.organisations.roles import Role
from stelsel.reports.blocks import Scope, collect
from stelsel.selfevaluation.models import Release
from stelsel.selfevaluation.selectors import round_results
from stelsel.selfevaluation.services import round_close, round_share
from tests.factories import fill_answers, make_board, make_round, make_school

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START, END = TODAY - timedelta(days=60), TODAY + timedelta(days=30)


def closed_round(board, school, answers, *, title, share=True):
    round_ = make_round(board, school, state="open")
    round_.title = title
    round_.save(update_fields=["title"])
    for code, count, values in answers:
        fill_answers(round_, code, count, values)
    round_close(round_=round_)
    if share:
        round_share(round_=round_, roles=[Role.SUPERVISOR, Role.SCHOOL_LEADER])
    round_.refresh_from_db()
    return round_


class World:
    """Three schools with closed rounds (one not shared), one school outside every scope, a
    school without a round, and a round of the board itself."""

    def __init__(self):
        self.board = make_board(name="Stichting Zelfevaluatie")
        names = ("De Akker", "De Beemd", "De Dijk")
        self.schools = {name: make_school(self.board, name=name) for name in names}
        self.outside = make_school(self.board, name="Buiten de Rapportage")
        self.empty = make_school(self.board, name="Zonder Ronde")
        akker, beemd, dijk = self.schools.values()
        # The council of De Akker is two people: below k = 5, on every statement.
        self.akker = closed_round(
            self.board,
            akker,
            [("teachers", 6, 3), ("school_leaders", 5, 4), ("council", 1, 1), ("council", 1, 2)],
            title="Ronde Akker",
        )
        # At De Beemd the leaders see the second statement far above the teachers.
        self.beemd = closed_round(
            self.board,
            beemd,
            [("teachers", 5, [4, 1, 4]), ("school_leaders", 5, 4), ("council", 5, 3)],
            title="Ronde Beemd",
        )
        self.dijk = closed_round(
            self.board, dijk, [("teachers", 5, 2)], title="Ronde Dijk", share=False
        )
        closed_round(self.board, self.outside, [("teachers", 5, 1)], title="GEHEIM-BUITEN-SCOPE")
        self.own = closed_round(self.board, None, [("council", 5, 2)], title="Bestuursronde")

    def scope(self, *schools, board_level=False, start=START, end=END):
        return Scope(
            self.board, tuple(sorted(schools, key=lambda s: s.name)), board_level, start, end
        )


@pytest.fixture
def w():
    return World()


def page_lines(round_) -> list[tuple]:
    """Per standard and group the mean and n the results page shows (None: too few answers),
    with the total of the groups shown, by the page's own selector."""
    results = round_results(round_)
    lines = []
    for section in results.sections:
        cells = [(str(p), section.row.cells[p.pk]) for p in results.perspectives]
        cells.append((results.total_label, section.row.total))
        for name, cell in cells:
            lines.append(
                (
                    section.section.standard.code,
                    name,
                    round(cell.mean, 2) if cell.published else None,
                    cell.n if cell.published else None,
                )
            )
    return lines


def block_lines(table) -> list[tuple]:
    return [
        (row[0].split()[0], row[1].removesuffix(" (self-view)"), row[2], row[3])
        for row in table["rows"]
    ]


def tables_of(snapshot, round_title):
    return [t for t in snapshot["tables"] if f", {round_title}:" in t["caption"]]


def test_one_school_shows_the_results_page(w):
    snapshot = collect("selfevaluation", w.scope(w.schools["De Beemd"]))
    assert snapshot["source"] == "Self-evaluation results"
    assert snapshot["source_path"] == reverse(
        "selfevaluation:results", args=[w.board.pk, w.beemd.pk]
    )
    assert snapshot["as_of"] == TODAY.isoformat()  # the day the results were released
    means, gaps = tables_of(snapshot, "Ronde Beemd")
    assert block_lines(means) == page_lines(w.beemd)
    overview = snapshot["tables"][0]
    assert overview["rows"] == [
        ["De Beemd", "Ronde Beemd", "Kleine vragenlijst", overview["rows"][0][3], 15, 5]
    ]
    # The self-view is the school leaders'; the teachers' mean on KL1 is (4 + 1) / 2 lower.
    kl1 = {row[1]: row for row in means["rows"] if row[0].startswith("KL1")}
    assert kl1["School leaders (self-view)"][4] is None
    assert kl1["Teachers"][2] == 2.5 and kl1["Teachers"][4] == 1.5
    assert kl1["Teachers"][5] == "blind spot"
    page = round_results(w.beemd)
    expected = [
        (item.item.code, str(gap.difference))
        for s in page.sections
        for item in s.items
        for gap in item.gaps
    ]
    assert [(row[1].split()[0], str(row[3])) for row in gaps["rows"]] == expected
    assert [row[2] for row in gaps["rows"]] == ["Teachers"]
    assert snapshot["svg"].startswith("<svg") and "Mean per standard" in snapshot["svg"]


def test_a_small_group_is_withheld_everywhere(w):
    snapshot = collect("selfevaluation", w.scope(w.schools["De Akker"]))
    (means,) = tables_of(snapshot, "Ronde Akker")
    assert block_lines(means) == page_lines(w.akker)
    council = [row for row in means["rows"] if row[1] == "Participation council"]
    assert len(council) == 2
    assert all(value is None for row in council for value in row[2:])
    totals = [row for row in means["rows"] if row[1] == "All groups shown"]
    assert [row[2:4] for row in totals] == [[3.45, 11], [3.45, 11]]  # without the council
    assert snapshot["tables"][0]["rows"][0][4] == 11  # respondents of the groups shown
    text = json.dumps(snapshot)
    # The council's mean (1.5) and the total with it (41 / 13).
    for value in ("1.5", "3.15", "3.1538"):
        assert not re.search(rf"(?<![\d.]){re.escape(value)}(?![\d])", text), value
    assert "fewer than 5 answers" in " ".join(snapshot["notes"])
    assert "at least 5 of them" in means["note"]
    # The chart draws the two groups shown on the two standards, nothing of the council.
    assert snapshot["svg"].count("<circle") == 4


def test_several_schools_and_a_round_not_shared(w):
    snapshot = collect("selfevaluation", w.scope(*w.schools.values()))
    assert [row[1] for row in snapshot["tables"][0]["rows"]] == ["Ronde Akker", "Ronde Beemd"]
    assert block_lines(tables_of(snapshot, "Ronde Akker")[0]) == page_lines(w.akker)
    assert block_lines(tables_of(snapshot, "Ronde Beemd")[0]) == page_lines(w.beemd)
    assert tables_of(snapshot, "Ronde Dijk") == []
    assert any(
        note.startswith("De Dijk, Ronde Dijk: closed on") and "not been shared" in note
        for note in snapshot["notes"]
    )
    assert snapshot["svg"] == ""  # one chart per round: only for a single round
    assert snapshot["source_path"] == reverse("selfevaluation:rounds", args=[w.board.pk])


def test_a_school_outside_the_scope_never_appears(w):
    for scope in (w.scope(w.schools["De Akker"]), w.scope(*w.schools.values())):
        text = json.dumps(collect("selfevaluation", scope))
        assert "Buiten de Rapportage" not in text and "GEHEIM-BUITEN-SCOPE" not in text
        assert "Bestuursronde" not in text


def test_the_board_itself_at_board_level(w):
    snapshot = collect("selfevaluation", w.scope(w.schools["De Akker"], board_level=True))
    rows = snapshot["tables"][0]["rows"]
    assert [row[:2] for row in rows] == [
        ["Stichting Zelfevaluatie", "Bestuursronde"],
        ["De Akker", "Ronde Akker"],
    ]
    assert block_lines(tables_of(snapshot, "Bestuursronde")[0]) == page_lines(w.own)


def test_the_period_chooses_the_rounds(w):
    school = w.schools["De Beemd"]
    Release.objects.filter(round=w.beemd).update(made_on=START - timedelta(days=10))
    # Closed before the period: the latest closed round before its end is shown.
    snapshot = collect("selfevaluation", w.scope(school))
    assert [row[1] for row in snapshot["tables"][0]["rows"]] == ["Ronde Beemd"]
    assert snapshot["as_of"] == (START - timedelta(days=10)).isoformat()
    # A round closed after the period's end is not.
    later = collect("selfevaluation", w.scope(school, end=START - timedelta(days=11)))
    assert later["tables"] == [] and later["empty"]


def test_a_school_without_rounds(w):
    snapshot = collect("selfevaluation", w.scope(w.empty))
    assert snapshot["tables"] == []
    assert snapshot["empty"].startswith("No self-evaluation results")


def test_queries_do_not_grow_with_the_schools(w, django_assert_num_queries):
    with CaptureQueriesContext(connection) as one:
        collect("selfevaluation", w.scope(w.schools["De Akker"]))
    with django_assert_num_queries(len(one.captured_queries)):
        collect("selfevaluation", w.scope(*w.schools.values(), board_level=True))


def test_the_snapshot_is_plain_json(w):
    snapshot = collect("selfevaluation", w.scope(*w.schools.values(), board_level=True))
    assert json.loads(json.dumps(snapshot)) == snapshot
