"""Writes of self-evaluation: rounds and their life cycle, invitations, drafts and responses.

A response is written in one transaction together with what makes it count once: the
invitation's Completion (unique per invitation) or the device's UsedSubmission key. A second
submit of the same invitation, tab or device therefore fails cleanly and nothing is stored twice.
"""

import hashlib
import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from stelsel.lib.db_specific import locked_shared
from stelsel.lib.revisions import lock_at_revision, next_revision
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Role
from stelsel.selfevaluation.counting import current_batch, latest_releases, live_tally
from stelsel.selfevaluation.models import (
    MIN_K,
    MIN_K_TEXT,
    AgendaPoint,
    Answer,
    Comment,
    Completion,
    Draft,
    Item,
    Perspective,
    QuestionnaireVersion,
    Release,
    RespondentInvitation,
    Response,
    ResultCount,
    Round,
    RoundPerspective,
    RoundState,
    Section,
    UsedSubmission,
    meeting_code_grouped,
)
from stelsel.selfevaluation.releases import release_decide

logger = logging.getLogger(__name__)
MEETING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread in a room
MEETING_CODE_LENGTH = 8


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def draft_hash(raw: str) -> str:
    """Drafts are keyed by a keyed hash, never by an invitation's token hash."""
    return salted_hmac("stelsel.selfevaluation.draft", raw).hexdigest()


MEETING_GUESS_CEILING = 500  # unknown links and codes from all addresses per throttle window


def _meeting_code() -> str:
    """A code short enough to read aloud in a room and type on a phone, yet not to be found by
    trying.

    8 characters from 32 give 32**8 = 2**40, about 1.1 * 10**12 codes. Unknown codes are
    throttled (`lib.throttle`: 30 per address, an IPv6 /64 counting as one, per 600-second
    window), so one address makes at most 30 * 144 = 4,320 guesses a day. With 1,000 codes live
    at once (far more than all boards together hold open), one address finds any of them with a
    chance of at most 4,320 * 1,000 / 2**40, about 4 in a million per day, or 1 in 9,000 over a
    4-week round. Many addresses together make at most MEETING_GUESS_CEILING unknown guesses
    per window (after that, unknown codes get "too many" from everyone; known codes always get
    in): 500 * 144 = 72,000 a day, so all of them together find one with a chance of at most
    6.6 in 100,000 per day, about 1 in 540 over a 4-week round; and a code found admits at most
    its cap of answers. `tests/selfevaluation/answering` checks these numbers against the
    constants.
    """
    return "".join(secrets.choice(MEETING_ALPHABET) for _ in range(MEETING_CODE_LENGTH))


def meeting_code_normal(raw: str) -> str:
    """A code as typed (lower case, dashes, spaces) in the form it is stored."""
    return "".join(ch for ch in raw.upper() if not ch.isspace() and ch not in "-–—")


def _round_errors(
    *,
    board: Board,
    school: School | None,
    questionnaire_version: QuestionnaireVersion,
    opens_on: date,
    closes_on: date,
    perspectives: list[tuple[str, str]],
    k: int,
    k_text: int,
) -> dict:
    """What is wrong with the settings of a round, by field (empty when nothing is)."""
    errors = {}
    if school is not None and school.board_id != board.pk:
        errors["school"] = _("That school does not belong to this board.")
    expected_level = "school" if school else "board"
    if questionnaire_version.level != expected_level:
        errors["questionnaire_version"] = _(
            "This questionnaire is for a %(level)s; choose one for a %(expected)s."
        ) % {
            "level": questionnaire_version.get_level_display().lower(),
            "expected": _("school") if school else _("board"),
        }
    if questionnaire_version.questionnaire.board_id not in (None, board.pk):
        errors["questionnaire_version"] = _("Unknown questionnaire.")
    if k < MIN_K:
        errors["k"] = _("The anonymity threshold is at least %(min)d.") % {"min": MIN_K}
    if k_text < max(MIN_K_TEXT, k):
        errors["k_text"] = _("The threshold for comments is at least %(min)d.") % {
            "min": max(MIN_K_TEXT, k)
        }
    if closes_on < opens_on:
        errors["closes_on"] = _("The round must close on or after the day it opens.")
    if not perspectives:
        errors["perspectives"] = _("Choose at least one perspective.")
    allowed = set(questionnaire_version.perspectives) | {Perspective.CUSTOM}
    seen = set()
    for code, name in perspectives:
        if code not in allowed:
            errors["perspectives"] = _("This questionnaire has no wording for %(p)s.") % {"p": code}
        if code == Perspective.CUSTOM and not name.strip():
            errors["perspectives"] = _("A custom group needs a name.")
        if (code, name.strip()) in seen:
            errors["perspectives"] = _("A perspective is chosen twice.")
        seen.add((code, name.strip()))
    return errors


