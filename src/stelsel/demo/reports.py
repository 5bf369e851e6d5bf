"""The demo's quality reports: the template library, KBS Sint Jozef's Q-report of the autumn
(issued), the board's report to the supervisory board of last June (issued) and a draft of the
spring Q-report of OBS De Regenboog, in review with comments.

Everything goes through the services, as a user's clicks would. Unlike the other parts of the
demo, a report cannot be re-dated afterwards: issuing stores what the data blocks say on the day
(each with the date its data stand at) and hashes it. So each step runs on the story's clock
(`_on`): the services, the blocks and the history all read that moment as "now", and the frozen
snapshot carries the day it was issued in the story, with a hash that matches it.

The texts are what the people of the demo would write, from what the demo's data say: Sint
Jozef after its herstelonderzoek of October, the board's year with the inspection visit of
March, and De Regenboog's falling 1S/2F results.
"""

import datetime
from contextlib import contextmanager
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from stelsel.demo import story
from stelsel.demo.board import INSUFFICIENT_SCHOOL
from stelsel.organisations.models import Board, School
from stelsel.reports import services
from stelsel.reports.library import templates_load
from stelsel.reports.models import Report, ReportSection, ReportTemplate

SCHOOL_TEMPLATE = "q-rapportage-school"
SUPERVISORY_TEMPLATE = "rapportage-raad-van-toezicht"

# The autumn Q-report of KBS Sint Jozef: composed after the check-in of November, discussed by
# the board executive and the school leader on 26 November, issued on 1 December.
AUTUMN_PERIOD = (datetime.date(2026, 8, 1), datetime.date(2026, 12, 1))
AUTUMN_COMPOSED = datetime.date(2026, 11, 16)
AUTUMN_WRITTEN = datetime.date(2026, 11, 18)
AUTUMN_IN_REVIEW = datetime.date(2026, 11, 19)
AUTUMN_AGREED = datetime.date(2026, 11, 27)  # the agreements, written the day after the talk
AUTUMN_ISSUED = datetime.date(2026, 12, 1)

# The board's yearly report to the supervisory board, issued after the schools had entered
# their own results (19 June) and before the summer holidays.
JUNE_PERIOD = (datetime.date(2025, 8, 1), datetime.date(2026, 6, 30))
JUNE_COMPOSED = datetime.date(2026, 6, 8)
JUNE_WRITTEN = datetime.date(2026, 6, 22)
JUNE_IN_REVIEW = datetime.date(2026, 6, 22)
JUNE_ISSUED = datetime.date(2026, 6, 24)

# The spring Q-report of OBS De Regenboog, prepared in the days before the demo is loaded (as
# the running actions are): never before the autumn report was issued, never on the day itself.
SPRING_PERIOD = (datetime.date(2026, 12, 1), datetime.date(2027, 4, 1))
SPRING_EARLIEST = datetime.date(2026, 12, 2)


@contextmanager
def _on(moment: datetime.datetime):
    """Inside the block `timezone.now()` is `moment`: the rows and history records the services
    write, the date a block's data stand at and the issue date in a snapshot all read the day
    of the story. The demo loads in one thread, so nothing else sees this clock."""
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _user(email: str):
    return get_user_model().objects.get(email=email)


def _template(slug: str) -> ReportTemplate:
    return ReportTemplate.objects.filter(board__isnull=True, slug=slug).order_by("-version")[0]


def _sections(report: Report) -> dict[str, ReportSection]:
    version = report.versions.get()
    return {s.title: s for s in version.sections.all()}


def _write(section: ReportSection, text: str, user) -> ReportSection:
    section.refresh_from_db()
    return services.section_update(
        section=section,
        text=text.strip(),
        title=section.title,
        revision=section.revision,
        user=user,
    )


# --- KBS Sint Jozef, autumn 2026 ---------------------------------------------------------------

