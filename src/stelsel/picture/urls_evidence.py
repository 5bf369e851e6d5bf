"""Routes for evidence; included by picture/urls.py under the `picture` namespace."""

urlpatterns: list = []
