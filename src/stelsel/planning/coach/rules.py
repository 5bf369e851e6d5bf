"""The coach's rules on a text: a goal that reads as an action (`goal_is_action`), try-language
(`try_language`), no measurable target (`no_target`) and no date (`no_date`), and the entry
points that apply them to a line of text, a stored goal and a stored action.

Every rule prefers to stay silent when in doubt: a false alarm on a good goal costs more than a
miss (people stop reading the coach). The words and expressions they look for are in `patterns`.
"""

import re
import unicodedata

from stelsel.planning.coach.findings import ACTION, GOAL, KINDS, Finding, finding
from stelsel.planning.coach.patterns import (
    ACTIVITY_NOUN,
    ACTIVITY_PHRASE,
    ACTIVITY_VERBS,
    ARTEFACT,
    ARTICLE,
    CLAUSE_END,
    COUNTED,
    CRITERION,
    DATE,
    DETERMINER,
    EVERYONE,
    GROUP,
    HAS_ARTEFACT,
    LIGHT_VERBS,
    MODAL,
    NOMINAL,
    NOT_A_COUNT,
    NOUN_DETERMINER,
    NOUN_HOMOGRAPH,
    OBJECT_PREPOSITION,
    OUTCOME,
    PARENT,
    PASSIVE,
    PUPIL,
    QUANTITY,
    RHYTHM,
    STAFF,
    TOKEN,
    TRY,
    TRY_OR_WORK,
    VAGUE,
    normalise,
)


def _try_spans(text: str) -> list[tuple[int, int]]:
    """Where try-language stands in the text, in order."""
    spans = [m.span() for m in TRY.finditer(text)]
    effort = [m.span() for m in TRY_OR_WORK.finditer(text)]
    if effort:
        tokens = TOKEN.findall(_main_clause(text))
        if not _subjects(tokens, PUPIL) or _subjects(tokens, STAFF):
            spans += effort
    return sorted(spans)


def _everyone(tokens: list[str]) -> bool:
    """Whether all of a countable group is the subject: "alle leerlingen", "elke leerling",
    "iedere kleuter", "al onze scholen", "every pupil" (the quantifier within three words before
    the noun, the noun not after a preposition: "voor alle leerlingen" is no subject)."""
    for i, token in enumerate(tokens):
        if not (PUPIL.match(token) or GROUP.match(token)) or not _is_subject(tokens, i):
            continue
        before = tokens[max(0, i - 3) : i]
        if any(word in EVERYONE for word in before):
            return True
    return False


def _has_target(text: str, action: bool = False) -> bool:
    """Whether the text says how high or how many: a number that counts (not one that names a
    group, level or date), zero ("geen", "niemand"), a comparison with a reference value, a
    judgement, or all of a countable group reaching something that can be checked.

    "All of a group" is a 100% target only in a result: in a goal that reads as an action,
    "alle leerkrachten" or "op elke school" says where the work is done, not what it yields.
    And only when what they reach can be checked: a criterion (a level, "voldoende", "veilig")
    always can; otherwise it can unless the wording is vague ("beter", "optimaal", "met meer
    plezier", "een goede woordenschat", "voelen zich gezien").
    """
    rest = DATE.sub(" ", text)
    rest = NOT_A_COUNT.sub(" ", rest)
    if COUNTED.search(rest):
        return True
    if action:
        return False
    clause = _main_clause(text)
    if not _everyone(TOKEN.findall(clause)):
        return False
    return bool(CRITERION.search(clause) or not VAGUE.search(clause))


def _has_date(text: str, kind: str) -> bool:
    return bool(DATE.search(text) or (kind == ACTION and RHYTHM.search(text)))


def _main_clause(text: str) -> str:
    """The clause that says what the goal is, without its purpose ("om ... te", "zodat")."""
    end = CLAUSE_END.search(text)
    return text[: end.start()] if end else text


def _is_subject(tokens: list[str], index: int) -> bool:
    """Whether the noun at `index` stands as a subject rather than after a preposition:
    "85% van de leerlingen" and "alle leerlingen" are subjects, "voor alle leerlingen" and "het
    welbevinden van leerlingen" are not."""
    j = index - 1
    while j >= 0 and (tokens[j] in DETERMINER or (len(tokens[j]) > 3 and tokens[j].endswith("e"))):
        j -= 1
    if j < 0:
        return True
    before = tokens[j]
    if before in ("van", "of"):
        k = j - 1
        while k >= 0 and tokens[k] in DETERMINER:
            k -= 1
        return k >= 0 and bool(QUANTITY.match(tokens[k]))
    return before not in OBJECT_PREPOSITION


def _subjects(tokens: list[str], pattern: re.Pattern) -> bool:
    return any(pattern.match(t) and _is_subject(tokens, i) for i, t in enumerate(tokens))


