"""Plans with their themes and goals, check-ins on goals, and actions.

Everything here belongs to a unit (a school, or the board). A plan runs for a period; its goals,
grouped under themes, say what it yields for pupils and when we are satisfied, and a school goal
names the board goal it serves. A check-in records a PDCA conversation on a goal. An action
(intervention) is what is being done about quality, by whom, by when: it may hang under a goal of
one of its unit's plans, and points at the standards, requirements and own indicators it works on
and at the herstelopdrachten it covers, which is why the picture and the coverage view read
actions too. Plans, goals and actions carry a revision, so a save on top of a newer one is
refused (`stelsel.lib.revisions`).
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
    goal = models.ForeignKey(
        "Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("goal"),
    )
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The links to standards and indicators are part of the history, so the picture on an
    # earlier date counts the actions that were open for each standard then (see picture.asof).
    history = HistoricalRecords(m2m_fields=["standards", "indicators"])

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


class PlanKind(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic plan")
    SCHOOL = "school", _("School plan")
    YEAR = "year", _("Year plan")
    IMPROVEMENT = "improvement", _("Improvement plan")


# Four-year plans are held to four ambitions and ten goals, a year to three themes (DOMAIN §6).
FOUR_YEAR_KINDS = {PlanKind.STRATEGIC, PlanKind.SCHOOL}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Plan(models.Model):
    """A plan of a unit (a school, or the board for `school` empty) for a period."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="plans")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="plans"
    )
    kind = models.CharField(_("kind of plan"), max_length=12, choices=PlanKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("start of the period"))
    ends_on = models.DateField(_("end of the period"))
    owner = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_plans",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("derived from"),
    )
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "title"]
        indexes = [models.Index(fields=["board", "school"])]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    """A result goal: what it yields for pupils, and when we are satisfied."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("theme"),
    )
    title = models.CharField(_("what it yields for pupils"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=200, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    owner = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_goals",
        verbose_name=_("owner"),
    )
    standards = models.ManyToManyField(Standard, blank=True, related_name="+")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="goals")
    serves = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="served_by",
        verbose_name=_("board goal it serves"),
    )
    position = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Progress(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    ACHIEVED = "achieved", _("Achieved")


class CheckIn(models.Model):
    """A PDCA conversation about one goal, following the conversation guide."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    held_on = models.DateField(_("date"), default=timezone.localdate)
    plan_text = models.TextField(
        _("Plan: what do we want to achieve, who is responsible?"), blank=True
    )
    do_text = models.TextField(_("Do: how is it going, what goes well?"), blank=True)
    check_text = models.TextField(_("Check: is it working, how can you see that?"), blank=True)
    act_text = models.TextField(_("Act: what is the next step, what must be kept?"), blank=True)
    securing_text = models.TextField(
        _("Securing: how is success recorded lastingly, does it fit the board's goals?"),
        blank=True,
    )
    measured = models.DecimalField(
        _("value measured"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    progress = models.CharField(_("progress"), max_length=10, choices=Progress.choices)
    evidence = models.ManyToManyField("picture.Evidence", blank=True, related_name="+")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.goal} ({self.held_on})"
