"""A picture's periods: closing it and starting the next period on the same framework, and
moving a unit to another framework version through a mapping of standards.

A period is closed, never changed: the old picture is kept as it stood, and the new one starts
from its substantiation. Each function is one transaction; validation errors are raised before
anything is written.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.frameworks.models import FrameworkVersion, Standard
from stelsel.picture import work
from stelsel.picture.entries.services import (
    SUBSTANTIATION_FIELDS,
    entries_for,
    indicators_for,
    save_entries,
    versions_for_unit,
)
from stelsel.picture.models import Evidence, Picture, PictureState


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
    fresh = entries_for(new, standards, indicators_for(picture.board, picture.school))
    for entry in fresh:
        before = old.get((entry.standard_id, entry.indicator_id))
        if before is not None:
            for name in SUBSTANTIATION_FIELDS:
                setattr(entry, name, getattr(before, name))
    save_entries(fresh)
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
    fresh = entries_for(new, new_standards, indicators_for(picture.board, picture.school))
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
    save_entries(fresh)
    _relink(picture, mapping, user)
    return new


def _relink(picture: Picture, mapping: dict[int, int | None], user=None) -> None:
    """Link the unit's evidence and actions to the new standards too.

    Through `add()` on each item, not rows written in bulk: the history keeps every item's
    links (`m2m_fields`), and only a change through the relation records them, so the new
    picture read as of today counts the same evidence and actions as the live one."""
    pairs = [(o, n) for o, n in mapping.items() if n is not None]
    for model in (Evidence, work.action_model()):
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
