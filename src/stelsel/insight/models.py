"""Data and early warning: the inspectorate's norms, results per school, own measurements, signals.

Years are school years named by the calendar year in which they end: 2025 is 2024-2025, the year
of the 2025 doorstroomtoets. A results period is three such years (2023-2025); the schoolweging
applied to it is the mean over the three school years before its last one (2022-2024).

Stelsel holds aggregates per school only: percentages, counts and means, never a pupil.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stelsel.organisations.models import Board, School
from stelsel.picture.models import Indicator

USER = settings.AUTH_USER_MODEL
PERCENT = {"max_digits": 5, "decimal_places": 2}


class PoIndicator(models.TextChoices):
    FUNDAMENTAL = "1F", _("1F (fundamental level)")
    TARGET = "1S/2F", _("1S/2F (target level)")


class Outcome(models.TextChoices):
    ABOVE = "above", _("At or above the signalling value")
    BELOW = "below", _("Below the signalling value")
    SMALL_SCHOOL = "small_school", _("Small school: judged over five years")
    INSUFFICIENT_DATA = "insufficient_data", _("Too little data")


class NormTable(models.Model):
    """One version of a results model: the norms for one results period (library data)."""

    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=5)
    first_year = models.PositiveIntegerField()
    last_year = models.PositiveIntegerField()
    fundamental_norm = models.DecimalField(**PERCENT)
    small_school_pupils = models.PositiveIntegerField()
    masked_below = models.PositiveIntegerField()
    source = models.CharField(max_length=300, blank=True)
    content_hash = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug", "-last_year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="normtable_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def period(self) -> str:
        return f"{self.first_year}-{self.last_year}"


class NormBand(models.Model):
    """The 1S/2F signalling value for schools whose schoolweging lies in [lower, upper)."""

    table = models.ForeignKey(NormTable, on_delete=models.CASCADE, related_name="bands")
    lower = models.DecimalField(max_digits=5, decimal_places=2)
    upper = models.DecimalField(max_digits=5, decimal_places=2)
    target_norm = models.DecimalField(**PERCENT)

    class Meta:
        ordering = ["table", "lower"]

    def __str__(self) -> str:
        return f"[{self.lower}, {self.upper}): {self.target_norm}"


class VoNorm(models.Model):
    """A published VO norm: an indicator (per afdeling where it differs) and its corrections."""

    table = models.ForeignKey(NormTable, on_delete=models.CASCADE, related_name="vo_norms")
    indicator = models.CharField(max_length=40)
    afdeling = models.CharField(max_length=40, blank=True)
    norm = models.DecimalField(max_digits=6, decimal_places=2)
    corrections = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["table", "indicator", "afdeling"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.afdeling}: {self.norm}".replace("  ", " ")


class Ovt(models.Model):
    """The inspectorate's school (*object van toezicht*, `BRIN|Cn`), linked to a Stelsel school.

    The link is proposed on BRIN and holds only once the board confirmed it (`linked_at`): an
    OVT is not a DUO location, and `Cn` says nothing about which location it is.
    """

    code = models.CharField(max_length=12, unique=True)
    brin = models.CharField(max_length=4, db_index=True)
    name = models.CharField(max_length=200, blank=True)
    board_number = models.CharField(max_length=5, blank=True, db_index=True)
    board = models.ForeignKey(
        Board, on_delete=models.SET_NULL, null=True, blank=True, related_name="ovts"
    )
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="ovts"
    )
    linked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


def board_ovts(board: Board) -> models.QuerySet:
    """The OVTs of a board: linked to one of its schools, or (unlinked) named for it by the
    inspectorate's BGNR or by an earlier import. A confirmed link decides over the BGNR."""
    return Ovt.objects.filter(
        models.Q(school__board=board)
        | models.Q(school__isnull=True, board=board)
        | models.Q(school__isnull=True, board__isnull=True, board_number=board.number)
    )


class ResultSource(models.TextChoices):
    INSPECTORATE = "inspectorate", _("Inspectorate")
    SCHOOL = "school", _("School")


class PoResult(models.Model):
    """One year's doorstroomtoets results of an OVT: % of reference levels and pupils.

    `masked` is the inspectorate's `*`: the year exists but its figures are not public. A school
    enters its own year (source school) before the inspectorate publishes; the inspectorate's
    figures win where both exist.
    """

    ovt = models.ForeignKey(Ovt, on_delete=models.CASCADE, related_name="po_results")
    year = models.PositiveIntegerField()
    source = models.CharField(max_length=12, choices=ResultSource.choices)
    pupils = models.PositiveIntegerField(null=True, blank=True)
    fundamental = models.DecimalField(null=True, blank=True, **PERCENT)
    target = models.DecimalField(null=True, blank=True, **PERCENT)
    masked = models.BooleanField(default=False)
    entered_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ovt", "year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["ovt", "year", "source"], name="poresult_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ovt_id} {self.year} ({self.source})"


class PublishedOutcome(models.Model):
    """What the inspectorate's file itself says for an OVT, period and indicator."""

    ovt = models.ForeignKey(Ovt, on_delete=models.CASCADE, related_name="published_outcomes")
    last_year = models.PositiveIntegerField()
    indicator = models.CharField(max_length=5, choices=PoIndicator.choices)
    percentage = models.DecimalField(null=True, blank=True, **PERCENT)
    pupils = models.PositiveIntegerField(null=True, blank=True)
    schoolweging = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    norm = models.DecimalField(null=True, blank=True, **PERCENT)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ovt", "last_year", "indicator"], name="publishedoutcome_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ovt_id} {self.last_year} {self.indicator}: {self.outcome}"


