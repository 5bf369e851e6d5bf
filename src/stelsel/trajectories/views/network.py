"""The network pages of the programme office: peer groups per cohort by size, a group with its
members and meetings, and a meeting's attendance."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from stelsel.lib.forms import add_service_errors
from stelsel.organisations.access import one
from stelsel.trajectories import network, selectors
from stelsel.trajectories.forms_office import GroupMembersForm, MeetingForm, PeerGroupForm
from stelsel.trajectories.models import PeerGroup, PeerMeeting
from stelsel.trajectories.roles import ProgrammePermission as P
from stelsel.trajectories.views.office import PROGRAMME, programme_view

NETWORK = PROGRAMME + "netwerk/"
GROUP = NETWORK + "<int:group_id>/"


def _group(programme, group_id) -> PeerGroup:
    return one(PeerGroup.objects.filter(programme=programme).select_related("cohort"), group_id)


@programme_view(P.MANAGE_NETWORK)
def network_overview(request, programme):
    form = PeerGroupForm(request.POST or None, programme=programme)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                group = network.peer_group_create(
                    cohort=data["cohort"], name=data["name"], size_band=data["size_band"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Group %(name)s is added.") % {"name": group.name})
                return redirect(reverse("trajectories:peer_group", args=[programme.slug, group.pk]))
        status = 400
    return render(
        request,
        "trajectories/network_overview.html",
        {"programme": programme, "cohorts": selectors.network_overview(programme), "form": form},
        status=status,
    )


@programme_view(P.MANAGE_NETWORK)
def peer_group(request, programme, group_id):
    group = _group(programme, group_id)
    candidates = selectors.group_candidates(group)
    members_form = GroupMembersForm(candidates=candidates)
    meeting_form = MeetingForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                members_form = GroupMembersForm(request.POST, candidates=candidates)
                if members_form.is_valid():
                    added = network.peer_group_add(
                        group=group,
                        trajectory_ids=[t.pk for t in members_form.cleaned_data["trajectories"]],
                    )
                    messages.success(
                        request,
                        _("%(n)s trajectories are added to the group.") % {"n": added},
                    )
                    return redirect(request.path)
            elif action == "remove":
                trajectory = one(group.trajectories.all(), request.POST.get("trajectory"))
                network.peer_group_remove(group=group, trajectory=trajectory)
                messages.success(
                    request, _("%(label)s has left the group.") % {"label": trajectory.label}
                )
                return redirect(request.path)
            elif action == "meeting":
                meeting_form = MeetingForm(request.POST)
                if meeting_form.is_valid():
                    meeting = network.peer_meeting_create(group=group, **meeting_form.cleaned_data)
                    messages.success(request, _("The meeting is added."))
                    return redirect(
                        reverse(
                            "trajectories:peer_meeting",
                            args=[programme.slug, group.pk, meeting.pk],
                        )
                    )
            else:
                messages.error(request, _("That action is unknown."))
        except ValidationError as exc:
            add_service_errors(meeting_form if action == "meeting" else members_form, exc)
        status = 400
    return render(
        request,
        "trajectories/network_group.html",
        {
            "programme": programme,
            "group": group,
            "members": group.trajectories.select_related("board").order_by("label"),
            "meetings": selectors.group_meetings(group),
            "members_form": members_form,
            "meeting_form": meeting_form,
            "has_candidates": candidates.exists(),
        },
        status=status,
    )


@programme_view(P.MANAGE_NETWORK)
def peer_meeting(request, programme, group_id, meeting_id):
    group = _group(programme, group_id)
    meeting = one(PeerMeeting.objects.filter(group=group), meeting_id)
    meeting.group = group
    if request.method == "POST":
        try:
            network.attendance_record(
                meeting=meeting,
                present_ids=[value for value in request.POST.getlist("present") if value.isdigit()],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect(reverse("trajectories:peer_group", args=[programme.slug, group.pk]))
        return redirect(request.path)
    return render(
        request,
        "trajectories/network_meeting.html",
        {
            "programme": programme,
            "group": group,
            "meeting": meeting,
            "rows": selectors.meeting_attendance(meeting),
        },
    )


urlpatterns = [
    path(NETWORK, network_overview, name="network"),
    path(GROUP, peer_group, name="peer_group"),
    path(GROUP + "bijeenkomsten/<int:meeting_id>/", peer_meeting, name="peer_meeting"),
]
