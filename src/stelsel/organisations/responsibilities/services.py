"""Who does what in the board's quality care: a matrix of its quality processes and the roles
on the board (RACI), and a profile of the quality officer's role.

A system of quality care must be role-conscious: roles, responsibilities and mandates are clear
(DOMAIN.md §1). The RACI convention asks for exactly one accountable role per process and at
least one responsible one. A second accountable role is refused, because it blurs exactly what
the matrix is meant to make clear; a process that still lacks its accountable or responsible
role may be saved, so a board can fill its matrix in steps, and is shown as incomplete.

Writes are keyword-only functions, each one transaction, raising `ValidationError` before
anything is written; edits of an existing process or profile compare revisions, so a
concurrent save is never overwritten unseen. Reads (the matrix, the profile) are here too and
take a fixed number of queries whatever the number of processes.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.lib.revisions import next_revision, refuse_if_moved_on
from stelsel.organisations.models import (
    Board,
    Membership,
    ProcessResponsibility,
    QualityOfficerProfile,
    QualityProcess,
    RaciLetter,
)
from stelsel.organisations.roles import Role

MAX_NAME = 200
MAX_TEXT = 20_000

# The columns of the matrix: every role a membership can give, in the order of `Role`.
ROLES = tuple(Role)

BE, QO, SL, ST, SUP, MR, ADV = (
    Role.BOARD_EXECUTIVE,
    Role.QUALITY_OFFICER,
    Role.SCHOOL_LEADER,
    Role.STAFF,
    Role.SUPERVISOR,
    Role.COUNCIL,
    Role.ADVISOR,
)
R, A, C, I = (  # noqa: E741 - the letters are the convention's own names
    RaciLetter.RESPONSIBLE,
    RaciLetter.ACCOUNTABLE,
    RaciLetter.CONSULTED,
    RaciLetter.INFORMED,
)

# The processes of a typical board's quality care (DOMAIN.md §1, §6, §7, §10), with the parts
# roles usually play in them. The board executive answers for each (the board is responsible
# in law for the quality of every school); the board adapts the letters to its own practice.
# Advisors work in a trajectory of limited time and get no standing part.
DEFAULT_PROCESSES = (
    {
        "key": "strategic_plan",
        "name": gettext_lazy("Setting the strategic plan and ambitions"),
        "description": gettext_lazy(
            "The board's four-year plan: a few ambitions and goals that say what it yields "
            "for pupils, and when the board is satisfied."
        ),
        "letters": {BE: A, QO: R, SL: C, SUP: C, MR: C},
    },
    {
        "key": "school_plans",
        "name": gettext_lazy("School plans and year plans"),
        "description": gettext_lazy(
            "Each school's four-year plan and year plans, aligned with the board's goals."
        ),
        "letters": {BE: A, QO: C, SL: R, ST: C, SUP: I, MR: C},
    },
    {
        "key": "self_evaluation",
        "name": gettext_lazy("Self-evaluation rounds"),
        "description": gettext_lazy(
            "Asking staff, pupils, parents and leaders how they see the quality, and "
            "discussing the outcomes."
        ),
        "letters": {BE: A, QO: R, SL: R, ST: C, SUP: I, MR: I},
    },
    {
        "key": "quality_picture",
        "name": gettext_lazy("The quality picture and judging standards"),
        "description": gettext_lazy(
            "Judging each standard with evidence, for every school and for the board itself."
        ),
        "letters": {BE: A, QO: R, SL: R, ST: C, SUP: I, MR: I},
    },
    {
        "key": "quality_reports",
        "name": gettext_lazy("Quality reports to the supervisory board"),
        "description": gettext_lazy(
            "The yearly account to the supervisory board of results, signals and progress."
        ),
        "letters": {BE: A, QO: R, SL: C, SUP: I, MR: I},
    },
    {
        "key": "school_visits",
        "name": gettext_lazy("School visits by the board"),
        "description": gettext_lazy(
            "The board visits its schools and talks with the school leader about development, "
            "results, risks and approach."
        ),
        "letters": {BE: A, QO: R, SL: C, SUP: I},
    },
    {
        "key": "inspection_visits",
        "name": gettext_lazy("Preparing inspection visits"),
        "description": gettext_lazy(
            "Deciding what to tell, collecting data and documents, informing each other and "
            "aligning with the schools the inspectorate verifies."
        ),
        "letters": {BE: A, QO: R, SL: R, ST: I, SUP: I, MR: I},
    },
    {
        "key": "assignments_follow_up",
        "name": gettext_lazy("Follow-up of herstelopdrachten"),
        "description": gettext_lazy(
            "An improvement plan for every herstelopdracht, carried out and checked before "
            "its deadline."
        ),
        "letters": {BE: A, QO: C, SL: R, ST: C, SUP: I, MR: I},
    },
    {
        "key": "data_early_warning",
        "name": gettext_lazy("Data analysis and early warning"),
        "description": gettext_lazy(
            "Following results and signals per school, so the board is warned early rather "
            "than surprised by an inspection judgement."
        ),
        "letters": {BE: A, QO: R, SL: C, SUP: I},
    },
    {
        "key": "quality_calendar",
        "name": gettext_lazy("The quality calendar"),
        "description": gettext_lazy(
            "The tables where quality is discussed, their rhythm, place, assignment and mandate."
        ),
        "letters": {BE: A, QO: R, SL: C, ST: I, SUP: I, MR: I},
    },
)


# --- Letters --------------------------------------------------------------------------------


def _clean_letters(letters: dict | None) -> dict[str, str]:
    """The letters per role, without the roles that have no part; raises for unknown roles or
    letters and for a second accountable role."""
    cleaned = {}
    for role, letter in (letters or {}).items():
        if role not in Role.values:
            raise ValidationError({"letters": _("“%(role)s” is not a role.") % {"role": role}})
        letter = (letter or "").strip().upper()
        if not letter:
            continue
        if letter not in RaciLetter.values:
            raise ValidationError(
                {
                    role: _("Choose R, A, C or I (or no part); “%(letter)s” is none of those.")
                    % {"letter": letter[:5]}
                }
            )
        cleaned[role] = letter
    accountable = [role for role in ROLES if cleaned.get(role) == A]
    if len(accountable) > 1:
        raise ValidationError(
            {
                role: _(
                    "Only one role can be accountable for a process; now %(roles)s are. "
                    "Make the others responsible or consulted."
                )
                % {"roles": _list(accountable)}
                for role in accountable
            }
        )
    return cleaned


def _list(roles) -> str:
    return ", ".join(str(Role(role).label) for role in roles)


def missing_parts(letters: dict[str, str]) -> list[str]:
    """Why a process does not yet count as complete: no accountable or no responsible role."""
    missing = []
    values = set(letters.values())
    if A not in values:
        missing.append(_("Nobody is accountable yet: choose one role with A."))
    if R not in values:
        missing.append(_("Nobody is responsible yet: choose at least one role with R."))
    return missing


# --- Processes ------------------------------------------------------------------------------


def _clean_process(board: Board, name: str, description: str, exclude_pk=None) -> dict:
    name = " ".join((name or "").split())
    description = (description or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the process a name.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Keep the name under %(n)s characters.") % {"n": MAX_NAME}
    elif any(
        other.casefold() == name.casefold()
        for other in QualityProcess.objects.filter(board=board)
        .exclude(pk=exclude_pk)
        .values_list("name", flat=True)
    ):
        errors["name"] = _("The board already has a process called “%(name)s”.") % {"name": name}
    if len(description) > MAX_TEXT:
        errors["description"] = _("Keep this under %(n)s characters.") % {"n": MAX_TEXT}
    if errors:
        raise ValidationError(errors)
    return {"name": name, "description": description}


def _clean_all(board: Board, name, description, letters, exclude_pk=None) -> tuple[dict, dict]:
    """Both checks, so the editor sees every problem of the form at once."""
    errors = {}
    fields = cleaned_letters = {}
    try:
        fields = _clean_process(board, name, description, exclude_pk=exclude_pk)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        cleaned_letters = _clean_letters(letters)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return fields, cleaned_letters


def _set_letters(process: QualityProcess, letters: dict[str, str]) -> None:
    ProcessResponsibility.objects.filter(process=process).delete()
    ProcessResponsibility.objects.bulk_create(
        ProcessResponsibility(board_id=process.board_id, process=process, role=role, letter=letter)
        for role, letter in letters.items()
    )


@transaction.atomic
def process_create(
    *, board: Board, name: str, description: str = "", letters: dict | None = None, user=None
) -> QualityProcess:
    """Add a process to the board's matrix, at the end, with the letters given so far."""
    Board.objects.select_for_update().filter(pk=board.pk).first()  # positions stay unique
    fields, cleaned_letters = _clean_all(board, name, description, letters)
    last = QualityProcess.objects.filter(board=board).aggregate(last=Max("position"))["last"]
    process = QualityProcess.objects.create(board=board, position=(last or 0) + 1, **fields)
    _set_letters(process, cleaned_letters)
    return process


