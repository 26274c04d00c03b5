"""Split a QA set into a development and a held-out test set, stratified by document.

    python -m citeqa.eval.split ALL.jsonl --dev eval/sets/x-dev.jsonl --test eval/sets/x-test.jsonl

Answerable questions are grouped by their first evidence document and unanswerable ones by
`kind`; each group is shuffled with the fixed seed and its first `round(share * n)` questions go
to the development set, so every document keeps questions on both sides. The same input, seed
and share always give the same split; lines are written in id order.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import defaultdict
from pathlib import Path

from .qaset import QAItem, parse_set

SEED = 20261203
DEV_SHARE = 0.4


def stratum(item: QAItem) -> str:
    """The group an item is split within: its first evidence document, else its kind."""
    if item.evidence:
        return "doc:" + item.evidence[0].doc
    return "kind:" + (item.kind or "")


# Words that ask rather than say what is asked about: left out when comparing questions.
_ASKING_WORDS = frozenset("the a an of is what which in does do i how to for and by on it".split())
SIMILAR_WORDS = 0.3  # share of two questions' words in common that makes them one question


def shares_a_fact(item: QAItem, other: QAItem) -> bool:
    """Whether `item` asks what `other` asks: the same evidence quote, the same answer from the
    same document, or SIMILAR_WORDS of their question words in common (a paraphrase of an
    unanswerable question). A set that tuning reads must share none with a held-out one."""
    quotes = {(ev.doc, ev.quote) for ev in other.evidence}
    if {(ev.doc, ev.quote) for ev in item.evidence} & quotes:
        return True
    facts = {(ev.doc, a.lower()) for ev in other.evidence for a in other.answers}
    if {(ev.doc, a.lower()) for ev in item.evidence for a in item.answers} & facts:
        return True
    mine, theirs = _question_words(item.question), _question_words(other.question)
    return len(mine & theirs) >= SIMILAR_WORDS * len(mine | theirs)


def _question_words(question: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", question.lower())) - _ASKING_WORDS


def split_ids(items: list[QAItem], seed: int = SEED, share: float = DEV_SHARE) -> set[str]:
    """The ids that go to the development set."""
    groups: dict[str, list[str]] = defaultdict(list)
    for item in items:
        groups[stratum(item)].append(item.id)
    rng = random.Random(seed)
    dev: set[str] = set()
    for name in sorted(groups):  # sorted: the draw does not depend on the input's order
        ids = sorted(groups[name])
        rng.shuffle(ids)
        dev.update(ids[: round(share * len(ids))])
    return dev


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", type=Path, help="QA set(s) to pool and split")
    parser.add_argument("--dev", type=Path, required=True)
    parser.add_argument("--test", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--share", type=float, default=DEV_SHARE, help="share for --dev")
    args = parser.parse_args(argv)
    lines: dict[str, str] = {}
    items: list[QAItem] = []
    for path in args.sets:
        raw = path.read_text(encoding="utf-8").splitlines()
        for item in parse_set(path):
            items.append(item)
            lines[item.id] = raw[item.line - 1]
    items.sort(key=lambda item: item.id)  # pooled dev + test sets give back the same split
    dev = split_ids(items, args.seed, args.share)
    for path, keep in ((args.dev, True), (args.test, False)):
        chosen = [lines[item.id] for item in items if (item.id in dev) == keep]
        path.write_text("\n".join(chosen) + "\n", encoding="utf-8")
        print(f"{path}: {len(chosen)} questions")


if __name__ == "__main__":
    main()
