"""Board and school pages, people and roles, invitations, activity and the DUO import.

Views are thin: objects come through access.py, reads through selectors, writes through
services.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.accounts.models import User
from stelsel.organisations import activity as activity_log
from stelsel.organisations import duo_uploads, selectors, services
from stelsel.organisations.access import (
    get_invitation_for_user,
    get_membership_for_user,
    get_person_for_user,
    has_permission,
)
from stelsel.organisations.activity_filter import ActivityFilterForm
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.duo_schools import DuoFileError
from stelsel.organisations.forms import (
    AcceptInvitationForm,
    BoardSettingsForm,
    DuoUploadForm,
    InvitationForm,
    RoleForm,
)
from stelsel.organisations.roles import Permission
from stelsel.organisations.sign_in_hooks import work_account_sign_in


@board_view(Permission.VIEW_PEOPLE)
def people(request, board):
    return render(
        request,
        "organisations/people.html",
        {
            "board": board,
            "people": selectors.board_people(request.user, board),
            "invitations": selectors.open_invitations(request.user, board),
            "can_manage": has_permission(request.user, board, Permission.MANAGE_PEOPLE),
        },
    )


@board_view(Permission.MANAGE_PEOPLE)
def invite(request, board):
    form = InvitationForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _link = services.invitation_create(
                board=board,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                school=form.cleaned_data["school"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("organisations:people", board_id=board.pk)
    return render(request, "organisations/invite.html", {"board": board, "form": form})


@board_view(Permission.MANAGE_PEOPLE)
def role_add(request, board, person_id):
    """Give someone who is already on the board another role (no invitation needed)."""
    person = get_person_for_user(request.user, board, person_id, write=True)
    form = RoleForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_create(
                user=person,
                board=board,
                role=form.cleaned_data["role"],
                school=form.cleaned_data["school"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Role %(role)s given to %(user)s.")
                % {"role": membership.get_role_display(), "user": person},
            )
            return redirect("organisations:people", board_id=board.pk)
    return render(
        request, "organisations/role_add.html", {"board": board, "person": person, "form": form}
    )


@require_POST
@board_view(Permission.MANAGE_PEOPLE)
def invitation_resend(request, board, invitation_id):
    """A new link for an open or expired invitation; the old link stops working."""
    old = get_invitation_for_user(request.user, board, invitation_id, write=True)
    if old.state not in ("open", "expired"):
        messages.error(request, _("This invitation can no longer be sent again."))
        return redirect("organisations:people", board_id=board.pk)
    try:
        invitation, _link = services.invitation_create(
            board=board,
            email=old.email,
            name=old.name,
            role=old.role,
            school=old.school,
            invited_by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("organisations:people", board_id=board.pk)


@require_POST
@board_view(Permission.MANAGE_PEOPLE)
def invitation_revoke(request, board, invitation_id):
    invitation = get_invitation_for_user(request.user, board, invitation_id, write=True)
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request, _("The invitation for %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("organisations:people", board_id=board.pk)


@require_POST
@board_view(Permission.MANAGE_PEOPLE)
def membership_delete(request, board, membership_id):
    membership = get_membership_for_user(request.user, board, membership_id, write=True)
    try:
        services.membership_delete(membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Role %(role)s removed from %(user)s.")
            % {"role": membership.get_role_display(), "user": membership.user},
        )
    return redirect("organisations:people", board_id=board.pk)


@board_view(Permission.MANAGE_BOARD)
def board_settings(request, board):
    form = BoardSettingsForm(
        request.POST or None,
        initial={
            "name": board.name,
            "require_two_factor": board.require_two_factor,
            "benchmark_opt_in": board.benchmark_opt_in,
            "school_leaders_run_rounds": board.school_leaders_run_rounds,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.board_update_settings(
            board=board,
            name=form.cleaned_data["name"],
            require_two_factor=form.cleaned_data["require_two_factor"],
            benchmark_opt_in=form.cleaned_data["benchmark_opt_in"],
            school_leaders_run_rounds=form.cleaned_data["school_leaders_run_rounds"],
        )
        messages.success(
            request, _("Settings of %(board)s saved.") % {"board": form.cleaned_data["name"]}
        )
        return redirect("organisations:board_settings", board_id=board.pk)
    return render(request, "organisations/board_settings.html", {"board": board, "form": form})


@board_view(Permission.VIEW_ACTIVITY)
@kept_page
def activity(request, board):
    """The board's history, filtered by kind, school, person and period, a page at a time.
    A filter that cannot be read is shown with its error, and no entries (400)."""
    schools, people = selectors.activity_choices(request.user, board)
    form = ActivityFilterForm(request.GET or None, schools=schools, people=people)
    page = None
    if not request.GET or form.is_valid():
        filters = form.filters() if request.GET else activity_log.Filters()
        page = selectors.board_activity(request.user, board, filters)
    older = None
    if page and page.older:
        query = request.GET.copy()
        query["ouder"] = str(page.older)
        older = query.urlencode()
    return render(
        request,
        "organisations/activity.html",
        {
            "board": board,
            "form": form,
            "page": page,
            "older": older,
            "filtered": bool(request.GET),
        },
        status=200 if page is not None else 400,
    )


def _session_key(board) -> str:
    return f"duo-import-{board.pk}"


@board_view(Permission.IMPORT_SCHOOLS)
def duo_import(request, board):
    """Upload a DUO file and preview what importing this board's schools from it changes."""
    form = DuoUploadForm(request.POST or None, request.FILES or None)
    plan = pending = None
    if request.method == "POST" and form.is_valid():
        try:
            plan, pending = duo_uploads.upload_preview(
                board=board,
                data=form.cleaned_data["file"].read(),
                previous=request.session.get(_session_key(board)),
            )
        except DuoFileError as exc:
            form.add_error("file", str(exc))
        else:
            request.session[_session_key(board)] = pending
    return render(
        request,
        "organisations/duo_import.html",
        {
            "board": board,
            "form": form,
            "plan": plan,
            "pending_sha256": pending["sha256"] if pending else None,
        },
    )