class Schoolweging(models.Model):
    """The CBS schoolweging of an OVT: one school year (first = last) or the 3-year mean."""

    ovt = models.ForeignKey(Ovt, on_delete=models.CASCADE, related_name="schoolwegingen")
    first_year = models.PositiveIntegerField()
    last_year = models.PositiveIntegerField()
    value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    pupils = models.PositiveIntegerField(null=True, blank=True)
    spread = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["ovt", "first_year", "last_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["ovt", "first_year", "last_year"], name="schoolweging_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ovt_id} {self.first_year}-{self.last_year}: {self.value}"


class ImportKind(models.TextChoices):
    INSPECTIE_RESULTS = "inspectie-results", _("Inspectorate: results primary education")
    SCHOOLWEGING = "schoolweging", _("Inspectorate: schoolweging")
    DUO_EXAMS = "duo-exams", _("DUO: exam results")
    DUO_PUPILS = "duo-pupils", _("DUO: pupil counts")
    OWN_FIGURES = "own-figures", _("School's own figures")


class DataImport(models.Model):
    """A record of one import: who, what, when, and what it found; the source date of figures."""

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, null=True, blank=True, related_name="data_imports"
    )
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    imported_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"


class VoValue(models.Model):
    """A VO indicator value for a school and results period, read from the Internet Schooldossier
    or derived from DUO's exam file; with the norm that applies to this school where known."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="vo_values")
    last_year = models.PositiveIntegerField()
    indicator = models.CharField(max_length=40)
    afdeling = models.CharField(max_length=40, blank=True)
    value = models.DecimalField(max_digits=6, decimal_places=2)
    norm = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # The shares of pupils (fractions) the norm was corrected for, when Stelsel computed it
    # from the published norm rather than taking the school's norm as entered.
    shares = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=20)
    entered_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school", "last_year", "indicator", "afdeling"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "last_year", "indicator", "afdeling"], name="vovalue_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.last_year} {self.indicator} {self.afdeling}".strip()


class ExamResult(models.Model):
    """DUO's exam results of one school location and year, for one line of DUO's file.

    `afdeling` groups the line as the inspectorate does (vmbo-b, vmbo-k, vmbo-gt, havo, vwo);
    `onderwijstype`, `leerweg`, `sector` and `programme` (DUO's AFDELING: a havo/vwo profile or
    a vmbo programme) keep DUO's finer split. Counts of 1 to 4 that DUO hides (`<5`) are empty.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="exam_results")
    year = models.PositiveIntegerField()
    afdeling = models.CharField(max_length=60)
    onderwijstype = models.CharField(max_length=10, default="")
    leerweg = models.CharField(max_length=10, blank=True, default="")
    sector = models.CharField(max_length=60, blank=True, default="")
    programme = models.CharField(max_length=200, blank=True, default="")
    candidates = models.PositiveIntegerField(null=True, blank=True)
    passed = models.PositiveIntegerField(null=True, blank=True)
    failed = models.PositiveIntegerField(null=True, blank=True)
    school_exam_mean = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    central_exam_mean = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    list_mean = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["school", "year", "afdeling", "leerweg", "sector", "programme"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "onderwijstype", "leerweg", "sector", "programme"],
                name="examresult_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.year} {self.afdeling} {self.programme}".strip()


class Measurement(models.Model):
    """A value of a board's own indicator for the board or one school, at a reference date."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="measurements"
    )
    measured_on = models.DateField(_("reference date"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "school", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "school", "measured_on"],
                condition=models.Q(school__isnull=False),
                name="measurement_school_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                condition=models.Q(school__isnull=True),
                name="measurement_board_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.measured_on}: {self.value}"


class ColumnMapping(models.Model):
    """How a board's export from another system maps onto Stelsel's fields; saved and reused."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="column_mappings")
    name = models.CharField(_("name"), max_length=100)
    columns = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="columnmapping_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class WarningSettings(models.Model):
    """A board's own thresholds for early warning."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="warning_settings")
    margin = models.DecimalField(
        _("near the norm: within this many percentage points"),
        max_digits=4,
        decimal_places=2,
        default=3,
    )

    def __str__(self) -> str:
        return f"{self.board_id}: {self.margin}"


class SignalKind(models.TextChoices):
    BELOW_NORM = "below_norm", _("Below the norm")
    NEAR_NORM = "near_norm", _("Near the norm")
    FALLING = "falling", _("Falling trend")
    BAND_CHANGE = "band_change", _("Schoolweging band changes the norm")
    COMING_BELOW = "coming_below", _("Coming window below the norm")
    OWN_BELOW = "own_below", _("Own indicator below norm or target")
    MISSING_DATA = "missing_data", _("Data not delivered")


class Signal(models.Model):
    """An early warning as it stands after the last refresh; `key` identifies it across
    refreshes, so a digest names only the new ones and a resolved signal keeps its history."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="signals")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="signals"
    )
    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SignalKind.choices)
    indicator = models.CharField(max_length=60)
    severity = models.PositiveSmallIntegerField(default=1)
    figures = models.JSONField(default=dict)
    first_seen = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-severity", "school", "kind"]
        constraints = [models.UniqueConstraint(fields=["board", "key"], name="signal_key_unique")]

    def __str__(self) -> str:
        return self.key


class DigestOptOut(models.Model):
    """A person who does not want the signal digest after imports."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return str(self.user_id)
