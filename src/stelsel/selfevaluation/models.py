"""Self-evaluation: versioned questionnaires, rounds, invitations and anonymous responses.

Anonymity is built into the tables. `Response`, `Answer` and `Comment` have no link to a person,
an invitation or a device, carry the date only, and use random ids (no insertion order to line
up with anything). Whether an invitation was used is recorded in `Completion`, a separate table,
also with the date only. Drafts of an interrupted respondent are kept apart and deleted on
submission.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stelsel.frameworks.models import FrameworkVersion, Requirement, Standard
from stelsel.organisations.models import Board, School


class Perspective(models.TextChoices):
    BOARD = "board", _("Board")
    SCHOOL_LEADERS = "school_leaders", _("School leaders")
    QUALITY_STAFF = "quality_staff", _("Quality staff")
    SUPERVISORS = "supervisors", _("Supervisory board")
    COUNCIL = "council", _("Participation council")
    TEACHERS = "teachers", _("Teachers")
    CUSTOM = "custom", _("Custom group")


class Questionnaire(models.Model):
    """A questionnaire of the library (board = None) or composed by one board."""

    slug = models.SlugField(max_length=80)
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, null=True, blank=True, related_name="questionnaires"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(board__isnull=True),
                name="questionnaire_library_slug_unique",
            ),
            models.UniqueConstraint(fields=["board", "slug"], name="questionnaire_board_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionnaireVersion(models.Model):
    """An immutable version: rounds point at it, a change is a new version."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(
        _("level"), max_length=6, choices=[("board", _("Board")), ("school", _("School"))]
    )
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="questionnaire_versions"
    )
    scale_code = models.CharField(max_length=40)
    scale_points = models.JSONField(help_text="[{value, label}, …] from low to high")
    dont_know_label = models.CharField(max_length=100)
    perspectives = models.JSONField(default=list)
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["questionnaire__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "version"], name="questionnaire_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def scale_min(self) -> int:
        return min(p["value"] for p in self.scale_points)

    @property
    def scale_max(self) -> int:
        return max(p["value"] for p in self.scale_points)


class Section(models.Model):
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="sections"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    intro = models.TextField(blank=True)
    comment_prompt = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return str(self.standard)


class Item(models.Model):
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="items"
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(max_length=30)
    text = models.TextField()
    wording = models.JSONField(default=dict, blank=True)
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["section__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire_version", "code"], name="item_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def text_for(self, perspective: str) -> str:
        return self.wording.get(perspective) or self.text


class RoundState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    SHARED = "shared", _("Results shared")


MIN_K = 3
DEFAULT_K = 5
MIN_K_TEXT = 10


class Round(models.Model):
    """One run of a questionnaire for the board or one school."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="rounds")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="rounds"
    )
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    k = models.PositiveSmallIntegerField(_("anonymity threshold"), default=DEFAULT_K)
    k_text = models.PositiveSmallIntegerField(_("threshold for comments"), default=MIN_K_TEXT)
    state = models.CharField(
        _("state"), max_length=6, choices=RoundState.choices, default=RoundState.DRAFT
    )
    shared_with = models.JSONField(_("results shared with roles"), default=list, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)  # compared on edit: no lost updates
    # Started by the school's own leader (the board allowing it): only such rounds are theirs
    # to run; a round the board office started for the school stays the board office's.
    run_by_school = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        indexes = [models.Index(fields=["board", "state"])]

    def __str__(self) -> str:
        return self.title


def meeting_code_grouped(code: str) -> str:
    """A meeting code in groups of four (ABCD-EFGH), to read aloud and copy from the screen;
    older 12-character codes show as three groups."""
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


class RoundPerspective(models.Model):
    """A respondent group of a round, with its meeting code for answering in the room."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="perspectives")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20, choices=Perspective.choices)
    name = models.CharField(max_length=100, blank=True, help_text="Name of a custom group.")
    meeting_code = models.CharField(
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        help_text="Shown in the room (as a QR code) while the round is open; not a secret of "
        "one person, so it is stored as it is.",
    )
    meeting_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="At most this many responses by the meeting code."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "code", "name"], name="round_perspective_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.get_code_display()

    @property
    def meeting_code_grouped(self) -> str:
        return meeting_code_grouped(self.meeting_code or "")


