"""Segments in the text format of before the memory-mapped text store, made inside the tests."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

from citeqa.index.keyword import KeywordIndex
from citeqa.index.segment import SEGMENT_FILE
from citeqa.index.textstore import TEXT_FILES, TextStore


def make_legacy(segment: Path) -> None:
    """Rewrite the texts of the segment folder `segment` as the citeqa before the text store
    wrote them: documents.jsonl (one document a line, with its text) and passages.jsonl (one
    passage a line, in vector order, without its text); segment.json without "texts"."""
    texts = TextStore.open(segment)
    docs = [texts.document(row).load() for row, _, _, _ in texts.spans()]
    passages = [texts.passage(row) for row in range(texts.rows)]
    del texts  # unmaps texts.bin before it is removed
    with (segment / "documents.jsonl").open("w", encoding="utf-8") as f:
        f.writelines(json.dumps(asdict(d), ensure_ascii=False) + "\n" for d in docs)
    with (segment / "passages.jsonl").open("w", encoding="utf-8") as f:
        for p in passages:
            row = {k: v for k, v in asdict(p).items() if k != "text"}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    for name in TEXT_FILES:
        (segment / name).unlink()
    meta_file = segment / SEGMENT_FILE
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        meta.pop("texts")
        meta_file.write_text(json.dumps(meta))


def make_cardless(segment: Path) -> None:
    """Rewrite the keyword index of the segment folder `segment` as citeqa wrote it before
    2026-12-02: BM25 over the passages alone, and segment.json without "keyword"."""
    texts = TextStore.open(segment)
    plain = [texts.passage(row).text for row in range(texts.rows)]
    del texts
    shutil.rmtree(segment / "keyword")
    KeywordIndex.build(plain).save(segment / "keyword")
    meta = json.loads((segment / SEGMENT_FILE).read_text())
    del meta["keyword"]
    (segment / SEGMENT_FILE).write_text(json.dumps(meta))
