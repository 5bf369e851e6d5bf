"""Template filters for plan pages."""

from django import template
from django.utils import formats

from stelsel.planning.charts import plain

register = template.Library()


@register.filter
def amount(value) -> str:
    """A goal's number as people write it: 62,5 rather than 62,50, 80 rather than 80,00."""
    if value is None or value == "":
        return ""
    return formats.number_format(plain(value))
