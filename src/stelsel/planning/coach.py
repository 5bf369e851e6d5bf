"""The plan coach: rule-based findings on goals, actions and whole plans, each explained and with
a suggestion (DOMAIN §6: results for pupils, a number and a date, no try-language, few themes).

The rules read Dutch text, because plans are written in Dutch; the messages are translatable
(English msgids, Dutch from the catalogue). They are deliberately simple patterns, not language
understanding: each rule looks for a few signals that writers of school plans actually use, and
`tests/data/coach_corpus.yaml` pins what they must and must not find. Whatever the rules miss,
a false alarm on a good goal costs more (people stop reading the coach), so every rule prefers
to stay silent when in doubt.

Entry points: `coach_text` (a line of text, also used by the `coach` command), `coach_goal` and
`coach_action` (a stored goal or action, whose fields can satisfy what the text lacks),
and `coach_plan` (a review of a whole plan in a fixed number of queries).

Decisions a writer notices:
- "alle/elke/iedere leerling(en)" counts as a target (everyone, i.e. 100%) only together with
  a criterion that can be checked: a reference level (1F, 2F, 1S, AVI E5, B1), "voldoende",
  a diploma, "veilig", passing, "zonder vertraging". "Alle leerlingen ontwikkelen zich
  optimaal" has no target; "alle leerlingen in groep 8 beheersen 1F" has one. "Geen"/"niemand"
  (zero) and a comparison with a reference value (the signaleringswaarde, the national average)
  count as targets too.
- Numbers that name something rather than count it are not targets: groups and years ("groep 8",
  "havo 4", "leerjaar 2"), reference levels, standard codes (OP3), ordinals, dates and periods.
- A goal's date is by when it must be reached: a year, a month, a school year, a holiday, a
  period in the plan, "binnen twee jaar". "Aan het eind van groep 8" is when pupils are measured,
  not by when the school is satisfied, so it is no date. For an action a rhythm ("elke zes weken",
  "twee keer per jaar", "maandelijks") also says when; for a goal it does not.
- Teaching observed in lessons ("90% van de leraren geeft instructie volgens het EDI-model") is
  accepted as a goal (it is what OP3 judges); the work of organising it (training, visits,
  protocols, methods, meetings) is an action, even with a number ("alle leraren hebben de
  scholing gevolgd").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

GOAL = "goal"
ACTION = "action"
KINDS = (GOAL, ACTION)

TEXT_RULES = ("goal_is_action", "try_language", "no_target", "no_date")
PLAN_RULES = (
    "no_owner",
    "too_many_themes",
    "too_many_ambitions",
    "too_many_goals",
    "action_without_goal",
    "herstel_uncovered",
    "herstel_without_plan",
)
RULES = TEXT_RULES + PLAN_RULES

# DOMAIN §6: "two or three big themes a year"; "at most about four ambitions and ten goals per
# four years".
MAX_YEAR_THEMES = 3
MAX_FOUR_YEAR_THEMES = 4
MAX_FOUR_YEAR_GOALS = 10


@dataclass(frozen=True)
class Finding:
    """One finding: `rule` (stable id, see RULES), `message` (what is wrong, one or two
    sentences), `suggestion` (what to do about it), and `subject`: the Goal, Action, Plan or
    Assignment it is about, or None for a line of text."""

    rule: str
    message: str
    suggestion: str
    subject: object = None

    def as_dict(self) -> dict:
        return {"rule": self.rule, "message": self.message, "suggestion": self.suggestion}


# Keyed by rule, or by (rule, kind) where goals and actions need different words.
MESSAGES = {
    "goal_is_action": (
        _("This reads as an action: what staff will do. A goal says what it yields for pupils."),
        _(
            "Ask: what will pupils know or be able to do when this is done? Write that as the "
            "goal and put this action under it."
        ),
    ),
    "try_language": (
        _(
            "“%(words)s” is try-and-strive language: it promises effort, not a result, so "
            "nobody can tell afterwards whether it was reached."
        ),
        _(
            "Write down what will be the case, as a plain statement: not “we strive for more "
            "reading pleasure” but “in June 2027, 80 percent of the pupils say they like reading”."
        ),
    ),
    "no_target": (
        _("There is no measurable target: nothing says how high or how many."),
        _(
            "Add a number you can check: a percentage, a score or a count, for example “85 percent "
            "of the pupils in group 8 reach at least level 1F for reading”."
        ),
    ),
    ("no_date", GOAL): (
        _("There is no date: it does not say by when you will be satisfied."),
        _(
            "Add a date or a period by which the target is reached, for example “by the end of "
            "school year 2026-2027” or “in July 2028”."
        ),
    ),
    ("no_date", ACTION): (
        _("There is no date: it does not say when this will happen or be done."),
        _(
            "Add when it is done or how often it happens, for example “before 1 March 2027” "
            "or “every six weeks from September 2026”."
        ),
    ),
    ("no_owner", GOAL): (
        _("Nobody owns this goal."),
        _(
            "Name one person who answers for it: who keeps it on the agenda and reports on its "
            "progress."
        ),
    ),
    ("no_owner", ACTION): (
        _("Nobody owns this action."),
        _("Name one person who makes sure it is done and says so when it stalls."),
    ),
    "too_many_themes": (
        _("This year plan has %(count)s themes. Two or three a year is what a team can carry."),
        _(
            "Choose the two or three themes that matter most for pupils this year. When "
            "something is added, something else goes."
        ),
    ),
    "too_many_ambitions": (
        _("This four-year plan has %(count)s themes. At most about four ambitions stay in view."),
        _(
            "Merge or drop themes until four or fewer remain; what is left can wait for the "
            "next plan or become a goal under another theme."
        ),
    ),
    "too_many_goals": (
        _("This four-year plan has %(count)s goals. At most about ten can be steered on."),
        _(
            "Keep the goals that matter most for pupils; turn the others into actions under "
            "them, or drop them."
        ),
    ),
    "action_without_goal": (
        _("Action “%(action)s” falls in this plan's period but serves no goal."),
        _(
            "Put it under the goal it helps to reach. If it serves none, ask whether it is "
            "needed at all."
        ),
    ),
    "herstel_uncovered": (
        _("%(assignment)s is not covered by an action: nothing is recorded that repairs it."),
        _(
            "Record the action that repairs the shortfall and hang it under a goal of the "
            "improvement plan (plan of approach) that says when it is repaired."
        ),
    ),
    "herstel_without_plan": (
        _(
            "%(assignment)s is covered by an action, but no covering action hangs under a goal "
            "of an improvement plan of this school or board."
        ),
        _(
            "Hang the actions that repair it under a goal of the improvement plan (plan of "
            "approach) that says when the shortfall is repaired; write that plan if there is "
            "none."
        ),
    ),
}


def _finding(rule: str, kind: str | None = None, subject=None, **params) -> Finding:
    message, suggestion = MESSAGES.get((rule, kind)) or MESSAGES[rule]
    message = str(message) % params if params else str(message)
    return Finding(rule=rule, message=message, suggestion=str(suggestion), subject=subject)


# ---------------------------------------------------------------------------------------------
# Text: normalising and the shared vocabulary
# ---------------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "„": '"', "–": "-"})


def normalise(text: str) -> str:
    """Lower case, one kind of quote and dash, single spaces, and "vóór" written as "voor"."""
    text = unicodedata.normalize("NFC", text or "").translate(_QUOTES).lower()
    text = text.replace("vóór", "voor").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _rx(*parts: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in parts))


_NUMBER_WORD = (
    r"nul|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|"
    r"vijftien|zestien|zeventien|achttien|negentien|"
    r"(?:(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)ën?)?"
    r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)|honderd|duizend"
)
_MONTH = r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_MONTH_SHORT = r"jan|feb|mrt|apr|jun|jul|aug|sept?|okt|nov|dec"
_COUNT = rf"\d+|een|één|{_NUMBER_WORD}"

# When a goal must be reached or an action happens. A year that names a framework ("kader
# 2021") is not a date.
_DATE = _rx(
    r"(?<!kader )(?<!kader\s)\b(?:19|20)\d{2}\b",
    r"(?<![\w-])'\d{2}\b",
    rf"\b(?:{_MONTH})\b",
    rf"\b\d{{1,2}} (?:{_MONTH}|{_MONTH_SHORT})\b\.?",
    rf"\b(?:{_MONTH_SHORT})\.? (?:19|20)\d{{2}}\b",
    r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b",
    r"\b(?:dit|dat|volgend|volgende|komend|komende|het|nieuwe|lopende|huidige|eerste|"
    r"tweede|derde|vierde|laatste)\s+(?:school|studie|cursus|kalender)?jaar\b",
    r"\b(?:school|studie|cursus)jaar\s+(?:\d{2,4}|'\d{2})",
    r"\b(?:voor|na|in|tijdens|tot|vanaf|rond|uiterlijk|direct na)\s+(?:de|het)\s+"
    r"(?:zomer|herfst|kerst|voorjaars|krokus|mei|winter)?vakantie\b",
    r"\b(?:voor|na|in|tijdens|vanaf|rond)\s+de\s+(?:zomer|kerst|jaarwisseling)\b",
    r"\b(?:in|voor|na|vanaf|tijdens)\s+het\s+(?:voorjaar|najaar)\b",
    r"\b(?:voorjaar|najaar|zomer|winter|herfst)\s+(?:van\s+)?(?:19|20)\d{2}\b",
    rf"\b(?:binnen|over|na|uiterlijk na)\s+(?:{_COUNT}|een half|anderhalf)\s+"
    r"(?:jaar|jaren|schooljaren|maanden|maand|weken|week|dagen)\b",
    r"\b(?:school|strategische\s+)?planperiode\b",
    r"\bplanperiode\b",
    r"\b(?:q[1-4]|(?:eerste|tweede|derde|vierde|laatste)\s+kwartaal)\b",
    r"\buiterlijk\b",
    r"\b(?:in|na|voor|tijdens|eind|einde|aan het eind van|aan het einde van)\s+"
    r"(?:periode|blok|trimester|semester|toetsweek|rapportperiode)\s+\d\b",
    r"\b(?:eerste|tweede|derde|vierde|laatste)\s+(?:periode|trimester|semester|toetsweek|"
    r"rapportperiode|onderwijsperiode)\b",
    r"\b(?:dit|volgend|volgende|komend|komende)\s+(?:kalender)?jaar\b",
    r"\b(?:in|voor|na|vanaf|uiterlijk)\s+week\s+\d{1,2}\b",
    r"\b(?:deze|volgende|komende)\s+maand\b",
)

# How often an action happens: a "when" for an action, not for a goal.
_RHYTHM = _rx(
    r"\b(?:dagelijks|wekelijks|tweewekelijks|maandelijks|tweemaandelijks|driemaandelijks|"
    r"jaarlijks|halfjaarlijks|tweejaarlijks|per kwartaal)\b",
    r"\b(?:elke|iedere|ieder|elk)\s+(?:dag|week|maand|periode|jaar|schooljaar|kwartaal|"
    r"toetsperiode|toetsronde|les|lesdag|ochtend|middag|maandag|dinsdag|woensdag|donderdag|"
    r"vrijdag)\w*",
    rf"\b(?:{_COUNT})\s+(?:keer|maal)\s+per\s+(?:dag|week|maand|jaar|schooljaar|periode|"
    r"kwartaal|trimester|semester)\b",
    rf"\b(?:om de|elke|iedere)\s+(?:{_COUNT})\s+(?:weken|week|maanden|dagen|jaar)\b",
    r"\bper\s+(?:periode|kwartaal|trimester|semester)\b",
    r"\bna\s+(?:elke|iedere)\s+(?:toets\w*|periode|meting)\b",
    r"\bop\s+(?:maandag|dinsdag|woensdag|donderdag|vrijdag)\w*\b",
)

# ---------------------------------------------------------------------------------------------
# try_language
# ---------------------------------------------------------------------------------------------

# Trying and working on something are pupils' business when they are the subject ("80% van de
# leerlingen durft nieuwe dingen te proberen", "werkt zelfstandig aan de weektaak").
_TRY_OR_WORK = _rx(
    r"\bprobe(?:er|ert|ren|erde|erden)\b",
    r"\bgeprobeerd\b",
    r"\b(?:werk|werkt|werken|werkte|werkten|gewerkt)\b(?: [^ ]+){0,4}? aan\b"
    r"(?! de hand van)",
)
_TRY = _rx(
    r"\bstre(?:ef|eft|ven|efde|efden)\b",
    r"\b(?:na|ge)stre(?:ven|efd|eft)\b",
    r"\b(?:ge)?tracht(?:en|te|ten)?\b",
    r"\binzet(?:ten)? op\b",
    r"\bin te zetten op\b",
    r"\bingezet op\b",
    r"\bzet(?:ten|te)?\b(?: [^ ]+){0,4}? in op\b",
    r"\binspann(?:en|ing|ingen)\b",
    r"\bzet(?:ten|te)? (?:zich|ons|me) (?:[^ ]+ ){0,3}?in\b",
    r"\bzich (?:[^ ]+ )?in(?:zet|zetten|gezet)\b",
    r"\bspan(?:t|nen)\s+(?:ons|zich)\b(?: [^ ]+){0,4}? in\b",
    r"\b(?:zo ?veel|zo ?goed|zo ?min|zo ?snel|zo ?vaak|zo ?hoog|zo|waar|indien)\s+"
    r"(?:als\s+)?mogelijk\b",
    r"\b(?:we|wij|school|team|bestuur|directie)\s+(?:wil|willen)\b",
    r"\bwil(?:len)?\s+(?:we|wij)\b",
    r"\b(?:we|wij)\s+(?:zouden|hopen)\b",
    r"\bhopen\s+(?:we|wij)\b",
    r"\bhopelijk\b",
    r"\bin de hoop\b",
    r"\bpog(?:en|ing|ingen)\b",
    r"\bmik(?:t|ken)\s+op\b",
    r"\bzien\s+(?:we|wij)?\s*graag\b",
)


def _try_spans(text: str) -> list[tuple[int, int]]:
    """Where try-language stands in the text, in order."""
    spans = [m.span() for m in _TRY.finditer(text)]
    effort = [m.span() for m in _TRY_OR_WORK.finditer(text)]
    if effort:
        tokens = _TOKEN.findall(_main_clause(text))
        if not _subjects(tokens, _PUPIL) or _subjects(tokens, _STAFF):
            spans += effort
    return sorted(spans)


# ---------------------------------------------------------------------------------------------
# no_target
# ---------------------------------------------------------------------------------------------

_LEVEL = r"\b[1-4][fs]\b|\b[abc][12]\b|\bavi[- ]?(?:start|plus|[mbe]\d)\b|\b[mbe][1-8]\b"
# Numbers that name a group, a year, a level or a code; they do not say how many.
_NOT_A_COUNT = _rx(
    r"\bgroep(?:en)?\s+\d(?:\s*(?:-|t/m|tot en met|tot|en|,)\s*\d)*\b",
    r"\b(?:leerjaar|leerjaren|klas|klassen)\s+\d(?:\s*(?:-|t/m|tot en met|en|,)\s*\d)*\b",
    r"\b\d\s*-?\s*(?:havo|vwo|vmbo(?:-[a-z]+)?|mavo|atheneum|gymnasium|tl|gl|kb|bb|gt)\b",
    r"\b(?:havo|vwo|vmbo(?:[- ](?:[a-z]{1,2}|tl|gl|kb|bb))?|mavo|atheneum|gymnasium|tl|gl|kb|bb|"
    r"gt)\s*-?\s*\d\b",
    r"\b[hvm][1-6]\b",
    _LEVEL,
    r"\b(?:op|vs|or|ska|bka|kz|kl|ak)\s?\d\b(?!\s*%)(?!,\d)",
    r"\b\d+(?:e|ste|de)\b",
    r"\bcovid-19\b",
    r"\b(?:kerndoel(?:en)?|artikel|bijlage|hoofdstuk|versie|fase|stap|module|thema|domein|"
    r"standaard|niveau|ondersteuningsniveau|zorgniveau|route)\s+\d+\b",
)
_COUNTED = _rx(
    r"\d",
    rf"\b(?:{_NUMBER_WORD})\b",
    r"\b(?:helft|kwart|driekwart|tweederde|een derde|twee derde|procent)\b",
    r"\b(?:ge)?(?:halveer|halveert|halveren|halveerd|halveerde)\b|\bgehalveerd\b|\bhalvering\b",
    r"\b(?:ver)?dubbel(?:t|en|d|de)?\b|\bverdubbeling\b",
    r"\bgeen\b|\bniemand\b",
    # a comparison with a reference value is a target
    r"\bsignaleringswaarde\w*\b|\blandelijk\w* gemiddelde\b|\blandelijke norm\b|"
    r"\binspectienorm\b|\bondergrens\w*\b|\bbenchmark\b|\bvergelijkbare scholen\b",
    # an inspection's or observer's judgement
    r"\b(?:als|oordeel|beoordeling|minimaal|ten minste|tenminste|met een|een)\s+\"?voldoende\b",
    r"\b(?:als|oordeel|beoordeling)\s+\"?goed\b",
)
_EVERYONE = {"alle", "elke", "iedere", "ieder", "elk"}
# What makes "all pupils" checkable: a criterion a pupil meets or not.
_CRITERION = _rx(
    _LEVEL,
    r"\bvoldoende\b",
    r"\bdiploma\w*\b",
    r"\bstartkwalificatie\b",
    r"\bveilig\b",
    r"\b(?:slagen|slaagt|geslaagd)\b",
    r"\bzonder (?:vertraging|doubleren|zittenblijven|onderbreking|verzuim)\b",
    r"\breferentieniveau\w*\b",
    r"\bop (?:of boven )?(?:het )?(?:eigen |verwachte )?niveau\b",
)


def _everyone(tokens: list[str]) -> bool:
    """Whether "all pupils" (alle/elke/iedere, before pupils who are the subject) is said."""
    for i, token in enumerate(tokens):
        if not _PUPIL.match(token) or not _is_subject(tokens, i):
            continue
        before = tokens[max(0, i - 3) : i]
        if any(word in _EVERYONE for word in before):
            return True
    return False


def _has_target(text: str) -> bool:
    rest = _DATE.sub(" ", text)
    rest = _NOT_A_COUNT.sub(" ", rest)
    if _COUNTED.search(rest):
        return True
    return bool(_CRITERION.search(text) and _everyone(_TOKEN.findall(_main_clause(text))))


def _has_date(text: str, kind: str) -> bool:
    return bool(_DATE.search(text) or (kind == ACTION and _RHYTHM.search(text)))


# ---------------------------------------------------------------------------------------------
# goal_is_action
# ---------------------------------------------------------------------------------------------


def _verb(infinitive: str, finite: str, participle: str, particle: str | None = None) -> dict:
    return {
        "infinitive": infinitive,
        "finite": set(finite.split()),
        "participle": set(participle.split()),
        "particle": particle,
    }


# What staff do to organise education: the verbs of action plans. Separable verbs ("neemt ...
# af") count in a finite form only when their particle follows in the same clause.
_ACTIVITY_VERBS = [
    _verb("opstellen", "stel stelt stellen stelde stelden", "opgesteld", "op"),
    _verb("vaststellen", "stel stelt stellen stelde stelden", "vastgesteld", "vast"),
    _verb("volgen", "volg volgt volgen volgde volgden", "gevolgd"),
    _verb("invoeren", "voer voert voeren voerde voerden", "ingevoerd", "in"),
    _verb("voeren", "voer voert voeren voerde voerden", "gevoerd"),
    _verb("uitvoeren", "voer voert voeren voerde voerden", "uitgevoerd", "uit"),
    _verb("doorvoeren", "voer voert voeren voerde voerden", "doorgevoerd", "door"),
    _verb("oprichten", "richt richten richtte richtten", "opgericht", "op"),
    _verb("inrichten", "richt richten richtte richtten", "ingericht", "in"),
    _verb("organiseren", "organiseer organiseert organiseren organiseerde", "georganiseerd"),
    _verb(
        "implementeren",
        "implementeer implementeert implementeren implementeerde",
        "geïmplementeerd",
    ),
    _verb("ontwikkelen", "ontwikkel ontwikkelt ontwikkelen ontwikkelde", "ontwikkeld"),
    _verb("aanschaffen", "schaf schaft schaffen schafte schaften", "aangeschaft", "aan"),
    _verb("kiezen", "kies kiest kiezen koos kozen", "gekozen"),
    _verb("selecteren", "selecteer selecteert selecteren selecteerde", "geselecteerd"),
    _verb("inzetten", "zet zetten zette", "ingezet", "in"),
    _verb("aanstellen", "stel stelt stellen stelde stelden", "aangesteld", "aan"),
    _verb("aannemen", "neem neemt nemen nam namen", "aangenomen", "aan"),
    _verb("opleiden", "leid leidt leiden leidde leidden", "opgeleid", "op"),
    _verb("bijscholen", "", "bijgeschoold"),
    _verb("scholen", "", "geschoold"),
    _verb("trainen", "train traint trainen trainde trainden", "getraind"),
    _verb(
        "professionaliseren",
        "professionaliseer professionaliseert professionaliseren",
        "geprofessionaliseerd",
    ),
    _verb("evalueren", "evalueer evalueert evalueren evalueerde", "geëvalueerd"),
    _verb("bespreken", "bespreek bespreekt bespreken besprak bespraken", "besproken"),
    _verb("analyseren", "analyseer analyseert analyseren analyseerde", "geanalyseerd"),
    _verb("vastleggen", "leg legt leggen legde legden", "vastgelegd", "vast"),
    _verb("formuleren", "formuleer formuleert formuleren formuleerde", "geformuleerd"),
    _verb("beschrijven", "beschrijf beschrijft beschrijven beschreef", "beschreven"),
    _verb("actualiseren", "actualiseer actualiseert actualiseren", "geactualiseerd"),
    _verb("herzien", "herzie herziet herzag herzagen", "herzien"),
    _verb("bijwerken", "", "bijgewerkt"),
    _verb("opzetten", "zet zetten zette", "opgezet", "op"),
    _verb("starten", "start starten startte startten", "gestart"),
    _verb("aanbieden", "bied biedt bieden bood boden", "aangeboden", "aan"),
    _verb("inplannen", "plan plant", "ingepland", "in"),
    _verb("plannen", "", "gepland"),
    _verb("inroosteren", "rooster roostert roosteren", "ingeroosterd", "in"),
    _verb("agenderen", "agendeer agendeert agenderen", "geagendeerd"),
    _verb("begeleiden", "begeleid begeleidt begeleiden begeleidde", "begeleid"),
    _verb("coachen", "coach coacht coachen coachte", "gecoacht"),
    _verb("observeren", "observeer observeert observeren", "geobserveerd"),
    _verb("monitoren", "monitort monitoren", "gemonitord"),
    _verb("registreren", "registreer registreert registreren", "geregistreerd"),
    _verb("meten", "", ""),
    _verb("inventariseren", "inventariseer inventariseert inventariseren", "geïnventariseerd"),
    _verb("uitbreiden", "breid breidt breiden", "uitgebreid", "uit"),
    _verb("vernieuwen", "vernieuw vernieuwt vernieuwen vernieuwde", "vernieuwd"),
    _verb("aanpassen", "pas past passen paste pasten", "aangepast", "aan"),
    _verb("uitrollen", "rol rolt rollen rolde", "uitgerold", "uit"),
    _verb("delen", "deelt delen deelde deelden", "gedeeld"),
    _verb("informeren", "informeer informeert informeren informeerde", "geïnformeerd"),
    _verb("communiceren", "communiceer communiceert communiceren", "gecommuniceerd"),
    _verb("afstemmen", "stem stemt stemmen stemde", "afgestemd", "af"),
    _verb("samenwerken", "werk werkt werken werkte werkten", "samengewerkt", "samen"),
    _verb("vergaderen", "vergader vergadert vergaderen", "vergaderd"),
    _verb("afspreken", "spreek spreekt spreken sprak spraken", "afgesproken", "af"),
    _verb("borgen", "borg borgt borgen borgde", "geborgd"),
    _verb("uitwerken", "werk werkt werken werkte", "uitgewerkt", "uit"),
    _verb("instellen", "stel stelt stellen stelde", "ingesteld", "in"),
    _verb("benoemen", "benoem benoemt benoemen benoemde", "benoemd"),
    _verb("aanwijzen", "wijs wijst wijzen wees", "aangewezen", "aan"),
    _verb("onderzoeken", "onderzoekt onderzoeken", "onderzocht"),
    _verb("deelnemen", "neem neemt nemen nam namen", "deelgenomen", "deel"),
    _verb("gebruiken", "gebruikt gebruiken gebruikte", "gebruikt"),
    _verb("realiseren", "realiseer realiseert realiseren", "gerealiseerd"),
    _verb("verzorgen", "verzorg verzorgt verzorgen", "verzorgd"),
    _verb("afronden", "rond rondt ronden rondde", "afgerond", "af"),
    _verb("stimuleren", "stimuleer stimuleert stimuleren stimuleerde", "gestimuleerd"),
    _verb("besteden", "besteed besteedt besteden", "besteed"),
    _verb("invullen", "vul vult vullen", "ingevuld", "in"),
    _verb("uitnodigen", "nodig nodigt nodigen", "uitgenodigd", "uit"),
]

# Verbs that are an activity only with an activity as their object: "gesprekken houden",
# "een toets afnemen", "beleid schrijven" (but not "het verzuim laag houden", "het verzuim neemt
# af", "een betoog schrijven").
_LIGHT_VERBS = [
    _verb("houden", "houd houdt houden hield hielden", "gehouden"),
    _verb("doen", "doet doen deed deden", "gedaan"),
    _verb("maken", "maak maakt maken maakte maakten", "gemaakt"),
    _verb("geven", "geef geeft geven gaf gaven", "gegeven"),
    _verb("schrijven", "schrijf schrijft schrijven schreef schreven", "geschreven"),
    _verb("herschrijven", "herschrijft herschrijven", "herschreven"),
    _verb("afnemen", "neem neemt nemen nam namen", "afgenomen", "af"),
    _verb("plaatsvinden", "vindt vinden vond vonden", "plaatsgevonden", "plaats"),
]

_ACTIVITY_NOUN = re.compile(
    r"^(?:[\w-]*bespreking(?:en)?|[\w-]*gesprek(?:ken)?|[\w-]*vergadering(?:en)?|"
    r"bijeenkomst(?:en)?|[\w-]*avond(?:en)?|studie(?:dag|middag)(?:en)?|workshops?|"
    r"[\w-]*training(?:en)?|cursus(?:sen)?|scholing|enquêtes?|enquete|[\w-]*peiling(?:en)?|"
    r"vragenlijst(?:en)?|analyses?|[\w-]*bezoek(?:en)?|observaties?|overleg(?:gen)?|intervisie|"
    r"audits?|afspraken|[\w-]*plan(?:nen)?|[\w-]*protocol(?:len)?|[\w-]*beleid|"
    r"beleidsstuk(?:ken)?|notitie|overzicht|rooster|[\w-]*planning|handboek|document|"
    r"kijkwijzer|nieuwsbrief|rapportages?|evaluaties?|[\w-]*toets(?:en)?|[\w-]*monitor|"
    r"interviews?|invoering|implementatie|aanschaf|herziening|scholingsdag(?:en)?)$"
)
# Nouns of organising work that make a goal an action when it opens with them: "Invoering van
# een nieuwe rekenmethode", "Het opstellen van een pestprotocol".
_NOMINAL = re.compile(
    r"^(?:de |het |een )?(?:invoering|implementatie|introductie|aanschaf|herziening|"
    r"actualisatie|actualisering|ontwikkeling|scholing|training|cursus|professionalisering|"
    r"inrichting|opzet|oprichting|uitrol|uitbreiding|inzet|aanstelling|evaluatie|afname|"
    r"borging|vernieuwing|vaststelling|uitwerking|bespreking|analyse|organisatie van|"
    r"opstellen|invoeren|ontwikkelen|organiseren|afnemen|houden|voeren|inzetten|opzetten)\b"
    r"(?! van (?:de |alle |onze |hun )?(?:[\w-]+ )?(?:leerlingen|kinderen|leerling|kind)\b)"
)
# Things an organisation has: "er is een pestprotocol", "de school beschikt over een leerlijn".
_ARTEFACT = re.compile(
    r"\b(?:[\w-]*protocol|[\w-]*beleid|[\w-]*plan|leerlijn(?:en)?|methode|kijkwijzer|handboek|"
    r"werkgroep|[\w-]*team|[\w-]*coördinator|aanpak|visie|[\w-]*systeem)\b"
)
_HAS_ARTEFACT = re.compile(
    r"\b(?:is er|er is|er ligt|ligt er|er zijn|zijn er|heeft de school|hebben alle scholen|"
    r"heeft elke school|heeft iedere school)\b|\bbeschik(?:t|ken)\b(?: [^ ]+){0,4}? over\b"
)
_ACTIVITY_PHRASE = _rx(
    r"\bin kaart (?:te )?(?:brengen|gebracht|brengt|brachten)\b",
    r"\b(?:werk|werkt|werken|werkte|werkten|gewerkt)\b(?: [^ ]+){0,3}? met\b",
    r"\baandacht (?:besteden|geven|schenken)\b",
    r"\baan de slag\b",
)

_PUPIL = re.compile(
    r"^(?:[\w-]*leerling(?:en)?|kind(?:eren)?|kleuters?|scholieren?|studenten|[\w-]*kandidaten|"
    r"jongeren|nieuwkomers|[\w-]*lezers|[\w-]*rekenaars|[\w-]*klassers|pupillen)$"
)
_STAFF = re.compile(
    r"^(?:we|wij|[\w-]*team|teamleden|[\w-]*leerkracht(?:en)?|leraar|leraren|[\w-]*docent(?:en)?|"
    r"mentor(?:en)?|ib'?-?ers?|[\w-]*begeleiders?|directeur(?:en)?|directie|schoolleiding|"
    r"[\w-]*leiders?|[\w-]*co[öo]rdinator(?:en)?|[\w-]*specialist(?:en)?|"
    r"onderwijsassistent(?:en)?|[\w-]*medewerkers?|personeel|collega's|bestuur|bestuurders?|"
    r"mt|managementteam|secties?|vaksecties?|vakgroep(?:en)?|werkgroep(?:en)?|orthopedagoog)$"
)
# Before a noun: words that may stand between a preposition and it ("voor alle zwakke lezers").
_DETERMINER = {
    "de", "het", "een", "alle", "elke", "iedere", "ieder", "elk", "onze", "ons", "hun", "haar",
    "zijn", "deze", "die", "dit", "dat", "veel", "meer", "minder", "enkele", "sommige",
}  # fmt: skip
_OBJECT_PREPOSITION = {
    "voor", "met", "bij", "aan", "over", "door", "onder", "tussen", "naar", "tegen", "per", "op",
    "rond", "rondom", "namens", "samen",
}  # fmt: skip
_QUANTITY = re.compile(
    r"^(?:\d+(?:[.,]\d+)?|%|procent|helft|deel|merendeel|meerderheid|minderheid|kwart|derde|"
    r"driekwart|tweederde|aantal|percentage|groot deel|alle|geen|niemand|"
    rf"{_NUMBER_WORD})$"
)
_MODAL = re.compile(
    r"^(?:kunnen|kan|kunt|konden|kon|zullen|zal|gaan|gaat|moeten|moet|mogen|mag|durven|durft|"
    r"leren|leert|weten|weet|willen|wil)$"
)
_CLAUSE_END = _rx(
    r"\bom\b(?! de (?:\w+|\d+) (?:weken|week|maanden|dagen|jaar))(?=.*\bte\b)",
    r"\bzodat\b",
    r"\bwaardoor\b",
    r"\bopdat\b",
    r"\bmet als doel\b",
    r"\bmet het doel\b",
    r"\bter (?:verbetering|versterking|bevordering|ondersteuning)\b",
    r"\bten behoeve van\b",
    r"\bteneinde\b",
)
_TOKEN = re.compile(r"[\w'-]+|%|[,;:]")
# An outcome that decreases ("het verzuim neemt af") is not a test being given.
_OUTCOME = re.compile(
    r"\b(?:aantal|percentage|verzuim|uitval|incidenten|schorsingen|meldingen|scores?|gemiddelde|"
    r"resultaten|cijfers|achterstand(?:en)?|thuiszitters|onvoldoendes)\b"
)


def _main_clause(text: str) -> str:
    """The clause that says what the goal is, without its purpose ("om ... te", "zodat")."""
    end = _CLAUSE_END.search(text)
    return text[: end.start()] if end else text


def _is_subject(tokens: list[str], index: int) -> bool:
    """Whether the noun at `index` stands as a subject rather than after a preposition:
    "85% van de leerlingen" and "alle leerlingen" are subjects, "voor alle leerlingen" and "het
    welbevinden van leerlingen" are not."""
    j = index - 1
    while j >= 0 and (tokens[j] in _DETERMINER or (len(tokens[j]) > 3 and tokens[j].endswith("e"))):
        j -= 1
    if j < 0:
        return True
    before = tokens[j]
    if before in _OBJECT_PREPOSITION:
        return False
    if before == "van":
        k = j - 1
        while k >= 0 and tokens[k] in _DETERMINER:
            k -= 1
        return k >= 0 and bool(_QUANTITY.match(tokens[k]))
    return True


