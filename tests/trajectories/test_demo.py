"""The demo's support programme: two cohorts of ten cases and an open one, the demo board in a
running trajectory whose advisor reaches the board through its consent, the programme's people,
the network, and analytics a researcher reads without reaching any trajectory."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from stelsel.demo.board import BOARD_NUMBER, DEMO_PASSWORD
from stelsel.organisations.models import Board, Membership
from stelsel.organisations.roles import Role
from stelsel.trajectories import analytics
from stelsel.trajectories.models import (
    Attendance,
    Consent,
    InterventionLog,
    PeerMeeting,
    Programme,
    ProgrammeRole,
    Trajectory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo")
    return Programme.objects.get(slug="bestuurders-po")


def _counts():
    return (
        Programme.objects.count(),
        Trajectory.objects.count(),
        InterventionLog.objects.count(),
        Consent.objects.count(),
        Membership.objects.count(),
        Attendance.objects.count(),
    )


def test_the_demo_seeds_the_programme_with_two_cohorts_of_ten_and_an_open_one(capsys, demo):
    assert demo.name == "Bestuurders van onderwijskwaliteit"
    assert (demo.sector, demo.organiser) == ("po", "PO-Raad (voorbeeld)")
    cohorts = {c.name: c for c in demo.cohorts.all()}
    assert set(cohorts) == {"2024-2025", "2025-2026", "2026-2027"}
    assert cohorts["2026-2027"].open_for_applications
    assert not cohorts["2024-2025"].open_for_applications
    for name in ("2024-2025", "2025-2026"):
        cases = list(cohorts[name].trajectories.prefetch_related("needs"))
        assert len(cases) == 10
        assert any(c.single_school_board for c in cases)
        assert len({frozenset(n.pk for n in c.needs.all()) for c in cases}) > 5
        for case in cases:
            assert case.needs.exists()
            for on in case.log.values_list("on", flat=True):
                assert case.starts_on <= on <= case.ends_on
    with_points = [t for t in Trajectory.objects.filter(programme=demo) if t.attention]
    assert len(with_points) >= 18
    assert all(sum(t.attention.values()) == 4 for t in with_points)
    # The programme's people.
    roles = set(demo.memberships.values_list("user__email", "role"))
    assert ("programma@demo.stelsel.nl", ProgrammeRole.OFFICE) in roles
    assert ("onderzoek@demo.stelsel.nl", ProgrammeRole.RESEARCHER) in roles
    assert ("adviseur@demo.stelsel.nl", ProgrammeRole.ADVISOR) in roles
    out = capsys.readouterr().out
    assert "programma@demo.stelsel.nl" in out and "onderzoek@demo.stelsel.nl" in out


def test_the_demo_board_is_in_a_running_trajectory_with_its_advisor(demo):
    board = Board.objects.get(number=BOARD_NUMBER)
    trajectory = Trajectory.objects.get(programme=demo, board=board)
    assert trajectory.cohort.name in {"2025-2026", "2026-2027"}
    assert trajectory.advisor.email == "adviseur@demo.stelsel.nl"
    assert trajectory.phase not in {"intake", "closed"}
    assert trajectory.log.count() >= 3 and trajectory.needs.exists()
    assert trajectory.attention is not None
    assert trajectory.triangle_conversations.filter(number=1).exists()
    assert trajectory.application.state == "admitted"
    # The advisor's access to the board rests on the executive's consent for the trajectory.
    consent = Consent.objects.get(trajectory=trajectory, withdrawn_at__isnull=True)
    assert consent.granted_by.email == "bestuurder@demo.stelsel.nl"
    assert consent.membership is not None
    advisor_roles = Membership.objects.filter(user=trajectory.advisor, board=board)
    assert list(advisor_roles.values_list("pk", "role")) == [(consent.membership_id, Role.ADVISOR)]
    # The network: a group of boards of its size, with a meeting and who attended.
    group = trajectory.peer_groups.get()
    meeting = PeerMeeting.objects.filter(group=group).get()
    assert Attendance.objects.filter(meeting=meeting, trajectory=trajectory, present=True).exists()
    assert Attendance.objects.filter(meeting=meeting, present=False).exists()


def test_the_demo_programme_loads_once(demo):
    first = _counts()
    call_command("demo")
    assert _counts() == first


def test_the_analytics_run_on_the_demo(demo):
    running = demo.cohorts.get(name="2025-2026")
    whole = analytics.programme_analytics(demo)
    assert whole["cases"] == 20
    assert analytics.programme_analytics(demo, running)["cases"] == 10
    assert sum(whole["attention"][k] for k in ("person", "organisation")) == 100.0
    assert any(row["cases"] >= 3 for row in whole["interventions"])
    assert whole["totals"]["B"] > 0 and whole["totals"]["O"] > 0


def test_the_researcher_reads_the_analytics_and_no_trajectory(client, demo):
    assert client.login(email="onderzoek@demo.stelsel.nl", password=DEMO_PASSWORD) or (
        client.post(
            "/accounts/login/", {"login": "onderzoek@demo.stelsel.nl", "password": DEMO_PASSWORD}
        ).status_code
        == 302
    )
    answer = client.get(reverse("api:programme_analytics", args=[demo.slug]))
    assert answer.status_code == 200
    assert answer.json()["figures"]["cases"] == 20
    board = Board.objects.get(number=BOARD_NUMBER)
    own = Trajectory.objects.get(programme=demo, board=board)
    assert (
        client.get(reverse("api:programme_trajectory", args=[demo.slug, own.pk])).status_code == 404
    )
    assert client.get(reverse("api:board", args=[board.pk])).status_code == 404
