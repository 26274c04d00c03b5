"""The ASEAN QA sets stay valid against the documents as citeqa reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citeqa.corpus import load_corpus
from citeqa.eval.qaset import parse_set
from citeqa.eval.split import shares_a_fact
from citeqa.service.settings import SHIPPED_CORPUS

SETS = Path(__file__).resolve().parent.parent / "eval" / "sets"


# Each written from the documents by a writer who read none of the sets.
WRITTEN_APART = [f"asean-dev{n}.jsonl" for n in range(3, 18)]
# Written to count false abstentions: every question has its answer in the documents.
ANSWERABLE_ONLY = {"asean-dev12.jsonl"}


@pytest.mark.parametrize(
    "name",
    [
        "asean-dev.jsonl",
        "asean-dev2.jsonl",
        "asean-test.jsonl",
        "asean-hard-dev.jsonl",
        "asean-hard-test.jsonl",
        *WRITTEN_APART,
    ],
)
def test_every_evidence_quote_is_verbatim_in_its_document(name: str) -> None:
    texts = {d.id: d.text for d in load_corpus([SHIPPED_CORPUS])}
    items = [json.loads(line) for line in (SETS / name).read_text().splitlines()]
    assert len(items) >= 15
    assert len({item["id"] for item in items}) == len(items)
    unanswerable = 0
    for item in items:
        assert item["question"].strip()
        if not item["answers"]:
            assert not item["evidence"]
            unanswerable += 1
            continue
        for evidence in item["evidence"]:
            text = texts[evidence["doc"]]
            assert evidence["quote"] in text, (item["id"], evidence["quote"])
            at = text.index(evidence["quote"])
            end = text.find("\n\n", at)
            paragraph = text[text.rfind("\n\n", 0, at) + 1 : end if end >= 0 else len(text)]
            assert any(answer in paragraph for answer in item["answers"]), item["id"]
    assert unanswerable >= 10 or name in ANSWERABLE_ONLY


@pytest.mark.parametrize("name", WRITTEN_APART)
def test_a_written_apart_dev_set_shares_no_fact_with_the_test_sets(name: str) -> None:
    """Written from the documents by someone who read no other set, then cut to what neither
    held-out set asks: tuning may read it."""
    written = parse_set(SETS / name)
    held_out = parse_set(SETS / "asean-test.jsonl") + parse_set(SETS / "asean-hard-test.jsonl")
    assert not [(a.id, b.id) for a in written for b in held_out if shares_a_fact(a, b)]
