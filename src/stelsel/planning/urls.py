"""The planning routes under the `planning` namespace, gathered from the package of each concept
(plans and their themes, goals with their check-ins and alignment, the coach, actions)."""

from django.urls import include, path

app_name = "planning"

urlpatterns = [
    path("", include("stelsel.planning.plans.urls")),
    path("", include("stelsel.planning.goals.urls")),
    path("", include("stelsel.planning.coach.urls")),
    path("", include("stelsel.planning.actions.urls")),
]