@transaction.atomic
def process_update(
    *,
    process: QualityProcess,
    revision: int,
    name: str,
    description: str,
    letters: dict,
    user=None,
) -> QualityProcess:
    """Change a process's name, description and letters, refusing to overwrite a newer save.

    `letters` is the whole row: a role left out (or given no letter) has no part afterwards.
    """
    locked = QualityProcess.objects.select_for_update().filter(pk=process.pk).first()
    if locked is None:
        raise ValidationError(_("This process was removed from the matrix in the meantime."))
    refuse_if_moved_on(locked, revision)
    fields, cleaned_letters = _clean_all(
        locked.board, name, description, letters, exclude_pk=locked.pk
    )
    for key, value in fields.items():
        setattr(locked, key, value)
    next_revision(locked)
    locked.updated_at = timezone.now()
    locked.save()
    _set_letters(locked, cleaned_letters)
    return locked


@transaction.atomic
def process_delete(*, process: QualityProcess) -> None:
    """Take a process out of the matrix, with its letters."""
    QualityProcess.objects.filter(pk=process.pk).delete()


@transaction.atomic
def processes_start(*, board: Board, user=None) -> list[QualityProcess]:
    """Add the default processes the board does not have yet, in the current language, with
    their usual letters.

    Idempotent: a default the board started from before is skipped even when it was renamed
    or started in another language, and so is a process the board already made under the same
    name. Processes already there keep their letters.
    """
    Board.objects.select_for_update().filter(pk=board.pk).first()
    existing = list(QualityProcess.objects.filter(board=board).values_list("default_key", "name"))
    keys = {key for key, _name in existing if key}
    names = {name.casefold() for _key, name in existing}
    last = QualityProcess.objects.filter(board=board).aggregate(last=Max("position"))["last"] or 0
    created = []
    for default in DEFAULT_PROCESSES:
        name = str(default["name"])
        if default["key"] in keys or name.casefold() in names:
            continue
        last += 1
        process = QualityProcess.objects.create(
            board=board,
            name=name,
            description=str(default["description"]),
            position=last,
            default_key=default["key"],
        )
        _set_letters(process, _clean_letters(default["letters"]))
        created.append(process)
    return created


