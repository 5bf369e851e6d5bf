"""Cohorts (*jaargangen*) of a programme: adding one and opening or closing its applications.

The office decides when boards may apply; a cohort's capacity is what admission checks, so it
cannot drop below the places already taken."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stelsel.trajectories.models import Cohort, Programme


def _check_dates(starts_on, ends_on) -> None:
    if starts_on and ends_on and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The end date must lie after the start date.")})


@transaction.atomic
def cohort_create(
    *,
    programme: Programme,
    name: str,
    capacity: int | None = None,
    starts_on=None,
    ends_on=None,
    open_for_applications: bool = False,
) -> Cohort:
    """A new cohort; its name is unique within the programme (it is how people refer to it)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the cohort a name.")})
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("A cohort has at least one place.")})
    _check_dates(starts_on, ends_on)
    if Cohort.objects.filter(programme=programme, name__iexact=name).exists():
        raise ValidationError({"name": _("This programme already has a cohort of that name.")})
    try:
        with transaction.atomic():
            return Cohort.objects.create(
                programme=programme,
                name=name,
                capacity=capacity,
                starts_on=starts_on,
                ends_on=ends_on,
                open_for_applications=open_for_applications,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"name": _("This programme already has a cohort of that name.")}
        ) from exc


@transaction.atomic
def cohort_set_open(*, cohort: Cohort, open_for_applications: bool) -> Cohort:
    """Open or close a cohort for applications. Closing leaves the submitted applications to be
    decided; it only stops new ones."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.open_for_applications != open_for_applications:
        cohort.open_for_applications = open_for_applications
        cohort.save(update_fields=["open_for_applications"])
    return cohort
