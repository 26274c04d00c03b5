"""Fitting the confidence model (index/answer/confidence.py) on labelled QA sets.

    python -m citeqa.eval.confidence eval/sets/asean-dev.jsonl eval/sets/asean-dev2.jsonl \\
        eval/sets/asean-hard-dev.jsonl eval/sets/asean-dev3.jsonl eval/sets/asean-dev4.jsonl \\
        eval/sets/asean-dev5.jsonl eval/sets/asean-dev6.jsonl eval/sets/asean-dev7.jsonl \\
        eval/sets/asean-dev8.jsonl eval/sets/asean-dev9.jsonl eval/sets/asean-dev10.jsonl \\
        eval/sets/asean-dev11.jsonl \\
        --in-home eval/sets/debian-dev.jsonl var/homes/debian \\
        --in-home eval/sets/debian-dev2.jsonl var/homes/debian \\
        --in-home eval/sets/debian-dev3.jsonl var/homes/debian \\
        --in-home eval/sets/debian-dev4.jsonl var/homes/debian \\
        --in-home eval/sets/debian-dev5.jsonl var/homes/debian \\
        --in-home eval/sets/debian-dev6.jsonl var/homes/debian \\
        --in-home eval/sets/debian-dev7.jsonl var/homes/debian \\
        --in-home eval/sets/debian-dev8.jsonl var/homes/debian \\
        --in-home eval/sets/debian-dev9.jsonl var/homes/debian \\
        --in-home eval/sets/debian-dev10.jsonl var/homes/debian \\
        --in-home eval/sets/debian-dev11.jsonl var/homes/debian

Each question is asked once as the service asks it (on the index in CITEQA_HOME); its signals
and whether it is answerable (it has evidence) make one row. A logistic regression is fitted by
Newton's method with a small ridge penalty (the sets are small, and a separable signal would
otherwise send its weight to infinity); the weights, the fit's expected calibration error and its
Brier score are printed. Nothing is written: the weights go into confidence.py by hand. Fit on the
dev sets only; the test set is for `citeqa eval` to measure.
"""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from citeqa.index.answer.confidence import SIGNALS, confidence, signals
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

from .metrics import calibration
from .qaset import load_set

RIDGE = 0.001  # per row: enough to keep weights finite, too little to move a real fit


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = RIDGE) -> tuple[np.ndarray, float]:
    """(weights float64[d], bias) of a logistic regression of y (0/1, [n]) on x ([n, d])."""
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    penalty = ridge * n * np.diag([1.0] * d + [0.0])  # the bias is not penalised
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-design @ beta))
        gradient = design.T @ (p - y) + penalty @ beta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return beta[:d], float(beta[d])


def collect(engine: Engine, paths: list[Path]) -> tuple[np.ndarray, np.ndarray, int]:
    """(signals float64[n, len(SIGNALS)], answerable float64[n], questions set aside) over the
    questions of `paths`. As `citeqa eval --skip-missing` does, a question whose evidence is not
    in the index (a format this build does not read, a scanned page OCR reads differently) is set
    aside and counted, not fatal."""
    index = engine.index()
    ids = list(index.documents)
    rows, labels, aside = [], [], 0
    for path in paths:
        qaset = load_set(path, ids, lambda d: index.documents[d].text, skip_missing=True)
        aside += len(qaset.skipped)
        for item in qaset.items:
            _, rule = engine.judge(item.question)
            rows.append(signals(rule))
            labels.append(float(bool(item.evidence)))
    return np.array(rows), np.array(labels), aside


@click.command()
@click.argument("sets", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--in-home",
    "elsewhere",
    multiple=True,
    type=(click.Path(exists=True, path_type=Path), click.Path(exists=True, path_type=Path)),
    help="SET HOME: a set over documents indexed in another home (the Debian sets).",
)
def main(sets: tuple[Path, ...], elsewhere: tuple[tuple[Path, Path], ...]) -> None:
    engine = Engine(Settings())
    by_home = [(engine, list(sets))] if sets else []
    by_home += [(Engine(Settings(home=home)), [path]) for path, home in elsewhere]
    if not by_home:
        raise click.UsageError("give at least one set")
    parts = [collect(e, paths) for e, paths in by_home]
    x, y = np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    aside = sum(p[2] for p in parts)
    sets = (*sets, *(path for path, _ in elsewhere))
    weights, bias = fit_logistic(x, y)
    probabilities = [confidence(row, weights, bias) for row in x]
    fit = calibration(probabilities, [bool(v) for v in y])
    click.echo(f"{len(y)} questions ({int(y.sum())} answerable) from {', '.join(map(str, sets))}")
    if aside:
        click.echo(f"{aside} questions set aside: their evidence is not in the index")
    click.echo(f"expected calibration error {fit['ece']:.3f}, Brier score {fit['brier']:.3f}")
    click.echo(f"SIGNALS = {SIGNALS}")
    click.echo(f"WEIGHTS = ({''.join(f'{w:.4f}, ' for w in weights).rstrip()})")
    click.echo(f"BIAS = {bias:.4f}")


if __name__ == "__main__":
    main()
