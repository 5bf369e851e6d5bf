"""Benchmark: a report's text on hostile input.

People paste into report sections whatever they have; a Markdown parser with a quadratic corner
would let one section stall every page and export that renders it. Times the HTML and the
plain-text rendering of pathological inputs (deep lists, nested quotes, open brackets and
emphasis, …) at half and at the full section limit and prints, per input, the time at the limit
and how time grows when the input doubles: about 2× is linear, 4× quadratic. Exits 1 when an
input grows worse than 3× or takes more than a second at the limit. Needs no database.
"""

import os
import sys
import time

from _setup import ROOT

INPUTS = {
    "empty list items": lambda n: "-\n" * (n // 2),
    "list items": lambda n: "- x\n" * (n // 4),
    "nested quotes": lambda n: "> " * (n // 2),
    "nested lists": lambda n: "".join("  " * i + "- a\n" for i in range(min(140, n // 100))),
    "numbered": lambda n: "1. " * (n // 3),
    "open brackets": lambda n: "[" * n,
    "open emphasis": lambda n: "*a" * (n // 2),
    "open backticks": lambda n: "`a" * (n // 2),
    "angles": lambda n: "<" * n,
    "references": lambda n: "[a]: http://x\n" * (n // 28) + "[a]" * (n // 200),
    "hashes": lambda n: "#" * n,
}
REPEATS = 3


def _best(render, plain, text: str) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        str(render(text))
        plain(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stelsel.settings")
    import django

    django.setup()
    from stelsel.reports.text import TEXT_LIMIT, plain, render

    print(f"Report text on hostile input, at {TEXT_LIMIT:,} characters and at half")
    print(f"{'input':<18} {'chars':>7} {'s at limit':>11} {'× on doubling':>14}")
    failed = False
    for name, make in INPUTS.items():
        half = make(TEXT_LIMIT // 2)[: TEXT_LIMIT // 2]
        full = make(TEXT_LIMIT)[:TEXT_LIMIT]
        at_half = _best(render, plain, half)
        at_full = _best(render, plain, full)
        growth = at_full / at_half if at_half > 0 else 1.0
        print(f"{name:<18} {len(full):>7} {at_full:>11.3f} {growth:>14.1f}")
        if (growth > 3 and at_full > 0.05) or at_full > 1:
            failed = True
    if failed:
        print("FAIL: an input grows worse than linearly or is slow at the limit")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
