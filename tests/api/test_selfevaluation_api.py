"""The self-evaluation API: rounds, invitations for organisers and suppressed results, through
the same access rules and the same aggregation as the pages."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from stelsel.accounts.services import token_create
from stelsel.organisations.roles import Role
from stelsel.selfevaluation import services
from stelsel.selfevaluation.models import RespondentInvitation
from stelsel.selfevaluation.selectors import round_results
from tests.factories import make_round
from tests.selfevaluation.test_rounds import _answers

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, raw = token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def url(round_, tail: str = "") -> str:
    return f"/api/v1/boards/{round_.board_id}/rounds/{round_.pk}{tail}"


def post_json(client, path: str, data, **extra):
    return client.post(path, json.dumps(data), content_type="application/json", **extra)


def closed_round_with_a_small_group(world):
    """Teachers 6, school leaders 5, council 2 (below k = 5)."""
    round_ = make_round(world.board, world.school, state="open")
    _answers(round_, "teachers", [4, 4, 4], count=6)
    _answers(round_, "school_leaders", [2, 2, 2], count=5)
    _answers(round_, "council", [1, 1, 1], count=2)
    services.round_close(round_=round_)
    return round_


def every_cell(body):
    """(perspective id or "total", cell) for every section and item of a results answer."""
    for section in body["sections"]:
        for row in (section, *section["items"]):
            for cell in row["cells"]:
                yield cell["perspective_id"], cell
            yield "total", row["total"]


# Rounds


def test_a_token_lists_the_rounds_the_user_may_see(client, world):
    own = make_round(world.board, world.school)
    make_round(world.board, world.other_school)
    make_round(world.other_board, world.other_board_school)
    body = client.get(
        f"/api/v1/boards/{world.board.pk}/rounds", **bearer(world.users[Role.STAFF])
    ).json()
    assert [r["id"] for r in body] == [own.pk]
    version = own.questionnaire_version
    assert body[0] == {
        "id": own.pk,
        "title": own.title,
        "school_id": world.school.pk,
        "questionnaire": {
            "id": version.questionnaire_id,
            "slug": "kleine-vragenlijst",
            "version": 1,
            "name": version.name,
        },
        "state": "draft",
        "opens_on": own.opens_on.isoformat(),
        "closes_on": own.closes_on.isoformat(),
        "k": 5,
        "k_text": 10,
    }
    board_wide = client.get(
        f"/api/v1/boards/{world.board.pk}/rounds", **bearer(world.users[Role.SUPERVISOR])
    ).json()
    assert len(board_wide) == 2


def test_the_session_reads_a_round_with_only_the_overall_response_rate(client, world):
    round_ = make_round(world.board, world.school, state="open")
    teachers = round_.perspectives.get(code="teachers")
    services.invitations_add(round_=round_, perspective=teachers, emails=["a@example.org"])
    _answers(round_, "teachers", [3, 3, 3], count=2)
    client.force_login(world.users[Role.STAFF])
    body = client.get(url(round_)).json()
    assert body["state"] == "open"
    assert body["response_rate"] == {"responses": 0, "invited": 1}, "two are too few to count"
    _answers(round_, "teachers", [3, 3, 3], count=3)
    body = client.get(url(round_)).json()
    assert body["response_rate"] == {"responses": 5, "invited": 1}
    assert body["results_available"] is False
    assert [p["code"] for p in body["perspectives"]] == ["school_leaders", "teachers", "council"]
    for perspective in body["perspectives"]:
        assert set(perspective) == {"id", "code", "name"}, "no counts per perspective"


def test_another_boards_round_answers_404(client, world):
    theirs = make_round(world.other_board, world.other_board_school, state="closed")
    headers = bearer(world.users[Role.BOARD_EXECUTIVE])
    for tail in ("", "/invitations", "/results"):
        assert client.get(url(theirs, tail), **headers).status_code == 404
        # and under our own board's id
        path = f"/api/v1/boards/{world.board.pk}/rounds/{theirs.pk}{tail}"
        assert client.get(path, **headers).status_code == 404
    assert client.get(f"/api/v1/boards/{world.other_board.pk}/rounds", **headers).status_code == 404
    response = post_json(
        client, url(theirs, "/invitations"), {"perspective_id": 1, "emails": ["x@y.nl"]}, **headers
    )
    assert response.status_code == 404


def test_a_school_role_gets_404_for_another_schools_round(client, world):
    theirs = make_round(world.board, world.other_school, state="closed")
    headers = bearer(world.users[Role.SCHOOL_LEADER])
    assert client.get(url(theirs), **headers).status_code == 404
    assert client.get(url(theirs, "/results"), **headers).status_code == 404


# Results


def test_staff_see_results_only_once_shared_with_them(client, world):
    round_ = closed_round_with_a_small_group(world)
    headers = bearer(world.users[Role.STAFF])
    refused = client.get(url(round_, "/results"), **headers)
    assert refused.status_code == 403
    assert refused.json()["detail"]
    assert client.get(url(round_), **headers).json()["results_available"] is False
    services.round_share(round_=round_, roles=[Role.STAFF])
    assert client.get(url(round_, "/results"), **headers).status_code == 200
    assert client.get(url(round_), **headers).json()["results_available"] is True


def test_results_of_an_open_round_are_refused_also_to_organisers(client, world):
    round_ = make_round(world.board, world.school, state="open")
    _answers(round_, "teachers", [4, 4, 4], count=6)
    response = client.get(url(round_, "/results"), **bearer(world.users[Role.QUALITY_OFFICER]))
    assert response.status_code == 403
    assert response.json()["detail"]


def test_a_small_group_comes_back_suppressed_with_no_numbers(client, world):
    round_ = closed_round_with_a_small_group(world)
    response = client.get(url(round_, "/results"), **bearer(world.users[Role.QUALITY_OFFICER]))
    assert response.status_code == 200
    body = response.json()
    council = round_.perspectives.get(code="council").pk
    teachers = round_.perspectives.get(code="teachers").pk
    seen = 0
    for key, cell in every_cell(body):
        if key == council:
            seen += 1
            assert cell == {
                "perspective_id": council,
                "state": "suppressed",
                "n": None,
                "mean": None,
                "distribution": None,
                "dont_know_share": None,
            }
        if key == "total":
            assert council not in cell["perspective_ids"], "a small group is in no total"
            assert not cell["complete"]
    assert seen == 2 + 3  # two standards, three statements
    # Nothing published rests on fewer than k answers, and the council's mean (1.0) and its
    # answers (all "1") appear nowhere in the answer.
    published = [cell for _key, cell in every_cell(body) if cell["state"] == "published"]
    assert published and all(cell["n"] >= round_.k for cell in published)
    assert 1.0 not in [cell["mean"] for cell in published]
    assert all(cell["distribution"][0] == 0 for cell in published)
    first = body["sections"][0]["items"][0]
    by_group = {c["perspective_id"]: c for c in first["cells"]}
    assert by_group[teachers] == {
        "perspective_id": teachers,
        "state": "published",
        "n": 6,
        "mean": 4.0,
        "distribution": [0, 0, 0, 6],
        "dont_know_share": 0.0,
    }
    leaders = round_.perspectives.get(code="school_leaders").pk
    assert body["self_perspective_id"] == leaders
    assert first["gaps"] == [
        {"perspective_id": teachers, "difference": -2.0, "kind": "hidden_strength"}
    ]
    assert [p["value"] for p in body["scale"]] == [1, 2, 3, 4]


def test_the_api_suppresses_exactly_what_the_pages_suppress(client, world):
    round_ = closed_round_with_a_small_group(world)
    body = client.get(url(round_, "/results"), **bearer(world.users[Role.QUALITY_OFFICER])).json()
    results = round_results(round_)
    expected = []
    for section in results.sections:
        for row in (section.row, *(item.row for item in section.items)):
            expected += [(p.pk, row.cells[p.pk].state.value) for p in results.perspectives]
            expected.append(("total", row.total.state.value))
    assert [(key, cell["state"]) for key, cell in every_cell(body)] == expected


def test_results_take_the_same_number_of_queries_whatever_the_number_of_responses(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = bearer(world.users[Role.QUALITY_OFFICER])
    counts = []
    for size, school in ((6, world.school), (40, world.other_school)):
        round_ = make_round(world.board, school, state="open")
        _answers(round_, "teachers", [3, 2, 4], count=size)
        _answers(round_, "school_leaders", [4, 4, 4], count=size)
        services.round_close(round_=round_)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(round_, "/results"), **headers).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# Invitations


def test_organisers_list_invitations_without_who_answered(client, world):
    round_ = make_round(world.board, world.school)
    teachers = round_.perspectives.get(code="teachers")
    services.invitations_add(
        round_=round_, perspective=teachers, emails=["b@example.org", "a@example.org"]
    )
    body = client.get(url(round_, "/invitations"), **bearer(world.users[Role.QUALITY_OFFICER]))
    assert body.status_code == 200
    assert [(i["email"], i["perspective_id"], i["sent_at"]) for i in body.json()] == [
        ("a@example.org", teachers.pk, None),
        ("b@example.org", teachers.pk, None),
    ]
    assert set(body.json()[0]) == {"id", "perspective_id", "email", "sent_at"}


@pytest.mark.parametrize("role", [Role.STAFF, Role.SCHOOL_LEADER, Role.SUPERVISOR, Role.COUNCIL])
def test_others_than_organisers_are_refused_invitations_with_403(client, world, role):
    round_ = make_round(world.board, world.school)
    teachers = round_.perspectives.get(code="teachers")
    headers = bearer(world.users[role])
    listing = client.get(url(round_, "/invitations"), **headers)
    assert listing.status_code == 403
    assert listing.json()["detail"]
    adding = post_json(
        client,
        url(round_, "/invitations"),
        {"perspective_id": teachers.pk, "emails": ["c@example.org"]},
        **headers,
    )
    assert adding.status_code == 403
    assert not RespondentInvitation.objects.exists()


def test_organisers_add_invitations_and_duplicates_are_skipped(client, world):
    round_ = make_round(world.board, world.school)
    teachers = round_.perspectives.get(code="teachers")
    headers = bearer(world.users[Role.BOARD_EXECUTIVE])
    data = {"perspective_id": teachers.pk, "emails": ["One@Example.org ", "two@example.org"]}
    response = post_json(client, url(round_, "/invitations"), data, **headers)
    assert response.status_code == 200
    assert response.json() == {"added": 2}
    again = post_json(client, url(round_, "/invitations"), data, **headers)
    assert again.json() == {"added": 0}
    assert sorted(round_.invitations.values_list("email", flat=True)) == [
        "one@example.org",
        "two@example.org",
    ]


def test_one_bad_address_adds_nobody(client, world):
    round_ = make_round(world.board, world.school)
    teachers = round_.perspectives.get(code="teachers")
    response = post_json(
        client,
        url(round_, "/invitations"),
        {"perspective_id": teachers.pk, "emails": ["good@example.org", "not-an-address"]},
        **bearer(world.users[Role.QUALITY_OFFICER]),
    )
    assert response.status_code == 422
    assert "not-an-address" in response.json()["detail"]
    assert not RespondentInvitation.objects.exists()


def test_an_address_longer_than_the_column_is_refused_not_a_server_error(client, world):
    """Django's validator accepts addresses of up to 320 characters; the column holds 254."""
    round_ = make_round(world.board, world.school)
    long_address = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "com"
    response = post_json(
        client,
        url(round_, "/invitations"),
        {"perspective_id": round_.perspectives.first().pk, "emails": [long_address]},
        **bearer(world.users[Role.QUALITY_OFFICER]),
    )
    assert response.status_code == 422
    assert "emails" in response.json()["detail"]
    assert not RespondentInvitation.objects.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("not json", 400),
        ("", 422),
        ("[]", 422),
        ('{"perspective_id": "x", "emails": ["a@example.org"]}', 422),
        ('{"perspective_id": 1, "emails": []}', 422),
        ('{"emails": ["a@example.org"]}', 422),
        ('{"perspective_id": 100000000000000000000, "emails": ["a@example.org"]}', 422),
        ('{"perspective_id": -1, "emails": ["a@example.org"]}', 422),
    ],
)
def test_a_malformed_body_is_refused_with_a_message(client, world, body, status):
    round_ = make_round(world.board, world.school)
    response = client.post(
        url(round_, "/invitations"),
        body,
        content_type="application/json",
        **bearer(world.users[Role.QUALITY_OFFICER]),
    )
    assert response.status_code == status
    assert response.json()["detail"]
    assert not RespondentInvitation.objects.exists()


