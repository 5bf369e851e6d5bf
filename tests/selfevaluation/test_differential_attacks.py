"""Differential attacks on the anonymity promise (README, "The anonymity rule").

The attacker is an organiser (quality officer): creates rounds, invites, opens, closes, reopens
once, and reads every page, Excel, PDF and API answer at any time. Most attacks here are
*differential*: two worlds that differ only in something the promise hides (the size of a small
group, a late batch below k, the substantive answers of a dk-heavy group, …) are driven through
the real services and read through the real views; everything the organiser can read must be
the same in both. A test fails when the organiser can tell the two worlds apart, i.e. when the
attack succeeds.
"""

import datetime
import io
import json
import re
import subprocess
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from stelsel.organisations.roles import Role
from stelsel.selfevaluation import selectors, services
from stelsel.selfevaluation.models import RespondentInvitation, Response, Round
from tests.factories import make_board, make_questionnaire, make_school

pytestmark = pytest.mark.django_db

K = 5
GROUPS = ("school_leaders", "teachers", "council")
# The small questionnaire of tests/factories.py: KL1-01, KL1-02 (section KL1, with a comment
# prompt) and KL2-01 (section KL2, no comment prompt); scale 1..4.


# --- Driving rounds through the services ----------------------------------------------------


def new_round(board, school, *, groups=GROUPS, k=K, title="Aanval", opens_on=None):
    """A round created and opened through the services, as an organiser would."""
    today = datetime.date.today()
    opens_on = opens_on or today
    round_ = services.round_create(
        board=board,
        school=school,
        questionnaire_version=make_questionnaire("school" if school else "board"),
        title=title,
        opens_on=opens_on,
        closes_on=today + datetime.timedelta(14),
        perspectives=[g if isinstance(g, tuple) else (g, "") for g in groups],
        created_by=None,
        k=k,
    )
    services.round_open(round_=round_)
    return round_


def _items(round_):
    return list(
        round_.questionnaire_version.items.order_by("section__position", "position").values_list(
            "pk", flat=True
        )
    )


def _comment_section(round_):
    return round_.questionnaire_version.sections.exclude(comment_prompt="").get().pk


def answer(round_, group, n, values, *, comment=None, name=""):
    """`n` respondents of `group` answer the three statements with `values` (None: don't
    know), by meeting-code style device keys, through response_submit."""
    perspective = round_.perspectives.get(code=group, name=name)
    items = _items(round_)
    section = _comment_section(round_)
    for _ in range(n):
        text = comment() if callable(comment) else comment
        services.response_submit(
            perspective=perspective,
            submission=services.Submission(
                dict(zip(items, values, strict=True)), {section: text} if text else {}
            ),
            device_key=uuid.uuid4().hex,
        )


def close(round_):
    services.round_close(round_=round_)
    round_.refresh_from_db()


def reopen(round_):
    services.round_reopen(round_=round_, reason="Een groep kreeg de link te laat.")
    round_.refresh_from_db()


_COMMENTS = {"next": 0}


def unique_comment():
    """Distinct texts, the same sequence in each world of a pair (see `_pair`)."""
    _COMMENTS["next"] += 1
    return f"opmerking {_COMMENTS['next']:04d}"


# --- Reading everything an organiser can read -----------------------------------------------


def organiser(world, board=None):
    client = Client()
    user = world.users[Role.QUALITY_OFFICER] if board in (None, world.board) else world.outsider
    client.force_login(user)
    return client


def _api(board, round_):
    return f"/api/v1/boards/{board.pk}/rounds/{round_.pk}"


def _by_code(round_):
    return {p.pk: f"{p.code}:{p.name}" for p in round_.perspectives.all()}


