"""Routes for the picture itself; included by picture/urls.py under the `picture` namespace."""

urlpatterns: list = []
