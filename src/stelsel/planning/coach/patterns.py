"""The Dutch the coach reads: the words and regular expressions that recognise dates and
rhythms, try-language, numbers that count (and those that only name a group or level), the verbs
and nouns of organising work, and who the subject is (pupils or staff).

These are deliberately simple patterns, not language understanding: each looks for a few signals
that writers of school plans actually use (see the decisions in the package's docstring).
Everything is matched against text that went through `normalise`. The rules that combine the
patterns live in `rules`.
"""

import re
import unicodedata

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


NUMBER_WORD = (
    r"nul|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|"
    r"vijftien|zestien|zeventien|achttien|negentien|"
    r"(?:(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)ën?)?"
    r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)|honderd|duizend"
)
MONTH = r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_MONTH_SHORT = r"jan|feb|mrt|apr|jun|jul|aug|sept?|okt|nov|dec"
_COUNT = rf"\d+|een|één|{NUMBER_WORD}"

# When a goal must be reached or an action happens. A year that names a framework ("kader
# 2021") is not a date.
DATE = _rx(
    r"(?<!kader )(?<!kader\s)\b(?:19|20)\d{2}\b",
    r"(?<![\w-])'\d{2}\b",
    rf"\b(?:{MONTH})\b",
    rf"\b\d{{1,2}} (?:{MONTH}|{_MONTH_SHORT})\b\.?",
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
RHYTHM = _rx(
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
TRY_OR_WORK = _rx(
    r"\bprobe(?:er|ert|ren|erde|erden)\b",
    r"\bgeprobeerd\b",
    r"\b(?:werk|werkt|werken|werkte|werkten|gewerkt)\b(?: [^ ]+){0,4}? aan\b"
    r"(?! de hand van)",
)
TRY = _rx(
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
    # English
    r"\b(?:strive|strives|striving|aim|aims|aiming|endeavour|endeavor|hope|hopes)\s+(?:to|for)\b",
    r"\b(?:try|tries|trying)\s+to\b",
    r"\b(?:we|the school|the team|the board)\s+(?:want|wants|would like)\b",
    r"\b(?:work|works|working)\s+(?:on|towards?)\b",
    r"\b(?:as (?:much|many|well|far) as|where|if) possible\b",
)


# ---------------------------------------------------------------------------------------------
# no_target
# ---------------------------------------------------------------------------------------------

LEVEL = r"\b[1-4][fs]\b|\b[abc][12]\b|\bavi[- ]?(?:start|plus|[mbe]\d)\b|\b[mbe][1-8]\b"
# Numbers that name a group, a year, a level or a code; they do not say how many.
NOT_A_COUNT = _rx(
    r"\bgroep(?:en)?\s+\d(?:\s*(?:-|t/m|tot en met|tot|en|,)\s*\d)*\b",
    r"\b(?:leerjaar|leerjaren|klas|klassen)\s+\d(?:\s*(?:-|t/m|tot en met|en|,)\s*\d)*\b",
    r"\b\d\s*-?\s*(?:havo|vwo|vmbo(?:-[a-z]+)?|mavo|atheneum|gymnasium|tl|gl|kb|bb|gt)\b",
    r"\b(?:havo|vwo|vmbo(?:[- ](?:[a-z]{1,2}|tl|gl|kb|bb))?|mavo|atheneum|gymnasium|tl|gl|kb|bb|"
    r"gt)\s*-?\s*\d\b",
    r"\b[hvm][1-6]\b",
    LEVEL,
    r"\b(?:op|vs|or|ska|bka|kz|kl|ak)\s?\d\b(?!\s*%)(?!,\d)",
    r"\b\d+(?:e|ste|de)\b",
    r"\bcovid-19\b",
    r"\b(?:kerndoel(?:en)?|artikel|bijlage|hoofdstuk|versie|fase|stap|module|thema|domein|"
    r"standaard|niveau|ondersteuningsniveau|zorgniveau|route)\s+\d+\b",
)
# A comparison with a named reference value: "boven het gemiddelde van scholen met een
# vergelijkbare schoolweging", "op de streefwaarde", "above the signalling value".
NORM_COMPARISON = (
    r"\b(?:boven|onder|op|gelijk aan|hoger dan|lager dan|ruim boven|minimaal op|ten minste op|"
    r"above|below|at)\s+(?:het|de|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:gemiddelde|norm|[\w-]*waarde|ondergrens|benchmark|average|signalling value|"
    r"standard|threshold|norm)\b"
)
COUNTED = _rx(
    r"\d",
    rf"\b(?:{NUMBER_WORD})\b",
    r"\b(?:helft|kwart|driekwart|tweederde|een derde|twee derde|procent)\b",
    r"\b(?:ge)?(?:halveer|halveert|halveren|halveerd|halveerde)\b|\bgehalveerd\b|\bhalvering\b",
    r"\b(?:ver)?dubbel(?:t|en|d|de)?\b|\bverdubbeling\b",
    r"\bgeen\b|\bniemand\b",
    # a comparison with a reference value is a target
    r"\bsignaleringswaarde\w*\b|\blandelijk\w* gemiddelde\b|\blandelijke norm\b|"
    r"\binspectienorm\b|\bondergrens\w*\b|\bbenchmark\b|\bvergelijkbare scholen\b",
    NORM_COMPARISON,
    # an inspection's or observer's judgement
    r"\b(?:als|oordeel|beoordeling|minimaal|ten minste|tenminste|met een|een)\s+\"?voldoende\b",
    r"\b(?:als|oordeel|beoordeling)\s+\"?goed\b",
)
EVERYONE = {"alle", "al", "elke", "iedere", "ieder", "elk", "all", "every", "each"}
# Countable groups whose state a goal can be about: pupils (see PUPIL), and schools, groups,
# classes and parents. "Alle scholen scoren boven ..." is a 100% target like "alle leerlingen".
GROUP = re.compile(
    r"^(?:scholen|school|schools|groepen|klassen|classes|groups|ouders|parents|locaties|"
    r"vestigingen|afdelingen|teams|mentorgroepen)$"
)
# What makes "all of them" unverifiable: a comparison without a number, a superlative of effort,
# a feeling without a measured criterion. "Alle leerlingen ontwikkelen zich optimaal", "lezen met
# meer plezier", "hebben een goede woordenschat" set no target, however many "alle" there are.
VAGUE = _rx(
    r"\b(?:beter|betere|meer|minder|hoger|hogere|lager|lagere|vaker|sneller|veiliger|groter|"
    r"kleiner|sterker|rijker|rijkere|positiever|actiever|zelfstandiger|tevredener|"
    r"better|more|less|fewer|higher|lower|safer)\b(?! dan \d)"
    # a grade named by comparison ("een hogere groep") is no vagueness
    r"(?! (?:groep|groepen|klas|klassen|leerjaar|leerjaren|jaargroep)\b)",
    r"\boptimaa?l\w*\b|\bmaximaal ontwikkel\w*\b",
    r"\bnaar (?:hun|zijn|haar|eigen) (?:mogelijkheden|vermogen|kunnen|talent\w*)\b",
    r"\b(?:goed|goede)\b(?! of)",
    r"\bontwikkel\w* zich\b|\bzich\b(?: [^ ]+){0,3}? ontwikkel\w*\b",
    r"\bzich\b(?: [^ ]+){0,3}? (?:voelen|voelt)\b|\b(?:voelen|voelt) zich\b",
    r"\beigenaar\b|\bmet plezier\b|\bbetrokken\b|\bgemotiveerd\b",
    r"\b(?:optimally|to their potential|good|well)\b",
)
# What makes "all pupils" checkable: a criterion a pupil meets or not.
CRITERION = _rx(
    LEVEL,
    r"\bvoldoende\b",
    r"\bdiploma\w*\b",
    r"\bstartkwalificatie\b",
    r"\bveilig\b",
    r"\b(?:slagen|slaagt|geslaagd)\b",
    r"\bzonder (?:vertraging|doubleren|zittenblijven|onderbreking|verzuim)\b",
    r"\breferentieniveau\w*\b",
    r"\bop (?:of boven )?(?:het )?(?:eigen |verwachte )?niveau\b",
)


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
ACTIVITY_VERBS = [
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
    _verb("bezoeken", "bezoek bezoekt bezoeken bezocht bezochten", "bezocht"),
    _verb("toetsen", "toets toetst toetsten", "getoetst"),
    _verb("screenen", "screent screenen screende", "gescreend"),
    _verb("introduceren", "introduceer introduceert introduceren introduceerde", "geïntroduceerd"),
    _verb("opnemen", "neem neemt nemen nam namen", "opgenomen", "op"),
    # English: the same kinds of organising work
    _verb("introduce", "introduces introduced introducing", "introduced"),
    _verb("implement", "implements implemented implementing", "implemented"),
    _verb("organise", "organises organised organizes organized organising organize", ""),
    _verb("develop", "", "developed"),
    _verb("draw", "draws drew drawing", "drawn"),
    _verb("appoint", "appoints appointed appointing", "appointed"),
    _verb("purchase", "purchases purchased buys bought", "purchased"),
    _verb("evaluate", "evaluates evaluated evaluating", "evaluated"),
    _verb("discuss", "discusses discussed discussing", "discussed"),
    _verb("analyse", "analyses analysed analyzes analyzed analyze", "analysed"),
    _verb("visit", "visits visited visiting", "visited"),
    _verb("hold", "holds held holding", "held"),
    _verb("coach", "coaches coached coaching", "coached"),
    _verb("train", "trains", "trained"),
    _verb("adopt", "adopts adopted adopting", "adopted"),
    _verb("write", "writes wrote writing", "written"),
]

# Verbs that are an activity only with an activity as their object: "gesprekken houden",
# "een toets afnemen", "beleid schrijven" (but not "het verzuim laag houden", "het verzuim neemt
# af", "een betoog schrijven").
LIGHT_VERBS = [
    _verb("houden", "houd houdt houden hield hielden", "gehouden"),
    _verb("doen", "doet doen deed deden", "gedaan"),
    _verb("maken", "maak maakt maken maakte maakten", "gemaakt"),
    _verb("geven", "geef geeft geven gaf gaven", "gegeven"),
    _verb("schrijven", "schrijf schrijft schrijven schreef schreven", "geschreven"),
    _verb("herschrijven", "herschrijft herschrijven", "herschreven"),
    _verb("afnemen", "neem neemt nemen nam namen", "afgenomen", "af"),
    _verb("plaatsvinden", "vindt vinden vond vonden", "plaatsgevonden", "plaats"),
]

ACTIVITY_NOUN = re.compile(
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
NOMINAL = re.compile(
    r"^(?:de |het |een )?(?:invoering|implementatie|introductie|aanschaf|herziening|"
    r"actualisatie|actualisering|ontwikkeling|scholing|training|cursus|professionalisering|"
    r"inrichting|opzet|oprichting|uitrol|uitbreiding|inzet|aanstelling|evaluatie|afname|"
    r"borging|vernieuwing|vaststelling|uitwerking|bespreking|analyse|organisatie van|"
    r"opstellen|invoeren|ontwikkelen|organiseren|afnemen|houden|voeren|inzetten|opzetten)\b"
    r"(?! van (?:de |alle |onze |hun )?(?:[\w-]+ )?(?:leerlingen|kinderen|leerling|kind)\b)"
)
# Things an organisation has: "er is een pestprotocol", "de school beschikt over een leerlijn".
ARTEFACT = re.compile(
    r"\b(?:[\w-]*protocol|[\w-]*beleid|[\w-]*plan|leerlijn(?:en)?|methode|kijkwijzer|handboek|"
    r"werkgroep|[\w-]*team|[\w-]*coördinator|aanpak|visie|[\w-]*systeem)\b"
)
HAS_ARTEFACT = re.compile(
    r"\b(?:is er|er is|er ligt|ligt er|er zijn|zijn er|heeft de school|hebben alle scholen|"
    r"heeft elke school|heeft iedere school)\b|\bbeschik(?:t|ken)\b(?: [^ ]+){0,4}? over\b"
)
ACTIVITY_PHRASE = _rx(
    r"\bin kaart (?:te )?(?:brengen|gebracht|brengt|brachten)\b",
    r"\b(?:werk|werkt|werken|werkte|werkten|gewerkt)\b(?: [^ ]+){0,3}? met\b",
    r"\baandacht (?:besteden|geven|schenken)\b",
    r"\baan de slag\b",
)

PUPIL = re.compile(
    r"^(?:[\w-]*leerling(?:en)?|kind(?:eren)?|kleuters?|scholieren?|studenten|[\w-]*kandidaten|"
    r"jongeren|nieuwkomers|[\w-]*lezers|[\w-]*rekenaars|[\w-]*klassers|pupillen|"
    r"pupils?|students?|children|child|learners?)$"
)
# Parents as the subject: what they do (take part, answer a survey) is a result of the school's
# work, like what pupils do.
PARENT = re.compile(r"^(?:ouders?|verzorgers|opvoeders|parents?|carers)$")
# The auxiliaries of the passive: "er wordt een specialist ingezet", "de ouders worden
# geïnformeerd". With a participle of organising work the subject is what is worked on, not who
# works, so pupils or parents as its subject do not make it a result. ("Is" is left out: "95% van
# de leerlingen is gestart met een vervolgopleiding" is the pupils' own doing.)
PASSIVE = {"wordt", "worden", "werd", "werden", "been"}
STAFF = re.compile(
    r"^(?:we|wij|[\w-]*team|teamleden|[\w-]*leerkracht(?:en)?|leraar|leraren|[\w-]*docent(?:en)?|"
    r"mentor(?:en)?|ib'?-?ers?|[\w-]*begeleiders?|directeur(?:en)?|directie|schoolleiding|"
    r"[\w-]*leiders?|[\w-]*co[öo]rdinator(?:en)?|[\w-]*specialist(?:en)?|"
    r"onderwijsassistent(?:en)?|[\w-]*medewerkers?|personeel|collega's|bestuur|bestuurders?|"
    r"mt|managementteam|secties?|vaksecties?|vakgroep(?:en)?|werkgroep(?:en)?|orthopedagoog|"
    r"teachers?|staff|board)$"
)
# Before a noun: words that may stand between a preposition and it ("voor alle zwakke lezers").
DETERMINER = {
    "de", "het", "een", "alle", "elke", "iedere", "ieder", "elk", "onze", "ons", "hun", "haar",
    "zijn", "deze", "die", "dit", "dat", "veel", "meer", "minder", "enkele", "sommige",
    "the", "all", "every", "each", "our", "al",
}  # fmt: skip
# Before a word that is both a noun and a finite verb ("bezoek", "start"): these make it the noun.
ARTICLE = {
    "de", "het", "een", "alle", "elke", "iedere", "ieder", "elk", "onze", "the", "a", "an",
    "every", "each", "our",
}  # fmt: skip
# Infinitives that are far more often a plural noun in school plans ("alle scholen", "de
# toetsen", "de plannen"): after a preposition or an adjective ("voor scholen met ...",
# "vergelijkbare scholen") they are the noun too.
NOUN_HOMOGRAPH = {"scholen", "toetsen", "plannen", "delen"}
# Before a word that is both a noun and an infinitive ("scholen", "toetsen"): these make it the
# noun. A nominalised infinitive takes "het" ("het scholen van het team"), never these.
NOUN_DETERMINER = {
    "de", "alle", "al", "onze", "hun", "deze", "die", "veel", "meer", "minder", "enkele",
    "sommige", "beide", "andere", "overige", "haar", "zijn", "van", "op", "bij", "the", "all",
}  # fmt: skip
OBJECT_PREPOSITION = {
    "voor", "met", "bij", "aan", "over", "door", "onder", "tussen", "naar", "tegen", "per", "op",
    "rond", "rondom", "namens", "samen", "in", "of", "for", "with", "to", "at", "by",
}  # fmt: skip
QUANTITY = re.compile(
    r"^(?:\d+(?:[.,]\d+)?|%|procent|helft|deel|merendeel|meerderheid|minderheid|kwart|derde|"
    r"driekwart|tweederde|aantal|percentage|groot deel|alle|geen|niemand|"
    rf"{NUMBER_WORD})$"
)
MODAL = re.compile(
    r"^(?:kunnen|kan|kunt|konden|kon|zullen|zal|gaan|gaat|moeten|moet|mogen|mag|durven|durft|"
    r"leren|leert|weten|weet|willen|wil)$"
)
CLAUSE_END = _rx(
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
TOKEN = re.compile(r"[\w'-]+|%|[,;:]")
# An outcome that decreases ("het verzuim neemt af") is not a test being given.
OUTCOME = re.compile(
    r"\b(?:aantal|percentage|verzuim|uitval|incidenten|schorsingen|meldingen|scores?|gemiddelde|"
    r"resultaten|cijfers|achterstand(?:en)?|thuiszitters|onvoldoendes)\b"
)