def _normalise_json(value, ids, round_id):
    """Perspective ids become codes, the round id a placeholder: two rounds compare equal when
    they show the same thing."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in ("perspective_id", "self_perspective_id") and item is not None:
                out[key] = ids[item]
            elif key == "perspective_ids":
                out[key] = sorted(ids[i] for i in item)
            elif key == "id" and item in ids and "code" in value:
                out[key] = ids[item]
            elif key == "round_id":
                out[key] = "ROUND"
            else:
                out[key] = _normalise_json(item, ids, round_id)
        return out
    if isinstance(value, list):
        return [_normalise_json(v, ids, round_id) for v in value]
    return value


def api_count(client, board, round_):
    return client.get(_api(board, round_)).json()["response_rate"]["responses"]


def _normalise_html(text, round_, board):
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = text.replace(f"/besturen/{board.pk}/", "/besturen/B/")
    text = re.sub(rf"/zelfevaluatie/{round_.pk}/", "/zelfevaluatie/R/", text)
    # Ids of perspectives, standards and agenda points in form fields differ per world.
    text = re.sub(r'\b(id|value|for)="([a-z-]*)\d+"', r'\1="\2N"', text)
    text = text.replace(round_.school.name if round_.school else board.name, "UNIT")
    return text


def _workbook_values(content):
    book = load_workbook(io.BytesIO(content))
    values = {}
    for number, sheet in enumerate(book.worksheets):
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        if number == 0:  # "About": the unit's name and the export date differ per world
            rows = [r for r in rows[:2] + rows[4:] if "xport" not in str(r[0]).lower()]
        values[sheet.title] = rows
    return values


def _pdf_text(content, tmp_path):
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def observe(client, board, round_, *, tmp_path=None, agenda=True):
    """Everything the organiser can read of a closed round, with ids normalised."""
    round_.refresh_from_db()
    ids = _by_code(round_)
    seen = {}
    detail = client.get(_api(board, round_)).json()
    seen["api_detail"] = _normalise_json(
        {k: v for k, v in detail.items() if k not in ("id", "title", "school_id")}, ids, round_.pk
    )
    results = client.get(_api(board, round_) + "/results")
    seen["api_results_status"] = results.status_code
    if results.status_code == 200:
        seen["api_results"] = _normalise_json(results.json(), ids, round_.pk)
    args = [board.pk, round_.pk]
    seen["round_page"] = _normalise_html(
        client.get(reverse("selfevaluation:round", args=args)).content.decode(), round_, board
    )
    page = client.get(reverse("selfevaluation:results", args=args))
    seen["results_page_status"] = page.status_code
    if page.status_code == 200:
        seen["results_page"] = _normalise_html(page.content.decode(), round_, board)
        xlsx = client.get(reverse("selfevaluation:results_xlsx", args=args))
        seen["xlsx"] = _workbook_values(xlsx.content)
        if tmp_path is not None:
            pdf = client.get(reverse("selfevaluation:results_pdf", args=args))
            unit = round_.school.name if round_.school else board.name
            seen["pdf"] = re.sub(
                re.escape(unit), "UNIT", _pdf_text(pdf.content, tmp_path), flags=re.IGNORECASE
            )
        if agenda:
            url = reverse("selfevaluation:agenda", args=args)
            client.post(url, {"action": "generate"})
            seen["agenda"] = [
                (p.kind, p.item.code if p.item else None, p.question)
                for p in round_.agenda.order_by("position", "pk")
            ]
            seen["agenda_page"] = _normalise_html(client.get(url).content.decode(), round_, board)
    return seen


def assert_indistinguishable(first: dict, second: dict):
    """Every output read in two worlds is the same; names the first that differs."""
    assert first.keys() == second.keys()
    for key in first:
        if first[key] != second[key]:
            a = json.dumps(first[key], indent=1, default=str, ensure_ascii=False).splitlines()
            b = json.dumps(second[key], indent=1, default=str, ensure_ascii=False).splitlines()
            diff = [f"- {x}\n+ {y}" for x, y in zip(a, b, strict=False) if x != y][:6]
            pytest.fail(f"the organiser tells the worlds apart on {key}:\n" + "\n".join(diff))


# --- Attack: probing a meeting code's cap ("full") -------------------------------------------


def _meeting_probe(world, school, genuine: int) -> list[str]:
    """The organiser gives the council a meeting code, `genuine` people answer in the room,
    then the organiser re-issues the code with caps 1, 2, … (round_action "meeting") and submits
    one form by the code from a fresh browser each time, until a submission is accepted.
    Returns what the answering page said each time."""
    round_ = new_round(world.board, school)
    council = round_.perspectives.get(code="council")
    client = organiser(world)
    action = reverse("selfevaluation:round_action", args=[world.board.pk, round_.pk, "meeting"])
    client.post(action, {"perspective": council.pk, "cap": "20"})
    council.refresh_from_db()
    form = {f"answer-{pk}": "3" for pk in _items(round_)} | {"action": "submit"}
    for _ in range(genuine):
        Client().post(reverse("selfevaluation:meeting", args=[council.meeting_code]), form)
    assert Response.objects.filter(perspective=council).count() == genuine
    return _probe(client, action, council, form, range(1, K + 1))


def _probe(client, action, council, form, caps) -> list[str]:
    """Give the code again with each cap in turn and answer once by it, until accepted."""
    said = []
    for cap in caps:
        client.post(action, {"perspective": council.pk, "cap": str(cap)})
        council.refresh_from_db()
        reply = Client().post(reverse("selfevaluation:meeting", args=[council.meeting_code]), form)
        said.append(reply.context["state"] if reply.status_code == 410 else "accepted")
        if said[-1] == "accepted":
            break
    return said


def test_meeting_cap_probe_does_not_size_a_small_group(world):
    """Two versus three council members answered by meeting code (k = 5: a small group whose
    size the promise hides). The organiser re-issues the code with cap = 1, 2, 3, … and tries
    it: the first cap that is not "full" is the group's size plus one."""
    two = _meeting_probe(world, world.school, genuine=2)
    three = _meeting_probe(world, world.other_school, genuine=3)
    assert two == three, (
        f"probing the cap sizes the small group: 2 answered -> {two}, 3 answered -> {three}"
    )


