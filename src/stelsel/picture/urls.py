"""The picture's routes, gathered from one module per area."""

from stelsel.picture import urls_actions, urls_evidence, urls_inspector, urls_picture, urls_visits

app_name = "picture"

urlpatterns = (
    urls_picture.urlpatterns
    + urls_evidence.urlpatterns
    + urls_actions.urlpatterns
    + urls_visits.urlpatterns
    + urls_inspector.urlpatterns
)
