"""Numbers as people type them in a goal or a check-in: "85", "1,5" and "1.5" are numbers.

The goal form takes baseline, target and the value measured as text rather than as number fields,
so that "85%" or "veel" get an answer that helps to fix them instead of a bare "enter a number".
The services of goals and check-ins, the API and the coach reading along while a goal is written
all read numbers through here, so they agree on what a number is.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# A value stored in DecimalField(max_digits=12, decimal_places=2).
LARGEST_NUMBER = Decimal("9999999999.99")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_number(value, *, label: str) -> tuple[Decimal | None, str | None]:
    """A number as people type it: `85`, `1,5` and `1.5` are numbers; blank is no number.

    Returns (number, None) or (None, message). The message says what was wrong with the
    value, so "85%" and "veel" each get an answer that helps to fix them.
    """
    if value is None:
        return None, None
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None, None
        if text.endswith("%") and _NUMBER.match(text[:-1]):
            return None, _(
                "Write the %(label)s as a number without the percent sign, for example "
                "%(number)s, and put “%%” in the unit field."
            ) % {"label": label, "number": text[:-1]}
        if not _NUMBER.match(text):
            if "," in text and "." in text or text.count(",") > 1 or text.count(".") > 1:
                return None, _(
                    "Write the %(label)s without thousands separators, for example 1500 or 1500,5."
                ) % {"label": label}
            return None, _(
                "The %(label)s must be a number, for example 85 or 1,5: “%(value)s” is not "
                "one. Say in words what you measure in the indicator field."
            ) % {"label": label, "value": text[:40]}
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return None, _("The %(label)s must be a number, for example 85 or 1,5.") % {
                "label": label
            }
    if not number.is_finite():
        return None, _("The %(label)s must be a number, for example 85 or 1,5.") % {"label": label}
    if number != number.quantize(Decimal("0.01")):
        return None, _("Give the %(label)s with at most two decimals.") % {"label": label}
    if abs(number) > LARGEST_NUMBER:
        return None, _("The %(label)s is too large.") % {"label": label}
    return number.quantize(Decimal("0.01")), None
