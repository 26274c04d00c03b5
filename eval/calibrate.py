"""Calibrating the abstention rule (index/abstain.py) on labelled QA sets.

    python -m citeqa.eval.calibrate eval/sets/asean-dev.jsonl eval/sets/asean-dev2.jsonl

Each question is searched once (the service's own search, on the index in CITEQA_HOME); then
every setting of the grid (passages looked at x topic coverage x sentence cosine) judges the same
passages. Prints, per setting, the unanswerable questions caught and the answerable ones
abstained on, pooled over the sets and per set, and the setting that catches the most with false
abstentions at most `--max-false` of the answerable questions of every set (not only pooled: a
rule must not buy its catches with one set's false abstentions). Nothing is written or changed:
the chosen figures go into abstain.py by hand, with this command's output in docs/abstention.md.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

import click

from citeqa.index.answer.abstain import (
    ANSWER_PASSAGES,
    above_floor,
    abstention_inputs,
    answer_strength,
    judged_passages,
    name_stems,
    scene_stems,
    topic_weights,
)
from citeqa.index.answer.coverage import uncovered
from citeqa.index.answer.question_types import uncontracted
from citeqa.index.retrieval import search
from citeqa.service.engine import Engine, check_question
from citeqa.service.settings import Settings

from .qaset import load_set

PASSAGES = (1, 3, 5)
COVERAGES = (0.1, 0.2, 0.3, 0.4, 0.5)
COSINES = (0.5, 0.55, 0.56, 0.57, 0.58, 0.59, 0.6, 0.62, 0.65, 0.7, 0.75, math.inf)

Sentences = list[tuple[str, AbstractSet[str], float]]


@dataclass
class Judgeable:
    """What the rule needs of one question's search, computed once."""

    set_name: str
    answerable: bool
    question: str
    topic_stems: set[str]
    weights: dict[str, float]
    passages: list[Sentences]  # the best passages, each its sentences (text, stems, cosine)
    names: list[AbstractSet[str]]  # the stems of each name the question uses
    # False when the service, at its own settings, finds the value a typed question asks for in
    # its passages but not in the sentence it would show: it abstains whatever the grid says
    value_shown: bool
    scene: frozenset[str] = frozenset()  # the topic's stems only a scene before the question holds
    cards: tuple[str, ...] = ()  # each passage's document card, read as the service reads it
    trails: tuple[str, ...] = ()  # the headings each passage stands under


def collect(engine: Engine, paths: list[Path]) -> list[Judgeable]:
    """Search every question of the sets once, as `Engine.ask` does at the service's default k
    (the question normalised, at least ANSWER_PASSAGES passages, the cosine floor applied over
    them before the rule)."""
    index = engine.index()
    ids = list(index.documents)
    out = []
    for path in paths:
        for item in load_set(path, ids, lambda d: index.documents[d].text).items:
            question, k = check_question(engine.settings, item.question, None)
            hits = search(index, engine.query_encoder, question, max(k, ANSWER_PASSAGES))
            stems, weights = topic_weights(question, index.keyword)
            texts, sentences, cards, trails = abstention_inputs(hits, index.documents)
            passages = (
                judged_passages(texts, index.keyword, sentences, cards)
                if above_floor(hits, engine.settings.min_answer_score)
                and not uncovered(question, texts + cards)
                else []  # abstains whatever the rule says: no sentence can answer
            )
            reading = uncontracted(question)
            rule = any(s is not None for s in engine.answer_strengths(index, reading, hits))
            _, shown = engine.verdict(index, reading, hits)
            out.append(
                Judgeable(
                    str(path),
                    bool(item.evidence),
                    question,
                    stems,
                    weights,
                    passages,
                    name_stems(question, index.keyword),
                    shown or not rule,
                    scene_stems(question, index.keyword),
                    tuple(cards),
                    tuple(trails),
                )
            )
    return out


def abstains(q: Judgeable, passages: int, coverage: float, cosine: float) -> bool:
    if not q.passages or not q.value_shown:
        return True  # nothing found, nothing above the cosine floor, or no value shown
    # each passage under its own document's card and headings, as the service judges it
    return all(
        answer_strength(
            q.question,
            q.topic_stems,
            q.weights,
            [passage],
            coverage,
            cosine,
            q.names,
            q.cards[i] if i < len(q.cards) else "",
            scene=q.scene,
            trail=q.trails[i] if i < len(q.trails) else "",
        )
        is None
        for i, passage in enumerate(q.passages[:passages])
    )


@click.command()
@click.argument("sets", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--max-false", default=0.05, show_default=True, help="Allowed false abstentions.")
def main(sets: tuple[Path, ...], max_false: float) -> None:
    engine = Engine(Settings())
    questions = collect(engine, list(sets))
    names = sorted({q.set_name for q in questions})
    answerable = [q for q in questions if q.answerable]
    unanswerable = [q for q in questions if not q.answerable]
    click.echo(
        f"{len(answerable)} answerable, {len(unanswerable)} unanswerable questions "
        f"({', '.join(names)}); index {engine.index().manifest.version}"
    )
    answerable_in = {name: sum(q.set_name == name for q in answerable) for name in names}
    rows = []
    for n, cov, cos in itertools.product(PASSAGES, COVERAGES, COSINES):
        caught = [q for q in unanswerable if abstains(q, n, cov, cos)]
        false = [q for q in answerable if abstains(q, n, cov, cos)]
        per_set = "  ".join(
            f"{name}: {sum(q.set_name == name for q in caught)}/"
            f"{sum(q.set_name == name for q in unanswerable)} caught, "
            f"{sum(q.set_name == name for q in false)}/"
            f"{sum(q.set_name == name for q in answerable)} false"
            for name in names
        )
        worst = (
            max(
                sum(q.set_name == name for q in false) / answerable_in[name]
                for name in names
                if answerable_in[name]
            )
            if answerable
            else 0.0
        )
        rows.append((n, cov, cos, len(caught), len(false), worst))
        click.echo(
            f"passages {n} coverage {cov:.1f} cosine {cos:<4}: {len(caught):3d} caught, "
            f"{len(false):3d} false   {per_set}"
        )
    allowed = [r for r in rows if r[5] <= max_false]
    if allowed:
        n, cov, cos, caught_n, false_n, _ = max(allowed, key=lambda r: (r[3], -r[4]))
        click.echo(
            f"best with false <= {max_false:.0%} on every set: passages {n}, coverage {cov}, "
            f"cosine {cos}: {caught_n}/{len(unanswerable)} caught, "
            f"{false_n}/{len(answerable)} false"
        )


if __name__ == "__main__":
    main()
