from django.urls import path

from stelsel.accounts import views

app_name = "accounts"

urlpatterns = [
    path("instellingen/tokens/<int:token_id>/intrekken/", views.token_revoke, name="token_revoke"),
]
