"""Support programmes and the trajectories they run with school boards.

A programme (run by a programme office for a funder) admits boards in cohorts (*jaargangen*) and
pairs each with an advisor for about a year. Its catalogues (support needs, interventions,
attention quadrants, the questions of the triangle conversation) are data the programme adapts;
new programmes start from the defaults in `library/defaults.yaml`.

A trajectory is one *case*: a board admitted to a cohort, or a case imported from a programme's
records of a past cohort (no board, only a label). The research on such programmes describes each
case in a fixed way (needs, interventions used, where the attention went), which is what the
analytics count. Trajectory records belong to the programme; the board's own quality data stays
the board's and is reached by an advisor only through a consent the board can withdraw.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stelsel.organisations.models import Board, Membership, Sector
from stelsel.planning.models import Plan
from stelsel.selfevaluation.models import Round

USER = settings.AUTH_USER_MODEL


class ProgrammeRole(models.TextChoices):
    """Roles on a programme, beside the roles on a board (`organisations.roles`)."""

    OFFICE = "office", _("Programme office")
    ADVISOR = "advisor", _("Programme advisor")
    RESEARCHER = "researcher", _("Researcher")


class Programme(models.Model):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=5, choices=Sector.choices, default=Sector.PO)
    description = models.TextField(_("description"), blank=True)
    # {"multi_school": [{"key", "text", "check"}], "single_school": [...]}: what a board must meet;
    # `check` names a rule Stelsel can test on what it knows (eligibility.CHECKS), or "" for one
    # only the office can confirm.
    eligibility = models.JSONField(default=dict, blank=True)
    # The programme's question list for the triangle conversations: [str, …].
    triangle_questions = models.JSONField(default=list, blank=True)
    default_months = models.PositiveSmallIntegerField(_("duration in months"), default=12)
    created_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProgrammeMembership(models.Model):
    """A person's role on a programme. An advisor's load and expertise are what matching shows."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="programme_memberships")
    role = models.CharField(_("role"), max_length=20, choices=ProgrammeRole.choices)
    expertise = models.TextField(_("expertise"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("trajectories at once"), default=4)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "role"], name="programme_membership_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "programme"])]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class Cohort(models.Model):
    """A *jaargang*: the boards admitted for one period, up to the cohort's capacity."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    open_for_applications = models.BooleanField(_("open for applications"), default=False)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique")
        ]
        ordering = ["programme", "name"]

    def __str__(self):
        return self.name


class PlayingField(models.TextChoices):
    """The four questions of the playing field on which support needs are placed."""

    BOARD_ACTION = "board_action", _("What the board does itself")
    SCHOOL_LEADERSHIP = "school_leadership", _("What the board has school leaders do")
    SYSTEMS = "systems", _("Systems, agreements and monitoring")
    CONTEXT = "context", _("Context factors")


class SupportNeed(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="needs")
    name = models.CharField(_("name"), max_length=200)
    field = models.CharField(_("playing field"), max_length=20, choices=PlayingField.choices)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="support_need_name_unique")
        ]
        ordering = ["programme", "position", "name"]

    def __str__(self):
        return self.name


class Aim(models.TextChoices):
    BOARD = "B", _("The board itself (B)")
    SURROUNDINGS = "O", _("Its surroundings (O)")
    BOTH = "B O", _("Both (B O)")


class Kind(models.TextChoices):
    CONTENT = "I", _("Content (I)")
    PROCESS = "P", _("Process (P)")
    BOTH = "I P", _("Both (I P)")


class Intervention(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="interventions")
    name = models.CharField(_("name"), max_length=200)
    aim = models.CharField(_("aimed at"), max_length=3, choices=Aim.choices)
    kind = models.CharField(_("about"), max_length=3, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="intervention_name_unique")
        ]
        ordering = ["programme", "position", "name"]

    def __str__(self):
        return self.name


class QuadrantKey(models.TextChoices):
    """The four quadrants of the two axes (the board as a person or the organisation it
    governs; directing or executing tasks). The keys are fixed; a programme names them."""

    PERSON_DIRECTING = "person_directing", _("Person, directing")
    PERSON_EXECUTING = "person_executing", _("Person, executing")
    ORGANISATION_DIRECTING = "organisation_directing", _("Organisation, directing")
    ORGANISATION_EXECUTING = "organisation_executing", _("Organisation, executing")


class AttentionQuadrant(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="quadrants")
    key = models.CharField(max_length=30, choices=QuadrantKey.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="attention_quadrant_unique")
        ]

    def __str__(self):
        return self.name


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ADMITTED = "admitted", _("Admitted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


LIVE_APPLICATION = Q(state__in=[ApplicationState.SUBMITTED, ApplicationState.ADMITTED])


class Application(models.Model):
    """A board's application to a cohort, filled in by its executive."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    question = models.TextField(_("support question"))
    motivation = models.TextField(_("why now"), blank=True)
    single_school_board = models.BooleanField(_("single-school board"), default=False)
    # {"claimed": [key, …], "found": {key: [what Stelsel found, …]}, "confirmed": [key, …]}
    criteria = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=12, choices=ApplicationState.choices, default=ApplicationState.SUBMITTED
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # A board applies once to a programme's cohort while the application stands.
            models.UniqueConstraint(
                fields=["cohort", "board"], condition=LIVE_APPLICATION, name="application_once"
            )
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.board} → {self.cohort}"


