"""The routes of support programmes: the board's side under its board, the programme's side
under /programmas/<slug>/. Each view module holds its own routes."""

from stelsel.trajectories.views import analytics, board, network, office, trajectory

app_name = "trajectories"

urlpatterns = [
    *board.urlpatterns,
    *office.urlpatterns,
    *trajectory.urlpatterns,
    *network.urlpatterns,
    *analytics.urlpatterns,
]