def _late_meeting_probe(world, school, late: int) -> list[str]:
    round_ = new_round(world.board, school)
    council = round_.perspectives.get(code="council")
    services.meeting_code_start(round_=round_, perspective=council, cap=20)
    answer(round_, "council", 6, [3, 3, 3])
    close(round_)  # the council is shown: n = 6 on every statement
    reopen(round_)
    answer(round_, "council", late, [2, 2, 2])
    client = organiser(world)
    assert api_count(client, world.board, round_) == 6, "the count does not show them"
    action = reverse("selfevaluation:round_action", args=[world.board.pk, round_.pk, "meeting"])
    form = {f"answer-{pk}": "dk" for pk in _items(round_)} | {"action": "submit"}
    return _probe(client, action, council, form, range(7, 7 + K))


def test_meeting_cap_probe_after_reopening_does_not_size_the_late_batch(world):
    """After a reopening the cap counts every response of the group, the first close's too.
    Six council members were published at the first close; the organiser probes caps 7, 8, …
    with a "don't know" form: the first accepted cap minus 7 is the number of late
    respondents (0 or 2 here, both below k and both otherwise invisible)."""
    none = _late_meeting_probe(world, world.school, late=0)
    two = _late_meeting_probe(world, world.other_school, late=2)
    assert none == two, f"probing sizes the late batch: 0 late -> {none}, 2 late -> {two}"


# --- Differential attacks on the results, exports, agenda and counts ------------------------


def _pair(world, build, tmp_path, *, first, second, reads=None):
    """Build the same story at two schools with `first` and `second`, read everything."""
    seen = []
    for school, variant in ((world.school, first), (world.other_school, second)):
        _COMMENTS["next"] = 0
        round_ = new_round(world.board, school, **build.get("round", {}))
        client = organiser(world)
        log = []
        build["story"](round_, variant, lambda: log.append(api_count(client, world.board, round_)))
        seen.append({"reads": log, **observe(client, world.board, round_, tmp_path=tmp_path)})
    return seen


def _shown_groups(round_):
    answer(round_, "school_leaders", 3, [4, 3, 4], comment=unique_comment)
    answer(round_, "school_leaders", 3, [3, 3, 2])
    answer(round_, "teachers", 4, [2, 4, 3])
    answer(round_, "teachers", 3, [1, None, 3])


