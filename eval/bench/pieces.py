"""The word pieces an ingest embeds against those the floor reads, tenth by tenth of one file.

    python -m citeqa.eval.bench.pieces FILE [--parts 10]

The floor (`make bench-ingest`) encodes every passage whole, cut at the model's 256 pieces; an
ingest encodes each distinct sentence once (a sentence seen in an earlier tenth is not counted
again, as the sentence cache does while it has room). Prints, per tenth: passages, the floor's
pieces and the share of passages it cuts, new distinct sentences and their pieces. Nothing is
embedded: the tokenizer alone, a minute for 50 MB.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import click
import numpy as np
from tokenizers import Tokenizer

from citeqa.corpus import ChunkSettings, chunk_document, load_document
from citeqa.index.encoder.base import DEFAULT_MODEL, resolve_model_path
from citeqa.index.retrieval.sentences import passage_sentences


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--parts", default=10, show_default=True, help="Consecutive runs of passages.")
def main(file: Path, parts: int) -> None:
    passages = chunk_document(load_document(file), ChunkSettings())
    tokenizer = Tokenizer.from_file(str(resolve_model_path(DEFAULT_MODEL) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=256)
    seen: set[str] = set()
    totals = np.zeros(3, dtype=np.int64)  # floor pieces, distinct sentences, their pieces
    bounds = np.linspace(0, len(passages), parts + 1).astype(int)
    for k, (a, b) in enumerate(itertools.pairwise(bounds.tolist())):
        texts = [p.text for p in passages[a:b]]
        floor = np.array([len(e.ids) for e in tokenizer.encode_batch(texts)])
        new = []
        for text in texts:
            for start, end in passage_sentences(text):
                sentence = text[start:end]
                if sentence not in seen:
                    seen.add(sentence)
                    new.append(sentence)
        pieces = sum(len(e.ids) for e in tokenizer.encode_batch(new))
        totals += (int(floor.sum()), len(new), pieces)
        click.echo(
            f"part {k + 1}/{parts}: {b - a} passages, floor {floor.sum():,} pieces "
            f"({np.mean(floor >= 256):.0%} cut at 256); {len(new):,} new sentences, "
            f"{pieces:,} pieces"
        )
    click.echo(
        f"all: {len(passages):,} passages, floor {totals[0]:,} pieces; "
        f"{totals[1]:,} distinct sentences, {totals[2]:,} pieces ({totals[2] / totals[0]:.2f} ×)"
    )


if __name__ == "__main__":
    main()
