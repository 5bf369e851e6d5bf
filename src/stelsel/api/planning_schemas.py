"""Response and request shapes of the plans and quality-calendar part of the JSON API.

A *unit* is a school (`school_id` set) or the board itself (`school_id` null), as in the
quality picture. Numbers (baselines, targets, measured values) are answered as JSON numbers;
in a request they may also be strings as people type them ("1,5"), which the services read
and, when they are not numbers ("85%", "veel"), explain.
"""

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, StrictFloat, StrictInt, StrictStr, StringConstraints

from stelsel.api.picture_schemas import UnitOut

# An id that fits the database's bigint; beyond it no object can exist.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
# A number as JSON (85, 7.5) or as typed text ("7,5"); the service parses and explains it.
NumberIn = StrictInt | StrictFloat | Annotated[StrictStr, StringConstraints(max_length=40)]
MAX_LINKS = 200


class PlanOut(Schema):
    id: int
    unit: UnitOut
    kind: str
    title: str
    description: str
    starts_on: datetime.date
    ends_on: datetime.date
    owner_id: int | None
    owner: str
    status: str
    previous_id: int | None
    revision: int
    goal_count: int


class PlanIn(Schema):
    """A new plan of a unit: `school_id` a school, or null for the board itself. `kind` is
    strategic (the board only), school (a school only), year or improvement; the period runs
    from `starts_on` to `ends_on` (a year plan at most thirteen months, the others at most four
    years and two months); `status` is draft, active or closed; `owner_id` someone with a role
    on the unit."""

    model_config = ConfigDict(extra="forbid")

    school_id: Id | None = None
    kind: str
    title: str
    description: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    owner_id: Id | None = None
    status: str = "draft"


class PlanChangeIn(Schema):
    """A change to a plan, based on `revision`. Fields left out stay as they are. A closed plan
    changes only when its status is set back to active or draft (in the same change or an
    earlier one); the unit never changes."""

    model_config = ConfigDict(extra="forbid")

    revision: int = Field(ge=1)
    kind: str | None = None
    title: str | None = None
    description: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    owner_id: Id | None = None
    status: str | None = None


class PlanDeriveIn(Schema):
    """The next plan, carried on from this one: its themes and goals are copied, baselines
    become the last values measured, target dates move with the period. Title and kind default
    to the previous plan's, the owner too (left out when they no longer have a role on the
    unit); send `owner_id: null` for none."""

    model_config = ConfigDict(extra="forbid")

    starts_on: datetime.date
    ends_on: datetime.date
    title: str | None = None
    kind: str | None = None
    owner_id: Id | None = None


class ThemeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str
    description: str = ""


class ThemeChangeIn(Schema):
    """Fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    description: str | None = None


class ThemeOut(Schema):
    id: int
    title: str
    description: str
    position: int


class CheckInRefOut(Schema):
    """The latest check-in on a goal: when, how it was judged (`progress`: on_track, at_risk,
    off_track or achieved) and the value measured, if any."""

    id: int
    held_on: datetime.date
    progress: str
    measured: float | None


class PlanActionOut(Schema):
    """An action under a goal; all its links are at /actions/{action_id}."""

    id: int
    title: str
    owner_id: int | None
    owner: str
    starts_on: datetime.date | None
    due_on: datetime.date | None
    status: str
    progress: int
    overdue: bool


class FindingOut(Schema):
    """A remark of the plan coach: `rule` is a stable id, `message` what is wrong and
    `suggestion` what to do, both in the language of the request. `subject_type` (plan, goal,
    action or assignment) and `subject_id` name what it is about."""

    rule: str
    message: str
    suggestion: str
    subject_type: str | None
    subject_id: int | None


class GoalOut(Schema):
    """A result goal. `serves_id` is the board goal it works towards; `revision` goes back
    with a change."""

    id: int
    plan_id: int
    theme_id: int | None
    title: str
    indicator: str
    baseline: float | None
    target: float | None
    unit: str
    target_date: datetime.date | None
    owner_id: int | None
    owner: str
    serves_id: int | None
    standard_ids: list[int]
    indicator_ids: list[int]
    revision: int
    latest_check_in: CheckInRefOut | None


class PlanGoalOut(GoalOut):
    actions: list[PlanActionOut]


class PlanDetailOut(PlanOut):
    """A plan with its themes, its goals (each with its actions) and every remark of the
    coach's review: on the plan as a whole, on its goals and on the actions under them."""

    themes: list[ThemeOut]
    goals: list[PlanGoalOut]
    findings: list[FindingOut]


