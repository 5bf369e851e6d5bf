"""Quality reports: templates, reports, their versions and sections, review comments and the
files made from an issued version.

A report is a document about a unit (one school, a selection of schools, or the board) over a
period. It lives in versions: one is worked on (draft, then in review); issuing a version freezes
it, storing every section as it stood (`ReportVersion.snapshot`) with a hash of that content. An
issued version never changes again; a correction is the next version of the same report.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stelsel.organisations.models import Board, School

USER = settings.AUTH_USER_MODEL


class Audience(models.TextChoices):
    """Who a template is written for; it decides the unit a report of it is about."""

    SCHOOL = "school", _("A school (the board–school conversation)")
    BOARD = "board", _("The board (supervisory board, annual report, inspection)")


class ReportTemplate(models.Model):
    """An ordered list of sections. Library templates (no board) are versioned data; a board
    copies one and adapts its copy, which reports then start from."""

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, null=True, blank=True, related_name="report_templates"
    )
    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("about"), max_length=10, choices=Audience.choices)
    # [{"kind": "text"|"block", "title": str, "block": key ("" for text), "prompt": str}, …]
    sections = models.JSONField(default=list)
    content_hash = models.CharField(max_length=64, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"],
                condition=models.Q(board__isnull=True),
                name="report_template_library_version",
            ),
        ]
        ordering = ["name", "version"]

    def __str__(self):
        return self.name


class Report(models.Model):
    """A report about a unit over a period. `school` set: about that school; `school` empty:
    about the board, or about the schools in `selection` when that is not empty."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="reports")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    selection = models.ManyToManyField(School, blank=True, related_name="selected_in_reports")
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="reports")
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="reports_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "title", "pk"]
        indexes = [models.Index(fields=["board", "school"])]

    def __str__(self):
        return self.title


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    ISSUED = "issued", _("Issued")


class ReportVersion(models.Model):
    """One version of a report. Until it is issued its sections are edited and its blocks show
    the data as they stand; once issued, `snapshot` holds all it says and nothing changes."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(
        _("state"), max_length=10, choices=VersionState.choices, default=VersionState.DRAFT
    )
    revision = models.PositiveIntegerField(default=1)
    correction_reason = models.TextField(_("what this version corrects"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_number"),
            # One version is worked on at a time.
            models.UniqueConstraint(
                fields=["report"],
                condition=~models.Q(state="issued"),
                name="report_one_open_version",
            ),
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"

    @property
    def is_issued(self) -> bool:
        return self.state == VersionState.ISSUED


class SectionKind(models.TextChoices):
    TEXT = "text", _("Text")
    BLOCK = "block", _("Data from Stelsel")


class ReportSection(models.Model):
    """A section of a version: text written by people (`text`, in a small Markdown), or a data
    block (`block`) filled from Stelsel; a block may carry an introduction in `text`."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=SectionKind.choices)
    block = models.CharField(max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    prompt = models.CharField(max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "position"]

    def __str__(self):
        return self.title


class SectionComment(models.Model):
    """A reviewer's remark on a section, answered by marking it resolved."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["section", "created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class OutputFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    XLSX = "xlsx", "Excel"


class RenderState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportFile(models.Model):
    """A file made from an issued version by the task worker. The content follows from the
    frozen snapshot, so a file once made is kept and offered again."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=5, choices=OutputFormat.choices)
    state = models.CharField(max_length=10, choices=RenderState.choices, default=RenderState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    notified = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "format"], name="report_file_format"),
        ]

    def __str__(self):
        return f"{self.version} {self.format}"


class InspectorShare(models.Model):
    """An issued version added to an inspector's link: the inspector reads it, from its
    snapshot, through the link's token for as long as the link is valid."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(
        "picture.InspectorLink", on_delete=models.CASCADE, related_name="report_shares"
    )
    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="inspector_shares"
    )
    added_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "version"], name="report_inspector_share"),
        ]

    def __str__(self):
        return f"{self.version} → {self.link}"
