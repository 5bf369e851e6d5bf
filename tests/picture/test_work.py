"""The picture reads planning's actions through what planning registers in its `ready()`
(`picture.work`), never by importing planning."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from stelsel.picture import work
from stelsel.planning.models import Action, ActionStatus


def test_planning_registers_its_actions_when_django_starts():
    assert work.action_model() is Action
    assert set(work.finished_states()) == {ActionStatus.DONE, ActionStatus.CANCELLED}
    assert set(work.status_tones()) == set(ActionStatus.values)


def test_without_a_registration_the_picture_names_what_is_missing(monkeypatch):
    monkeypatch.setattr(work, "_registration", None)
    with pytest.raises(ImproperlyConfigured, match=r"PlanningConfig\.ready"):
        work.action_model()
