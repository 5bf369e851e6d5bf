"""Versioned frameworks: framework → version → areas → standards → requirements, with scales.

A version, once loaded, is immutable: whatever a board records points at a version, and a new
version is stored beside the old one. Frameworks are shared by all boards (not board-owned).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stelsel.frameworks.level_labels import shown


class FrameworkSector(models.TextChoices):
    PO = "po", _("Primary education")
    VO = "vo", _("Secondary education")
    SO = "so", _("Special education")
    ALL = "all", _("All sectors")


class FrameworkLevel(models.TextChoices):
    SCHOOL = "school", _("School")
    BOARD = "board", _("Board")


class Tone(models.TextChoices):
    POSITIVE = "positive", _("positive")
    NEGATIVE = "negative", _("negative")
    NEUTRAL = "neutral", _("neutral")


class Framework(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200, help_text="Name of the newest version.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=3, choices=FrameworkSector.choices)
    level = models.CharField(_("level"), max_length=6, choices=FrameworkLevel.choices)
    valid_from = models.DateField(_("valid from"))
    source = models.TextField(_("source"))
    description = models.TextField(_("description"), blank=True)
    content_hash = models.CharField(max_length=64)
    default_scale = models.ForeignKey(
        "Scale", on_delete=models.PROTECT, null=True, related_name="+"
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["framework__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "version"], name="framework_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Scale(models.Model):
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="scales"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["framework_version", "code"], name="scale_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ScaleLevel(models.Model):
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="levels")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    tone = models.CharField(max_length=8, choices=Tone.choices)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="scale_level_code_unique")
        ]

    def __str__(self) -> str:
        return self.shown_label

    @property
    def shown_label(self) -> str:
        """The label in the reader's language (see `level_labels`)."""
        return shown(self.label)


class Area(models.Model):
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="areas"
    )
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["framework_version", "code"], name="area_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Standard(models.Model):
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="standards"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="standards")
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="standards")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    gist = models.TextField()
    guidance = models.TextField()
    typical_evidence = models.JSONField(default=list)
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework_version", "code"], name="standard_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Requirement(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="requirements")
    code = models.CharField(max_length=30)
    text = models.TextField()
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="requirement_code_unique")
        ]

    def __str__(self) -> str:
        return self.code