def _perspective_key(code: str, name: str) -> tuple[str, str]:
    return code, name.strip() if code == Perspective.CUSTOM else ""


@transaction.atomic
def round_create(
    *,
    board: Board,
    questionnaire_version: QuestionnaireVersion,
    title: str,
    opens_on: date,
    closes_on: date,
    perspectives: list[tuple[str, str]],
    created_by,
    school: School | None = None,
    k: int = 5,
    k_text: int = MIN_K_TEXT,
    run_by_school: bool = False,
) -> Round:
    """A draft round with its respondent groups; `perspectives` are (code, custom name).
    `run_by_school`: started by the school's leader, who then runs it (`access.may_run_round`).
    """
    if run_by_school and school is None:
        raise ValidationError(_("A round of the board itself is run by the board office."))
    errors = _round_errors(
        board=board,
        school=school,
        questionnaire_version=questionnaire_version,
        opens_on=opens_on,
        closes_on=closes_on,
        perspectives=perspectives,
        k=k,
        k_text=k_text,
    )
    if errors:
        raise ValidationError(errors)
    round_ = Round.objects.create(
        board=board,
        school=school,
        questionnaire_version=questionnaire_version,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        k=k,
        k_text=k_text,
        created_by=created_by,
        run_by_school=run_by_school,
    )
    RoundPerspective.objects.bulk_create(
        RoundPerspective(
            round=round_,
            board=board,
            code=code,
            name=name,
            position=position,
        )
        for position, (code, name) in enumerate(_perspective_key(c, n) for c, n in perspectives)
    )
    return round_


@transaction.atomic
def round_update(
    *,
    round_: Round,
    revision: int,
    questionnaire_version: QuestionnaireVersion,
    title: str,
    opens_on: date,
    closes_on: date,
    perspectives: list[tuple[str, str]],
    school: School | None = None,
    k: int = 5,
    k_text: int = MIN_K_TEXT,
) -> Round:
    """Change a round before it opens: what `round_create` set, checked the same way.

    Only a draft: once invitations have gone out, respondents answer the round as it was
    announced. A save on top of someone else's newer one is refused (`EditConflict`).
    Perspectives kept keep their invitations; one that already has invitations cannot be
    dropped, because those people would be left with a link to nothing.
    """
    locked = lock_at_revision(Round.objects.select_related("board"), round_.pk, revision)
    if locked.state != RoundState.DRAFT:
        raise ValidationError(_("Only a draft round can be edited; this one has been opened."))
    errors = _round_errors(
        board=locked.board,
        school=school,
        questionnaire_version=questionnaire_version,
        opens_on=opens_on,
        closes_on=closes_on,
        perspectives=perspectives,
        k=k,
        k_text=k_text,
    )
    wanted = [_perspective_key(code, name) for code, name in perspectives]
    existing = {(p.code, p.name): p for p in locked.perspectives.all()}
    dropped = [p for key, p in existing.items() if key not in wanted]
    invited = [p for p in dropped if p.invitations.exists()]
    if invited and "perspectives" not in errors:
        errors["perspectives"] = _("%(groups)s already has invitations and cannot be left out.") % {
            "groups": ", ".join(str(p) for p in invited)
        }
    if errors:
        raise ValidationError(errors)
    RoundPerspective.objects.filter(pk__in=[p.pk for p in dropped]).delete()
    for position, key in enumerate(wanted):
        perspective = existing.get(key)
        if perspective is None:
            RoundPerspective.objects.create(
                round=locked, board=locked.board, code=key[0], name=key[1], position=position
            )
        elif perspective.position != position:
            perspective.position = position
            perspective.save(update_fields=["position"])
    locked.school = school
    locked.questionnaire_version = questionnaire_version
    locked.title = title.strip()
    locked.opens_on = opens_on
    locked.closes_on = closes_on
    locked.k = k
    locked.k_text = k_text
    next_revision(locked)
    locked.save()
    return locked


