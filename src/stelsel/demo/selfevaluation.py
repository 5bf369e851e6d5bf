"""Demo content for self-evaluation: two closed board rounds (for the trend) with answers from
every perspective, one of them below the threshold to show suppression, and an open school round.

Answers are generated from a fixed seed with a different leaning per perspective, so the demo
shows blind spots (the board rates itself higher than the others) and a hidden strength.
"""

import datetime
import random

from django.db import transaction

from stelsel.demo import story
from stelsel.organisations.models import Board, School
from stelsel.selfevaluation.library import questionnaires_load
from stelsel.selfevaluation.models import (
    Answer,
    Comment,
    Perspective,
    QuestionnaireVersion,
    Release,
    Response,
    Round,
    RoundState,
)
from stelsel.selfevaluation.services import (
    meeting_code_start,
    results_freeze,
    round_create,
    round_open,
)

# perspective → (respondents, leaning on a 4-point scale)
BOARD_ROUND_GROUPS = {
    Perspective.BOARD: (7, 0.9),
    Perspective.SCHOOL_LEADERS: (8, -0.2),
    Perspective.QUALITY_STAFF: (6, 0.1),
    Perspective.SUPERVISORS: (3, 0.3),  # below k = 5: shown as "too few answers"
    Perspective.COUNCIL: (7, -0.4),
    Perspective.TEACHERS: (14, -0.6),
}
# Teachers and the council see less of the board's work, so they answer "don't know" more often.
DONT_KNOW_CHANCE = {Perspective.TEACHERS: 0.08, Perspective.COUNCIL: 0.05}
COMMENTS = [
    "De koers is helder, maar op school merken we er nog weinig van.",
    "Meer gesprekken met de scholen over de doelen zou helpen.",
    "De kwaliteitsrapportages zijn duidelijk en worden goed besproken.",
    "Het is niet altijd duidelijk wie waarvoor verantwoordelijk is.",
    "Graag vaker terugkoppeling over wat er met onze inbreng gebeurt.",
]


def _answers(round_: Round, groups: dict, *, seed: int, shift: float = 0.0) -> None:
    rng = random.Random(seed)
    version = round_.questionnaire_version
    items = list(version.items.select_related("section"))
    sections = list(version.sections.exclude(comment_prompt=""))
    top = len(version.scale_points)
    perspectives = {p.code: p for p in round_.perspectives.all()}
    # Answers come in over the days the round is open (up to yesterday for an open round).
    last = min(round_.closes_on, datetime.date.today() - datetime.timedelta(days=1))
    days = max((last - round_.opens_on).days, 0) + 1
    for code, (count, leaning) in groups.items():
        for n in range(count):
            response = Response.objects.create(
                round=round_,
                perspective=perspectives[code],
                submitted_on=round_.opens_on + datetime.timedelta(days=(n * 3 + len(code)) % days),
            )
            answers = []
            for index, item in enumerate(items):
                if rng.random() < DONT_KNOW_CHANCE.get(code, 0.02) * (index % 3):
                    answers.append(
                        Answer(
                            response=response,
                            round=round_,
                            perspective=response.perspective,
                            item=item,
                            dont_know=True,
                        )
                    )
                    continue
                centre = 2.8 + leaning + shift + (0.5 if item.code.endswith("-02") else 0)
                value = min(top, max(1, round(rng.gauss(centre, 0.7))))
                answers.append(
                    Answer(
                        response=response,
                        round=round_,
                        perspective=response.perspective,
                        item=item,
                        value=value,
                    )
                )
            Answer.objects.bulk_create(answers)
            if sections and rng.random() < 0.8:
                Comment.objects.create(
                    response=response, section=rng.choice(sections), text=rng.choice(COMMENTS)
                )


@transaction.atomic
def demo_selfevaluation_create(board: Board, school: School, organiser) -> None:
    """Idempotent: does nothing when the board already has rounds."""
    questionnaires_load()
    if Round.objects.filter(board=board).exists():
        return
    bka = QuestionnaireVersion.objects.get(
        questionnaire__slug="zelfevaluatie-bestuur-bka", questionnaire__board__isnull=True
    )
    ska = QuestionnaireVersion.objects.get(
        questionnaire__slug="zelfevaluatie-school-ska-po", questionnaire__board__isnull=True
    )
    groups = [(code, "") for code in BOARD_ROUND_GROUPS]
    for title, opens, seed, shift in (
        ("Zelfevaluatie bestuur najaar 2025", datetime.date(2025, 10, 6), 2025, -0.3),
        ("Zelfevaluatie bestuur voorjaar 2026", datetime.date(2026, 3, 2), 2026, 0.0),
    ):
        round_ = round_create(
            board=board,
            questionnaire_version=bka,
            title=title,
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=21),
            perspectives=groups,
            created_by=organiser,
        )
        story.created(round_, story.at(opens - datetime.timedelta(days=10)))
        _answers(round_, BOARD_ROUND_GROUPS, seed=seed, shift=shift)
        round_.state = RoundState.SHARED
        round_.shared_with = ["board_executive", "quality_officer", "supervisor", "council"]
        round_.save(update_fields=["state", "shared_with"])
        results_freeze(round_=round_)
        # Closed and shared a week after the last answers.
        shared = round_.closes_on + datetime.timedelta(days=7)
        story.changed(round_, story.at(shared, 11))
        Release.objects.filter(round=round_).update(made_on=shared)
    # The school's own round has been open for a week.
    today = datetime.date.today()
    opens = today - datetime.timedelta(days=7)
    school_round = round_create(
        board=board,
        school=school,
        questionnaire_version=ska,
        title=f"Zelfevaluatie {school.name} {opens.year}",
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=28),
        perspectives=[
            (Perspective.SCHOOL_LEADERS, ""),
            (Perspective.TEACHERS, ""),
            (Perspective.COUNCIL, ""),
        ],
        created_by=organiser,
    )
    story.created(school_round, story.at(opens - datetime.timedelta(days=5)))
    round_open(round_=school_round)
    story.changed(school_round, story.at(opens, 8))
    meeting_code_start(
        round_=school_round,
        perspective=school_round.perspectives.get(code=Perspective.COUNCIL),
        cap=12,
    )
    _answers(school_round, {Perspective.TEACHERS: (6, -0.2)}, seed=7)
