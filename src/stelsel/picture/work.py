"""The actions behind the picture, read without importing planning.

Actions belong to planning, one layer up: planning's pages and services write them and its
plans hang them under goals. The picture still needs them. It counts the open actions per
standard (now, and as they stood on a date), lists them on an entry and on its timeline,
relinks them to the new standards when a unit moves to another framework version, weighs them
in the coverage of herstelopdrachten, and shows a visit's follow-up actions. Importing planning
for that would make each app depend on the other.

So the dependency is turned around: planning registers its Action model here in
`PlanningConfig.ready()`, with what counts as a finished action, the badge tone of each state
and the access rule for actions, and the picture's code reads actions through this module. It
knows what it asks of an action (a unit, links to standards and indicators kept in its history,
a status, progress, a due date, the goal and plan it serves), never where the model lives.

Two links remain that no import shows, by design: the relation `Assignment.actions`, which
planning's Action declares (`assignments`, related name "actions") and the coverage prefetches,
and the names of planning's action pages (`planning:action_create`, `planning:action_detail`)
that the picture's pages link to.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Registration:
    model: type
    finished: tuple[str, ...]  # states in which an action no longer counts as open work
    tones: Mapping[str, str]  # the badge tone of each state ("" for none)
    for_user: Callable  # (user, board) -> the actions the user may see


_registration: Registration | None = None


def register(
    model: type,
    *,
    finished: Iterable[str],
    tones: Mapping[str, str],
    for_user: Callable,
) -> None:
    """Called once by the app that owns actions, when Django has loaded the apps."""
    global _registration
    _registration = Registration(model, tuple(finished), dict(tones), for_user)


def _registered() -> Registration:
    if _registration is None:
        raise ImproperlyConfigured(
            "No action model is registered with stelsel.picture.work. The planning app "
            "registers it in PlanningConfig.ready(); is 'stelsel.planning' in INSTALLED_APPS?"
        )
    return _registration


def action_model() -> type:
    """The Action model (planning's), for queries and its history."""
    return _registered().model


def finished_states() -> tuple[str, ...]:
    """The states of an action that is done or dropped: it no longer counts as open."""
    return _registered().finished


def status_tones() -> Mapping[str, str]:
    """The badge tone of each action state, as planning's own pages show it."""
    return _registered().tones


def actions_for_user(user, board):
    """The actions the user may see, by the same rule as planning's pages."""
    return _registered().for_user(user, board)
