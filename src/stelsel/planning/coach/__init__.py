"""The plan coach: rule-based findings on goals, actions and whole plans, each explained and with
a suggestion (DOMAIN §6: results for pupils, a number and a date, no try-language, few themes).

The rules read Dutch text, because plans are written in Dutch; the messages are translatable
(English msgids, Dutch from the catalogue). They are deliberately simple patterns, not language
understanding: each rule looks for a few signals that writers of school plans actually use, and
`tests/data/coach_corpus.yaml` pins what they must and must not find. Whatever the rules miss,
a false alarm on a good goal costs more (people stop reading the coach), so every rule prefers
to stay silent when in doubt.

The package: `patterns` holds the Dutch words and regular expressions the rules look for,
`rules` the rules on a text and the entry points `coach_text` (a line of text, also used by the
`coach` command), `coach_goal` and `coach_action` (a stored goal or action, whose fields can
satisfy what the text lacks); `review` holds `coach_plan` (a review of a whole plan in a fixed
number of queries); `findings` what a finding says, in which words.

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
