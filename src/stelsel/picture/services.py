"""Writes to the quality picture: starting a picture, judging and substantiating an entry,
the feedback thread, a new period, and the move to a new framework version.

Each function is one transaction. Validation errors are raised before anything is written.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.frameworks.models import FrameworkLevel, FrameworkVersion, Scale, ScaleLevel, Standard
from stelsel.organisations.models import Board, School, Sector
from stelsel.picture.models import (
    Entry,
    EntryMessage,
    Evidence,
    Indicator,
    IndicatorLevel,
    Picture,
    PictureState,
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


def _indicators_for(board: Board, school: School | None):
    levels = [
        IndicatorLevel.BOTH,
        IndicatorLevel.BOARD if school is None else IndicatorLevel.SCHOOL,
    ]
    return Indicator.objects.filter(board=board, active=True, level__in=levels)


def _entries_for(picture: Picture, standards, indicators) -> list[Entry]:
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


def _save_entries(entries: list[Entry]) -> None:
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
    _save_entries(_entries_for(picture, standards, _indicators_for(board, school)))
    return picture


def entry_scale(entry: Entry) -> Scale | None:
    if entry.standard_id:
        return entry.standard.scale
    return indicator_scale(entry.picture.framework_version)


class EditConflict(Exception):
    """Someone else saved the entry after the editor opened it."""

    def __init__(self, current: Entry):
        super().__init__("edit conflict")
        self.current = current


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
    Picture.objects.select_for_update(of=("self",)).get(pk=entry.picture_id)
    locked = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("picture__framework_version", "standard__scale", "status")
        .get(pk=entry.pk)
    )
    if not locked.picture.is_current:
        raise ValidationError(_("This picture belongs to a closed period and cannot be changed."))
    if locked.revision != revision:
        raise EditConflict(locked)
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
    locked.revision += 1
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


def _close(picture: Picture) -> None:
    picture.state = PictureState.CLOSED
    picture.closed_at = timezone.now()
    picture.save(update_fields=["state", "closed_at"])


@transaction.atomic
def picture_new_period(*, picture: Picture, period: str, user=None) -> Picture:
    """Close the picture and start the next period: substantiation is kept as the baseline,
    statuses and ticked requirements go back to 'not yet judged'."""
    picture = Picture.objects.select_for_update().get(pk=picture.pk)
    if not picture.is_current:
        raise ValidationError(_("Only the current picture can be followed by a new period."))
    period = (period or "").strip()
    if not period:
        raise ValidationError({"period": _("Name the period, for example 2026-2027.")})
    if period == picture.period:
        raise ValidationError({"period": _("The new period needs another name than the last.")})
    _close(picture)
    new = Picture.objects.create(
        board=picture.board,
        school=picture.school,
        framework=picture.framework,
        framework_version=picture.framework_version,
        period=period[:40],
        previous=picture,
        standard_mapping=picture.standard_mapping,
        created_by=user,
    )
    old = {
        (e.standard_id, e.indicator_id): e
        for e in picture.entries.select_related("standard__scale", "indicator")
    }
    standards = Standard.objects.filter(framework_version=picture.framework_version)
    fresh = _entries_for(new, standards, _indicators_for(picture.board, picture.school))
    for entry in fresh:
        before = old.get((entry.standard_id, entry.indicator_id))
        if before is not None:
            for name in SUBSTANTIATION_FIELDS:
                setattr(entry, name, getattr(before, name))
    _save_entries(fresh)
    return new


def proposed_mapping(old: FrameworkVersion, new: FrameworkVersion) -> dict[int, int | None]:
    """A starting point for the mapping: standards whose code is the same in both versions.
    The user confirms or changes every line; nothing depends on a particular code."""
    new_by_code = {s.code: s.pk for s in Standard.objects.filter(framework_version=new)}
    return {s.pk: new_by_code.get(s.code) for s in Standard.objects.filter(framework_version=old)}


@transaction.atomic
def picture_migrate(
    *,
    picture: Picture,
    to_version: FrameworkVersion,
    mapping: dict[int, int | None],
    period: str,
    user=None,
) -> Picture:
    """Move a unit's picture to another framework version through an explicit mapping.

    The old picture is closed and kept. Each new standard gets the substantiation of the old
    standards mapped onto it; evidence and actions linked to an old standard are linked to its
    new one as well (the old link stays). Statuses start again: a new standard is judged anew.
    """
    picture = (
        Picture.objects.select_for_update(of=("self",))
        .select_related("framework_version")
        .get(pk=picture.pk)
    )
    if not picture.is_current:
        raise ValidationError(_("Only the current picture can be moved to another version."))
    if to_version.pk == picture.framework_version_id:
        raise ValidationError({"to_version": _("Choose another version than the current one.")})
    if not versions_for_unit(picture.school).filter(pk=to_version.pk).exists():
        raise ValidationError({"to_version": _("This framework does not fit this unit.")})
    old_ids = set(
        Standard.objects.filter(framework_version=picture.framework_version).values_list(
            "pk", flat=True
        )
    )
    new_standards = list(Standard.objects.filter(framework_version=to_version))
    new_ids = {s.pk for s in new_standards}
    if set(mapping) != old_ids:
        raise ValidationError(_("The mapping must say for every old standard where it goes."))
    if not {v for v in mapping.values() if v is not None} <= new_ids:
        raise ValidationError(_("The mapping names a standard outside the new version."))
    period = (period or "").strip() or picture.period
    if (
        Picture.objects.filter(
            board=picture.board,
            school=picture.school,
            framework=to_version.framework,
            state=PictureState.CURRENT,
        )
        .exclude(pk=picture.pk)
        .exists()
    ):
        raise ValidationError(_("This unit already has a current picture on that framework."))
    _close(picture)
    reverse_map: dict[int, list[int]] = defaultdict(list)
    for old_id, new_id in mapping.items():
        if new_id is not None:
            reverse_map[new_id].append(old_id)
    new = Picture.objects.create(
        board=picture.board,
        school=picture.school,
        framework=to_version.framework,
        framework_version=to_version,
        period=period[:40],
        previous=picture,
        standard_mapping={str(k): sorted(v) for k, v in reverse_map.items()},
        created_by=user,
    )
    old_entries = {
        e.standard_id: e for e in picture.entries.select_related("standard") if e.standard_id
    }
    old_indicator_entries = {e.indicator_id: e for e in picture.entries.all() if e.indicator_id}
    fresh = _entries_for(new, new_standards, _indicators_for(picture.board, picture.school))
    for entry in fresh:
        if entry.indicator_id:
            before = old_indicator_entries.get(entry.indicator_id)
            if before:
                for name in SUBSTANTIATION_FIELDS:
                    setattr(entry, name, getattr(before, name))
            continue
        sources = [
            old_entries[o] for o in reverse_map.get(entry.standard_id, []) if o in old_entries
        ]
        for name in SUBSTANTIATION_FIELDS:
            texts = [getattr(s, name) for s in sources if getattr(s, name)]
            if len(sources) > 1:
                texts = [
                    f"[{s.standard.code}] {getattr(s, name)}" for s in sources if getattr(s, name)
                ]
            setattr(entry, name, "\n\n".join(texts))
    _save_entries(fresh)
    _relink(picture, mapping, user)
    return new


def _relink(picture: Picture, mapping: dict[int, int | None], user=None) -> None:
    """Link the unit's evidence and actions to the new standards too.

    Through `add()` on each item, not rows written in bulk: the history keeps every item's
    links (`m2m_fields`), and only a change through the relation records them, so the new
    picture read as of today counts the same evidence and actions as the live one."""
    from stelsel.planning.models import Action

    pairs = [(o, n) for o, n in mapping.items() if n is not None]
    for model in (Evidence, Action):
        name = model._meta.model_name
        through = model.standards.through
        rows = through.objects.filter(
            **{f"{name}__board": picture.board},
            **{f"{name}__school": picture.school},
            standard_id__in=[o for o, _n in pairs],
        ).values_list(f"{name}_id", "standard_id")
        by_old = defaultdict(set)
        for obj_id, std in rows:
            by_old[std].add(obj_id)
        existing = set(
            through.objects.filter(standard_id__in=[n for _o, n in pairs]).values_list(
                f"{name}_id", "standard_id"
            )
        )
        new_links: dict[int, set[int]] = defaultdict(set)
        for old_id, new_id in pairs:
            for obj_id in by_old.get(old_id, ()):
                if (obj_id, new_id) not in existing:
                    new_links[obj_id].add(new_id)
        for obj in model.objects.filter(pk__in=list(new_links)):
            if user is not None:
                obj._history_user = user
            obj.standards.add(*sorted(new_links[obj.pk]))


@transaction.atomic
def indicator_create(
    *, board: Board, perspective: str, level: str, code: str, title: str, description: str = ""
) -> Indicator:
    """A board's own indicator; it joins every current picture of the units it applies to."""
    code, title = (code or "").strip(), (title or "").strip()
    errors = {}
    if not code:
        errors["code"] = _("Give the indicator a short code.")
    elif Indicator.objects.filter(board=board, code__iexact=code).exists():
        errors["code"] = _("This board already has an indicator with that code.")
    if not title:
        errors["title"] = _("Give the indicator a title.")
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
        _save_entries(_entries_for(picture, [], [indicator]))


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
