"""Checking a staff list against the board, and writing it in one go.

Every row ends up as exactly one outcome: a new invitation, a role given directly to someone
already on the board (as "Add role" on the people page does), nothing to do because the person
already has the role or has an open invitation for it, or a problem with its reason. A list
with any problem cannot be confirmed: the person fixes the file and uploads it again, so an
import is never half done. Confirming checks everything again against the database as it is
then, inside one transaction that also locks the import, so a second click does nothing twice.
The invitations are created without email and sent afterwards by `tasks`, with their progress
counted on the import.

An open invitation for the same role and school counts as "already": its link still works, and
inviting again would withdraw it and mail a second one. "Send again" on the people page is the
way to renew a single invitation on purpose.
"""

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stelsel.accounts.models import User
from stelsel.identity.models import StaffImport, StaffImportInvitation, StaffImportState
from stelsel.identity.staff_lists import ListRow
from stelsel.identity.tasks import send_staff_invitations
from stelsel.organisations.models import Board, Invitation, Membership, School
from stelsel.organisations.roles import Role
from stelsel.organisations.services import invitation_create, membership_create, role_scope_check


class Outcome:
    INVITE = "invite"
    ADD_ROLE = "add_role"
    ALREADY = "already"
    PROBLEM = "problem"


OUTCOMES = [Outcome.INVITE, Outcome.ADD_ROLE, Outcome.ALREADY, Outcome.PROBLEM]

# Roles given one by one on the people page only: a board executive can manage everyone, an
# advisor reads the whole board; neither belongs in a list typed by someone else.
NOT_IN_BULK = {Role.BOARD_EXECUTIVE, Role.ADVISOR}

# What people write in the role column, besides the codes and the English and Dutch labels.
ROLE_WORDS = {
    "bestuurder": Role.BOARD_EXECUTIVE,
    "kwaliteitsmedewerker": Role.QUALITY_OFFICER,
    "kwaliteitszorg": Role.QUALITY_OFFICER,
    "schoolleider": Role.SCHOOL_LEADER,
    "directeur": Role.SCHOOL_LEADER,
    "medewerker": Role.STAFF,
    "leerkracht": Role.STAFF,
    "leraar": Role.STAFF,
    "docent": Role.STAFF,
    "ib'er": Role.STAFF,
    "iber": Role.STAFF,
    "ib-er": Role.STAFF,
    "intern begeleider": Role.STAFF,
    "toezichthouder": Role.SUPERVISOR,
    "toezichthouder (rvt)": Role.SUPERVISOR,
    "rvt": Role.SUPERVISOR,
    "rvt-lid": Role.SUPERVISOR,
    "lid rvt": Role.SUPERVISOR,
    "lid (g)mr": Role.COUNCIL,
    "mr": Role.COUNCIL,
    "gmr": Role.COUNCIL,
    "mr-lid": Role.COUNCIL,
    "gmr-lid": Role.COUNCIL,
    "lid mr": Role.COUNCIL,
    "lid gmr": Role.COUNCIL,
    "adviseur": Role.ADVISOR,
}


def _plain(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("_", " ").lower().split())


@functools.cache
def _role_names() -> dict[str, str]:
    """Role words, codes, and the labels in English and in Dutch whatever the page's language:
    a list is written in one of them, not in the language of the page it is uploaded on."""
    names = {_plain(word): role for word, role in ROLE_WORDS.items()}
    for role in Role:
        names[_plain(role.value)] = role.value
        for language in ("en", "nl"):
            with translation.override(language):
                names[_plain(str(role.label))] = role.value
    return names


def role_from_text(text: str) -> str | None:
    return _role_names().get(_plain(text))


def _code(text: str) -> str:
    return re.sub(r"\s", "", text).upper()


class _Schools:
    """The board's schools by name (any case and spacing) and by BRIN + vestiging code."""

    def __init__(self, board: Board):
        self.by_id: dict[int, School] = {}
        self.by_name: dict[str, list[School]] = defaultdict(list)
        self.by_code: dict[str, School] = {}
        for school in School.objects.filter(board=board).only("pk", "name", "vestigingscode"):
            self.by_id[school.pk] = school
            self.by_name[_plain(school.name)].append(school)
            self.by_code[school.vestigingscode.upper()] = school

    def find(self, text: str) -> tuple[School | None, str]:
        """The school and an empty reason, or None and why not."""
        found = self.by_code.get(_code(text))
        if found:
            return found, ""
        named = self.by_name.get(_plain(text), [])
        if len(named) == 1:
            return named[0], ""
        if named:
            return None, _(
                "Several schools of this board are called “%(school)s”; use the BRIN and "
                "vestiging code (for example 12AB00) instead."
            ) % {"school": text}
        return None, _("Unknown school: “%(school)s” is not a school of this board.") % {
            "school": text
        }


