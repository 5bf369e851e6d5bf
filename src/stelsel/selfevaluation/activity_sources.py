"""Self-evaluation rounds on the board's activity page (registered in
`SelfEvaluationConfig.ready()`, see `organisations.activity`).

Only the round itself is history here: its title, dates, thresholds, state and with whom the
results are shared, as the organisers set them. Answers, responses, comments and the agenda
points generated from the results are not history and never reach the page: they could tie
a change in the results to the moment someone answered.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from stelsel.organisations.activity import Source, register
from stelsel.organisations.roles import Permission
from stelsel.selfevaluation.models import Round


def register_sources() -> None:
    register(
        Source(
            key="round",
            group="rounds",
            label=gettext_lazy("self-evaluation round"),
            records=lambda board: Round.history.filter(board_id=board.pk),
            describe=lambda r: r.title,
            link=lambda r: reverse("selfevaluation:round", args=[r.board_id, r.id]),
            view=Permission.VIEW_ROUNDS,
            hidden=frozenset({"reopened_at", "reopen_reason"}),
        ),
    )
