"""The picture per standard: for each unit of the report, every standard (and own indicator) of
its current quality picture with its status and substantiation, and per unit how many of its
requirements are in order.

The rows are the picture page's (`picture_view`): the standards of the picture's framework
version and the board's own indicators, in the page's order, a status named only when it is a
level of that version, in the reader's language (`shown`), "Not yet judged" when there is none.
The figures per unit are the board overview's *Eisen* figures (`picture_summaries`). The page
reads one picture at a time; here every picture of the report is read in three queries,
whatever the number of schools. The picture is the current one, as it stands today.
"""

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.frameworks.level_labels import shown
from stelsel.lib.date_formats import short_date
from stelsel.organisations.units import unit_name
from stelsel.picture.entries.selectors import picture_summaries
from stelsel.picture.models import Entry, Perspective, Picture, PictureState
from stelsel.reports.blocks import BlockKind, Scope, register, table

SUBSTANTIATION = (
    ("ambitions", gettext_lazy("What the board's and the school's plans aim for")),
    ("visible", gettext_lazy("How it is visible in the school")),
    ("secured", gettext_lazy("How it is secured (borging)")),
    ("accounted", gettext_lazy("How and when it is accounted for")),
)
PERSPECTIVE_ORDER = [p for p, _label in Perspective.choices]


def scope_pictures(scope: Scope) -> list[Picture]:
    """The current pictures of the report's units: the board's own first (for a report about
    the board), then the schools in the scope's order."""
    unit = Q(school_id__in=scope.school_ids)
    if scope.board_level:
        unit |= Q(school__isnull=True)
    pictures = list(
        Picture.objects.filter(unit, board=scope.board, state=PictureState.CURRENT)
        .select_related("framework_version")
        .order_by("framework_version__name", "pk")
    )
    order = {None: -1} | {pk: n for n, pk in enumerate(scope.school_ids)}
    return sorted(pictures, key=lambda p: order[p.school_id])


def _rows(pictures: list[Picture]) -> dict[int, list[tuple]]:
    """Per picture its entries as `picture_view` keeps them (the standards of the picture's
    framework version, and the board's own indicators), in the page's order: by perspective,
    standards before own indicators, each by position. One query for all pictures."""
    versions = {p.pk: p.framework_version_id for p in pictures}
    rows: dict[int, list[tuple]] = defaultdict(list)
    for values in (
        Entry.objects.filter(picture__in=list(versions))
        .order_by()
        .values_list(
            "picture_id",
            "standard_id",
            "standard__code",
            "standard__name",
            "standard__position",
            "standard__framework_version_id",
            "indicator_id",
            "indicator__code",
            "indicator__title",
            "indicator__perspective",
            "indicator__position",
            "status__label",
            "status__scale__framework_version_id",
            "judged_at",
            "ambitions",
            "visible",
            "secured",
            "accounted",
        )
    ):
        (picture_id, standard_id, s_code, s_name, s_position, s_version) = values[:6]
        (indicator_id, i_code, i_title, i_perspective, i_position) = values[6:11]
        label, level_version, judged_at = values[11:14]
        version = versions[picture_id]
        if standard_id is not None:
            if s_version != version:
                continue
            perspective, code, title = Perspective.REQUIREMENTS, s_code, s_name
            position = (PERSPECTIVE_ORDER.index(perspective), 0, s_position, "")
        else:
            perspective, code, title = i_perspective, i_code, i_title
            position = (PERSPECTIVE_ORDER.index(perspective), 1, i_position, i_code)
        # A status counts, and is named, only as a level of the picture's framework version;
        # a neutral level names itself ("Nog niet beoordeeld") but counts as not judged.
        status = shown(label) if label and level_version == version else ""
        rows[picture_id].append(
            (position, code, title, perspective, status, judged_at, values[14:])
        )
    for found in rows.values():
        found.sort(key=lambda row: row[0])
    return rows


def collect(scope: Scope) -> dict:
    pictures = scope_pictures(scope)
    board = scope.board
    source_path = reverse("picture:overview", args=[board.pk])
    if len(pictures) == 1:
        source_path = reverse("picture:picture", args=[board.pk, pictures[0].pk])
    snapshot = {
        "source": _("Quality picture"),
        "source_path": source_path,
        "as_of": timezone.localdate().isoformat(),
    }
    pictured = {p.school_id for p in pictures}
    missing = [s.name for s in scope.schools if s.pk not in pictured]
    if scope.board_level and None not in pictured:
        missing.insert(0, board.name)
    if not pictures:
        snapshot["empty"] = _("No quality picture has been started for the units of this report.")
        return snapshot
    schools = {s.pk: s for s in scope.schools}
    summaries = picture_summaries({p.pk: p.framework_version_id for p in pictures})
    rows = _rows(pictures)
    perspectives = dict(Perspective.choices)
    not_judged = _("Not yet judged")

    def name(picture) -> str:
        return unit_name(board, schools.get(picture.school_id))

    overview = []
    for picture in pictures:
        figure = summaries[picture.pk].requirements
        overview.append(
            [
                name(picture),
                picture.period,
                picture.framework_version.name,
                figure.in_order,
                figure.not_in_order,
                figure.not_judged,
                figure.total,
            ]
        )
    tables = [
        table(
            _("Requirements in order per unit"),
            [
                _("Unit"),
                _("Period"),
                _("Framework"),
                _("In order"),
                _("Not in order"),
                _("Not yet judged"),
                _("Total"),
            ],
            overview,
            _(
                "The requirements perspective (Eisen): the framework's standards and the "
                "board's own requirements, counted as on the board overview."
            ),
        )
    ]
    for picture in pictures:
        tables.append(
            table(
                _("%(unit)s: the picture per standard (%(period)s, %(framework)s)")
                % {
                    "unit": name(picture),
                    "period": picture.period,
                    "framework": picture.framework_version.name,
                },
                [_("Standard"), _("Perspective"), _("Status"), _("Judged")]
                + [label for _field, label in SUBSTANTIATION],
                [
                    [
                        f"{code} {title}",
                        perspectives.get(perspective, perspective),
                        status or not_judged,
                        short_date(judged_at) or None,
                        *[text.strip() or None for text in texts],
                    ]
                    for _position, code, title, perspective, status, judged_at, texts in rows[
                        picture.pk
                    ]
                ],
            )
        )
    if missing:
        snapshot["notes"] = [
            _("No quality picture has been started yet for: %(units)s.")
            % {"units": ", ".join(missing)}
        ]
    snapshot["tables"] = tables
    return snapshot


register(
    BlockKind(
        key="picture",
        label=gettext_lazy("The picture per standard"),
        description=gettext_lazy(
            "For each school (and the board), every standard of the current quality picture "
            "with its status and substantiation, and how many requirements are in order."
        ),
        collect=collect,
    )
)