AUTUMN_WHERE = """
Dit najaar stond in het teken van het herstelonderzoek. Op 15 oktober beoordeelde de inspectie
drie van de elf herstelopdrachten als voldoende: het aanbod taal en rekenen (OP1), het
leerlingvolgsysteem (OP2) en de analyse van de eindresultaten (OR1). Daar zijn we als team trots
op: dat was een halfjaar geleden nog niet zo.

Tegelijk zijn we er nog niet. Bij twee opdrachten is de deadline verstreken: het dekkende aanbod
voor de basisvaardigheden (OP0, 1 september) en de evaluatiekalender (SKA3, 1 november). Bij het
differentiëren in instructie en verwerking (OP3) en bij het samen uitvoeren van de verbeteringen
(SKA2) staan de acties stil. Voor de monitor sociale veiligheid (VS1) is nog geen actie gestart.

Wat ik in het gesprek wil bespreken:

- hoe we de keuze voor een nieuwe methode begrijpend lezen (OP0) versneld afronden;
- of collegiale consultatie in de bovenbouw haalbaar is zolang het ziekteverzuim zo hoog is;
- wie de monitor sociale veiligheid oppakt, zodat we die vóór de zomer hebben afgenomen.
"""

AUTUMN_MEANING = """
De eindresultaten blijven onze grootste zorg. Over 2023-2025 haalde **37,65%** van de
leerlingen het niveau 1S/2F, onder de signaleringswaarde van 41,20%. Op 1F liggen we met 90,98%
ruim boven de signaleringswaarde van 85%.

De doorstroomtoets van dit jaar is beter: 43,33% van onze 30 leerlingen in groep 8 haalde
1S/2F. Omdat de inspectie over drie jaar kijkt, komen we over 2024-2026 toch uit op 38,70%, nog
steeds onder de signaleringswaarde. Alleen met opnieuw goede resultaten in 2027 komen we erboven.

## Wat verklaart dit?

- Uit de trendanalyse met het team (OR1, inmiddels voldoende) blijkt dat vooral begrijpend lezen
  in groep 6 tot en met 8 achterblijft.
- De instructie verloopt nog niet in alle groepen volgens het model voor directe instructie: bij
  11 van de 20 lesbezoeken in oktober en november zagen we het model terug (55%; ons doel is 90%
  aan het eind van dit schooljaar).
- Het ziekteverzuim van het personeel steeg naar 7,4% (de norm van het bestuur is 5,5%). Dat
  raakt de continuïteit in de bovenbouw en maakt de lesbezoeken lastig te plannen.

Er is ook goed nieuws: ouders geven de school een 7,6 en 92% van de leerlingen in groep 6 tot en
met 8 voelt zich veilig. Het leerlingaantal daalt wel: 229 leerlingen op 1 oktober, tegen 241
twee jaar geleden.
"""

AUTUMN_ASSIGNMENTS_INTRO = """
Stand na het herstelonderzoek van 15 oktober. De tabel laat per opdracht zien welke acties
eraan werken en hoe ver die zijn.
"""

AUTUMN_AGREEMENTS = """
Afgesproken in het gesprek tussen bestuurder en schoolleider op 26 november:

1. **Begrijpend lezen (OP0).** Het team kiest vóór de kerstvakantie een nieuwe methode; de
   invoering in groep 4 tot en met 8 start na de voorjaarsvakantie. Eigenaar: Peter van den Berg.
2. **Evaluatiekalender (SKA3).** Sanne de Wit legt de halfjaarlijkse borgingsgesprekken vast in
   de jaarplanning; het eerste gesprek is in januari.
3. **Differentiëren (OP3) en werkgroepen (SKA2).** De externe adviseur begint in januari met de
   bovenbouw; de schoolleider geeft elke werkgroep een opdracht met een einddatum.
4. **Sociale veiligheid (VS1).** De school neemt in maart de monitor sociale veiligheid af; de
   kwaliteitsmedewerker helpt bij de keuze van het instrument.
5. **Ziekteverzuim.** Bestuurder en schoolleider bespreken het verzuim elk kwartaal; het bestuur
   zoekt met de school naar extra inzet in de bovenbouw.

We kijken terug in de Q-rapportage van het voorjaar (peildatum 1 april 2027).
"""


