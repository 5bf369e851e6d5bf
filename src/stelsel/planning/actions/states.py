"""What an action's state means beyond its name: which states are still open work, which are
finished, and the badge tone each is shown with.

Planning's pages read these, and `PlanningConfig.ready()` hands the finished states and the
tones to the picture (`stelsel.picture.work`), so the picture's counts, the coverage view and
the action pages agree on when an action is open and how its state looks.
"""

from stelsel.planning.models import ActionStatus

OPEN_STATES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.STALLED)
FINISHED_STATES = (ActionStatus.DONE, ActionStatus.CANCELLED)

# Every badge has its text (the state's label); the tone only repeats it in colour.
ACTION_TONES = {
    ActionStatus.PLANNED: "",
    ActionStatus.IN_PROGRESS: "info",
    ActionStatus.STALLED: "warn",
    ActionStatus.DONE: "positive",
    ActionStatus.CANCELLED: "",
}
