"""API routes for the quality picture: pictures, entries (read and change), evidence metadata,
actions and herstelopdrachten with their coverage.

Everything is reached through `picture.access`: another board's ids, and objects of a
unit the user does not see, answer 404; an entry seen but not to be changed answers 403. Lists
read a fixed number of queries, whatever the number of pictures, entries or records, so a
dashboard tool that pulls the whole board stays cheap.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from stelsel.api import bodies
from stelsel.api.picture_schemas import (
    AssignmentOut,
    CoverageOut,
    EntryChangeIn,
    EntryDetailOut,
    EvidenceDetailOut,
    EvidenceFileOut,
    EvidenceOut,
    FieldErrorsOut,
    FrameworkVersionRefOut,
    IndicatorRefOut,
    PerspectiveSummaryOut,
    PictureDetailOut,
    PictureEntryOut,
    PictureOut,
    RequirementMetOut,
    RequirementRefOut,
    ScaleLevelRefOut,
    StandardRefOut,
    StatusCountsOut,
    UnitOut,
)
from stelsel.api.schemas import ConflictOut, ErrorOut
from stelsel.lib.ids import MAX_ID
from stelsel.lib.revisions import EditConflict
from stelsel.organisations.access import (
    get_board_for_user,
    get_school_for_user,
    has_unit_permission,
)
from stelsel.organisations.roles import Permission
from stelsel.picture.access import (
    assignments_for_user,
    get_assignment_for_user,
    get_entry_for_user,
    get_evidence_for_user,
    get_picture_for_user,
)
from stelsel.picture.coverage import coverage_rows
from stelsel.picture.entries import selectors
from stelsel.picture.entries.services import SUBSTANTIATION_FIELDS, EntryChange, entry_update
from stelsel.picture.evidence.selectors import ALL_UNITS, evidence_detail, evidence_list
from stelsel.picture.rollups import PerspectiveSummary, StatusSummary

router = Router(tags=["quality picture"])

BOARD = "/boards/{board_id}"


def board_for(request, board_id: int):
    return get_board_for_user(request.auth, board_id)


def unit_out(obj) -> UnitOut:
    """The unit of a unit-owned object (picture area, plans, tables); its school must have been
    selected with it. The planning router uses these helpers too."""
    school = obj.school if obj.school_id else None
    return UnitOut(school_id=obj.school_id, school_name=school.name if school else None)


def person_name(user) -> str:
    return (user.name or user.email) if user else ""


def _counts_out(summary: StatusSummary) -> StatusCountsOut:
    return StatusCountsOut(
        in_order=summary.in_order,
        not_in_order=summary.not_in_order,
        not_judged=summary.not_judged,
        total=summary.total,
    )


def _summary_out(label: str, summary: PerspectiveSummary) -> PerspectiveSummaryOut:
    """One perspective's figure as every page shows it, with its two parts: the framework's
    standards and the board's own indicators (in *Eisen*, its own requirements)."""
    return PerspectiveSummaryOut(
        perspective=summary.perspective,
        label=label,
        in_order=summary.in_order,
        not_in_order=summary.not_in_order,
        not_judged=summary.not_judged,
        total=summary.total,
        framework=_counts_out(summary.framework),
        own=_counts_out(summary.own),
    )


def _version_out(version) -> FrameworkVersionRefOut:
    return FrameworkVersionRefOut(
        id=version.pk, slug=version.framework.slug, version=version.version, name=version.name
    )


def _picture_out(picture, summary: list[PerspectiveSummaryOut]) -> dict:
    return {
        "id": picture.pk,
        "unit": unit_out(picture),
        "framework_version": _version_out(picture.framework_version),
        "period": picture.period,
        "state": picture.state,
        "started_on": picture.started_on,
        "summary": summary,
    }


def _summaries(pictures) -> dict[int, list[PerspectiveSummaryOut]]:
    """Per picture, the counts by perspective in one query for all pictures together, from
    `selectors.picture_figures`: the figures the board overview and the pages show.
    (`selectors.picture_view` reads about ten queries per picture, six hundred for a board of
    sixty schools.)"""
    return {
        pk: [_summary_out(f.label, f.summary) for f in figures]
        for pk, figures in selectors.picture_figures(pictures).items()
    }


