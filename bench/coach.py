"""Benchmark: the plan coach on its labelled corpora.

Runs every sentence of tests/data/coach_corpus.yaml and of tests/planning/coach/corpus.yaml
(each half of the latter on its own: "train", the sentences the rules were generalised against,
and "heldout", sentences they were never tuned on) through `coach_text` and prints, per text
rule, precision (of the times it fired, how often the label expected it) and recall (of the
times the label expected it, how often it fired), then how many good examples (labelled without
findings) got a finding anyway, and the time per sentence. Exits 1 when a good example of the
first corpus gets a finding: that corpus is pinned exactly. Needs no database.
"""

import os
import sys
import time

import yaml
from _setup import ROOT

CORPORA = (
    ROOT / "tests" / "data" / "coach_corpus.yaml",
    ROOT / "tests" / "planning" / "coach" / "corpus.yaml",
)


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stelsel.settings")
    import django

    django.setup()
    from stelsel.planning.coach.evaluation import score

    failed = False
    for path in CORPORA:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        splits = sorted({e.get("split", "") for e in entries})
        for split in splits:
            part = [e for e in entries if e.get("split", "") == split]
            start = time.perf_counter()
            result = score(part)
            elapsed = time.perf_counter() - start
            name = path.relative_to(ROOT).as_posix() + (f" [{split}]" if split else "")
            good = [e for e in part if not e["expect"]]
            flagged = [(e, got) for e, got in result.wrong if not e["expect"]]
            print(f"Plan coach on {len(part)} labelled sentences ({name})")
            print(result.table())
            print(f"good examples with a finding: {len(flagged)} of {len(good)}")
            for entry, got in flagged:
                print(f"  {entry['text']!r} {got}")
            print(f"wrong: {len(result.wrong)} of {len(part)}")
            print(f"time per sentence: {elapsed / len(part) * 1000:.2f} ms\n")
            failed = failed or (path == CORPORA[0] and bool(flagged))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
