"""Actions (interventions): what is being done about quality, by whom, by when.

An action belongs to a unit (a school, or the board) and points at the standards, requirements
and own indicators it works on and at the herstelopdrachten it covers. Plans and goals hang
actions under them later; the picture and the coverage view read them already.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stelsel.frameworks.models import Requirement, Standard
from stelsel.organisations.models import Board, School
from stelsel.picture.models import Assignment, Indicator, Visit

USER = settings.AUTH_USER_MODEL


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    STALLED = "stalled", _("Stalled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Action(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="actions")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name=_("owner"),
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    standards = models.ManyToManyField(Standard, blank=True, related_name="+")
    requirements = models.ManyToManyField(Requirement, blank=True, related_name="+")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="actions")
    assignments = models.ManyToManyField(Assignment, blank=True, related_name="actions")
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up_actions",
        verbose_name=_("follow-up of visit"),
    )
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["board", "school"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="action_progress")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status not in (ActionStatus.DONE, ActionStatus.CANCELLED)

    def is_overdue(self, today=None) -> bool:
        return bool(self.is_open and self.due_on and self.due_on < (today or timezone.localdate()))