@pytest.mark.parametrize("sizes", [(0, 4), (1, 4), (1, 2)])
def test_small_group_size_is_in_no_output(world, tmp_path, sizes):
    """A council of 0, 1, 2 or 4 (k = 5), answering extremes and commenting: the count while
    open, the count at the close, API results, page, Excel, PDF and agenda all look alike."""

    def story(round_, council, read):
        _shown_groups(round_)
        read()
        answer(round_, "council", council, [1, 1, 1], comment=unique_comment)
        read()
        close(round_)
        read()

    first, second = _pair(world, {"story": story}, tmp_path, first=sizes[0], second=sizes[1])
    assert_indistinguishable(first, second)


def test_small_custom_group_and_k3_are_in_no_output(world, tmp_path):
    """k = 3 and a custom group of 1 or 2 beside shown groups."""

    def story(round_, parents, read):
        answer(round_, "teachers", 3, [2, 4, 3])
        answer(round_, "school_leaders", 3, [4, 4, 4])
        answer(round_, "custom", parents, [1, 1, 1], name="Ouders")
        read()
        close(round_)
        read()

    build = {
        "story": story,
        "round": {"k": 3, "groups": ("school_leaders", "teachers", ("custom", "Ouders"))},
    }
    first, second = _pair(world, build, tmp_path, first=1, second=2)
    assert_indistinguishable(first, second)


def test_dk_heavy_group_hides_its_substantive_count_on_a_hidden_statement(world, tmp_path):
    """Seven teachers: shown on KL1-01 and KL2-01 (n = 7, so their size is known), hidden on
    KL1-02 with 2 versus 4 substantive answers (the rest "don't know"). The standard KL1, the
    total of KL1-02, the count and the agenda must not give the 2 or 4 away."""

    def story(round_, substantive, read):
        answer(round_, "school_leaders", 6, [3, 3, 3])
        answer(round_, "teachers", substantive, [2, 1, 4])
        answer(round_, "teachers", 7 - substantive, [2, None, 4])
        read()
        close(round_)
        read()

    first, second = _pair(world, {"story": story}, tmp_path, first=2, second=4)
    assert_indistinguishable(first, second)


def test_late_batch_below_k_of_a_shown_group_is_in_no_output(world, tmp_path):
    """Ten teachers (with comments) shown at the first close; after reopening 0 or 4 more
    teachers (k = 5, k_text = 10), commenting, read after each. Nothing the organiser reads
    during or after the reopening tells 0 from 4."""

    def story(round_, late, read):
        answer(round_, "school_leaders", 6, [3, 3, 2])
        answer(round_, "teachers", 6, [2, 4, 3], comment=unique_comment)
        answer(round_, "teachers", 4, [1, None, 3], comment=unique_comment)
        close(round_)
        read()
        reopen(round_)
        read()
        for _ in range(late):
            answer(round_, "teachers", 1, [4, 4, 1], comment=unique_comment)
            read()
        for _ in range(4 - late):
            read()
        close(round_)
        read()

    first, second = _pair(world, {"story": story}, tmp_path, first=0, second=4)
    assert_indistinguishable(first, second)


def test_late_batch_of_a_hidden_group_below_k_is_in_no_output(world, tmp_path):
    """A council of 2 hidden at the first close; 0 or 2 late council members: still hidden."""

    def story(round_, late, read):
        _shown_groups(round_)
        answer(round_, "council", 2, [1, 1, 1])
        close(round_)
        reopen(round_)
        answer(round_, "council", late, [1, 2, 1])
        read()
        close(round_)
        read()

    first, second = _pair(world, {"story": story}, tmp_path, first=0, second=2)
    assert_indistinguishable(first, second)


