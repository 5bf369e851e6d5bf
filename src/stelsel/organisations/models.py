"""Boards (the tenants), their schools, memberships that give people roles, and invitations."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stelsel.organisations.roles import Role

BOARD_NUMBER_VALIDATOR = RegexValidator(r"^\d{5}$", _("A board number has exactly five digits."))
INSTELLINGSCODE_VALIDATOR = RegexValidator(
    r"^\d{2}[A-Z]{2}$", _("An instellingscode (BRIN) is two digits and two capital letters.")
)
VESTIGINGSCODE_VALIDATOR = RegexValidator(
    r"^\d{2}[A-Z]{2}\d{2}$", _("A vestigingscode is the BRIN followed by two digits.")
)


class Sector(models.TextChoices):
    PO = "po", _("Primary education")
    VO = "vo", _("Secondary education")
    SO = "so", _("Special education")
    MIXED = "mixed", _("Several sectors")


class SchoolKind(models.TextChoices):
    BO = "bo", _("Primary school (bo)")
    SBO = "sbo", _("Special primary school (sbo)")
    SO = "so", _("Special school (so)")
    VO = "vo", _("Secondary school (vo)")


KIND_SECTORS = {
    SchoolKind.BO: Sector.PO,
    SchoolKind.SBO: Sector.PO,
    SchoolKind.SO: Sector.SO,
    SchoolKind.VO: Sector.VO,
}


class InspectionJudgement(models.TextChoices):
    """The inspectorate's overall judgement of a school (the 'Goed' appreciation ended in 2023)."""

    VOLDOENDE = "voldoende", _("Sufficient")
    ONVOLDOENDE = "onvoldoende", _("Insufficient")
    ZEER_ZWAK = "zeer_zwak", _("Very weak")


class Board(models.Model):
    """A school board (bevoegd gezag): the tenant that owns everything it records."""

    name = models.CharField(_("name"), max_length=200)
    number = models.CharField(
        _("board number"),
        max_length=5,
        unique=True,
        validators=[BOARD_NUMBER_VALIDATOR],
        help_text=_("The five-digit bevoegd gezag number."),
    )
    sector = models.CharField(_("sector"), max_length=5, choices=Sector.choices, default=Sector.PO)
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in"),
        default=False,
        help_text=_("Members must set up an authenticator app before they can continue."),
    )
    benchmark_opt_in = models.BooleanField(
        _("take part in the benchmark"),
        default=False,
        help_text=_(
            "Share this board's self-evaluation averages, anonymously and only "
            "together with at least four other boards, and see the benchmark in return."
        ),
    )
    school_leaders_run_rounds = models.BooleanField(
        _("school leaders run their school's rounds"),
        default=False,
        help_text=_(
            "School leaders may create, open, close and share the self-evaluation rounds of "
            "their own school; the board's own rounds stay with the board office."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self) -> str:
        return self.name

    @property
    def board_id(self) -> int:
        return self.pk

    @property
    def is_single_school(self) -> bool:
        """An eenpitter: a board that runs exactly one school, whose executive is usually its
        school leader too (a rector-bestuurder)."""
        return self.schools.count() == 1


class School(models.Model):
    """A school location (vestiging), identified by instellingscode + vestigingscode."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("name"), max_length=200)
    instellingscode = models.CharField(
        _("instellingscode (BRIN)"), max_length=4, validators=[INSTELLINGSCODE_VALIDATOR]
    )
    vestigingscode = models.CharField(
        _("vestigingscode"), max_length=6, unique=True, validators=[VESTIGINGSCODE_VALIDATOR]
    )
    kind = models.CharField(_("kind"), max_length=3, choices=SchoolKind.choices)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    denomination = models.CharField(_("denomination"), max_length=100, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    inspection_judgement = models.CharField(
        _("latest inspection judgement"),
        max_length=12,
        choices=InspectionJudgement.choices,
        blank=True,
    )
    inspection_judgement_date = models.DateField(_("date of that judgement"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        indexes = [models.Index(fields=["board", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        return KIND_SECTORS[self.kind]


class Membership(models.Model):
    """A person's role on a board, or on one school of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "board", "role"],
                condition=Q(school__isnull=True),
                name="membership_unique_board_role",
            ),
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                condition=Q(school__isnull=False),
                name="membership_unique_school_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.school or self.board
        return f"{self.user} – {self.get_role_display()} – {where}"


INVITATION_DAYS = 14


def hash_invitation_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use link inviting someone by email to a role; only the token's hash is kept."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="invitations")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=INVITATION_DAYS)

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


# --- Who does what: the board's quality processes and the quality officer's role -----------


class RaciLetter(models.TextChoices):
    """A role's part in a process. Per process exactly one role is accountable (RACI)."""

    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class QualityProcess(models.Model):
    """One process of the board's quality care (setting the strategic plan, self-evaluation,
    preparing an inspection visit, ...), with the part each role plays in it."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="quality_processes")
    name = models.CharField(_("process"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # The default process this one was started from (empty for the board's own): starting from
    # the defaults again skips it even after it was renamed or translated.
    default_key = models.CharField(max_length=40, blank=True)
    revision = models.PositiveIntegerField(default=1)  # compared on edit: no lost updates
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("quality process")
        verbose_name_plural = _("quality processes")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "default_key"],
                condition=~Q(default_key=""),
                name="quality_process_unique_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProcessResponsibility(models.Model):
    """The letter one role has in one process; a role without a part has no row."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    process = models.ForeignKey(
        QualityProcess, on_delete=models.CASCADE, related_name="responsibilities"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    letter = models.CharField(_("part"), max_length=1, choices=RaciLetter.choices)

    class Meta:
        ordering = ["process", "role"]
        constraints = [
            models.UniqueConstraint(fields=["process", "role"], name="responsibility_one_per_role"),
            # At most one accountable role per process, also when two saves cross.
            models.UniqueConstraint(
                fields=["process"],
                condition=Q(letter="A"),
                name="responsibility_one_accountable",
            ),
            models.CheckConstraint(
                condition=Q(letter__in=["R", "A", "C", "I"]), name="responsibility_letter_raci"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process} – {self.get_role_display()}: {self.letter}"


class QualityOfficerProfile(models.Model):
    """What the board asks of its quality officer: tasks, ambitions, the tables they sit at,
    their influence and its boundaries. One per board; `user` names the quality officer it
    describes, or is empty when it describes the role in general.

    The tables the role sits at are `meeting_series`, a relation the quality calendar declares
    (`MeetingSeries.officer_profiles`): the calendar lies above organisations."""

    board = models.OneToOneField(
        Board, on_delete=models.CASCADE, related_name="quality_officer_profile"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quality officer"),
    )
    tasks = models.TextField(_("tasks"), blank=True)
    ambitions = models.TextField(_("ambitions"), blank=True)
    tables = models.TextField(_("tables"), blank=True)
    influence = models.TextField(_("influence"), blank=True)
    boundaries = models.TextField(_("boundaries"), blank=True)
    revision = models.PositiveIntegerField(default=1)  # compared on edit: no lost updates
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quality officer profile")

    def __str__(self) -> str:
        return f"{self.board}: {self.user or _('the role in general')}"
