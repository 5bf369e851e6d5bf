"""The words of the frameworks' scales, in the reader's language.

A scale level's label is stored as the framework library writes it, in Dutch ("Nog niet in
orde"). Statuses are interface wording, not content: an English page must say "Not yet in
order". The library's labels are the keys; a label a board's own framework adds and this list
does not know is shown as written.
"""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "In orde": _("In order"),
    "Nog niet in orde": _("Not yet in order"),
    "Nog niet beoordeeld": _("Not yet judged"),
    "Niet onderzocht": _("Not examined"),
    "Onvoldoende": _("Insufficient"),
    "Voldoende": _("Sufficient"),
    "Sterk ontwikkeld": _("Well developed"),
    "Voldoende ontwikkeld": _("Sufficiently developed"),
    "In ontwikkeling": _("Developing"),
    "Nog niet aanwezig": _("Not yet present"),
}


def shown(label: str) -> str:
    """`label` in the active language where the library's wording is known."""
    return str(LABELS[label]) if label in LABELS else label
