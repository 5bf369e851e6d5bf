"""Checking a programme's eligibility criteria against what Stelsel already knows of a board.

A programme states its criteria as data (`Programme.eligibility`): for multi-school boards and
for single-school boards, criteria of which `any` must apply and criteria that `all` must apply.
A criterion with a `check` names a rule here; the rule looks at the board's schools' inspection
judgements and the assignments in its picture and answers whether it holds, with the findings
that show it, or that Stelsel cannot tell. The executive's own claims and these findings are
stored side by side on the application, so the programme office confirms with both in view;
nothing here refuses an application.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stelsel.lib.date_formats import short_date
from stelsel.organisations.models import Board, InspectionJudgement
from stelsel.picture.models import Assignment, AssignmentKind

MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"

INSUFFICIENT = (InspectionJudgement.ONVOLDOENDE, InspectionJudgement.ZEER_ZWAK)


@dataclass(frozen=True)
class CheckResult:
    status: str
    findings: list[str] = field(default_factory=list)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _date(day: datetime.date) -> str:
    return short_date(day)


def _judgement(school) -> str:
    return _("%(school)s: judged %(judgement)s on %(date)s") % {
        "school": school.name,
        "judgement": school.get_inspection_judgement_display().lower(),
        "date": _date(school.inspection_judgement_date),
    }


def judged_insufficient_3y(board: Board, today: datetime.date) -> CheckResult:
    """A school of the board judged insufficient or very weak in the last three years."""
    since = _years_before(today, 3)
    schools = board.schools.filter(
        inspection_judgement__in=INSUFFICIENT, inspection_judgement_date__gte=since
    ).order_by("name")
    findings = [_judgement(school) for school in schools]
    if findings:
        return CheckResult(MET, findings)
    if not board.schools.exclude(inspection_judgement="").exists():
        return CheckResult(UNKNOWN)
    return CheckResult(NOT_MET)


def board_assignments(board: Board, today: datetime.date) -> CheckResult:
    """Herstelopdrachten or development assignments to the board itself, in its picture, with a
    deadline in the last three years or still ahead."""
    since = _years_before(today, 3)
    assignments = (
        Assignment.objects.filter(board=board, school__isnull=True, deadline__gte=since)
        .select_related("standard")
        .order_by("deadline", "pk")
    )
    findings = [
        _("%(kind)s on %(standard)s, deadline %(date)s: %(text)s")
        % {
            "kind": assignment.get_kind_display(),
            "standard": assignment.standard.code,
            "date": _date(assignment.deadline),
            "text": assignment.text[:120],
        }
        for assignment in assignments
    ]
    return CheckResult(MET, findings) if findings else CheckResult(NOT_MET)


def risk_investigation_3y(board: Board, today: datetime.date) -> CheckResult:
    """An inspectorate investigation into risks: Stelsel records no such investigations (its
    visits are four-yearly, verification, follow-up and thematic ones), so it cannot tell."""
    return CheckResult(UNKNOWN)


def not_sufficient_or_good_2y(board: Board, today: datetime.date) -> CheckResult:
    """A single-school board's school was not judged sufficient without herstelopdrachten in
    the last two years ('good' is no longer given since 2023)."""
    since = _years_before(today, 2)
    schools = list(board.schools.order_by("name"))
    judged = [s for s in schools if s.inspection_judgement and s.inspection_judgement_date]
    if not judged:
        return CheckResult(UNKNOWN)
    findings = []
    clean_sufficient = False
    for school in judged:
        findings.append(_judgement(school))
        if (
            school.inspection_judgement == InspectionJudgement.VOLDOENDE
            and school.inspection_judgement_date >= since
        ):
            orders = Assignment.objects.filter(
                board=board, school=school, kind=AssignmentKind.HERSTEL, deadline__gte=since
            ).count()
            if orders:
                findings.append(
                    ngettext(
                        "%(school)s: %(count)d herstelopdracht since then",
                        "%(school)s: %(count)d herstelopdrachten since then",
                        orders,
                    )
                    % {"school": school.name, "count": orders}
                )
            else:
                clean_sufficient = True
    return CheckResult(NOT_MET if clean_sufficient else MET, findings)


CHECKS = {
    "judged_insufficient_3y": judged_insufficient_3y,
    "board_assignments": board_assignments,
    "risk_investigation_3y": risk_investigation_3y,
    "not_sufficient_or_good_2y": not_sufficient_or_good_2y,
}


def criteria_for(programme, *, single_school: bool) -> dict[str, list[dict]]:
    """The programme's criteria for this kind of board: {"any": [...], "all": [...]}."""
    kind = "single_school" if single_school else "multi_school"
    rules = (programme.eligibility or {}).get(kind) or {}
    if isinstance(rules, list):  # a plain list means: any of these
        rules = {"any": rules}
    return {"any": list(rules.get("any") or []), "all": list(rules.get("all") or [])}


def criterion_keys(criteria: dict[str, list[dict]]) -> list[str]:
    return [item["key"] for group in ("any", "all") for item in criteria[group]]


def check_board(
    programme, board: Board, *, single_school: bool, today: datetime.date
) -> dict[str, CheckResult]:
    """Every criterion with a check this board's kind has, checked against Stelsel's data.
    A check name Stelsel does not know counts as one it cannot tell."""
    results = {}
    criteria = criteria_for(programme, single_school=single_school)
    for group in ("any", "all"):
        for item in criteria[group]:
            check = item.get("check") or ""
            if not check:
                continue
            rule = CHECKS.get(check)
            results[item["key"]] = rule(board, today) if rule else CheckResult(UNKNOWN)
    return results


def criteria_record(
    programme, board: Board, *, single_school: bool, claimed: list[str], today: datetime.date
) -> dict:
    """What is stored on the application: the keys claimed, the findings per checked key and
    whether each check held (`checked`: met, not_met or unknown)."""
    results = check_board(programme, board, single_school=single_school, today=today)
    return {
        "claimed": list(claimed),
        "found": {key: result.findings for key, result in results.items()},
        "checked": {key: result.status for key, result in results.items()},
    }
