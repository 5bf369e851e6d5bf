"""The plan coach: rule-based findings on goals, actions and whole plans, each explained and with
a suggestion (DOMAIN §6: results for pupils, a number and a date, no try-language, few themes).

The rules read Dutch text, because plans are written in Dutch (and the common English
phrasings); the messages are translatable (English msgids, Dutch from the catalogue). They are
deliberately simple patterns, not language understanding: each rule looks for a few signals
that writers of school plans actually use, and two labelled corpora pin what they must and must
not find: `tests/data/coach_corpus.yaml` and `tests/planning/coach/corpus.yaml`, the latter with
a held-out half that the rules were never tuned on. Whatever the rules miss, a false alarm on a
good goal costs more (people stop reading the coach), so every rule prefers to stay silent when
in doubt.

The package: `patterns` holds the Dutch words and regular expressions the rules look for,
`rules` the rules on a text and the entry points `coach_text` (a line of text, also used by the
`coach` command), `coach_goal` and `coach_action` (a stored goal or action, whose fields can
satisfy what the text lacks); `review` holds `coach_plan` (a review of a whole plan in a fixed
number of queries); `findings` what a finding says, in which words; `evaluation` scores the
rules against labelled sentences (per rule precision and recall) for the tests and the benchmark.

Decisions a writer notices:
- Who does what decides between a result and an action: pupils, parents, schools or groups
  reaching a state ("scoren alle scholen boven de signaleringswaarde", "heeft elke leerling een
  eigen leerdoel") is a result; staff or the organisation doing organising work ("we
  implementeren", "het team volgt een scholing", "er wordt ... ingezet", "invoeren van") is an
  action, also in the passive ("de ouders worden geïnformeerd") and also when pupils are only
  where it happens ("in alle groepen").
- All of a countable group ("alle/elke/iedere leerling(en)", "al onze scholen", "every pupil")
  is a target (100%) in a result when what they reach can be checked: a reference level,
  "voldoende", "veilig", a diploma, or any state that is not vague. "Alle leerlingen
  ontwikkelen zich optimaal", "lezen met meer plezier" or "hebben een goede woordenschat" set
  no target; "elke leerling heeft een eigen leerdoel voor rekenen" does. In a goal that reads
  as an action "alle leerkrachten" says who does the work, not what it yields: no target.
  "Geen"/"niemand" (zero) and a comparison with a named reference value (the
  signaleringswaarde, the national average, the average of comparable schools) count too.
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