@router.get(
    BOARD + "/pictures",
    response={200: list[PictureOut], 404: ErrorOut},
    summary="Current pictures of the board and its schools that the user may see",
    url_name="pictures",
)
def pictures(request, board_id: int):
    """One line per current picture: the unit, the framework version, the period and, per
    perspective, how many entries are in order, not in order and not yet judged."""
    board = board_for(request, board_id)
    found = selectors.board_pictures(request.auth, board)
    summaries = _summaries(found)
    return [PictureOut(**_picture_out(p, summaries[p.pk])) for p in found]


def _as_of(value: str | None) -> datetime.date | None:
    if value is None or value == "":
        return None
    try:
        day = datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise HttpError(422, _("as_of must be a date written as YYYY-MM-DD.")) from None
    if day > timezone.localdate():
        raise HttpError(
            422, _("as_of lies in the future; the picture can only be shown as it was.")
        )
    return day


def _entry_row_out(row) -> PictureEntryOut:
    return PictureEntryOut(
        id=row.id,
        code=row.code,
        title=row.title,
        perspective=row.perspective,
        area=row.area,
        standard_id=row.standard_id,
        indicator_id=row.indicator_id,
        status_code=row.status_code,
        status_label=row.status_label,
        status_tone=row.tone,
        judged_at=row.judged_at,
        judged_by=row.judged_by,
        requirements_met=row.requirements_met,
        requirements_total=row.requirements,
        evidence=row.evidence,
        evidence_expired=row.evidence_expired,
        open_actions=row.open_actions,
        open_assignments=row.open_assignments,
    )


@router.get(
    BOARD + "/pictures/{picture_id}",
    response={200: PictureDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="One picture with every entry, now or as it stood on a date",
    url_name="picture",
)
def picture(request, board_id: int, picture_id: int, as_of: str | None = None):
    """With `as_of` (YYYY-MM-DD, not in the future) the picture is the one the picture page
    shows for that day: as it stood at the end of the day (Dutch time), with the statuses,
    judgements, evidence, actions and herstelopdrachten as they were then; as of today it is
    the picture now. `status_tone` is null for an entry not yet judged."""
    board = board_for(request, board_id)
    found = get_picture_for_user(request.auth, board, picture_id)
    day = _as_of(as_of)
    view = selectors.picture_view(found, as_of=day)
    summary = [_summary_out(b.label, b.summary) for b in view.perspectives]
    return PictureDetailOut(
        **_picture_out(found, summary),
        as_of=day,
        entries=[_entry_row_out(row) for row in view.rows],
    )


def _may_judge(user, entry) -> bool:
    school = entry.picture.school
    permission = Permission.JUDGE_SCHOOL if school is not None else Permission.JUDGE_BOARD
    return has_unit_permission(user, entry.board, permission, school)


def _may_contribute(user, entry) -> bool:
    return has_unit_permission(
        user, entry.board, Permission.CONTRIBUTE_PICTURE, entry.picture.school
    )


def _entry_out(user, entry) -> EntryDetailOut:
    detail = selectors.entry_detail(entry)
    status = entry.status
    return EntryDetailOut(
        id=entry.pk,
        picture_id=entry.picture_id,
        unit=unit_out(entry.picture),
        code=entry.code,
        title=entry.title,
        perspective=entry.perspective,
        standard_id=entry.standard_id,
        indicator_id=entry.indicator_id,
        status_code=status.code if status else "",
        status_label=status.label if status else "",
        scale=[
            ScaleLevelRefOut(code=lv.code, label=lv.label, tone=lv.tone)
            for lv in detail.scale_levels
        ],
        judged_at=entry.judged_at,
        judged_by=person_name(entry.judged_by),
        revision=entry.revision,
        updated_at=entry.updated_at,
        ambitions=entry.ambitions,
        visible=entry.visible,
        secured=entry.secured,
        accounted=entry.accounted,
        requirements=[
            RequirementMetOut(id=r.pk, code=r.code, text=r.text, met=met)
            for r, met in detail.requirements
        ],
        evidence_ids=[e.pk for e in detail.evidence],
        action_ids=[a.pk for a in detail.actions],
        assignment_ids=[a.pk for a in detail.assignments],
        may_judge=_may_judge(user, entry),
        may_contribute=_may_contribute(user, entry),
    )


ENTRY = BOARD + "/entries/{entry_id}"


@router.get(
    ENTRY,
    response={200: EntryDetailOut, 404: ErrorOut},
    summary="One entry: status, substantiation, requirements and what is linked to it",
    url_name="entry",
)
def entry(request, board_id: int, entry_id: int):
    board = board_for(request, board_id)
    found = get_entry_for_user(request.auth, board, entry_id)
    return _entry_out(request.auth, found)


def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: ValidationError(errors).messages for name, errors in exc.error_dict.items()}
    return {"__all__": exc.messages}