def _near_activity_noun(tokens: list[str], i: int, particle: str | None) -> bool:
    """Whether an activity noun is the light verb's object: within four words of it, or (for a
    finite separable verb) between it and its particle ("neemt ... een klassenbezoek af")."""
    window = tokens[max(0, i - 4) : i + 5]
    if particle and particle in tokens[i + 1 :]:
        window += tokens[i + 1 : tokens.index(particle, i + 1)]
    return any(ACTIVITY_NOUN.match(t) for t in window)


def _activity_positions(tokens: list[str], clause: str, skip: set[int]) -> list[tuple[int, str]]:
    """Where activity verbs stand in the clause, as (token index, "infinitive"/"finite"/
    "participle"); tokens in `skip` (try-language) are left out."""
    found = []
    for verbs, needs_noun in ((ACTIVITY_VERBS, False), (LIGHT_VERBS, True)):
        for verb in verbs:
            if verb["infinitive"] == "afnemen" and OUTCOME.search(clause):
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
                previous = tokens[i - 1] if i else ""
                if token == verb["infinitive"] and (
                    previous in NOUN_DETERMINER
                    or (
                        token in NOUN_HOMOGRAPH
                        and (
                            previous in OBJECT_PREPOSITION
                            or (len(previous) > 3 and previous.endswith("e"))
                        )
                    )
                ):
                    continue  # "alle scholen", "de toetsen": the noun, not the verb
                if token in verb["finite"] and previous in ARTICLE:
                    continue  # "het bezoek", "een start": the noun, not the verb
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


def _passive(tokens: list[str], activities: list[tuple[int, str]]) -> bool:
    """Whether organising work is said in the passive ("de ouders worden maandelijks
    geïnformeerd", "er wordt een specialist ingezet", "the team has been trained"): a participle
    with an auxiliary of the passive before it, and nobody named as the agent ("door de
    leerlingen", "by pupils")."""
    if "door" in tokens or "by" in tokens:
        return False
    return any(
        form == "participle" and any(t in PASSIVE for t in tokens[:i]) for i, form in activities
    )


def _reads_as_action(text: str) -> bool:
    """Whether a goal says what staff will do rather than what it yields for pupils.

    Signals: it opens with organising work ("Invoering van ...", "Het opstellen van ..."); it
    has an activity verb (or a light verb with an activity: "gesprekken houden") and staff, or
    no pupils, as its subject; it says organising work in the passive ("de ouders worden
    geïnformeerd"); or it says the organisation has a thing ("er is een protocol"). Pupils (or
    parents) as the subject make an activity verb theirs ("85% van de leerlingen volgt een
    opleiding op niveau 3"), unless the clause is a bare infinitive phrase. A word that is also
    a noun ("alle scholen", "het bezoek") is not taken for the verb.
    """
    clause = _main_clause(text)
    bare = RHYTHM.sub(" ", DATE.sub(" ", clause))
    bare = re.sub(r"\([^)]*\)", " ", bare)
    bare = re.sub(r"\s+", " ", bare)
    tried = _try_spans(bare)
    opening = re.sub(r"^[^\w]+", "", bare)
    offset = len(bare) - len(opening)
    if NOMINAL.match(opening) and not any(a <= offset < b for a, b in tried):
        return True
    matches = list(TOKEN.finditer(bare))
    tokens = [m.group() for m in matches]
    in_try = {i for i, m in enumerate(matches) if any(a <= m.start() < b for a, b in tried)}
    activities = _activity_positions(tokens, bare, in_try)
    staff = _subjects(tokens, STAFF)
    pupils = _subjects(tokens, PUPIL) or _subjects(tokens, PARENT)
    if activities and _passive(tokens, activities):
        return True
    if not activities:
        if ACTIVITY_PHRASE.search(clause) and (staff or not pupils):
            return True
        return bool(HAS_ARTEFACT.search(clause) and ARTEFACT.search(bare) and not pupils)
    if staff or not pupils:
        return True
    # Pupils are the subject; still an action when the clause is a bare infinitive phrase
    # ending in the activity ("bij alle leerlingen de toets afnemen").
    last = len(tokens) - 1
    has_modal = any(MODAL.match(t) for t in tokens)
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
    action = kind == GOAL and _reads_as_action(clean)
    if action:
        findings.append(finding("goal_is_action", subject=subject))
    tried = [clean[a:b] for a, b in _try_spans(clean)]
    if tried:
        original = _original_words(text, tried[0])
        findings.append(finding("try_language", subject=subject, words=original))
    if kind == GOAL and target is None and not _has_target(clean, action):
        findings.append(finding("no_target", subject=subject))
    if target_date is None and not _has_date(clean, kind):
        findings.append(finding("no_date", kind, subject=subject))
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
        findings.append(finding("no_owner", GOAL, subject=goal))
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
        findings.append(finding("no_owner", ACTION, subject=action))
    return findings