def _set_state(round_: Round, state: str, **fields) -> Round:
    round_.state = state
    for name, value in fields.items():
        setattr(round_, name, value)
    round_.save(update_fields=["state", *fields])
    return round_


@transaction.atomic
def round_open(*, round_: Round) -> Round:
    """Open a draft round and mail its invitations; the round returned carries
    `invitations_sent`, the number mailed, for the organiser to be told."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.DRAFT:
        raise ValidationError(_("Only a draft round can be opened."))
    _set_state(round_, RoundState.OPEN)
    round_.invitations_sent = invitations_send(round_=round_)
    return round_


@transaction.atomic
def round_close(*, round_: Round) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    Draft.objects.filter(round=round_).delete()
    _set_state(round_, RoundState.CLOSED)
    results_freeze(round_=round_)
    return round_


@transaction.atomic
def results_freeze(*, round_: Round) -> int:
    """Count the answers of a closed round once, for every results page to read, and record
    what this close releases, checked against the previous release (`releases.py`).

    Counts are kept per batch (before the first close, after the reopening), so that the rule
    can tell the late answers apart; which of them a reader sees is the release. One
    transaction: the old counts, the release and the new counts change together or not at all.
    """
    ResultCount.objects.filter(round=round_).delete()
    tally = live_tally(round_)
    batch = current_batch(round_)
    previous = latest_releases([round_.pk]).get(round_.pk)
    release = release_decide(
        groups=round_.perspectives.values_list("pk", flat=True),
        items=questionnaire_shape(round_.questionnaire_version_id).item_ids,
        batch=batch,
        substantive=tally.substantive(),
        sizes=tally.sizes(),
        k=round_.k,
        k_text=round_.k_text,
        previous=previous,
    )
    Release.objects.update_or_create(
        round=round_, batch=batch, defaults={"groups": release.to_json()}
    )
    rows = [
        ResultCount(round=round_, perspective_id=p, batch=b, item_id=i, value=v, n=n)
        for (p, b, i), (distribution, dont_know) in tally.slots.items()
        for v, n in [*enumerate(distribution, start=1), (None, dont_know)]
        if n
    ]
    return len(ResultCount.objects.bulk_create(rows, batch_size=2000))


@transaction.atomic
def round_share(*, round_: Round, roles: list[str]) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state not in (RoundState.CLOSED, RoundState.SHARED):
        raise ValidationError(_("Results can be shared once the round is closed."))
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(_("Unknown role: %(role)s.") % {"role": ", ".join(sorted(unknown))})
    return _set_state(round_, RoundState.SHARED, shared_with=sorted(set(roles)))


@transaction.atomic
def round_reopen(*, round_: Round, reason: str) -> Round:
    """A closed round can be reopened once, with the reason recorded."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state not in (RoundState.CLOSED, RoundState.SHARED):
        raise ValidationError(_("Only a closed round can be reopened."))
    if round_.reopened_at is not None:
        raise ValidationError(_("This round was reopened before; it can be reopened once."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    today = timezone.localdate()
    ResultCount.objects.filter(round=round_).delete()
    AgendaPoint.objects.filter(round=round_).exclude(kind=AgendaPoint.Kind.OWN).delete()
    # Old codes stop working; a new session in the room gets a new code and cap.
    round_.perspectives.exclude(meeting_code__isnull=True).update(
        meeting_code=None, meeting_cap=None
    )
    return _set_state(
        round_,
        RoundState.OPEN,
        reopened_at=timezone.now(),
        reopen_reason=reason.strip(),
        shared_with=[],
        closes_on=max(round_.closes_on, today),
    )


MAX_MEETING_CAP = 500


@transaction.atomic
def meeting_code_start(
    *, round_: Round, perspective: RoundPerspective, cap: int
) -> RoundPerspective:
    """A code for answering in the room, for a perspective without personal links (so nobody
    answers twice, once by link and once by code), for at most `cap` responses in this session
    (before the first close, or after the reopening).

    The code and its cap are given once per session: a cap that could be set again and again
    would let the organiser find how many answered ("full" or not) without answering. And a
    room of fewer than k people could never be shown, so the cap is at least k.
    """
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    perspective = RoundPerspective.objects.select_for_update().filter(pk=perspective.pk).first()
    if perspective is None or perspective.round_id != round_.pk:
        raise ValidationError(_("Unknown perspective."))
    if round_.state != RoundState.OPEN:
        raise ValidationError(_("A meeting code is given while the round is open."))
    if perspective.meeting_code:
        raise ValidationError(
            _(
                "This perspective has its meeting code for this session already; it is "
                "given once, with the number of people in the room."
            )
        )
    if perspective.invitations.exists():
        raise ValidationError(
            _(
                "This perspective answers by personal links; a meeting code "
                "would let people answer twice."
            )
        )
    if not round_.k <= cap <= MAX_MEETING_CAP:
        raise ValidationError(
            _(
                "The number of people in the room is between %(min)d (the anonymity "
                "threshold: fewer could never be shown) and %(max)d."
            )
            % {"min": round_.k, "max": MAX_MEETING_CAP}
        )
    perspective.meeting_code = _meeting_code()
    perspective.meeting_cap = cap
    perspective.save(update_fields=["meeting_code", "meeting_cap"])
    return perspective


def answer_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("selfevaluation:answer", args=[raw_token])


def meeting_url(code: str) -> str:
    return settings.SITE_URL + reverse("selfevaluation:meeting", args=[meeting_code_grouped(code)])


def _mail(invitation: RespondentInvitation, raw: str, *, reminder: bool) -> None:
    context = {"round": invitation.round, "link": answer_url(raw), "reminder": reminder}
    try:
        send_mail(
            subject=(_("Reminder: %(title)s") if reminder else _("Your view asked: %(title)s"))
            % {"title": invitation.round.title},
            message=render_to_string("selfevaluation/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("self-evaluation mail could not be sent")


@transaction.atomic
def invitations_add(*, round_: Round, perspective: RoundPerspective, emails: list[str]) -> int:
    """Personal links for `emails` in `perspective`; mailed at once when the round is open.

    Every address is checked before anything is stored.
    """
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if perspective.round_id != round_.pk:
        raise ValidationError(_("Unknown perspective."))
    if round_.state in (RoundState.CLOSED, RoundState.SHARED):
        raise ValidationError(_("The round is closed."))
    answered_by_code = (
        not perspective.invitations.exists()
        and Response.objects.filter(perspective=perspective).exists()
    )
    if perspective.meeting_code or answered_by_code:
        raise ValidationError(
            _(
                "This perspective answers by meeting code; personal links "
                "would let people answer twice."
            )
        )
    cleaned = []
    for raw_email in emails:
        address = raw_email.strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
            if len(address) > RespondentInvitation._meta.get_field("email").max_length:
                raise ValidationError("too long")
        except ValidationError:
            raise ValidationError(
                _("Not an email address: %(value)s") % {"value": address}
            ) from None
        cleaned.append(address)
    existing = set(round_.invitations.filter(email__in=cleaned).values_list("email", flat=True))
    created = []
    for address in dict.fromkeys(cleaned):
        if address in existing:
            continue
        raw = secrets.token_urlsafe(32)
        invitation = RespondentInvitation.objects.create(
            round=round_,
            board_id=round_.board_id,
            perspective=perspective,
            email=address,
            token_hash=key_hash(raw),
        )
        created.append((invitation, raw))
    if round_.state == RoundState.OPEN:
        transaction.on_commit(lambda: _send_all(created, reminder=False))
    # In a draft round nothing is sent; opening the round mails fresh links (invitations_send).
    return len(created)


def _send_all(created, *, reminder: bool) -> None:
    now = timezone.now()
    for invitation, raw in created:
        _mail(invitation, raw, reminder=reminder)
        RespondentInvitation.objects.filter(pk=invitation.pk).update(
            sent_at=now if not reminder else invitation.sent_at,
            reminded_at=now if reminder else None,
        )


@transaction.atomic
def invitations_send(*, round_: Round, reminder: bool = False) -> int:
    """Mail a fresh link to everyone who has not answered (the old link stops working).

    Tokens are stored only as hashes, so a reminder carries a new link.
    """
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.OPEN:
        raise ValidationError(_("Invitations go out while the round is open."))
    pending = round_.invitations.filter(completion__isnull=True)
    if not reminder:
        pending = pending.filter(sent_at__isnull=True)
    created = []
    for invitation in pending.select_for_update(of=("self",)):
        raw = secrets.token_urlsafe(32)
        # A draft saved under the old link continues under the new one.
        invitation.previous_token_hash = invitation.token_hash  # an open form still submits
        invitation.token_hash = key_hash(raw)
        if reminder:
            invitation.reminder_count += 1
        invitation.save(update_fields=["token_hash", "previous_token_hash", "reminder_count"])
        created.append((invitation, raw))
    transaction.on_commit(lambda: _send_all(created, reminder=reminder))
    return len(created)


class NotAnswerable(Exception):
    """Why a link or code cannot be used to answer: unknown, used, not_open, closed."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


def round_answerable(round_: Round) -> None:
    today = timezone.localdate()
    if round_.state == RoundState.DRAFT or today < round_.opens_on:
        raise NotAnswerable("not_open")
    if round_.state != RoundState.OPEN or today > round_.closes_on:
        raise NotAnswerable("closed")


def invitation_from_token(raw: str) -> RespondentInvitation:
    if not raw or len(raw) > 100:
        raise NotAnswerable("unknown")
    invitation = (
        RespondentInvitation.objects.select_related(
            "round", "perspective", "round__questionnaire_version", "completion"
        )
        .filter(Q(token_hash=key_hash(raw)) | Q(previous_token_hash=key_hash(raw)))
        .first()
    )
    if invitation is None:
        raise NotAnswerable("unknown")
    if hasattr(invitation, "completion"):
        raise NotAnswerable("used")
    round_answerable(invitation.round)
    return invitation


def meeting_code_wellformed(code: str) -> bool:
    """Whether a normalised code could be one: of the alphabet, with the length of a code
    given now or of an older, longer one (which keeps working while its round is open)."""
    return len(code) in (MEETING_CODE_LENGTH, 12) and all(ch in MEETING_ALPHABET for ch in code)


def perspective_from_meeting_code(raw: str) -> RoundPerspective:
    code = meeting_code_normal(raw[:40])
    if not meeting_code_wellformed(code):
        raise NotAnswerable("unknown")
    perspective = (
        RoundPerspective.objects.select_related("round", "round__questionnaire_version")
        .filter(meeting_code=code)
        .first()
    )
    if perspective is None:
        raise NotAnswerable("unknown")
    round_answerable(perspective.round)
    return perspective


@dataclass(frozen=True)
class Submission:
    """Answers as posted: item id → scale value or None for "don't know"; section id → text."""

    answers: dict[int, int | None]
    comments: dict[int, str]


DONT_KNOW = "dk"


@dataclass(frozen=True)
class Shape:
    items: tuple[tuple[int, str], ...]  # (id, code) in questionnaire order
    sections: tuple[tuple[int, str], ...]  # (id, comment prompt)

    @property
    def item_ids(self) -> list[int]:
        return [pk for pk, _code in self.items]


@lru_cache(maxsize=64)
def questionnaire_shape(version_id: int) -> Shape:
    """The items and sections of a version; versions never change, so this is kept."""
    return Shape(
        tuple(
            Item.objects.filter(questionnaire_version_id=version_id)
            .order_by("section__position", "position")
            .values_list("pk", "code")
        ),
        tuple(
            Section.objects.filter(questionnaire_version_id=version_id).values_list(
                "pk", "comment_prompt"
            )
        ),
    )


class AnswersRefused(ValidationError):
    """Answers that cannot be taken, with the statements concerned (item ids, in questionnaire
    order), so the page can name each as the respondent sees it and lead there."""

    def __init__(self, messages, *, missing: list[int], invalid: list[int]):
        super().__init__(messages)
        self.missing = missing
        self.invalid = invalid


def parse_answers(round_: Round, data, *, partial: bool) -> Submission:
    """Read `answer-<item>` and `comment-<section>` fields; complete unless `partial`.

    Raises AnswersRefused with every problem and the statements concerned, and changes nothing.
    """
    version = round_.questionnaire_version
    allowed = {str(p["value"]) for p in version.scale_points}
    answers: dict[int, int | None] = {}
    missing, invalid = [], []
    shape = questionnaire_shape(version.pk)
    for item_id in shape.item_ids:
        raw = data.get(f"answer-{item_id}", "")
        if raw == "":
            missing.append(item_id)
        elif raw == DONT_KNOW:
            answers[item_id] = None
        elif raw in allowed:
            answers[item_id] = int(raw)
        else:
            invalid.append(item_id)
    comments = {}
    for section_id, prompt in shape.sections:
        text = (data.get(f"comment-{section_id}") or "").strip()
        if text and prompt:
            comments[section_id] = text[:4000]
    problems = []
    if invalid:
        problems.append(_("Some answers are outside the scale: choose one of the options."))
    if missing and not partial:
        problems.append(
            _("Not every statement has an answer yet: answer each one, or choose “%(dk)s”.")
            % {"dk": version.dont_know_label}
        )
    if problems:
        raise AnswersRefused(problems, missing=[] if partial else missing, invalid=invalid)
    return Submission(answers, comments)


def draft_load(raw_key: str) -> dict:
    draft = Draft.objects.filter(key_hash=draft_hash(raw_key)).first()
    return draft.data if draft else {}


def draft_save(*, round_: Round, raw_key: str, data: dict) -> None:
    """Keep the answers so far: only fields of this questionnaire, texts cut to size, and only
    while the round is open."""
    round_answerable(round_)
    shape = questionnaire_shape(round_.questionnaire_version_id)
    known = {f"answer-{pk}" for pk, _code in shape.items} | {
        f"comment-{pk}" for pk, _prompt in shape.sections
    }
    kept = {key: str(value)[:4000] for key, value in data.items() if key in known}
    Draft.objects.update_or_create(
        key_hash=draft_hash(raw_key),
        defaults={"round": round_, "data": kept, "updated_on": timezone.localdate()},
    )


class AlreadySubmitted(Exception):
    pass


@transaction.atomic
def response_submit(
    *,
    perspective: RoundPerspective,
    submission: Submission,
    invitation: RespondentInvitation | None = None,
    device_key: str | None = None,
    draft_key: str = "",
) -> None:
    """Store one response, counted once: per invitation, or per device for a meeting code.

    The Completion (or UsedSubmission) row is written first: a second submit of the same
    link fails on its unique key, and the whole transaction, answers included, is undone.
    """
    round_ = locked_shared(Round, perspective.round_id)
    round_answerable(round_)
    try:
        if invitation is not None:
            Completion.objects.create(invitation=invitation)
        else:
            UsedSubmission.objects.create(
                key_hash=key_hash(f"{perspective.pk}:{device_key}"), round=round_
            )
    except IntegrityError:
        raise AlreadySubmitted from None
    if (
        invitation is None
        and perspective.meeting_cap is not None
        and Response.objects.filter(perspective=perspective, batch=current_batch(round_)).count()
        >= perspective.meeting_cap
    ):
        raise NotAnswerable("full")
    response = Response.objects.create(
        round=round_,
        perspective=perspective,
        submitted_on=timezone.localdate(),
        batch=current_batch(round_),
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            round=round_,
            perspective=perspective,
            item_id=item_id,
            value=value,
            dont_know=value is None,
            batch=response.batch,
        )
        for item_id, value in submission.answers.items()
    )
    if submission.comments:
        Comment.objects.bulk_create(
            Comment(response=response, section_id=section_id, text=text)
            for section_id, text in submission.comments.items()
        )
    if draft_key:
        Draft.objects.filter(key_hash=draft_hash(draft_key)).delete()
