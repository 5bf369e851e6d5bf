"""Admitting and refusing applications, and the start conversation that follows admission.

Admission is where a cohort's places are spent, so it is serialised on the cohort: two office
members admitting the last place at once cannot both succeed. Admitting creates the trajectory
(the case) in the same transaction as the decision, so there is never an admitted application
without its trajectory.
"""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.trajectories.models import (
    Application,
    ApplicationState,
    Cohort,
    Phase,
    Trajectory,
)

CASE_LABEL = "Casus {}"
_CASE_NUMBER = re.compile(r"^Casus (\d+)$")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved `months` ahead, on the last day of the month when that month is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def eligibility_set(application: Application) -> dict:
    """The programme's criteria that apply to this board: those for single-school boards or
    for boards with more schools, as {"any": [...], "all": [...]}."""
    eligibility = application.cohort.programme.eligibility or {}
    key = "single_school" if application.single_school_board else "multi_school"
    criteria = eligibility.get(key) or {}
    if isinstance(criteria, list):  # a flat list: each criterion may be enough on its own
        criteria = {"any": criteria}
    return {"any": list(criteria.get("any") or []), "all": list(criteria.get("all") or [])}


def eligibility_rows(application: Application) -> list[dict]:
    """Each criterion with what the board claimed, what Stelsel found and what the office
    confirmed: what the office weighs before admitting."""
    stored = application.criteria or {}
    claimed = set(stored.get("claimed") or [])
    found = stored.get("found") or {}
    confirmed = set(stored.get("confirmed") or [])
    rows = []
    criteria = eligibility_set(application)
    for group in ("any", "all"):
        for item in criteria[group]:
            key = item.get("key", "")
            rows.append(
                {
                    "key": key,
                    "text": item.get("text", key),
                    "group": group,
                    "checked_by_stelsel": bool(item.get("check")),
                    "claimed": key in claimed,
                    "found": list(found.get(key) or []),
                    "confirmed": key in confirmed,
                }
            )
    return rows


def _check_confirmed(application: Application, confirmed: list[str]) -> list[str]:
    criteria = eligibility_set(application)
    keys_any = [item.get("key") for item in criteria["any"]]
    keys_all = [item.get("key") for item in criteria["all"]]
    known = set(keys_any) | set(keys_all)
    unknown = [key for key in confirmed if key not in known]
    if unknown:
        raise ValidationError(
            {
                "confirmed": _("These are not criteria of this programme: %(keys)s.")
                % {"keys": ", ".join(unknown)}
            }
        )
    chosen = set(confirmed)
    if keys_any and not chosen & set(keys_any):
        raise ValidationError(
            {"confirmed": _("Confirm at least one of the criteria of which one must hold.")}
        )
    if set(keys_all) - chosen:
        raise ValidationError({"confirmed": _("Confirm every criterion that must always hold.")})
    return [key for key in keys_any + keys_all if key in chosen]


def places_taken(cohort: Cohort) -> int:
    return cohort.applications.filter(state=ApplicationState.ADMITTED).count()


def _next_label(cohort: Cohort) -> str:
    labels = set(cohort.trajectories.values_list("label", flat=True))
    numbers = [int(m.group(1)) for m in map(_CASE_NUMBER.match, labels) if m]
    return CASE_LABEL.format(max(numbers, default=0) + 1)


def _locked_submitted(application: Application) -> tuple[Application, Cohort]:
    cohort = (
        Cohort.objects.select_for_update().select_related("programme").get(pk=application.cohort_id)
    )
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.cohort = cohort
    if application.state != ApplicationState.SUBMITTED:
        raise ValidationError(
            _("This application is already decided (%(state)s).")
            % {"state": application.get_state_display()},
            code="decided",
        )
    return application, cohort


@transaction.atomic
def application_admit(*, application: Application, by, confirmed: list[str]) -> Trajectory:
    """Admit a submitted application to its cohort and open its trajectory.

    The office confirms the criteria that hold (kept beside what the board claimed and what
    Stelsel found); a full cohort refuses. The new case is numbered within its cohort and runs
    for the cohort's period, or from today for the programme's default duration."""
    application, cohort = _locked_submitted(application)
    confirmed = _check_confirmed(application, list(confirmed or []))
    if cohort.capacity is not None and places_taken(cohort) >= cohort.capacity:
        raise ValidationError(
            _("The cohort is full: all %(capacity)s places are taken.")
            % {"capacity": cohort.capacity},
            code="full",
        )
    today = timezone.localdate()
    starts_on = cohort.starts_on or today
    ends_on = cohort.ends_on or add_months(starts_on, cohort.programme.default_months)
    application.state = ApplicationState.ADMITTED
    application.criteria = {**(application.criteria or {}), "confirmed": confirmed}
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save(update_fields=["state", "criteria", "decided_by", "decided_at"])
    return Trajectory.objects.create(
        programme=cohort.programme,
        cohort=cohort,
        board_id=application.board_id,
        application=application,
        label=_next_label(cohort),
        single_school_board=application.single_school_board,
        question=application.question,
        phase=Phase.INTAKE,
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def application_refuse(*, application: Application, by, note: str) -> Application:
    """Refuse a submitted application; the note tells the board why."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the application is refused.")})
    application, _cohort = _locked_submitted(application)
    application.state = ApplicationState.REFUSED
    application.decision_note = note
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save(update_fields=["state", "decision_note", "decided_by", "decided_at"])
    return application


INTAKE_PHASES = (Phase.INTAKE, Phase.ANALYSIS)


@transaction.atomic
def trajectory_intake(*, trajectory: Trajectory, on: datetime.date, notes: str, question: str):
    """Record the start conversation and the sharpened support question (the question behind
    the question). Once the work is under way, a changed question is a re-contract instead."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if trajectory.phase not in INTAKE_PHASES:
        raise ValidationError(
            _("The trajectory is past its start; record a changed question as a re-contract."),
            code="phase",
        )
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Write down the sharpened support question.")})
    if on is None:
        raise ValidationError({"on": _("Give the date of the start conversation.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The start conversation cannot lie in the future.")})
    trajectory.intake_on = on
    trajectory.intake_notes = (notes or "").strip()
    trajectory.question = question
    trajectory.revision += 1
    trajectory.save(update_fields=["intake_on", "intake_notes", "question", "revision"])
    return trajectory