def test_a_perspective_of_another_round_is_refused(client, world):
    round_ = make_round(world.board, world.school)
    other = make_round(world.board, world.school)
    response = post_json(
        client,
        url(round_, "/invitations"),
        {"perspective_id": other.perspectives.first().pk, "emails": ["a@example.org"]},
        **bearer(world.users[Role.QUALITY_OFFICER]),
    )
    assert response.status_code == 422
    assert not RespondentInvitation.objects.exists()


def test_a_closed_round_takes_no_invitations(client, world):
    round_ = make_round(world.board, world.school, state="closed")
    response = post_json(
        client,
        url(round_, "/invitations"),
        {"perspective_id": round_.perspectives.first().pk, "emails": ["a@example.org"]},
        **bearer(world.users[Role.QUALITY_OFFICER]),
    )
    assert response.status_code == 422
    assert not RespondentInvitation.objects.exists()


def test_a_session_post_needs_the_csrf_token(world):
    round_ = make_round(world.board, world.school)
    data = {"perspective_id": round_.perspectives.first().pk, "emails": ["a@example.org"]}
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    refused = post_json(client, url(round_, "/invitations"), data)
    assert refused.status_code == 403
    assert not RespondentInvitation.objects.exists()
    # A page of the round sets the CSRF cookie; with its token in the header the post works.
    client.get(reverse("selfevaluation:round", args=[world.board.pk, round_.pk]))
    token = client.cookies["csrftoken"].value
    accepted = post_json(client, url(round_, "/invitations"), data, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    assert RespondentInvitation.objects.count() == 1


def test_a_token_post_needs_no_csrf_token(world):
    round_ = make_round(world.board, world.school)
    client = Client(enforce_csrf_checks=True)
    response = post_json(
        client,
        url(round_, "/invitations"),
        {"perspective_id": round_.perspectives.first().pk, "emails": ["a@example.org"]},
        **bearer(world.users[Role.QUALITY_OFFICER]),
    )
    assert response.status_code == 200


def test_calls_without_credentials_are_refused(client, world):
    round_ = make_round(world.board, world.school, state="closed")
    for tail in ("", "/invitations", "/results"):
        assert client.get(url(round_, tail)).status_code == 401
    assert client.get(f"/api/v1/boards/{world.board.pk}/rounds").status_code == 401


def test_the_openapi_document_lists_the_self_evaluation_routes(client):
    document = client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    assert {
        "/api/v1/boards/{board_id}/rounds",
        "/api/v1/boards/{board_id}/rounds/{round_id}",
        "/api/v1/boards/{board_id}/rounds/{round_id}/invitations",
        "/api/v1/boards/{board_id}/rounds/{round_id}/results",
    } <= set(paths)
    invitations = paths["/api/v1/boards/{board_id}/rounds/{round_id}/invitations"]
    assert {"get", "post"} <= set(invitations)
    body = invitations["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["perspective_id", "emails"]
    cell = document["components"]["schemas"]["PerspectiveCellOut"]["properties"]
    assert {"state", "n", "mean", "distribution", "dont_know_share"} <= set(cell)
