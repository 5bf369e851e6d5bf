"""The quality picture: per unit (a school, or the board itself) × standard, where quality stands
and why; the evidence behind it; herstelopdrachten; inspection visits and the inspector's link.

A *picture* is one unit's view on one framework version for one period. Its *entries* are the
framework's standards (the requirements perspective) and the board's own indicators (any
perspective). Entries carry a revision number so two people editing the same standard cannot
overwrite each other, and a history, so the picture can be shown as it stood on any date.
Evidence, actions and herstelopdrachten point at standards and indicators, not at entries: they
outlive a period, and a new period sees them at once.
"""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stelsel.frameworks.models import Framework, FrameworkVersion, Requirement, ScaleLevel, Standard
from stelsel.organisations.models import Board, School

USER = settings.AUTH_USER_MODEL


class Perspective(models.TextChoices):
    """The three ways of looking at quality that users of picture tools know."""

    REQUIREMENTS = "requirements", _("Requirements")
    AMBITIONS = "ambitions", _("Ambitions")
    EXPECTATIONS = "expectations", _("Expectations")


class IndicatorLevel(models.TextChoices):
    SCHOOL = "school", _("Schools")
    BOARD = "board", _("Board")
    BOTH = "both", _("Schools and board")


def indicator_levels(school) -> set[str]:
    """The levels of the indicators a unit uses: the board's own, or a school's."""
    return {IndicatorLevel.BOTH, IndicatorLevel.BOARD if school is None else IndicatorLevel.SCHOOL}


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(models.Model):
    """A board's own indicator, beside the framework's standards, in any perspective.

    With a unit it is also measured (absence, pupils on 1 October, satisfaction): its
    measurements, norm and target feed early warning and the goals that point at it.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="indicators")
    perspective = models.CharField(_("perspective"), max_length=12, choices=Perspective.choices)
    level = models.CharField(
        _("applies to"), max_length=6, choices=IndicatorLevel.choices, default=IndicatorLevel.BOTH
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(_("in use"), default=True)
    unit = models.CharField(_("unit of measurement"), max_length=30, blank=True)
    direction = models.CharField(
        _("which direction is better"),
        max_length=6,
        choices=Direction.choices,
        default=Direction.HIGHER,
    )
    norm = models.DecimalField(
        _("own norm"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["perspective", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["board", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class PictureState(models.TextChoices):
    CURRENT = "current", _("Current")
    CLOSED = "closed", _("Closed")


class Picture(models.Model):
    """One unit's picture on one framework version for one period."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="pictures")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="pictures"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="pictures"
    )
    period = models.CharField(_("period"), max_length=40)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    state = models.CharField(max_length=8, choices=PictureState.choices, default="current")
    closed_at = models.DateTimeField(null=True, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # After a move to a new framework version: {new standard id: [old standard ids]}, so the
    # new entries still find the herstelopdrachten recorded against the old standards.
    standard_mapping = models.JSONField(default=dict, blank=True)
    # When a status in this picture last changed; kept by `entry_update`, so the board
    # overview reads one date per school instead of aggregating every entry.
    last_judged_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school__name", "framework_version__name", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "framework"],
                condition=Q(state="current", school__isnull=False),
                name="picture_one_current_per_school",
            ),
            models.UniqueConstraint(
                fields=["board", "framework"],
                condition=Q(state="current", school__isnull=True),
                name="picture_one_current_per_board",
            ),
        ]
        indexes = [models.Index(fields=["board", "state"])]

    def __str__(self) -> str:
        return f"{self.school or self.board} – {self.framework_version.name} ({self.period})"

    @property
    def is_current(self) -> bool:
        return self.state == PictureState.CURRENT


class Entry(models.Model):
    """One standard or own indicator in a picture: its status and its substantiation."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    picture = models.ForeignKey(Picture, on_delete=models.CASCADE, related_name="entries")
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    status = models.ForeignKey(
        ScaleLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    judged_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    judged_at = models.DateTimeField(null=True, blank=True)
    requirements_met = models.JSONField(default=list, blank=True)
    ambitions = models.TextField(_("what the plans aim for"), blank=True)
    visible = models.TextField(_("how it is visible in the school"), blank=True)
    secured = models.TextField(_("how it is secured"), blank=True)
    accounted = models.TextField(_("how and when it is accounted for"), blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = [
            "picture",
            "standard__position",
            "indicator__perspective",
            "indicator__position",
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(standard__isnull=False, indicator__isnull=True)
                | Q(standard__isnull=True, indicator__isnull=False),
                name="entry_standard_or_indicator",
            ),
            models.UniqueConstraint(fields=["picture", "standard"], name="entry_standard_unique"),
            models.UniqueConstraint(fields=["picture", "indicator"], name="entry_indicator_unique"),
        ]

    def __str__(self) -> str:
        return str(self.standard or self.indicator)

    @property
    def perspective(self) -> str:
        return self.indicator.perspective if self.indicator_id else Perspective.REQUIREMENTS

    @property
    def code(self) -> str:
        return (self.standard or self.indicator).code

    @property
    def title(self) -> str:
        return self.standard.name if self.standard_id else self.indicator.title


class MessageKind(models.TextChoices):
    INPUT = "input", _("Input")
    FEEDBACK = "feedback", _("Feedback")
    REPLY = "reply", _("Reply")


class EntryMessage(models.Model):
    """Input from staff and the board's feedback on a judgement, as a thread per entry."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=8, choices=MessageKind.choices)
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")
    RESULTS = "results", _("Self-evaluation results")