def test_late_dk_answers_and_comments_below_k_text_are_in_no_output(world, tmp_path):
    """Ten teachers with comments are shown with their comments; after reopening 0 or 9 late
    teachers, all "don't know" (so their figures do not count) and commenting (9 < k_text)."""

    def story(round_, late, read):
        answer(round_, "school_leaders", 5, [3, 3, 3])
        answer(round_, "teachers", 10, [2, 3, 4], comment=unique_comment)
        close(round_)
        reopen(round_)
        answer(round_, "teachers", late, [None, None, None], comment=unique_comment)
        read()
        close(round_)
        read()

    first, second = _pair(world, {"story": story}, tmp_path, first=0, second=9)
    assert_indistinguishable(first, second)


def test_the_differential_reader_tells_a_published_difference_apart(world, tmp_path):
    """Sanity check of the method: 5 versus 6 teachers (both shown) must be told apart, so a
    passing differential test above means the outputs really are the same."""

    def story(round_, teachers, read):
        answer(round_, "school_leaders", 5, [3, 3, 3])
        answer(round_, "teachers", teachers, [2, 2, 2])
        read()
        close(round_)
        read()

    first, second = _pair(world, {"story": story}, tmp_path, first=5, second=6)
    assert first["api_results_status"] == 200 and first["results_page_status"] == 200
    assert first["reads"] == [10, 10] and second["reads"] == [11, 11]
    for key in ("api_results", "results_page", "xlsx", "pdf"):
        assert first[key] != second[key], key


# --- The trend against a previous round ------------------------------------------------------


def test_trend_shows_nothing_of_a_small_group_of_the_previous_round(world, tmp_path):
    """The previous round had a council of 1 or 4; the trend column of the next round's
    results page (and every other output of it) must look the same."""
    seen = []
    earlier = datetime.date.today() - datetime.timedelta(30)
    for school, council in ((world.school, 1), (world.other_school, 4)):
        _COMMENTS["next"] = 0
        before = new_round(world.board, school, title="Vorige", opens_on=earlier)
        answer(before, "school_leaders", 5, [4, 4, 4])
        answer(before, "teachers", 5, [2, 2, 2])
        answer(before, "council", council, [1, 1, 1])
        close(before)
        now = new_round(world.board, school)
        answer(now, "school_leaders", 5, [3, 3, 3])
        answer(now, "teachers", 5, [3, 3, 3])
        close(now)
        client = organiser(world)
        page = observe(client, world.board, now, tmp_path=tmp_path)
        assert "Vorige" in page["results_page"], "the trend column is there"
        seen.append(page)
    assert_indistinguishable(*seen)


# --- The board roll-up of schools' rounds ----------------------------------------------------


def _rollup_table(client, board, version_id):
    page = client.get(reverse("selfevaluation:rollup", args=[board.pk, version_id]))
    assert page.status_code == 200
    tables = re.findall(r"<table.*?</table>", page.content.decode(), flags=re.S)
    assert tables, "the overview shows figures"
    return tables


def test_rollup_shows_nothing_of_a_small_group_at_one_school(world):
    """Two boards with three schools each, the same answers except one school's council of 1
    or 4 (hidden there). The roll-up pages must be the same."""
    tables = []
    for board, schools, council in (
        (world.board, [world.school, world.other_school, make_school(world.board)], 1),
        (
            world.other_board,
            [world.other_board_school, make_school(world.other_board)]
            + [make_school(world.other_board)],
            4,
        ),
    ):
        for index, school in enumerate(schools):
            round_ = new_round(board, school)
            answer(round_, "school_leaders", 5, [4, 3, 2])
            answer(round_, "teachers", 5, [2, 3, 4])
            answer(round_, "council", council if index == 2 else 5, [1, 1, 1])
            close(round_)
        tables.append(
            _rollup_table(organiser(world, board), board, round_.questionnaire_version_id)
        )
    assert tables[0] == tables[1]


# --- The benchmark against other boards -----------------------------------------------------