def _autumn(board: Board, school: School) -> Report:
    quality = _user("kwaliteit@demo.stelsel.nl")
    leader = _user("directeur.sintjozef@demo.stelsel.nl")
    executive = _user("bestuurder@demo.stelsel.nl")
    with _on(story.at(AUTUMN_COMPOSED, 10)):
        report = services.report_compose(
            board=board,
            author=quality,
            template=_template(SCHOOL_TEMPLATE),
            title="Q-rapportage najaar 2026 KBS Sint Jozef",
            period_start=AUTUMN_PERIOD[0],
            period_end=AUTUMN_PERIOD[1],
            school=school,
        )
    sections = _sections(report)
    with _on(story.at(AUTUMN_WRITTEN, 15)):
        _write(sections["Waar staan we?"], AUTUMN_WHERE, leader)
    with _on(story.at(AUTUMN_WRITTEN, 16, 30)):
        _write(sections["Duiding van de resultaten"], AUTUMN_MEANING, leader)
    with _on(story.at(AUTUMN_WRITTEN, 17)):
        _write(sections["Herstelopdrachten"], AUTUMN_ASSIGNMENTS_INTRO, leader)
    version = report.versions.get()
    with _on(story.at(AUTUMN_IN_REVIEW, 9)):
        version = services.version_submit(version=version, user=quality)
    with _on(story.at(AUTUMN_AGREED, 11)):
        _write(sections["Afspraken voor de komende periode"], AUTUMN_AGREEMENTS, quality)
    with _on(story.at(AUTUMN_ISSUED, 15, 30)):
        services.version_issue(version=version, user=executive)
    return report


# --- The board's report to the supervisory board, June 2026 ------------------------------------

JUNE_SUMMARY = """
Het schooljaar 2025-2026 stond voor het bestuur in het teken van KBS Sint Jozef. Bij het
vierjaarlijks onderzoek van 10 en 11 maart oordeelde de inspectie de kwaliteit van de school
**onvoldoende**. De school kreeg elf herstelopdrachten: op het onderwijsproces (OP0 tot en met
OP3), de resultaten (OR1), de kwaliteitszorg (SKA1 tot en met SKA3) en de veiligheid (VS1).
Sinds april werkt de school met een plan van aanpak; voor tien van de elf opdrachten loopt een
actie. Het herstelonderzoek volgt in oktober.

## De resultaten

- Alle scholen liggen op 1F boven de signaleringswaarde.
- Op 1S/2F ligt KBS Sint Jozef eronder (37,65% over 2023-2025, signaleringswaarde 41,20%).
- OBS De Regenboog zit nog net boven de signaleringswaarde, maar daalt drie jaar op rij. Met de
  eigen resultaten van dit jaar komt de school over 2024-2026 uit op 44,35%, onder de
  signaleringswaarde van 45,50%.
- CBS De Wegwijzer laat een duidelijk herstel zien: 1S/2F steeg van 45,8% in 2023 naar 62,7% in
  2025.
- Bij OBS Het Palet verandert de schoolweging; daardoor stijgt de signaleringswaarde voor 1S/2F
  in de volgende periode van 45,50% naar 47,10%.
- OBS De Vlinderhof heeft de resultaten van dit jaar nog niet aangeleverd.

## De zelfevaluatie van het bestuur

In de zelfevaluaties van het najaar en het voorjaar beoordeelt het bestuur zichzelf positiever
dan de schoolleiders, de leraren en de GMR, het duidelijkst bij evaluatie en verantwoording
(BKA3). Die blinde vlek nemen we serieus: we willen beter laten zien wat het beleid voor de
leerlingen oplevert. Van de raad van toezicht antwoordden minder dan vijf leden; hun antwoorden
zijn daarom niet getoond.
"""

JUNE_ASK = """
Het bestuur vraagt de raad van toezicht:

1. **Kennis te nemen** van de stand van het herstel bij KBS Sint Jozef en met ons te bespreken
   hoe de raad de voortgang tot het herstelonderzoek wil volgen.
2. **In te stemmen** met de inzet van een externe adviseur bij het plan van aanpak van
   KBS Sint Jozef, voor de duur van het schooljaar 2026-2027.
3. **Mee te denken** over de signalen bij OBS De Regenboog: de kwaliteitsmedewerker analyseert
   in september met de school de leesresultaten in de bovenbouw.
4. **De eigen inbreng te vergroten:** vul in het najaar de zelfevaluatie van het bestuur in,
   zodat ook het beeld van de raad meetelt.

Vanaf het nieuwe schooljaar ontvangt de raad de kwaliteitsrapportage twee weken voor de
vergadering, met een vaste paragraaf over de basisvaardigheden.
"""