class Phase(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ANALYSIS = "analysis", _("Analysis of policy documents")
    SELF_EVALUATION = "self_evaluation", _("Self-evaluation on BKA1-3")
    CONVERSATIONS = "conversations", _("Conversations")
    ADVICE = "advice", _("Advice")
    PLAN = "plan", _("Plan of approach")
    EXECUTION = "execution", _("Carrying it out")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSED = "closed", _("Closed")


PHASE_ORDER = list(Phase.values)


class Trajectory(models.Model):
    """One case of a cohort: a board with its advisor, or an imported past case (no board)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="trajectories")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="trajectories")
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, null=True, blank=True, related_name="trajectories"
    )
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="trajectory"
    )
    label = models.CharField(_("case"), max_length=100)
    single_school_board = models.BooleanField(_("single-school board"), default=False)
    advisor = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="advised_trajectories"
    )
    # The start conversation: the question behind the question, sharpened and recorded.
    question = models.TextField(_("support question"), blank=True)
    intake_on = models.DateField(_("start conversation on"), null=True, blank=True)
    intake_notes = models.TextField(_("start conversation"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    commitment = models.TextField(_("the board's commitment"), blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.INTAKE)
    needs = models.ManyToManyField(SupportNeed, blank=True, related_name="trajectories")
    round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The advisor divides 4 points over the quadrants; all four empty until then.
    person_directing = models.PositiveSmallIntegerField(null=True, blank=True)
    person_executing = models.PositiveSmallIntegerField(null=True, blank=True)
    organisation_directing = models.PositiveSmallIntegerField(null=True, blank=True)
    organisation_executing = models.PositiveSmallIntegerField(null=True, blank=True)
    insights = models.TextField(_("insights the board gained"), blank=True)
    end_evaluation = models.TextField(_("the board's end evaluation"), blank=True)
    end_evaluated_at = models.DateTimeField(null=True, blank=True)
    imported = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="trajectory_attention_four_points",
                condition=Q(
                    person_directing__isnull=True,
                    person_executing__isnull=True,
                    organisation_directing__isnull=True,
                    organisation_executing__isnull=True,
                )
                | Q(
                    person_directing__isnull=False,
                    person_executing__isnull=False,
                    organisation_directing__isnull=False,
                    organisation_executing__isnull=False,
                    person_directing__lte=4,
                    person_executing__lte=4,
                    organisation_directing__lte=4,
                    organisation_executing__lte=4,
                ),
            ),
            models.UniqueConstraint(fields=["cohort", "label"], name="trajectory_label_unique"),
        ]
        indexes = [models.Index(fields=["board", "programme"])]
        ordering = ["cohort", "label"]

    def __str__(self):
        return self.label

    @property
    def attention(self) -> dict[str, int] | None:
        values = {key: getattr(self, key) for key in QuadrantKey.values}
        return None if None in values.values() else values


class InterventionLog(models.Model):
    """The advisor's log: what was done, when, with whom. Stays when consent ends."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="log")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    with_whom = models.CharField(_("with whom"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["trajectory", "intervention"])]

    def __str__(self):
        return f"{self.on}: {self.intervention}"


class Recontract(models.Model):
    """The support question changed during the trajectory: what it was, what it became, why."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="recontracts")
    on = models.DateField(_("date"))
    previous_question = models.TextField()
    question = models.TextField(_("new support question"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.on}: {self.reason[:40]}"


class TriangleConversation(models.Model):
    """One of the two three-way conversations (programme lead, board, advisor)."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="triangle_conversations"
    )
    number = models.PositiveSmallIntegerField(_("conversation"))
    held_on = models.DateField(_("held on"))
    lead = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # [{"question": str, "answer": str}, …] along the programme's question list at the time.
    report = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "number"], name="triangle_once"),
            models.CheckConstraint(name="triangle_one_or_two", condition=Q(number__in=[1, 2])),
        ]
        ordering = ["trajectory", "number"]

    def __str__(self):
        return f"{self.trajectory} #{self.number}"


class Consent(models.Model):
    """The board lets the trajectory's advisor read its Stelsel data, until it withdraws.

    While a consent stands, the advisor holds an advisor membership of the board
    (`membership`); withdrawing removes it at once. The trajectory's own records stay."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="consents")
    advisor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    withdrawn_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_standing",
            )
        ]
        ordering = ["-granted_at"]

    def __str__(self):
        return f"{self.trajectory}: {self.advisor}"


class SizeBand(models.TextChoices):
    SINGLE = "single", _("Single-school boards")
    SMALL = "small", _("2 to 5 schools")
    MEDIUM = "medium", _("6 to 15 schools")
    LARGE = "large", _("16 schools or more")


class PeerGroup(models.Model):
    """A network group of boards of about the same size, meeting during the cohort."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="peer_groups")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="peer_groups")
    name = models.CharField(_("name"), max_length=200)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices)
    trajectories = models.ManyToManyField(Trajectory, blank=True, related_name="peer_groups")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cohort", "name"]

    def __str__(self):
        return self.name


class PeerMeeting(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.held_on}: {self.topic}"


class Attendance(models.Model):
    meeting = models.ForeignKey(PeerMeeting, on_delete=models.CASCADE, related_name="attendance")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "trajectory"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.meeting}: {self.trajectory}"
