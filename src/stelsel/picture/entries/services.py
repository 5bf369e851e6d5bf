"""Writes to the quality picture: starting a picture, judging and substantiating an entry,
the feedback thread, and the board's own indicators. A new period and the move to another
framework version are in `periods`.

Each function is one transaction. Validation errors are raised before anything is written.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.frameworks.models import FrameworkLevel, FrameworkVersion, Scale, ScaleLevel, Standard
from stelsel.lib.revisions import lock_at_revision, next_revision
from stelsel.organisations.models import Board, School, Sector
from stelsel.picture.models import (
    Direction,
    Entry,
    EntryMessage,
    Indicator,
    IndicatorLevel,
    Picture,
    PictureState,
    indicator_levels,
)

SUBSTANTIATION_FIELDS = ("ambitions", "visible", "secured", "accounted")
MAX_TEXT = 20_000


def versions_for_unit(school: School | None):
    """Framework versions a unit can be pictured on: the right level and, for a school, its
    sector (special schools may use the primary framework, having none of their own)."""
    versions = FrameworkVersion.objects.select_related("framework")
    if school is None:
        return versions.filter(level=FrameworkLevel.BOARD)
    sectors = {school.sector, "all"}
    if school.sector == Sector.SO:
        sectors.add(Sector.PO)
    return versions.filter(level=FrameworkLevel.SCHOOL, sector__in=sectors)


def neutral_level(scale: Scale | None) -> ScaleLevel | None:
    """The scale's 'not yet judged' level, if it has one; otherwise no status at all."""
    if scale is None:
        return None
    return next((lv for lv in scale.levels.all() if lv.tone == "neutral"), None)


def indicator_scale(version: FrameworkVersion) -> Scale | None:
    """Own indicators are judged on the version's default scale (else its first)."""
    return version.default_scale or version.scales.order_by("position").first()


def indicators_for(board: Board, school: School | None):
    """The active indicators a unit uses."""
    return Indicator.objects.filter(board=board, active=True, level__in=indicator_levels(school))


def entries_for(picture: Picture, standards, indicators) -> list[Entry]:
    version = picture.framework_version
    neutral_by_scale: dict[int, ScaleLevel | None] = {}
    for scale in Scale.objects.filter(framework_version=version).prefetch_related("levels"):
        neutral_by_scale[scale.pk] = neutral_level(scale)
    own_scale = indicator_scale(version)
    entries = [
        Entry(board=picture.board, picture=picture, standard=s, status=neutral_by_scale[s.scale_id])
        for s in standards
    ]
    entries += [
        Entry(
            board=picture.board,
            picture=picture,
            indicator=i,
            status=neutral_by_scale.get(own_scale.pk) if own_scale else None,
        )
        for i in indicators
    ]
    return entries


def save_entries(entries: list[Entry]) -> None:
    """Save one by one: the history records each entry's first state (bulk_create would not)."""
    for entry in entries:
        entry.save()


@transaction.atomic
def picture_start(
    *,
    board: Board,
    school: School | None,
    framework_version: FrameworkVersion,
    period: str,
    user=None,
) -> Picture:
    """A new picture for a unit, with an entry for every standard and own indicator."""
    if school is not None and school.board_id != board.pk:
        raise ValidationError(_("That school is not part of this board."))
    if not versions_for_unit(school).filter(pk=framework_version.pk).exists():
        raise ValidationError(
            {"framework_version": _("This framework does not fit this school or board.")}
        )
    period = (period or "").strip()
    if not period:
        raise ValidationError({"period": _("Name the period, for example 2026-2027.")})
    if Picture.objects.filter(
        board=board,
        school=school,
        framework=framework_version.framework,
        state=PictureState.CURRENT,
    ).exists():
        raise ValidationError(
            _("There is already a current picture on this framework; start a new period there.")
        )
    try:
        with transaction.atomic():
            picture = Picture.objects.create(
                board=board,
                school=school,
                framework=framework_version.framework,
                framework_version=framework_version,
                period=period[:40],
                created_by=user,
            )
    except IntegrityError:  # the same picture started twice at once
        raise ValidationError(
            _("There is already a current picture on this framework; start a new period there.")
        ) from None
    standards = Standard.objects.filter(framework_version=framework_version)
    save_entries(entries_for(picture, standards, indicators_for(board, school)))
    return picture


def entry_scale(entry: Entry) -> Scale | None:
    if entry.standard_id:
        return entry.standard.scale
    return indicator_scale(entry.picture.framework_version)


@dataclass
class EntryChange:
    status: str | None  # a level code of the entry's scale; None leaves the status alone
    requirements_met: list[int] | None = None
    ambitions: str | None = None
    visible: str | None = None
    secured: str | None = None
    accounted: str | None = None