def _june(board: Board) -> Report:
    quality = _user("kwaliteit@demo.stelsel.nl")
    executive = _user("bestuurder@demo.stelsel.nl")
    with _on(story.at(JUNE_COMPOSED, 10)):
        # The blocks read the data as they stand when the version is made. The demo makes its
        # June version now, with the autumn's data already in, so the board's copy of the
        # template keeps only the blocks bound to the period (the rounds and meetings of the
        # year); the results and the picture of June are told in the summary's words.
        template = services.template_copy(
            board=board,
            template=_template(SUPERVISORY_TEMPLATE),
            name="Jaarrapportage aan de raad van toezicht",
        )
        template = services.template_update(
            template=template,
            name=template.name,
            description=template.description,
            sections=[
                {"title": "Samenvatting", "block": "", "prompt": template.sections[0]["prompt"]},
                {"title": "Zelfevaluatie van het bestuur", "block": "selfevaluation"},
                {"title": "De kwaliteitskalender", "block": "calendar"},
                {
                    "title": "Wat het bestuur van de raad vraagt",
                    "block": "",
                    "prompt": template.sections[-1]["prompt"],
                },
            ],
            revision=template.revision,
        )
        report = services.report_compose(
            board=board,
            author=quality,
            template=template,
            title="Kwaliteitsrapportage aan de raad van toezicht 2025-2026",
            period_start=JUNE_PERIOD[0],
            period_end=JUNE_PERIOD[1],
        )
    sections = _sections(report)
    with _on(story.at(JUNE_WRITTEN, 10)):
        _write(sections["Samenvatting"], JUNE_SUMMARY, executive)
    with _on(story.at(JUNE_WRITTEN, 11, 15)):
        _write(sections["Wat het bestuur van de raad vraagt"], JUNE_ASK, executive)
    version = report.versions.get()
    with _on(story.at(JUNE_IN_REVIEW, 16)):
        version = services.version_submit(version=version, user=quality)
    with _on(story.at(JUNE_ISSUED, 14)):
        services.version_issue(version=version, user=executive)
    return report


# --- OBS De Regenboog, spring 2027: a draft in review -----------------------------------------

SPRING_WHERE = """
De Regenboog is een stabiele school: op één na zijn alle standaarden van het onderzoekskader in
orde, ouders geven ons een 7,6 en 91% van de leerlingen voelt zich veilig. Alleen visie,
ambities en doelen (SKA1) staat nog op *nog niet in orde*: onze schooldoelen zijn nog niet
overal meetbaar gemaakt.

Onze zorg zit bij de resultaten. 1S/2F daalt al drie jaar, van 50,0% in 2023 naar 43,5% in
2025, en ligt over 2023-2025 met 47,13% minder dan drie procentpunt boven de
signaleringswaarde. Met de doorstroomtoets van 2026 (41,7%) komen we over 2024-2026 uit op
44,35%, onder de signaleringswaarde van 45,50%.
"""

SPRING_MEANING_FIRST = """
De daling zit vooral bij begrijpend lezen. In groep 6 en 7 hadden we twee jaar lang wisselende
leerkrachten, en het leesonderwijs in de bovenbouw kreeg minder aandacht dan rekenen.
"""

SPRING_MEANING = """
De daling zit vooral bij begrijpend lezen. In groep 6 en 7 hadden we twee jaar lang wisselende
leerkrachten, en het leesonderwijs in de bovenbouw kreeg minder aandacht dan rekenen.

## Wat we eraan doen

- Samen met de kwaliteitsmedewerker hebben we de toetsresultaten per groep geanalyseerd: de
  achterstand ontstaat in groep 5 en groeit in groep 6.
- Sinds de herfstvakantie lezen alle groepen elke dag twintig minuten vrij, en de bovenbouw
  werkt met de aanpak van de rijke leesomgeving (AM1).
- We volgen ons schooldoel (88% op 1F lezen in 2027) met de tussentoetsen van januari; bij de
  laatste meting stonden we op 82%.
"""