@require_POST
@board_view(Permission.IMPORT_SCHOOLS)
def duo_import_confirm(request, board):
    try:
        plan = duo_uploads.upload_confirm(
            board=board,
            pending=request.session.pop(_session_key(board), None),
            sha256=request.POST.get("sha256", ""),
        )
    except DuoFileError as exc:
        messages.error(request, _("Nothing was imported: %(error)s") % {"error": exc})
        return redirect("organisations:duo_import", board_id=board.pk)
    counts = plan.counts
    messages.success(
        request,
        _(
            "Import done. Schools added: %(created)d; updated: %(updated)d; "
            "unchanged: %(unchanged)d."
        )
        % {
            "created": counts["schools_created"],
            "updated": counts["schools_updated"],
            "unchanged": counts["schools_unchanged"],
        },
    )
    return redirect("web:board_home", board_id=board.pk)


INVITATION_MESSAGES = {
    "sign_in": _("An account with this address exists already. Sign in to accept the invitation."),
    "other_user": _("This invitation is for another email address. Sign out first."),
    "unknown": _("This invitation link is not valid. Check that you copied the whole link."),
    "accepted": _("This invitation has already been used. Sign in with your account."),
    "revoked": _("This invitation was withdrawn. Ask the person who invited you for a new one."),
    "expired": _("This invitation has expired. Ask the person who invited you for a new one."),
}


def invitation_accept(request, token):
    """The single-use link: set a password (new person) or accept as the signed-in person."""
    invitation = services.invitation_from_token(token)
    state = invitation.state if invitation else "unknown"
    if state != "open":
        return render(
            request,
            "organisations/invitation_invalid.html",
            {"message": INVITATION_MESSAGES[state]},
            status=404 if state == "unknown" else 410,
        )
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    user = request.user if request.user.is_authenticated else None
    form = None
    if user is None and not existing and (instead := work_account_sign_in(invitation)):
        return redirect(instead)  # the board signs its staff in with their work account
    if user is None and not existing:
        form = AcceptInvitationForm(
            request.POST or None, email=invitation.email, initial={"name": invitation.name}
        )
    if request.method == "POST":
        if user is not None and user.email.lower() != invitation.email.lower():
            messages.error(
                request,
                _("This invitation is for %(email)s; sign out first.")
                % {"email": invitation.email},
            )
        elif user is not None or (form is not None and form.is_valid()):
            try:
                invitation, user = services.invitation_accept(
                    raw_token=token,
                    user=user,
                    name=form.cleaned_data["name"] if form else "",
                    password=form.cleaned_data["password1"] if form else None,
                )
            except services.InvitationUnusable as exc:
                return render(
                    request,
                    "organisations/invitation_invalid.html",
                    {"message": INVITATION_MESSAGES.get(exc.state, INVITATION_MESSAGES["unknown"])},
                    status=410,
                )
            if not request.user.is_authenticated:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(board)s.") % {"board": invitation.board})
            return redirect("web:board_home", board_id=invitation.board_id)
    return render(
        request,
        "organisations/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "needs_sign_in": existing and user is None,
            "login_url": reverse("account_login") + "?next=" + request.path,
        },
    )
