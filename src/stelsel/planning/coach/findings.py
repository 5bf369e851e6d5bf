"""What the coach says: the kinds of text it reads, the ids of its rules, and for each rule the
message (what is wrong) and the suggestion (what to do about it).

The messages are translatable (English msgids, Dutch from the catalogue); the rules that decide
when a finding is made live in `rules` (on a text) and `review` (on a whole plan).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

GOAL = "goal"
ACTION = "action"
KINDS = (GOAL, ACTION)

TEXT_RULES = ("goal_is_action", "try_language", "no_target", "no_date")
PLAN_RULES = (
    "no_owner",
    "too_many_themes",
    "too_many_ambitions",
    "too_many_goals",
    "action_without_goal",
    "herstel_uncovered",
    "herstel_without_plan",
)
RULES = TEXT_RULES + PLAN_RULES


@dataclass(frozen=True)
class Finding:
    """One finding: `rule` (stable id, see RULES), `message` (what is wrong, one or two
    sentences), `suggestion` (what to do about it), and `subject`: the Goal, Action, Plan or
    Assignment it is about, or None for a line of text."""

    rule: str
    message: str
    suggestion: str
    subject: object = None

    def as_dict(self) -> dict:
        return {"rule": self.rule, "message": self.message, "suggestion": self.suggestion}


# Keyed by rule, or by (rule, kind) where goals and actions need different words.
MESSAGES = {
    "goal_is_action": (
        _("This reads as an action: what staff will do. A goal says what it yields for pupils."),
        _(
            "Ask: what will pupils know or be able to do when this is done? Write that as the "
            "goal and put this action under it."
        ),
    ),
    "try_language": (
        _(
            "“%(words)s” is try-and-strive language: it promises effort, not a result, so "
            "nobody can tell afterwards whether it was reached."
        ),
        _(
            "Write down what will be the case, as a plain statement: not “we strive for more "
            "reading pleasure” but “in June 2027, 80 percent of the pupils say they like reading”."
        ),
    ),
    "no_target": (
        _("There is no measurable target: nothing says how high or how many."),
        _(
            "Add what you can check: a percentage, a score or a count, a named norm such as the "
            "signalling value, or “every pupil”, for example “85 percent of the pupils in group 8 "
            "reach at least level 1F for reading”."
        ),
    ),
    ("no_date", GOAL): (
        _("There is no date: it does not say by when you will be satisfied."),
        _(
            "Add a date or a period by which the target is reached, for example “by the end of "
            "school year 2026-2027” or “in July 2028”."
        ),
    ),
    ("no_date", ACTION): (
        _("There is no date: it does not say when this will happen or be done."),
        _(
            "Add when it is done or how often it happens, for example “before 1 March 2027” "
            "or “every six weeks from September 2026”."
        ),
    ),
    ("no_owner", GOAL): (
        _("Nobody owns this goal."),
        _(
            "Name one person who answers for it: who keeps it on the agenda and reports on its "
            "progress."
        ),
    ),
    ("no_owner", ACTION): (
        _("Nobody owns this action."),
        _("Name one person who makes sure it is done and says so when it stalls."),
    ),
    "too_many_themes": (
        _("This year plan has %(count)s themes. Two or three a year is what a team can carry."),
        _(
            "Choose the two or three themes that matter most for pupils this year. When "
            "something is added, something else goes."
        ),
    ),
    "too_many_ambitions": (
        _("This four-year plan has %(count)s themes. At most about four ambitions stay in view."),
        _(
            "Merge or drop themes until four or fewer remain; what is left can wait for the "
            "next plan or become a goal under another theme."
        ),
    ),
    "too_many_goals": (
        _("This four-year plan has %(count)s goals. At most about ten can be steered on."),
        _(
            "Keep the goals that matter most for pupils; turn the others into actions under "
            "them, or drop them."
        ),
    ),
    "action_without_goal": (
        _("Action “%(action)s” falls in this plan's period but serves no goal."),
        _(
            "Put it under the goal it helps to reach. If it serves none, ask whether it is "
            "needed at all."
        ),
    ),
    "herstel_uncovered": (
        _("%(assignment)s is not covered by an action: nothing is recorded that repairs it."),
        _(
            "Record the action that repairs the shortfall and hang it under a goal of the "
            "improvement plan (plan of approach) that says when it is repaired."
        ),
    ),
    "herstel_without_plan": (
        _(
            "%(assignment)s is covered by an action, but no covering action hangs under a goal "
            "of an improvement plan of this school or board."
        ),
        _(
            "Hang the actions that repair it under a goal of the improvement plan (plan of "
            "approach) that says when the shortfall is repaired; write that plan if there is "
            "none."
        ),
    ),
}


def finding(rule: str, kind: str | None = None, subject=None, **params) -> Finding:
    """The finding of `rule` (in the words for `kind` where goals and actions differ) on
    `subject`, its message filled in with `params`."""
    message, suggestion = MESSAGES.get((rule, kind)) or MESSAGES[rule]
    message = str(message) % params if params else str(message)
    return Finding(rule=rule, message=message, suggestion=str(suggestion), subject=subject)