class CheckInOut(Schema):
    """A PDCA conversation about a goal, along the conversation guide."""

    id: int
    goal_id: int
    held_on: datetime.date
    progress: str
    measured: float | None
    plan_text: str
    do_text: str
    check_text: str
    act_text: str
    securing_text: str
    evidence_ids: list[int]
    author: str
    created_at: datetime.datetime


class PlanRefOut(Schema):
    """The plan a goal belongs to, with its unit (a school, or the board) and period."""

    id: int
    title: str
    kind: str
    unit: UnitOut
    starts_on: datetime.date
    ends_on: datetime.date


class GoalDetailOut(GoalOut):
    """A goal with its plan, its actions, its check-ins (newest first), the coach's remarks on
    it, and the goals of other plans the user sees that serve it. (`unit` is the goal's unit of
    measurement; the plan's school or board is `plan.unit`.)"""

    plan: PlanRefOut
    actions: list[PlanActionOut]
    check_ins: list[CheckInOut]
    findings: list[FindingOut]
    served_by_ids: list[int]


class GoalIn(Schema):
    """A new goal. `baseline` and `target` are numbers, or text such as "1,5"; `target_date`
    lies within the plan's period; `serves_id` is a goal of the board's strategic plan or of a
    board year plan that runs at the same time; `owner_id` someone with a role on the plan's
    unit."""

    model_config = ConfigDict(extra="forbid")

    title: str
    theme_id: Id | None = None
    indicator: str = ""
    baseline: NumberIn | None = None
    target: NumberIn | None = None
    unit: str = ""
    target_date: datetime.date | None = None
    owner_id: Id | None = None
    serves_id: Id | None = None
    standard_ids: list[Id] = Field(default_factory=list, max_length=MAX_LINKS)
    indicator_ids: list[Id] = Field(default_factory=list, max_length=MAX_LINKS)


class GoalChangeIn(Schema):
    """A change to a goal, based on `revision`. Fields left out stay as they are; a field sent
    as null is emptied (a goal's title cannot be)."""

    model_config = ConfigDict(extra="forbid")

    revision: int = Field(ge=1)
    title: str | None = None
    theme_id: Id | None = None
    indicator: str | None = None
    baseline: NumberIn | None = None
    target: NumberIn | None = None
    unit: str | None = None
    target_date: datetime.date | None = None
    owner_id: Id | None = None
    serves_id: Id | None = None
    standard_ids: list[Id] | None = Field(default=None, max_length=MAX_LINKS)
    indicator_ids: list[Id] | None = Field(default=None, max_length=MAX_LINKS)


class CheckInIn(Schema):
    """A check-in: `progress` is one of on_track, at_risk, off_track, achieved; `held_on`
    (default today) is not in the future; `evidence_ids` are documents of the goal's unit."""

    model_config = ConfigDict(extra="forbid")

    progress: str
    held_on: datetime.date | None = None
    measured: NumberIn | None = None
    plan_text: str = ""
    do_text: str = ""
    check_text: str = ""
    act_text: str = ""
    securing_text: str = ""
    evidence_ids: list[Id] = Field(default_factory=list, max_length=MAX_LINKS)


# --- The quality calendar -----------------------------------------------------------------


class TableOut(Schema):
    """A table (meeting series): who meets, how often, where, with which assignment and
    mandate. `rhythm` is weeks (every `interval` weeks on the weekday of `first_date`), months
    (in `months`, on the `week_of_month`-th `weekday`, 5 meaning the last; ISO weekdays, 1 is
    Monday) or none; `rhythm_text` says it in words. `lacking` names what the table still
    lacks of "place", "assignment" and "mandate". `member_ids` are the people in Stelsel who sit at
    it; their calendar feeds show its meetings."""

    id: int
    unit: UnitOut
    name: str
    participants_text: str
    member_ids: list[int]
    members: list[str]
    rhythm: str
    rhythm_text: str
    interval: int | None
    months: list[int]
    weekday: int
    week_of_month: int
    start_time: datetime.time
    duration_minutes: int
    first_date: datetime.date
    last_date: datetime.date | None
    place: str
    assignment: str
    mandate: str
    standard_agenda: str
    lacking: list[str]
    meeting_count: int
    revision: int