class RespondentInvitation(models.Model):
    """A personal single-use link for one respondent. Knows nothing of the answers given."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    perspective = models.ForeignKey(
        RoundPerspective, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    previous_token_hash = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text="The link before the last reminder, which keeps working for an open form.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["perspective__position", "email"]
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="respondent_unique_email")
        ]

    def __str__(self) -> str:
        return self.email


class Completion(models.Model):
    """That an invitation was used. Kept apart from the answers, and without a date: a date
    could be matched with a response's date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invitation = models.OneToOneField(
        RespondentInvitation, on_delete=models.CASCADE, related_name="completion"
    )

    def __str__(self) -> str:
        return f"completed {self.invitation_id}"


class Draft(models.Model):
    """Answers in progress, so an interrupted respondent can continue. Deleted on submission.

    Keyed by the hash of the invitation token or of a per-device key for meeting codes.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    updated_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return f"draft of {self.updated_on}"


class UsedSubmission(models.Model):
    """Hashes of submission keys already used, so a replayed or double submit counts once."""

    key_hash = models.CharField(max_length=64, primary_key=True)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.key_hash[:12]


class Response(models.Model):
    """One respondent's answers: the round, the perspective and the day, nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    perspective = models.ForeignKey(
        RoundPerspective, on_delete=models.CASCADE, related_name="responses"
    )
    submitted_on = models.DateField()
    batch = models.PositiveSmallIntegerField(
        default=0, help_text="0 before the round first closed, 1 after it was reopened."
    )

    def __str__(self) -> str:
        return f"response of {self.submitted_on}"


class Answer(models.Model):
    """One answer. Round and perspective are repeated from the response so that results are
    one grouped scan of this table (with its covering index), not a join over every answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    perspective = models.ForeignKey(RoundPerspective, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    dont_know = models.BooleanField(default=False)
    batch = models.PositiveSmallIntegerField(default=0, help_text="As on the response.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_once_per_item"),
            models.CheckConstraint(
                condition=(
                    models.Q(dont_know=True, value__isnull=True)
                    | models.Q(dont_know=False, value__isnull=False)
                ),
                name="answer_value_or_dont_know",
            ),
        ]
        indexes = [
            models.Index(
                fields=["round", "perspective", "batch", "item", "value", "dont_know"],
                name="answer_results",
            ),
            models.Index(
                fields=["round", "perspective", "batch", "item"],
                condition=models.Q(dont_know=True),
                name="answer_dont_know",
            ),
        ]

    def __str__(self) -> str:
        return "?" if self.dont_know else str(self.value)


class Comment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="comments")
    text = models.TextField()

    def __str__(self) -> str:
        return self.text[:40]


class ResultCount(models.Model):
    """Answer counts of a closed round per perspective, batch, item and value (None: don't
    know).

    Written once when the round closes (no answer can arrive after that) and read by every
    results page, export and API call, so results cost a few hundred rows whatever the number
    of respondents. Which of them a reader sees is the round's latest `Release`. Reopening the
    round removes them.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="result_counts")
    perspective = models.ForeignKey(RoundPerspective, on_delete=models.CASCADE, related_name="+")
    batch = models.PositiveSmallIntegerField(default=0)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["round", "perspective"], name="result_count_round")]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}: {self.n}"


class Release(models.Model):
    """What one close of a round showed: per perspective the batches its figures count, the
    statements shown and whose comments (`releases.py`). Kept for good, because the next
    release after a reopening is checked against it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="releases")
    batch = models.PositiveSmallIntegerField(
        help_text="The last batch of answers it considered: 0 at the first close, 1 after a "
        "reopening."
    )
    made_on = models.DateField(default=timezone.localdate)
    groups = models.JSONField(default=dict)

    class Meta:
        ordering = ["round", "batch"]
        constraints = [
            models.UniqueConstraint(fields=["round", "batch"], name="release_once_per_batch")
        ]

    def __str__(self) -> str:
        return f"release {self.batch} of round {self.round_id}"


class AgendaPoint(models.Model):
    """A point for the conversation about a round's results: generated from the results
    (largest gaps, lowest scores, most "don't know") or added by the organiser."""

    class Kind(models.TextChoices):
        GAP = "gap", _("Perspectives differ")
        LOW = "low", _("Low score")
        DONT_KNOW = "dont_know", _("Many don't know")
        OWN = "own", _("Own point")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="agenda")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    question = models.TextField(_("question for the conversation"))
    note = models.TextField(_("notes"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.question[:60]