def _subjects(tokens: list[str], pattern: re.Pattern) -> bool:
    return any(pattern.match(t) and _is_subject(tokens, i) for i, t in enumerate(tokens))


def _near_activity_noun(tokens: list[str], i: int, particle: str | None) -> bool:
    """Whether an activity noun is the light verb's object: within four words of it, or (for a
    finite separable verb) between it and its particle ("neemt ... een klassenbezoek af")."""
    window = tokens[max(0, i - 4) : i + 5]
    if particle and particle in tokens[i + 1 :]:
        window += tokens[i + 1 : tokens.index(particle, i + 1)]
    return any(_ACTIVITY_NOUN.match(t) for t in window)


def _activity_positions(tokens: list[str], clause: str, skip: set[int]) -> list[tuple[int, str]]:
    """Where activity verbs stand in the clause, as (token index, "infinitive"/"finite"/
    "participle"); tokens in `skip` (try-language) are left out."""
    found = []
    for verbs, needs_noun in ((_ACTIVITY_VERBS, False), (_LIGHT_VERBS, True)):
        for verb in verbs:
            if verb["infinitive"] == "afnemen" and _OUTCOME.search(clause):
                continue  # "het verzuim neemt af": a decrease, not a test given
            particle = verb["particle"]
            base = verb["infinitive"][len(particle) :] if particle else None
            for i, token in enumerate(tokens):
                if i in skip:
                    continue
                following = tokens[i + 1 : i + 2]
                if following and following[0] in ("zich", "zichzelf"):
                    continue  # "leerlingen ontwikkelen zich": no staff activity
                if needs_noun and not _near_activity_noun(tokens, i, particle):
                    continue  # "een betoog schrijven", "het verzuim laag houden"
                if token == verb["infinitive"] or (
                    particle and token == base and tokens[max(0, i - 2) : i] == [particle, "te"]
                ):
                    found.append((i, "infinitive"))
                elif token in verb["participle"]:
                    if following and following[0] in ("met", "via", "volgens"):
                        continue  # "vastgesteld met de kijkwijzer": how it is measured
                    found.append((i, "participle"))
                elif token in verb["finite"]:
                    if particle and particle not in tokens[i + 1 :]:
                        continue
                    if i > 0 and tokens[i - 1] == "als":
                        continue  # "als volgt"
                    if verb["infinitive"] == "geven" and "aan" in tokens[i + 1 :]:
                        continue  # "geeft aan dat ...": says, not gives
                    found.append((i, "finite"))
    return found