SPRING_COMMENTS = [
    # (section title, author, text, dealt with)
    (
        "Duiding van de resultaten",
        "kwaliteit@demo.stelsel.nl",
        "Kun je ook beschrijven wat jullie doen aan de dalende lijn bij 1S/2F, en wat de analyse "
        "van de toetsresultaten per groep heeft opgeleverd? De raad van toezicht vraagt daar in "
        "juni zeker naar.",
        True,
    ),
    (
        "Kwaliteitsbeeld per standaard",
        "kwaliteit@demo.stelsel.nl",
        "SKA1 staat nog op ‘nog niet in orde’. Is de onderbouwing na de studiedag over de "
        "schooldoelen bijgewerkt? Graag vóór het gesprek aanpassen, dan klopt het beeld met wat "
        "je bij ‘Waar staan we?’ schrijft.",
        False,
    ),
    (
        "Leerlingaantallen en eigen indicatoren",
        "directeur.regenboog@demo.stelsel.nl",
        "Het leerlingaantal daalt voor het derde jaar op rij (318, 309, 301). Ik wil in het "
        "gesprek bespreken wat dat betekent voor de formatie van volgend schooljaar.",
        False,
    ),
]


def _spring_moments(count: int) -> list[datetime.datetime]:
    """`count` moments in working hours on the days before today, from the day after the autumn
    report was issued (or the last six days, if those are fewer), a few a day, in order."""
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    first = min(max(today - datetime.timedelta(days=6), SPRING_EARLIEST), yesterday)
    days = (yesterday - first).days + 1
    per_day = -(-count // days)
    minutes = 8 * 60 // per_day  # the slots of a day between 9 and 17 o'clock
    moments = []
    for n in range(count):
        day = first + datetime.timedelta(days=n // per_day)
        at = 9 * 60 + (n % per_day) * minutes
        moments.append(story.at(day, at // 60, at % 60))
    return moments


def _spring(board: Board, school: School) -> Report:
    quality = _user("kwaliteit@demo.stelsel.nl")
    leader = _user("directeur.regenboog@demo.stelsel.nl")
    moments = iter(_spring_moments(9))
    with _on(next(moments)):
        report = services.report_compose(
            board=board,
            author=quality,
            template=_template(SCHOOL_TEMPLATE),
            title="Q-rapportage voorjaar 2027 OBS De Regenboog",
            period_start=SPRING_PERIOD[0],
            period_end=SPRING_PERIOD[1],
            school=school,
        )
    sections = _sections(report)
    with _on(next(moments)):
        _write(sections["Waar staan we?"], SPRING_WHERE, leader)
    with _on(next(moments)):
        _write(sections["Duiding van de resultaten"], SPRING_MEANING_FIRST, leader)
    version = report.versions.get()
    with _on(next(moments)):
        services.version_submit(version=version, user=quality)
    comments = []
    for title, email, text, _dealt_with in SPRING_COMMENTS:
        with _on(next(moments)):
            comments.append(
                services.comment_add(section=sections[title], author=_user(email), text=text)
            )
    # The school leader answers the quality officer's first remark in the text, then marks it.
    with _on(next(moments)):
        _write(sections["Duiding van de resultaten"], SPRING_MEANING, leader)
    with _on(next(moments)):
        for comment, (*_rest, dealt_with) in zip(comments, SPRING_COMMENTS, strict=True):
            if dealt_with:
                services.comment_resolve(comment=comment, user=leader)
    return report


@transaction.atomic
def demo_reports_create(board: Board) -> None:
    """The report template library, and the demo board's three reports; the reports are
    skipped when the board has reports already."""
    templates_load()
    if Report.objects.filter(board=board).exists():
        return
    sint_jozef = board.schools.get(vestigingscode=INSUFFICIENT_SCHOOL)
    regenboog = board.schools.get(vestigingscode="99XA00")
    # Issued reports keep the language they were issued in: the board's, Dutch.
    with translation.override("nl"):
        _june(board)
        _autumn(board, sint_jozef)
        _spring(board, regenboog)
