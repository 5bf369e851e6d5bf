"""Benchmark: the plan coach on the labelled corpus (tests/data/coach_corpus.yaml).

Runs every sentence through `coach_text` and prints, per text rule, precision (of the times it
fired, how often the label expected it) and recall (of the times the label expected it, how often
it fired), then how many good examples (labelled without findings) got a finding anyway, which
must be zero, and the time per sentence. Needs no database.
"""

import os
import sys
import time
from collections import Counter

import yaml
from _setup import ROOT

CORPUS = ROOT / "tests" / "data" / "coach_corpus.yaml"


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stelsel.settings")
    import django

    django.setup()
    from django.utils import translation

    from stelsel.planning.coach.findings import TEXT_RULES
    from stelsel.planning.coach.rules import coach_text

    entries = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    fired, expected, hits = Counter(), Counter(), Counter()
    good = good_flagged = 0
    start = time.perf_counter()
    with translation.override("en"):
        for entry in entries:
            got = {f.rule for f in coach_text(entry["text"], kind=entry["kind"])}
            want = set(entry["expect"])
            fired.update(got)
            expected.update(want)
            hits.update(got & want)
            if not want:
                good += 1
                good_flagged += bool(got)
                if got:
                    print(f"  good example with a finding: {entry['text']!r} {sorted(got)}")
    elapsed = time.perf_counter() - start

    print(f"Plan coach on {len(entries)} labelled sentences ({CORPUS.name})")
    print(f"{'rule':<16} {'labelled':>8} {'fired':>6} {'precision':>10} {'recall':>7}")
    for rule in TEXT_RULES:
        precision = hits[rule] / fired[rule] if fired[rule] else 1.0
        recall = hits[rule] / expected[rule] if expected[rule] else 1.0
        print(f"{rule:<16} {expected[rule]:>8} {fired[rule]:>6} {precision:>10.1%} {recall:>7.1%}")
    print(f"good examples with a finding: {good_flagged} of {good}")
    print(f"time per sentence: {elapsed / len(entries) * 1000:.2f} ms")
    return 1 if good_flagged else 0


if __name__ == "__main__":
    sys.exit(main())