def _reads_as_action(text: str) -> bool:
    """Whether a goal says what staff will do rather than what it yields for pupils.

    Signals: it opens with organising work ("Invoering van ...", "Het opstellen van ..."); it
    has an activity verb (or a light verb with an activity: "gesprekken houden") and staff, or
    no pupils, as its subject; or it says the organisation has a thing ("er is een protocol").
    Pupils as the subject make an activity verb theirs ("85% van de leerlingen volgt een
    opleiding op niveau 3"), unless the clause is a bare infinitive phrase.
    """
    clause = _main_clause(text)
    bare = _RHYTHM.sub(" ", _DATE.sub(" ", clause))
    bare = re.sub(r"\([^)]*\)", " ", bare)
    bare = re.sub(r"\s+", " ", bare)
    tried = _try_spans(bare)
    opening = re.sub(r"^[^\w]+", "", bare)
    offset = len(bare) - len(opening)
    if _NOMINAL.match(opening) and not any(a <= offset < b for a, b in tried):
        return True
    matches = list(_TOKEN.finditer(bare))
    tokens = [m.group() for m in matches]
    in_try = {i for i, m in enumerate(matches) if any(a <= m.start() < b for a, b in tried)}
    activities = _activity_positions(tokens, bare, in_try)
    staff = _subjects(tokens, _STAFF)
    pupils = _subjects(tokens, _PUPIL)
    if not activities:
        if _ACTIVITY_PHRASE.search(clause) and (staff or not pupils):
            return True
        return bool(_HAS_ARTEFACT.search(clause) and _ARTEFACT.search(bare) and not pupils)
    if staff or not pupils:
        return True
    # Pupils are the subject; still an action when the clause is a bare infinitive phrase
    # ending in the activity ("bij alle leerlingen de toets afnemen").
    last = len(tokens) - 1
    has_modal = any(_MODAL.match(t) for t in tokens)
    return any(i == last and form == "infinitive" and not has_modal for i, form in activities)


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------