@dataclass
class _Checked:
    source: ListRow
    email: str = ""
    role: str = ""
    school: School | None = None
    outcome: str = Outcome.PROBLEM
    reason: str = ""
    user_id: int | None = None

    def as_dict(self) -> dict:
        return {
            **self.source.as_dict(),
            "email_normalised": self.email,
            "role_code": self.role,
            "school_id": self.school.pk if self.school else None,
            "school_name": self.school.name if self.school else "",
            "outcome": self.outcome,
            "reason": self.reason,
            "user_id": self.user_id,
        }


MAX_EMAIL = 254  # what an invitation's and an account's address can hold
MAX_NAME = 150


def _check_alone(row: ListRow, schools: _Schools) -> _Checked:
    """What can be said of a row without looking at the other rows or at people."""
    checked = _Checked(source=row)
    email = User.objects.normalize_email(row.email.strip()).lower()
    if not email:
        checked.reason = _("No email address.")
        return checked
    try:
        validate_email(email)
    except ValidationError:
        checked.reason = _("“%(email)s” is not a valid email address.") % {"email": row.email}
        return checked
    if len(email) > MAX_EMAIL:
        checked.reason = _("The email address is longer than %(max)s characters.") % {
            "max": MAX_EMAIL
        }
        return checked
    if len(row.name.strip()) > MAX_NAME:
        checked.reason = _("The name is longer than %(max)s characters.") % {"max": MAX_NAME}
        return checked
    checked.email = email
    if row.school:
        checked.school, reason = schools.find(row.school)
        if checked.school is None:
            checked.reason = reason
            return checked
    if not row.role:
        checked.reason = _("No role.")
        return checked
    role = role_from_text(row.role)
    if role is None:
        checked.reason = _("Unknown role: “%(role)s”.") % {"role": row.role}
        return checked
    checked.role = role
    if role in NOT_IN_BULK:
        checked.reason = _(
            "The role %(role)s cannot be given in a list: give this role one by one on the "
            "people page."
        ) % {"role": Role(role).label}
        return checked
    try:
        role_scope_check(role=role, school=checked.school)
    except ValidationError as exc:
        checked.reason = " ".join(exc.messages)
        return checked
    checked.outcome = ""  # decided with the others
    return checked