@transaction.atomic
def entry_update(*, entry: Entry, revision: int, change: EntryChange, user) -> Entry:
    """Judge and substantiate an entry, refusing to overwrite a newer save.

    The row is locked and its revision compared: if someone saved since `revision` was read,
    nothing is written and `EditConflict` carries the entry as it now is.
    """
    # The picture is locked first, as a new period or a move to another version does, so an
    # entry cannot be saved into a period that is being closed.
    picture = Picture.objects.select_for_update(of=("self",)).get(pk=entry.picture_id)
    if not picture.is_current:
        raise ValidationError(_("This picture belongs to a closed period and cannot be changed."))
    locked = lock_at_revision(
        Entry.objects.select_related("picture__framework_version", "standard__scale", "status"),
        entry.pk,
        revision,
    )
    errors = {}
    if change.status is not None:
        scale = entry_scale(locked)
        level = scale.levels.filter(code=change.status).first() if scale else None
        if level is None:
            errors["status"] = _("“%(value)s” is not a level of the scale %(scale)s.") % {
                "value": change.status[:40],
                "scale": scale.name if scale else "-",
            }
        elif level.pk != locked.status_id:
            locked.status = level
            locked.judged_by = user
            locked.judged_at = timezone.now()
            Picture.objects.filter(pk=locked.picture_id).update(last_judged_at=locked.judged_at)
    if change.requirements_met is not None:
        allowed = (
            set(locked.standard.requirements.values_list("pk", flat=True))
            if locked.standard_id
            else set()
        )
        chosen = set(change.requirements_met)
        if not chosen <= allowed:
            errors["requirements_met"] = _("Tick only requirements of this standard.")
        locked.requirements_met = sorted(chosen)
    for name in SUBSTANTIATION_FIELDS:
        value = getattr(change, name)
        if value is None:
            continue
        if len(value) > MAX_TEXT:
            errors[name] = _("Keep this under %(n)s characters.") % {"n": MAX_TEXT}
        setattr(locked, name, value.strip())
    if errors:
        raise ValidationError(errors)
    next_revision(locked)
    locked.updated_by = user
    locked.updated_at = timezone.now()
    locked.save()
    return locked


@transaction.atomic
def message_add(*, entry: Entry, author, kind: str, text: str) -> EntryMessage:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a message first.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Keep this under %(n)s characters.") % {"n": MAX_TEXT}})
    return EntryMessage.objects.create(
        board=entry.board, entry=entry, author=author, kind=kind, text=text
    )


def _measure_errors(unit: str, norm, target) -> dict:
    """A norm or target is a value on the indicator's unit, so it needs one; a percentage
    lies between 0 and 100."""
    errors = {}
    if not unit and (norm is not None or target is not None):
        errors["unit"] = _(
            "Give the unit of measurement (such as %, pupils or days) to set a norm or target."
        )
    if unit == "%":
        for name, value in (("norm", norm), ("target", target)):
            if value is not None and not 0 <= value <= 100:
                errors[name] = _("A percentage lies between 0 and 100.")
    return errors


@transaction.atomic
def indicator_create(
    *,
    board: Board,
    perspective: str,
    level: str,
    code: str,
    title: str,
    description: str = "",
    unit: str = "",
    direction: str = Direction.HIGHER,
    norm=None,
    target=None,
) -> Indicator:
    """A board's own indicator; it joins every current picture of the units it applies to.
    With a unit it is also measured, against its own norm and target."""
    code, title, unit = (code or "").strip(), (title or "").strip(), (unit or "").strip()
    errors = {}
    if not code:
        errors["code"] = _("Give the indicator a short code.")
    elif Indicator.objects.filter(board=board, code__iexact=code).exists():
        errors["code"] = _("This board already has an indicator with that code.")
    if not title:
        errors["title"] = _("Give the indicator a title.")
    errors |= _measure_errors(unit, norm, target)
    if errors:
        raise ValidationError(errors)
    position = Indicator.objects.filter(board=board, perspective=perspective).count() + 1
    indicator = Indicator(
        board=board,
        perspective=perspective,
        level=level,
        code=code,
        title=title,
        description=description.strip(),
        position=position,
        unit=unit,
        direction=direction,
        norm=norm,
        target=target,
    )
    indicator.full_clean()
    try:
        with transaction.atomic():
            indicator.save()
    except IntegrityError:  # the same code added twice at once
        raise ValidationError(
            {"code": _("This board already has an indicator with that code.")}
        ) from None
    _join_current_pictures(indicator)
    return indicator


def _join_current_pictures(indicator: Indicator) -> None:
    """Add the indicator to every current picture it applies to that does not have it yet."""
    board, level = indicator.board, indicator.level
    pictures = Picture.objects.filter(board=board, state=PictureState.CURRENT).exclude(
        entries__indicator=indicator
    )
    if level == IndicatorLevel.SCHOOL:
        pictures = pictures.filter(school__isnull=False)
    elif level == IndicatorLevel.BOARD:
        pictures = pictures.filter(school__isnull=True)
    for picture in pictures.select_related("framework_version"):
        save_entries(entries_for(picture, [], [indicator]))


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    title: str,
    description: str = "",
    unit: str = "",
    direction: str = Direction.HIGHER,
    norm=None,
    target=None,
) -> Indicator:
    """Change what an indicator says and how it is measured. Its code, perspective and level
    stay: signals, goals and pictures know the indicator by them."""
    title, unit = (title or "").strip(), (unit or "").strip()
    errors = {} if title else {"title": _("Give the indicator a title.")}
    errors |= _measure_errors(unit, norm, target)
    if errors:
        raise ValidationError(errors)
    indicator.title, indicator.description = title, (description or "").strip()
    indicator.unit, indicator.direction = unit, direction
    indicator.norm, indicator.target = norm, target
    indicator.full_clean()
    indicator.save(update_fields=["title", "description", "unit", "direction", "norm", "target"])
    return indicator


@transaction.atomic
def indicator_set_active(*, indicator: Indicator, active: bool) -> Indicator:
    """Retire or restore an indicator. Retired ones stay in the pictures that have them (their
    history matters); new periods leave them out. A restored one joins the current pictures
    that were started without it."""
    indicator.active = active
    indicator.save(update_fields=["active"])
    if active:
        _join_current_pictures(indicator)
    return indicator
