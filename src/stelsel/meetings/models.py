"""The quality calendar: the tables where quality is discussed (meeting series), their rhythm,
the meetings held, their agenda, minutes and decisions; and each person's calendar feed.

Times are stored in UTC and planned in the board's local time (Europe/Amsterdam), so a table
that meets at 15:00 still meets at 15:00 after the clocks change.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stelsel.meetings.holidays import Region
from stelsel.organisations.models import Board, QualityOfficerProfile, School

USER = settings.AUTH_USER_MODEL


class Rhythm(models.TextChoices):
    """How often a table meets. `interval` and `months` qualify the rhythm."""

    WEEKS = "weeks", _("Every N weeks")
    MONTHS = "months", _("In chosen months")  # e.g. twice a year: [3, 10]; yearly: [6]
    NONE = "none", _("No fixed rhythm")


class HolidayRule(models.TextChoices):
    """What planning does with a meeting that falls in a school holiday of the table's region."""

    MOVE = "move", _("Move it to the same day of the next school week")
    FLAG = "flag", _("Keep it, and mark it as falling in the holiday")


class MeetingSeries(models.Model):
    """A table: who meets, how often, where, with which assignment and mandate."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meeting_series")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="meeting_series"
    )
    name = models.CharField(_("name of the table"), max_length=200)
    participants_text = models.CharField(_("participants"), max_length=300, blank=True)
    members = models.ManyToManyField(USER, blank=True, related_name="meeting_series")
    # The profiles of the quality officer's role that name this table (organisations' profile
    # reads them as `profile.meeting_series`). The table keeps its historical name.
    officer_profiles = models.ManyToManyField(
        QualityOfficerProfile,
        blank=True,
        related_name="meeting_series",
        db_table="organisations_qualityofficerprofile_meeting_series",
    )
    rhythm = models.CharField(_("rhythm"), max_length=8, choices=Rhythm.choices)
    interval = models.PositiveSmallIntegerField(_("every how many weeks"), null=True, blank=True)
    months = models.JSONField(_("months"), default=list, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), default=1)  # ISO: 1 = Monday
    week_of_month = models.PositiveSmallIntegerField(_("week of the month"), default=2)
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    first_date = models.DateField(_("first meeting"))
    last_date = models.DateField(_("last meeting"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    assignment = models.TextField(_("assignment (opdracht)"), blank=True)
    mandate = models.TextField(_("mandate"), blank=True)
    standard_agenda = models.TextField(_("standard agenda"), blank=True)
    holiday_rule = models.CharField(
        _("in a school holiday"),
        max_length=4,
        choices=HolidayRule.choices,
        default=HolidayRule.MOVE,
    )
    revision = models.PositiveIntegerField(default=1)  # compared on edit: no lost updates
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return self.name


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    state = models.CharField(max_length=10, choices=MeetingState.choices, default="planned")
    minutes = models.TextField(_("minutes"), blank=True)
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["board", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.series} {self.starts_at:%Y-%m-%d}"


class AgendaItem(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("agenda item"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    position = models.PositiveIntegerField(default=0)
    agenda_point = models.ForeignKey(
        "selfevaluation.AgendaPoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    action = models.ForeignKey(
        "planning.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class HolidayRegion(models.Model):
    """The school holiday region of a board (`school` empty) or of one of its schools.

    The ministry divides the country into regions by municipality, and a board's schools may
    lie in different regions; so the board sets its own region and a school may differ from
    it. A school without a row follows the board; a board without one has no known region, and
    then no meeting is moved or marked.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    region = models.CharField(_("holiday region"), max_length=6, choices=Region.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["board"],
                condition=models.Q(school__isnull=True),
                name="holiday_region_one_per_board",
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=models.Q(school__isnull=False),
                name="holiday_region_one_per_school",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school or self.board}: {self.region}"


def hash_feed_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's secret calendar address; only its hash is kept, and it can be revoked."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class ReminderOptOut(models.Model):
    """Someone who asked for no more reminder emails about actions."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="reminder_opt_out")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.user)


class ReminderSent(models.Model):
    """Which reminder went out for which action, so none is sent twice."""

    action = models.ForeignKey("planning.Action", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)  # week / day / overdue
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "kind", "due_on"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.kind}"