# --- The matrix (reads) ---------------------------------------------------------------------


@dataclass
class Cell:
    role: str
    letter: str  # "" when the role has no part

    @property
    def label(self) -> str:
        return str(RaciLetter(self.letter).label) if self.letter else ""


@dataclass
class Row:
    process: QualityProcess
    cells: list[Cell]
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


def letters_of(process: QualityProcess) -> dict[str, str]:
    """The letters of a process by role; uses prefetched responsibilities when present."""
    return {r.role: r.letter for r in process.responsibilities.all()}


def responsibility_matrix(processes) -> list[Row]:
    """One row per process with a cell per role, in two queries however many processes."""
    rows = []
    for process in processes.prefetch_related("responsibilities"):
        letters = letters_of(process)
        rows.append(
            Row(
                process=process,
                cells=[Cell(role, letters.get(role, "")) for role in ROLES],
                missing=missing_parts(letters),
            )
        )
    return rows


# --- The quality officer's profile ----------------------------------------------------------

PROFILE_TEXTS = ("tasks", "ambitions", "tables", "influence", "boundaries")


def quality_officer_candidates(board: Board):
    """People who hold the quality officer's role on the board itself."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            pk__in=Membership.objects.filter(
                board=board, school__isnull=True, role=Role.QUALITY_OFFICER
            ).values("user_id")
        )
        .order_by("name", "email")
    )


def officer_profile(board: Board) -> QualityOfficerProfile | None:
    """The board's profile of the role, if one was written."""
    return (
        QualityOfficerProfile.objects.filter(board=board)
        .select_related("user", "updated_by")
        .first()
    )


@transaction.atomic
def officer_profile_save(
    *,
    board: Board,
    revision: int,
    officer=None,
    tasks: str = "",
    ambitions: str = "",
    tables: str = "",
    meeting_series=(),
    influence: str = "",
    boundaries: str = "",
    user=None,
) -> QualityOfficerProfile:
    """Write the board's profile of the quality officer's role, refusing to overwrite a newer
    save. `revision` is the one the form was opened on, 0 when there was no profile yet; if
    someone saved since, nothing is written and `EditConflict` carries their version.

    `officer` is the quality officer the profile describes, or None for the role in general;
    `meeting_series` are the tables of the quality calendar the role sits at.
    """
    # The board row serialises the first save, when there is no profile row to lock yet.
    Board.objects.select_for_update().filter(pk=board.pk).first()
    profile = QualityOfficerProfile.objects.select_for_update().filter(board=board).first()
    refuse_if_moved_on(profile, revision)
    errors = {}
    values = {}
    for name, value in zip(
        PROFILE_TEXTS, (tasks, ambitions, tables, influence, boundaries), strict=True
    ):
        value = (value or "").strip()
        if len(value) > MAX_TEXT:
            errors[name] = _("Keep this under %(n)s characters.") % {"n": MAX_TEXT}
        values[name] = value
    if officer is not None and not quality_officer_candidates(board).filter(pk=officer.pk).exists():
        errors["officer"] = _(
            "%(person)s is not a quality officer of this board. Give them the role first, or "
            "describe the role in general."
        ) % {"person": officer}
    found = {s.pk for s in meeting_series if s.board_id == board.pk}
    if len(found) != len({s.pk for s in meeting_series}):
        errors["meeting_series"] = _("Choose only tables of this board's quality calendar.")
    if errors:
        raise ValidationError(errors)
    if profile is None:
        profile = QualityOfficerProfile(board=board, revision=0)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.user = officer
    next_revision(profile)
    profile.updated_at = timezone.now()
    profile.updated_by = user
    profile.save()
    profile.meeting_series.set(sorted(found))
    return profile