class MeetingOut(Schema):
    """A meeting of a table (meeting series); times in the board's local time (Amsterdam).
    `state` is planned, held or cancelled."""

    id: int
    series_id: int
    series_name: str
    unit: UnitOut
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    state: str
    place: str


class AgendaItemOut(Schema):
    """An item of the agenda; `agenda_point_id` is set when it came from the conversation
    agenda of a self-evaluation round."""

    id: int
    title: str
    notes: str
    position: int
    agenda_point_id: int | None


class DecisionOut(Schema):
    """A decision; `action_id` is the action recorded to carry it out, if one was."""

    id: int
    meeting_id: int
    text: str
    action_id: int | None
    created_by: str
    created_at: datetime.datetime


class MeetingDetailOut(MeetingOut):
    revision: int
    minutes: str
    agenda_items: list[AgendaItemOut]
    decisions: list[DecisionOut]


class DecisionIn(Schema):
    """A decision of a meeting that has taken place. With `create_action`, an action of the
    table's unit is recorded with it: `action_title` (default: the decision's first line),
    `action_owner_id` (someone with a role on the unit) and `action_due_on`."""

    model_config = ConfigDict(extra="forbid")

    text: str
    create_action: bool = False
    action_title: str = ""
    action_owner_id: Id | None = None
    action_due_on: datetime.date | None = None


class MeetingRecordIn(Schema):
    """Whether the meeting was held (from its day on) or cancelled, and its minutes, based on
    `revision`."""

    model_config = ConfigDict(extra="forbid")

    revision: int = Field(ge=1)
    state: str
    minutes: str = ""


class AgendaItemIn(Schema):
    """An item for the agenda. With `agenda_point_id`, a point of a self-evaluation round's
    conversation agenda (for those who organise rounds): its question becomes the title unless
    one is given."""

    model_config = ConfigDict(extra="forbid")

    title: str = ""
    notes: str = ""
    agenda_point_id: Id | None = None


# --- Actions -------------------------------------------------------------------------------


class ActionIn(Schema):
    """A new action of a unit: `school_id` a school, or null for the board itself. `status` is
    planned, in_progress, stalled, done or cancelled; `progress` a percentage (done counts as
    100). Every link is to the same unit: `goal_id` a goal of one of its plans that is not
    closed, `visit_id` an inspection visit to it, `assignment_ids` its herstelopdrachten,
    `standard_ids` and `requirement_ids` of frameworks it has a picture on, `indicator_ids`
    the board's own indicators. `owner_id` someone with a role on the unit."""

    model_config = ConfigDict(extra="forbid")

    school_id: Id | None = None
    title: str
    description: str = ""
    owner_id: Id | None = None
    starts_on: datetime.date | None = None
    due_on: datetime.date | None = None
    status: str = "planned"
    progress: StrictInt = 0
    goal_id: Id | None = None
    visit_id: Id | None = None
    standard_ids: list[Id] = Field(default_factory=list, max_length=MAX_LINKS)
    requirement_ids: list[Id] = Field(default_factory=list, max_length=MAX_LINKS)
    indicator_ids: list[Id] = Field(default_factory=list, max_length=MAX_LINKS)
    assignment_ids: list[Id] = Field(default_factory=list, max_length=MAX_LINKS)


class ActionChangeIn(Schema):
    """A change to an action, based on `revision`. Fields left out stay as they are (a caller
    that sends only `progress` cannot clear the links); null empties a field."""

    model_config = ConfigDict(extra="forbid")

    revision: int = Field(ge=1)
    title: str | None = None
    description: str | None = None
    owner_id: Id | None = None
    starts_on: datetime.date | None = None
    due_on: datetime.date | None = None
    status: str | None = None
    progress: StrictInt | None = None
    goal_id: Id | None = None
    visit_id: Id | None = None
    standard_ids: list[Id] | None = Field(default=None, max_length=MAX_LINKS)
    requirement_ids: list[Id] | None = Field(default=None, max_length=MAX_LINKS)
    indicator_ids: list[Id] | None = Field(default=None, max_length=MAX_LINKS)
    assignment_ids: list[Id] | None = Field(default=None, max_length=MAX_LINKS)
