"""The picture's routes under the `picture` namespace, gathered from the package of each concept
(the picture and its entries, evidence, herstelopdrachten, visits, the inspector's link)."""

from django.urls import include, path

app_name = "picture"

urlpatterns = [
    path("", include("stelsel.picture.entries.urls")),
    path("", include("stelsel.picture.evidence.urls")),
    path("", include("stelsel.picture.assignments.urls")),
    path("", include("stelsel.picture.visits.urls")),
    path("", include("stelsel.picture.inspector.urls")),
]