def check_rows(board: Board, rows: list[ListRow]) -> list[dict]:
    """Each row with its outcome and, for a problem, its reason. A fixed number of queries,
    however long the list."""
    schools = _Schools(board)
    checked = [_check_alone(row, schools) for row in rows]
    valid = [item for item in checked if not item.outcome]

    seen: dict[tuple, list[_Checked]] = defaultdict(list)
    for item in valid:
        seen[(item.email, item.role, item.school.pk if item.school else None)].append(item)
    for same in seen.values():
        if len(same) > 1:
            numbers = ", ".join(str(item.source.row) for item in same)
            for item in same:
                item.outcome = Outcome.PROBLEM
                item.reason = _(
                    "This address is in the list more than once with the same role and school "
                    "(rows %(rows)s)."
                ) % {"rows": numbers}
    valid = [item for item in valid if not item.outcome]

    emails = {item.email for item in valid}
    users = {
        user.email_lower: user.pk
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .only("pk", "email")
    }
    roles_held: dict[int, set[tuple]] = defaultdict(set)
    for user_id, school_id, role in Membership.objects.filter(
        board=board, user_id__in=users.values()
    ).values_list("user_id", "school_id", "role"):
        roles_held[user_id].add((school_id, role))
    open_invited = set(
        Invitation.objects.annotate(email_lower=Lower("email"))
        .filter(
            board=board,
            email_lower__in=emails,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .values_list("email_lower", "school_id", "role")
    )
    for item in valid:
        school_id = item.school.pk if item.school else None
        user_id = users.get(item.email)
        item.user_id = user_id
        if user_id is not None and (school_id, item.role) in roles_held[user_id]:
            item.outcome = Outcome.ALREADY
            item.reason = _("Already has this role.")
        elif user_id is not None and roles_held[user_id]:
            item.outcome = Outcome.ADD_ROLE
        elif (item.email, school_id, item.role) in open_invited:
            item.outcome = Outcome.ALREADY
            item.reason = _("Already invited for this role; the invitation is still open.")
        else:
            item.outcome = Outcome.INVITE
    return [item.as_dict() for item in checked]


def counts(rows: list[dict]) -> dict[str, int]:
    found = Counter(row["outcome"] for row in rows)
    return {outcome: found.get(outcome, 0) for outcome in OUTCOMES}


def can_confirm(staff_import: StaffImport) -> bool:
    """Only a preview without problems and with something to do."""
    found = counts(staff_import.rows)
    return (
        staff_import.state == StaffImportState.PREVIEW
        and not found[Outcome.PROBLEM]
        and bool(found[Outcome.INVITE] or found[Outcome.ADD_ROLE])
    )


def preview_create(*, board: Board, user, rows: list[ListRow], source_name: str) -> StaffImport:
    """Check the rows and keep them as a preview, waiting for confirmation."""
    return StaffImport.objects.create(
        board=board,
        created_by=user,
        source_name=source_name[:255],
        rows=check_rows(board, rows),
    )


class ImportFailed(Exception):
    """Nothing was written; the message says why."""


def _list_rows(saved: list[dict]) -> list[ListRow]:
    return [
        ListRow(
            row=row["row"],
            name=row["name"],
            email=row["email"],
            school=row["school"],
            role=row["role"],
        )
        for row in saved
    ]


def import_confirm(*, board: Board, import_id: int, user) -> StaffImport:
    """Write the previewed list as it checks out now, in one transaction.

    Returns the import. When it was no longer a preview (a second click), nothing happens.
    When the check now finds problems (someone changed the board in between), the preview is
    updated to show them and nothing else is written. Raises ImportFailed when a write fails;
    nothing is kept then.
    """
    try:
        with transaction.atomic():
            return _confirm(board=board, import_id=import_id, user=user)
    except (ValidationError, IntegrityError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else []
        raise ImportFailed(
            " ".join(messages) or _("The list could not be written. Try again.")
        ) from None


def _confirm(*, board: Board, import_id: int, user) -> StaffImport:
    staff_import = StaffImport.objects.select_for_update().get(pk=import_id, board=board)
    if staff_import.state != StaffImportState.PREVIEW:
        return staff_import
    rows = check_rows(board, _list_rows(staff_import.rows))
    staff_import.rows = rows
    if any(row["outcome"] == Outcome.PROBLEM for row in rows):
        staff_import.save(update_fields=["rows"])
        return staff_import
    schools = {school.pk: school for school in School.objects.filter(board=board)}
    people = {
        person.pk: person
        for person in User.objects.filter(
            pk__in={row["user_id"] for row in rows if row["outcome"] == Outcome.ADD_ROLE}
        )
    }
    invitations = []
    for row in rows:
        school = schools.get(row["school_id"]) if row["school_id"] else None
        if row["outcome"] == Outcome.INVITE:
            invitation, _link = invitation_create(
                board=board,
                email=row["email_normalised"],
                name=row["name"],
                role=row["role_code"],
                school=school,
                invited_by=user,
                send=False,
            )
            invitations.append(
                StaffImportInvitation(staff_import=staff_import, invitation=invitation)
            )
        elif row["outcome"] == Outcome.ADD_ROLE:
            membership_create(
                user=people[row["user_id"]], board=board, role=row["role_code"], school=school
            )
    StaffImportInvitation.objects.bulk_create(invitations)
    staff_import.total = len(invitations)
    staff_import.confirmed_at = timezone.now()
    if invitations:
        staff_import.state = StaffImportState.SENDING
        transaction.on_commit(lambda: send_staff_invitations.enqueue(staff_import.pk))
    else:
        staff_import.state = StaffImportState.DONE
        staff_import.finished_at = timezone.now()
    staff_import.save()
    return staff_import


def import_send_failed_again(*, board: Board, import_id: int) -> int:
    """Send the invitations whose email failed once more; returns how many are queued."""
    with transaction.atomic():
        staff_import = StaffImport.objects.select_for_update().get(pk=import_id, board=board)
        if staff_import.state != StaffImportState.DONE:
            return 0
        again = StaffImportInvitation.objects.filter(
            staff_import=staff_import, sent_at__isnull=True
        ).exclude(error="")
        count = again.update(error="")
        if not count:
            return 0
        StaffImport.objects.filter(pk=staff_import.pk).update(
            state=StaffImportState.SENDING, failed=F("failed") - count, finished_at=None
        )
        transaction.on_commit(lambda: send_staff_invitations.enqueue(staff_import.pk))
    return count


def failed_invitations(staff_import: StaffImport):
    return (
        StaffImportInvitation.objects.filter(staff_import=staff_import, sent_at__isnull=True)
        .exclude(error="")
        .select_related("invitation")
    )