@router.patch(
    ENTRY,
    response={
        200: EntryDetailOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: FieldErrorsOut | ErrorOut,
    },
    summary="Judge or substantiate an entry",
    url_name="entry_update",
    openapi_extra=bodies.body_schema(EntryChangeIn),
)
def entry_change(request, board_id: int, entry_id: int):
    """Send the `revision` read with the entry. If someone saved the entry since, nothing is
    changed and the answer is 409 with the entry's current `revision`: read it again, then
    decide. A `status` must be a code of the entry's scale (see `scale` on the entry).

    Setting `status` or `requirements_met` needs the right to judge the unit (the school
    leader for a school, the board office for the board); the substantiation texts need the
    right to contribute to the unit's picture. Without that the answer is 403 and nothing is
    changed. The body is read after the access checks, so another board's entry answers 404
    whatever is sent.
    """
    user = request.auth
    board = board_for(request, board_id)
    found = get_entry_for_user(user, board, entry_id)
    may_judge, may_contribute = _may_judge(user, found), _may_contribute(user, found)
    if not (may_judge or may_contribute):
        raise HttpError(403, _("You may not change this part of the picture."))
    data = bodies.read_body(
        request, EntryChangeIn, '{"revision": <number>, "status": "<level code>", …}'
    )
    fields = {n for n in data.model_fields_set - {"revision"} if getattr(data, n) is not None}
    judging = fields & {"status", "requirements_met"}
    writing = fields & set(SUBSTANTIATION_FIELDS)
    if not fields:  # a null leaves a field as it is, like leaving it out
        raise HttpError(422, _("Nothing to change: send at least one field besides revision."))
    if judging and not may_judge:
        raise HttpError(
            403, _("Only those who judge this unit may set its status or tick its requirements.")
        )
    if writing and not may_contribute:
        raise HttpError(403, _("You may not change the substantiation of this unit."))
    change = EntryChange(status=data.status, requirements_met=data.requirements_met)
    for name in SUBSTANTIATION_FIELDS:
        setattr(change, name, getattr(data, name))
    try:
        saved = entry_update(entry=found, revision=data.revision, change=change, user=user)
    except EditConflict as conflict:
        return bodies.conflict(data.revision, conflict.revision)
    except ValidationError as exc:
        errors = _field_errors(exc)
        return Status(
            422,
            FieldErrorsOut(
                detail=" ".join([m for messages in errors.values() for m in messages]),
                errors=errors,
            ),
        )
    return _entry_out(user, get_entry_for_user(user, board, saved.pk))


# --- Evidence ------------------------------------------------------------------------------


def _file_out(f) -> EvidenceFileOut:
    return EvidenceFileOut(
        version=f.version,
        name=f.name,
        size=f.size,
        content_type=f.content_type,
        sha256=f.sha256,
        uploaded_at=f.uploaded_at,
    )


def _evidence_out(evidence, *, expired, latest_file, standards, indicators) -> dict:
    """The metadata of one piece of evidence, from a row of `evidence_list` or from
    `evidence_detail`; standards in the framework's order, own indicators by perspective."""
    standards = sorted(standards, key=lambda s: s.position)
    indicators = sorted(indicators, key=lambda i: (i.perspective, i.position, i.code))
    return {
        "id": evidence.pk,
        "unit": unit_out(evidence),
        "kind": evidence.kind,
        "title": evidence.title,
        "description": evidence.description,
        "url": evidence.url,
        "round_id": evidence.round_id,
        "effective_on": evidence.effective_on,
        "expires_on": evidence.expires_on,
        "expired": expired,
        "standards": [StandardRefOut(id=s.pk, code=s.code) for s in standards],
        "indicators": [IndicatorRefOut(id=i.pk, code=i.code) for i in indicators],
        "latest_file": _file_out(latest_file) if latest_file else None,
    }


