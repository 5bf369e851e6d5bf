"""Routes for actions; included by picture/urls.py under the `picture` namespace."""

urlpatterns: list = []
