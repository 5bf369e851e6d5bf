"""Stelsel: the quality-assurance system of a Dutch school board as one application."""