def coach_text(
    text: str,
    *,
    kind: str = GOAL,
    target=None,
    target_date=None,
    subject=None,
) -> list[Finding]:
    """The findings on one goal or action written as text.

    `target` and `target_date` are values stored next to the text (a goal's target value and
    target date, an action's due date as `target_date`): when given, the text need not carry
    them. Rules that need more than text (an owner, links) are not applied here.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    clean = normalise(text)
    if not clean:
        return []
    findings = []
    if kind == GOAL and _reads_as_action(clean):
        findings.append(_finding("goal_is_action", subject=subject))
    tried = [clean[a:b] for a, b in _try_spans(clean)]
    if tried:
        original = _original_words(text, tried[0])
        findings.append(_finding("try_language", subject=subject, words=original))
    if kind == GOAL and target is None and not _has_target(clean):
        findings.append(_finding("no_target", subject=subject))
    if target_date is None and not _has_date(clean, kind):
        findings.append(_finding("no_date", kind, subject=subject))
    return findings


def _original_words(text: str, normalised_words: str) -> str:
    """The matched words as the writer typed them (their capitals), for quoting back."""
    flat = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    start = flat.lower().find(normalised_words)
    return flat[start : start + len(normalised_words)] if start >= 0 else normalised_words


def coach_goal(goal) -> list[Finding]:
    """The findings on a stored goal: its title, with its target value and target date standing
    in for a number or date the title lacks, and its owner."""
    findings = coach_text(
        goal.title, kind=GOAL, target=goal.target, target_date=goal.target_date, subject=goal
    )
    if goal.owner_id is None:
        findings.append(_finding("no_owner", GOAL, subject=goal))
    return findings


def coach_action(action) -> list[Finding]:
    """The findings on a stored action: its title (its due date or start standing in for a
    date), and its owner."""
    findings = coach_text(
        action.title,
        kind=ACTION,
        target_date=action.due_on or action.starts_on,
        subject=action,
    )
    if action.owner_id is None:
        findings.append(_finding("no_owner", ACTION, subject=action))
    return findings


@dataclass
class PlanReview:
    """A review of a whole plan: `findings` about the plan as a whole (its size, actions of its
    unit that serve no goal, herstelopdrachten not covered or covered outside an improvement
    plan), and per goal and per action under a goal the findings on that goal or action."""

    plan: object
    findings: list[Finding] = field(default_factory=list)
    goals: list = field(default_factory=list)  # [(goal, [Finding])] in the plan's order
    actions: list = field(default_factory=list)  # [(action, [Finding])] under those goals

    def for_goal(self, goal) -> list[Finding]:
        return next((found for g, found in self.goals if g.pk == goal.pk), [])

    def for_action(self, action) -> list[Finding]:
        return next((found for a, found in self.actions if a.pk == action.pk), [])

    @property
    def all_findings(self) -> list[Finding]:
        result = list(self.findings)
        for _subject, found in self.goals + self.actions:
            result.extend(found)
        return result

    @property
    def counts(self) -> Counter:
        """How often each rule fired, for a summary line."""
        return Counter(f.rule for f in self.all_findings)

    def __len__(self) -> int:
        return len(self.all_findings)


def coach_plan(plan) -> PlanReview:
    """Review a plan in six queries, whatever its size: themes, goals, their actions, the unit's
    actions without a goal in the period, and the unit's open herstelopdrachten with the
    actions that cover them.

    Scope of the unit rules: "the unit" is the plan's board and school (no school: the board's
    own actions and opdrachten). `action_without_goal` takes the unit's actions that are not
    cancelled and have no goal, whose dates (start to due date, or the one that is set) overlap
    the plan's period, or that have no dates and were created in it. The herstel rules take the
    unit's herstelopdrachten without a sufficient follow-up investigation. Whether one is
    covered is the coverage view's answer (`Coverage.covered`), so the coach never calls one
    uncovered that the coverage view calls covered: `herstel_uncovered` when no action covers
    it; `herstel_without_plan` when actions cover it but none (not cancelled) hangs under a goal
    of an improvement plan of the same unit.
    """
    from django.db.models import F, Prefetch, Q
    from django.utils import timezone

    from stelsel.picture.coverage import coverage_rows
    from stelsel.picture.models import Assignment, AssignmentKind, FollowUpOutcome
    from stelsel.planning.models import (
        FOUR_YEAR_KINDS,
        Action,
        ActionStatus,
        Goal,
        PlanKind,
        Theme,
    )

    review = PlanReview(plan=plan)
    themes = Theme.objects.filter(plan=plan).count()
    goals = list(
        Goal.objects.filter(plan=plan)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("due_on", "pk")))
    )
    if plan.kind == PlanKind.YEAR and themes > MAX_YEAR_THEMES:
        review.findings.append(_finding("too_many_themes", subject=plan, count=themes))
    if plan.kind in FOUR_YEAR_KINDS:
        if themes > MAX_FOUR_YEAR_THEMES:
            review.findings.append(_finding("too_many_ambitions", subject=plan, count=themes))
        if len(goals) > MAX_FOUR_YEAR_GOALS:
            review.findings.append(_finding("too_many_goals", subject=plan, count=len(goals)))

    for goal in goals:
        review.goals.append((goal, coach_goal(goal)))
        for action in goal.actions.all():
            review.actions.append((action, coach_action(action)))

    unit = Q(board_id=plan.board_id, school_id=plan.school_id)
    start, end = plan.starts_on, plan.ends_on
    in_period = (
        Q(starts_on__isnull=False, due_on__isnull=False, starts_on__lte=end, due_on__gte=start)
        | Q(starts_on__isnull=True, due_on__gte=start, due_on__lte=end)
        | Q(due_on__isnull=True, starts_on__gte=start, starts_on__lte=end)
        | Q(
            starts_on__isnull=True,
            due_on__isnull=True,
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
    )
    loose = (
        Action.objects.filter(unit, in_period, goal__isnull=True)
        .exclude(status=ActionStatus.CANCELLED)
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    for action in loose:
        review.findings.append(_finding("action_without_goal", subject=action, action=action))

    def in_improvement_plan(action) -> bool:
        goal = action.goal
        return (
            action.status != ActionStatus.CANCELLED
            and goal is not None
            and goal.plan.kind == PlanKind.IMPROVEMENT
            and goal.plan.board_id == plan.board_id
            and goal.plan.school_id == plan.school_id
        )

    herstel = (
        Assignment.objects.filter(unit, kind=AssignmentKind.HERSTEL)
        .exclude(follow_up_outcome=FollowUpOutcome.SUFFICIENT)
        .order_by("deadline", "pk")
    )
    for row in coverage_rows(herstel, timezone.localdate()):
        assignment = row.assignment
        if not row.coverage.covered:
            rule = "herstel_uncovered"
        elif not any(in_improvement_plan(a) for a in row.actions):
            rule = "herstel_without_plan"
        else:
            continue
        review.findings.append(_finding(rule, subject=assignment, assignment=assignment))
    return review
