"""API routes for self-evaluation rounds, their invitations (for organisers) and results.

Everything goes through `selfevaluation.access` (which rounds a user sees, who manages them,
who may see results) and the self-evaluation selectors and services; results come from
`selectors.round_results`, so the API suppresses exactly what the pages suppress. Another
board's ids and rounds the user cannot see answer 404; a round seen but not managed 403.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from stelsel.api import bodies
from stelsel.api.schemas import (
    CommentsOut,
    ErrorOut,
    GapOut,
    InvitationsAddedOut,
    InvitationsIn,
    ItemResultOut,
    PerspectiveCellOut,
    QuestionnaireRefOut,
    RespondentInvitationOut,
    ResponseRateOut,
    ResultPerspectiveOut,
    ResultsOut,
    RoundDetailOut,
    RoundOut,
    RoundPerspectiveOut,
    ScalePointOut,
    SectionResultOut,
    TotalCellOut,
)
from stelsel.organisations.access import get_board_for_user
from stelsel.selfevaluation import selectors, services
from stelsel.selfevaluation.access import get_round_for_user, may_see_results, rounds_for_user
from stelsel.selfevaluation.aggregation import CellState
from stelsel.selfevaluation.models import RoundState

router = Router(tags=["self-evaluation"])

ROUND = "/boards/{board_id}/rounds/{round_id}"


def _round(request, board_id: int, round_id: int, *, manage: bool = False):
    """The round through access.py: 404 for what the user cannot see, 403 (as JSON, not the
    HTML page Django would give) for a round seen but not managed."""
    board = get_board_for_user(request.auth, board_id)
    try:
        return get_round_for_user(request.auth, board, round_id, write=manage)
    except PermissionDenied:
        message = _("Only the organisers of self-evaluation rounds may do this.")
        raise HttpError(403, message) from None


def _round_out(round_) -> dict:
    version = round_.questionnaire_version
    return {
        "id": round_.pk,
        "title": round_.title,
        "school_id": round_.school_id,
        "questionnaire": QuestionnaireRefOut(
            id=version.questionnaire_id,
            slug=version.questionnaire.slug,
            version=version.version,
            name=version.name,
        ),
        "state": round_.state,
        "opens_on": round_.opens_on,
        "closes_on": round_.closes_on,
        "k": round_.k,
        "k_text": round_.k_text,
    }


def _perspective_out(perspective) -> RoundPerspectiveOut:
    return RoundPerspectiveOut(id=perspective.pk, code=perspective.code, name=str(perspective))


@router.get(
    "/boards/{board_id}/rounds",
    response={200: list[RoundOut], 404: ErrorOut},
    summary="Self-evaluation rounds of the board the user may see",
    url_name="rounds",
)
def rounds(request, board_id: int):
    board = get_board_for_user(request.auth, board_id)
    queryset = rounds_for_user(request.auth, board).select_related(
        "questionnaire_version__questionnaire"
    )
    return [RoundOut(**_round_out(r)) for r in queryset]


@router.get(
    ROUND,
    response={200: RoundDetailOut, 404: ErrorOut},
    summary="One round with its perspectives and the overall response rate",
    url_name="round",
)
def round_detail(request, board_id: int, round_id: int):
    """Only the one count of a round, never counts per perspective: respondents in the groups
    that are (or, while open, would now be) shown; the results carry the figures."""
    round_ = _round(request, board_id, round_id)
    rate = selectors.response_rate(round_)
    return RoundDetailOut(
        **_round_out(round_),
        perspectives=[_perspective_out(p) for p in round_.perspectives.all()],
        response_rate=ResponseRateOut(responses=rate.responses, invited=rate.invited),
        results_available=may_see_results(request.auth, round_),
    )


@router.get(
    ROUND + "/invitations",
    response={200: list[RespondentInvitationOut], 403: ErrorOut, 404: ErrorOut},
    summary="Personal invitations of a round (organisers only)",
    url_name="round_invitations",
)
def round_invitations(request, board_id: int, round_id: int):
    """Who was invited, in which perspective, and when the link was mailed.

    Whether a person has answered is deliberately not given, here or anywhere: completion is
    kept per invitation only to make each link work once, and showing it per person would
    put pressure on respondents. The organiser sees the overall rate on the round. For the
    same reason the number of reminders is left out: reminders go only to those who have not
    answered, so a per-person reminder count would tell who had.
    """
    round_ = _round(request, board_id, round_id, manage=True)
    return [
        RespondentInvitationOut(
            id=i.pk, perspective_id=i.perspective_id, email=i.email, sent_at=i.sent_at
        )
        for i in round_.invitations.all()
    ]


@router.post(
    ROUND + "/invitations",
    response={200: InvitationsAddedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Invite people to a round by email (organisers only)",
    url_name="round_invitations_add",
    openapi_extra=bodies.body_schema(InvitationsIn),
)
def round_invitations_add(request, board_id: int, round_id: int):
    """Personal single-use links for `emails` in the perspective `perspective_id`, mailed at
    once when the round is open (in a draft round when it opens). Addresses already invited
    are skipped; `added` counts the new ones. If any address is not valid, nothing is added
    and the answer is 422 naming it.

    The body is read after the access checks, so another board's round answers 404 and a
    round the user does not manage 403, whatever is posted.
    """
    round_ = _round(request, board_id, round_id, manage=True)
    data = bodies.read_body(request, InvitationsIn, '{"perspective_id": <id>, "emails": ["…"]}')
    perspective = round_.perspectives.filter(pk=data.perspective_id).first()
    if perspective is None:
        raise HttpError(422, _("Unknown perspective.") + " " + _("Nobody was added."))
    try:
        added = services.invitations_add(round_=round_, perspective=perspective, emails=data.emails)
    except ValidationError as exc:
        raise HttpError(422, " ".join([*exc.messages, _("Nobody was added.")])) from None
    return InvitationsAddedOut(added=added)


def _cell(cell) -> dict:
    if cell.state != CellState.PUBLISHED:
        return {"state": str(cell.state)}
    return {
        "state": str(cell.state),
        "n": cell.n,
        "mean": cell.mean,
        "distribution": list(cell.distribution),
        "dont_know_share": cell.dont_know_share,
    }


def _cells(row, perspectives) -> dict:
    return {
        "cells": [
            PerspectiveCellOut(perspective_id=p.pk, **_cell(row.cells[p.pk])) for p in perspectives
        ],
        "total": TotalCellOut(
            **_cell(row.total), perspective_ids=list(row.covers), complete=row.complete
        ),
    }


@router.get(
    ROUND + "/results",
    response={200: ResultsOut, 403: ErrorOut, 404: ErrorOut},
    summary="Results of a closed round, with small groups suppressed",
    url_name="round_results",
)
def round_results(request, board_id: int, round_id: int):
    """Per standard and per statement, a cell for each perspective and the total of the groups
    shown; comments per standard and perspective.

    A group with fewer than k answers other than "don't know" on a statement is "suppressed"
    there and left out of the total; comments need k_text respondents. After a reopening the
    rules of the release history apply (README). Organisers see the results once the round is
    closed, others once they are shared with one of their roles. The trend against an earlier
    round is not part of this answer.
    """
    round_ = _round(request, board_id, round_id)
    if not may_see_results(request.auth, round_):
        if round_.state in (RoundState.DRAFT, RoundState.OPEN):
            raise HttpError(
                403,
                _(
                    "Results are shown once the round is closed. Until then only the overall "
                    "response is visible."
                ),
            )
        raise HttpError(403, _("The results of this round have not been shared with your role."))
    results = selectors.round_results(round_, with_trend=False)
    perspectives = results.perspectives
    version = round_.questionnaire_version
    return ResultsOut(
        round_id=round_.pk,
        k=round_.k,
        scale=[ScalePointOut(value=p["value"], label=p["label"]) for p in version.scale_points],
        dont_know_label=version.dont_know_label,
        perspectives=[
            ResultPerspectiveOut(
                id=p.pk, code=p.code, name=str(p), late_answers_counted=results.late_counted(p)
            )
            for p in perspectives
        ],
        self_perspective_id=results.self_key,
        sections=[
            SectionResultOut(
                standard_code=s.section.standard.code,
                standard_name=s.section.standard.name,
                **_cells(s.row, perspectives),
                comments=[
                    CommentsOut(perspective_id=p.pk, texts=s.comments[p.pk])
                    for p in perspectives
                    if s.comments.get(p.pk)
                ],
                items=[
                    ItemResultOut(
                        code=r.item.code,
                        text=r.item.text,
                        **_cells(r.row, perspectives),
                        gaps=[
                            GapOut(perspective_id=g.other, difference=g.difference, kind=g.kind)
                            for g in r.gaps
                        ],
                    )
                    for r in s.items
                ],
            )
            for s in results.sections
        ],
    )