@router.get(
    BOARD + "/evidence",
    response={200: list[EvidenceOut], 404: ErrorOut},
    summary="Evidence the user may see: metadata only, never file contents",
    url_name="evidence",
)
def evidence(request, board_id: int, school_id: int | None = None, standard_id: int | None = None):
    """Filter with `school_id` (a school the user may see, else 404) and `standard_id` (the
    evidence linked to that standard). The list is the evidence page's (`evidence_list`),
    with the same filters."""
    user = request.auth
    board = board_for(request, board_id)
    unit = ALL_UNITS if school_id is None else get_school_for_user(user, board, school_id)
    if standard_id is not None and not 0 < standard_id <= MAX_ID:
        return []  # beyond a bigint: no such standard
    rows = evidence_list(user, board, unit=unit, standard=standard_id)
    return [
        EvidenceOut(
            **_evidence_out(
                row,
                expired=row.expired,
                latest_file=row.latest_file,
                standards=row.standards.all(),
                indicators=row.indicators.all(),
            )
        )
        for row in rows
    ]


@router.get(
    BOARD + "/evidence/{evidence_id}",
    response={200: EvidenceDetailOut, 404: ErrorOut},
    summary="One piece of evidence with the metadata of every version of its file",
    url_name="evidence_item",
)
def evidence_item(request, board_id: int, evidence_id: int):
    user = request.auth
    board = board_for(request, board_id)
    found = get_evidence_for_user(user, board, evidence_id)  # 404 exactly as the pages do
    detail = evidence_detail(found)
    return EvidenceDetailOut(
        **_evidence_out(
            found,
            expired=detail.expired,
            latest_file=detail.files[0] if detail.files else None,
            standards=detail.standards,
            indicators=detail.indicators,
        ),
        files=[_file_out(f) for f in detail.files],
    )


# --- Herstelopdrachten ---------------------------------------------------------------------


def _assignment_out(row) -> AssignmentOut:
    a, cov = row.assignment, row.coverage
    return AssignmentOut(
        id=a.pk,
        kind=a.kind,
        unit=unit_out(a),
        standard=StandardRefOut(id=a.standard_id, code=a.standard.code),
        requirement=RequirementRefOut(id=a.requirement_id, code=a.requirement.code)
        if a.requirement_id
        else None,
        text=a.text,
        deadline=a.deadline,
        visit_id=a.visit_id,
        follow_up_on=a.follow_up_on,
        follow_up_outcome=a.follow_up_outcome,
        coverage=CoverageOut(
            state=cov.state,
            covered=cov.covered,
            flags=sorted(cov.flags),
            progress=cov.progress,
            actions=cov.actions,
            done=cov.done,
            covering_action_ids=[x.pk for x in row.actions if x.status != "cancelled"],
        ),
    )


@router.get(
    BOARD + "/assignments",
    response={200: list[AssignmentOut], 404: ErrorOut},
    summary="Herstelopdrachten and ontwikkelopdrachten with how actions cover them",
    url_name="assignments",
)
def assignments(request, board_id: int):
    board = board_for(request, board_id)
    found = assignments_for_user(request.auth, board)
    return [_assignment_out(row) for row in coverage_rows(found, timezone.localdate())]


@router.get(
    BOARD + "/assignments/{assignment_id}",
    response={200: AssignmentOut, 404: ErrorOut},
    summary="One opdracht with its coverage",
    url_name="assignment",
)
def assignment(request, board_id: int, assignment_id: int):
    user = request.auth
    board = board_for(request, board_id)
    found = get_assignment_for_user(user, board, assignment_id)
    (row,) = coverage_rows(
        assignments_for_user(user, board).filter(pk=found.pk), timezone.localdate()
    )
    return _assignment_out(row)