class Evidence(models.Model):
    """A document, link or self-evaluation result that supports one or more standards."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="evidence")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    round = models.ForeignKey(
        "selfevaluation.Round",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("self-evaluation round"),
    )
    effective_on = models.DateField(_("effective from"), default=timezone.localdate)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    standards = models.ManyToManyField(Standard, blank=True, related_name="+")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="evidence")
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The links are part of the history, so the picture on an earlier date counts the evidence
    # that supported each standard then (see picture.asof).
    history = HistoricalRecords(m2m_fields=["standards", "indicators"])

    class Meta:
        ordering = ["-effective_on", "title"]
        indexes = [models.Index(fields=["board", "school"])]

    def __str__(self) -> str:
        return self.title

    def is_expired(self, today=None) -> bool:
        return bool(self.expires_on and self.expires_on < (today or timezone.localdate()))


def evidence_upload_to(instance, filename: str) -> str:
    """Stored names are random: nothing of the uploaded name reaches the file system."""
    return f"evidence/{instance.board_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    """One version of an uploaded document; a new upload adds a version and keeps the old."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=evidence_upload_to, max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["evidence", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "version"], name="evidence_file_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class VisitKind(models.TextChoices):
    FOUR_YEARLY = "four_yearly", _("Four-yearly investigation")
    VERIFICATION = "verification", _("Verification visit")
    FOLLOW_UP = "follow_up", _("Follow-up investigation")
    THEMATIC = "thematic", _("Thematic investigation")


class Visit(models.Model):
    """An inspection visit to a school or to the board."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="visits")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="visits"
    )
    kind = models.CharField(_("kind of visit"), max_length=12, choices=VisitKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    notes = models.TextField(_("what we want to tell"), blank=True)
    documents = models.ManyToManyField(Evidence, blank=True, related_name="visits")
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title


class ChecklistTemplateItem(models.Model):
    """A board's preparation checklist, copied into each new visit."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="checklist_template")
    position = models.PositiveIntegerField()
    text = models.CharField(_("step"), max_length=300)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class VisitChecklistItem(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="checklist")
    position = models.PositiveIntegerField()
    text = models.CharField(_("step"), max_length=300)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class VisitNote(models.Model):
    """A factual note written during the visit; notes are added, never edited."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="log")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class AssignmentKind(models.TextChoices):
    HERSTEL = "herstel", _("Herstelopdracht")
    ONTWIKKEL = "ontwikkel", _("Ontwikkelopdracht")


class FollowUpOutcome(models.TextChoices):
    PENDING = "", _("Not yet investigated")
    SUFFICIENT = "sufficient", _("Sufficient")
    INSUFFICIENT = "insufficient", _("Insufficient")


class Assignment(models.Model):
    """A herstelopdracht or ontwikkelopdracht from an inspection report."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="assignments")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=AssignmentKind.choices, default=AssignmentKind.HERSTEL
    )
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="+", verbose_name=_("standard")
    )
    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requirement"),
    )
    text = models.TextField(_("text of the assignment"))
    deadline = models.DateField(_("deadline"))
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("source visit"),
    )
    follow_up_on = models.DateField(_("date of the follow-up investigation"), null=True, blank=True)
    follow_up_outcome = models.CharField(
        _("outcome of the follow-up"),
        max_length=12,
        choices=FollowUpOutcome.choices,
        blank=True,
        default=FollowUpOutcome.PENDING,
    )
    follow_up_note = models.TextField(_("note on the follow-up"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["board", "school"])]

    def __str__(self) -> str:
        code = self.requirement.code if self.requirement_id else self.standard.code
        return f"{self.get_kind_display()} {code}"


INSPECTOR_LINK_DAYS = 14


def hash_link_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class InspectorLink(models.Model):
    """A read-only, time-limited, revocable link to one unit's picture and chosen documents."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="inspector_links")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="links"
    )
    label = models.CharField(_("for whom"), max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    documents = models.ManyToManyField(Evidence, blank=True, related_name="+")
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=INSPECTOR_LINK_DAYS)

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"


class InspectorAccess(models.Model):
    """Every use of an inspector's link: when, and what was opened."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(InspectorLink, on_delete=models.CASCADE, related_name="accesses")
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=300)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.what}"
