"""The network: size bands suggested from a board's schools, groups within one cohort, meetings
and attendance recorded in one go, and the pages for the office only."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.trajectories.models import Attendance, PeerGroup, ProgrammeRole, SizeBand
from stelsel.trajectories.network import (
    attendance_record,
    peer_group_add,
    peer_group_create,
    peer_meeting_create,
    size_band_for,
)
from tests.factories import make_board, make_school, make_user
from tests.factories.trajectories import (
    make_cohort,
    make_programme,
    make_trajectory,
    programme_member,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("schools", "band"),
    [(1, "single"), (2, "small"), (5, "small"), (6, "medium"), (15, "medium"), (16, "large")],
)
def test_size_bands_follow_the_number_of_schools(schools, band):
    assert size_band_for(schools) == band


def test_a_single_school_case_without_a_board_is_single_and_others_unknown():
    assert size_band_for(None, single_school_board=True) == SizeBand.SINGLE
    assert size_band_for(None) is None


@pytest.fixture
def network():
    programme = make_programme()
    cohort = make_cohort(programme)
    other_cohort = make_cohort(programme, name="2027-2028")
    group = peer_group_create(cohort=cohort, name="Kleine besturen", size_band="small")
    members = [make_trajectory(cohort, board=make_board()) for _ in range(3)]
    peer_group_add(group=group, trajectory_ids=[t.pk for t in members])
    meeting = peer_meeting_create(
        group=group, held_on=datetime.date(2026, 10, 1), topic="Zicht op kwaliteit"
    )
    return {
        "programme": programme,
        "cohort": cohort,
        "other_cohort": other_cohort,
        "group": group,
        "members": members,
        "meeting": meeting,
    }


def test_only_trajectories_of_the_groups_cohort_join(network):
    stranger = make_trajectory(network["other_cohort"])
    with pytest.raises(ValidationError):
        peer_group_add(group=network["group"], trajectory_ids=[stranger.pk])
    assert network["group"].trajectories.count() == 3
    assert peer_group_add(group=network["group"], trajectory_ids=[network["members"][0].pk]) == 0


def test_attendance_is_recorded_for_every_member_and_can_be_corrected(network):
    first, second, third = network["members"]
    meeting = network["meeting"]
    attendance_record(meeting=meeting, present_ids=[first.pk, third.pk])
    recorded = dict(Attendance.objects.values_list("trajectory_id", "present"))
    assert recorded == {first.pk: True, second.pk: False, third.pk: True}
    attendance_record(meeting=meeting, present_ids=[second.pk])
    recorded = dict(Attendance.objects.values_list("trajectory_id", "present"))
    assert recorded == {first.pk: False, second.pk: True, third.pk: False}


def test_attendance_of_a_non_member_changes_nothing(network):
    outsider = make_trajectory(network["cohort"])
    with pytest.raises(ValidationError):
        attendance_record(
            meeting=network["meeting"], present_ids=[network["members"][0].pk, outsider.pk]
        )
    assert not Attendance.objects.exists()


def test_the_network_pages_for_the_office(client, network):
    office, advisor = make_user(), make_user()
    programme = network["programme"]
    programme_member(office, programme, ProgrammeRole.OFFICE)
    programme_member(advisor, programme, ProgrammeRole.ADVISOR)
    big = make_board()
    for _ in range(7):
        make_school(big)
    loose = make_trajectory(network["cohort"], board=big)
    group, meeting = network["group"], network["meeting"]
    urls = [
        reverse("trajectories:network", args=[programme.slug]),
        reverse("trajectories:peer_group", args=[programme.slug, group.pk]),
        reverse("trajectories:peer_meeting", args=[programme.slug, group.pk, meeting.pk]),
    ]
    client.force_login(office)
    overview = client.get(urls[0])
    assert overview.status_code == 200
    assert loose.label in overview.content.decode()
    assert client.get(urls[1]).status_code == 200
    assert client.get(urls[2]).status_code == 200

    response = client.post(
        urls[0],
        {"cohort": network["cohort"].pk, "name": "Grote besturen", "size_band": "medium"},
    )
    assert response.status_code == 302
    new_group = PeerGroup.objects.get(name="Grote besturen")
    response = client.post(
        reverse("trajectories:peer_group", args=[programme.slug, new_group.pk]),
        {"action": "add", "trajectories": [loose.pk]},
    )
    assert response.status_code == 302
    assert list(new_group.trajectories.all()) == [loose]

    response = client.post(urls[2], {"present": [str(network["members"][1].pk), "x"]})
    assert response.status_code == 302
    assert Attendance.objects.filter(present=True).count() == 1
    assert Attendance.objects.count() == 3

    response = client.post(
        urls[1], {"action": "meeting", "held_on": "2026-11-05", "topic": "Dialoog"}
    )
    assert response.status_code == 302
    assert group.meetings.count() == 2

    client.force_login(advisor)
    for url in urls:
        assert client.get(url).status_code == 403
    other_office = make_user()
    programme_member(other_office, make_programme(), ProgrammeRole.OFFICE)
    client.force_login(other_office)
    for url in urls:
        assert client.get(url).status_code == 404


def test_a_group_of_another_programme_is_404(client, network):
    office = make_user()
    other = make_programme()
    programme_member(office, other, ProgrammeRole.OFFICE)
    client.force_login(office)
    url = reverse("trajectories:peer_group", args=[other.slug, network["group"].pk])
    assert client.get(url).status_code == 404


def test_a_meeting_sent_twice_is_recorded_once(network):
    with pytest.raises(ValidationError) as caught:
        peer_meeting_create(
            group=network["group"], held_on=datetime.date(2026, 10, 1), topic=" zicht op KWALITEIT "
        )
    assert caught.value.code == "duplicate"
    assert network["group"].meetings.count() == 1