def test_benchmark_shows_nothing_of_a_small_group_of_another_board(world):
    """Six other boards in two universes (two versions of the same board questionnaire, so the
    benchmarks are apart): one board's council of 1 or 4 answers extremes. The benchmark our
    board sees must be the same in both."""
    from stelsel.selfevaluation.library import parse_questionnaire, questionnaire_version_store
    from tests.factories import SMALL_QUESTIONNAIRE

    make_questionnaire("board")
    world.board.benchmark_opt_in = True
    world.board.save()
    marks = []
    for universe, council in (("a", 1), ("b", 4)):
        text = SMALL_QUESTIONNAIRE.replace("level: school", "level: board").replace(
            "id: kleine-vragenlijst", f"id: benchmark-{universe}"
        )
        version = questionnaire_version_store(spec=parse_questionnaire(text))
        own = None
        for number in range(6):
            board = world.board if number == 0 else make_board(benchmark_opt_in=True)
            today = datetime.date.today()
            round_ = services.round_create(
                board=board,
                questionnaire_version=version,
                title="Bestuur",
                opens_on=today,
                closes_on=today + datetime.timedelta(14),
                perspectives=[("school_leaders", ""), ("council", "")],
                created_by=None,
            )
            services.round_open(round_=round_)
            answer(round_, "school_leaders", 5, [number % 4 + 1, 2, 3])
            answer(round_, "council", council if number == 1 else 0, [4, 4, 4])
            close(round_)
            own = own or round_
        bench = selectors.benchmark(selectors.round_results(own))
        assert bench.boards == 5 and bench.items
        marks.append((bench.boards, bench.standards, bench.items))
    assert marks[0] == marks[1]


# --- Invitations, reminders and the answering pages -------------------------------------------


