"""Placeholder until written."""

urlpatterns = []