def test_invitations_and_reminders_do_not_tell_how_many_of_a_small_group_answered(
    world, django_capture_on_commit_callbacks
):
    """Five council members invited by personal link; 1 or 4 of them answer (k = 5). The
    invitation list (page and API), the reminder's message, and the counts look the same."""
    seen = []
    for school, answered in ((world.school, 1), (world.other_school, 4)):
        round_ = new_round(world.board, school)
        council = round_.perspectives.get(code="council")
        services.invitations_add(
            round_=round_,
            perspective=council,
            emails=[f"lid{i}@raad.nl" for i in range(5)],
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.invitations_send(round_=round_)
        answer(round_, "school_leaders", 5, [3, 3, 3])
        items = _items(round_)
        for invitation in RespondentInvitation.objects.filter(round=round_)[:answered]:
            services.response_submit(
                perspective=council,
                submission=services.Submission(dict.fromkeys(items, 2), {}),
                invitation=invitation,
            )
        client = organiser(world)
        args = [world.board.pk, round_.pk]
        with django_capture_on_commit_callbacks(execute=True):
            reminded = client.post(
                reverse("selfevaluation:round_action", args=[*args, "remind"]), follow=True
            )
        message = [str(m) for m in reminded.context["messages"]]
        listing = client.get(_api(world.board, round_) + "/invitations").json()
        listing = [
            {"email": i["email"], "sent": i["sent_at"] is not None, "keys": sorted(i)}
            for i in listing
        ]
        page = _normalise_html(
            client.get(reverse("selfevaluation:round", args=args)).content.decode(),
            round_,
            world.board,
        )
        seen.append(
            {
                "message": message,
                "invitations": listing,
                "round_page": page,
                "count": api_count(client, world.board, round_),
            }
        )
    assert_indistinguishable(*seen)


# --- Comments --------------------------------------------------------------------------------


def test_comment_order_does_not_follow_the_order_of_answering(world, tmp_path):
    """The same twelve comments, given in opposite orders: the lists look the same, so a
    comment cannot be tied to when (or after whom) it was given."""

    def story(round_, order, read):
        answer(round_, "school_leaders", 5, [3, 3, 3])
        texts = [f"opmerking {chr(97 + i)}" for i in range(12)]
        for text in texts if order == "forward" else reversed(texts):
            answer(round_, "teachers", 1, [2, 3, 4], comment=text)
        close(round_)
        read()

    first, second = _pair(world, {"story": story}, tmp_path, first="forward", second="back")
    assert_indistinguishable(first, second)


def test_late_comments_of_a_group_whose_comments_were_hidden_come_with_the_early_ones(world):
    """Seven teachers comment (hidden: 7 < k_text); after reopening three more comment. The
    ten comments are shown together, so the three late ones are not set apart by a
    difference (nothing of the teachers' comments was shown before)."""
    round_ = new_round(world.board, world.school)
    answer(round_, "school_leaders", 5, [3, 3, 3])
    answer(round_, "teachers", 7, [2, 3, 4], comment=unique_comment)
    close(round_)
    client = organiser(world)
    first = client.get(_api(world.board, round_) + "/results").json()
    assert first["sections"][0]["comments"] == []
    reopen(round_)
    answer(round_, "teachers", 3, [1, 1, 1], comment=unique_comment)
    close(round_)
    second = client.get(_api(world.board, round_) + "/results").json()
    (teachers,) = second["sections"][0]["comments"]
    assert len(teachers["texts"]) == 10, "early and late together, never the late ones alone"


# --- History -------------------------------------------------------------------------------


def test_activity_page_shows_the_round_but_nothing_of_its_answers(world):
    """Round and AgendaPoint keep a django-simple-history. The board's activity page shows the
    round's own history (its state as the organisers changed it), never the agenda points
    generated from the results, nor anything counted from the answers."""
    round_ = new_round(world.board, world.school, title="Geheime ronde")
    answer(round_, "school_leaders", 5, [3, 3, 3])
    answer(round_, "council", 2, [1, 1, 1])
    close(round_)
    client = organiser(world)
    client.post(
        reverse("selfevaluation:agenda", args=[world.board.pk, round_.pk]), {"action": "generate"}
    )
    reopen(round_)
    close(round_)
    page = client.get(reverse("organisations:activity", args=[world.board.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Geheime ronde" in text, "the round's own history is on the activity page"
    assert "Eerste stelling" not in text, "an agenda point is on the activity page"
    entries = page.context["page"].entries
    assert {e.kind for e in entries if "Geheime ronde" in e.label} == {"round"}
    changed = {c.field for e in entries if e.kind == "round" for c in e.changes}
    assert changed <= {"status", "state"}, changed
    assert Round.history.filter(id=round_.pk).count() >= 4, "the history exists"


# --- More reopening attacks --------------------------------------------------------------------


def test_late_answers_to_a_statement_hidden_at_the_first_close_are_in_no_output(world, tmp_path):
    """Teachers shown on KL1-01 and KL2-01 but hidden on KL1-02 (3 substantive of 6) at the
    first close. Five late teachers count (k substantive on each shown statement); on KL1-02
    they give 0 or 4 substantive answers. KL1-02 stays hidden, KL1 too, and nothing differs."""

    def story(round_, late_substantive, read):
        answer(round_, "school_leaders", 5, [3, 3, 3])
        answer(round_, "teachers", 3, [2, 2, 2])
        answer(round_, "teachers", 3, [3, None, 3])
        close(round_)
        read()
        reopen(round_)
        answer(round_, "teachers", late_substantive, [4, 1, 4])
        answer(round_, "teachers", 5 - late_substantive, [4, None, 4])
        read()
        close(round_)
        read()

    first, second = _pair(world, {"story": story}, tmp_path, first=0, second=4)
    assert first["reads"] == [11, 16, 16], "the late five count"
    assert_indistinguishable(first, second)


def test_a_group_judged_afresh_does_not_split_into_early_and_late(world, tmp_path):
    """A council hidden at the first close with 4 or 1 members; after reopening 1 or 4 more
    (the same answers): 5 in all, shown at the second close. Read at each close, the two
    splits 4 + 1 and 1 + 4 look the same."""

    def story(round_, split, read):
        early, late = split
        _shown_groups(round_)
        answer(round_, "council", early, [1, 2, 1])
        close(round_)
        read()
        reopen(round_)
        read()
        answer(round_, "council", late, [1, 2, 1])
        close(round_)
        read()

    first, second = _pair(world, {"story": story}, tmp_path, first=(4, 1), second=(1, 4))
    assert first["reads"] == [13, 13, 18]
    assert_indistinguishable(first, second)
