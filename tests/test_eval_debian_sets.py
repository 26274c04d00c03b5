"""The Debian sets: both parse, every evidence document is a file of the Debian corpus, the two
halves are the split of their pool, and every format has questions (cheap: no index, no model);
and, slow, every quote in a file citeqa reads is verbatim in the text it extracts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from citeqa.corpus.loading import DocumentError, UnsupportedType, load_document, load_file
from citeqa.corpus.records import Document
from citeqa.eval.metrics import doc_format
from citeqa.eval.qaset import QAItem, load_set, parse_set
from citeqa.eval.split import shares_a_fact, split_ids

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "eval" / "sets"
CORPUS = ROOT / "eval" / "corpora" / "debian" / "documents"
DEV, TEST = SETS / "debian-dev.jsonl", SETS / "debian-test.jsonl"
# Written later, for tuning only, by reading the documents: not part of the split pool.
DEV2 = SETS / "debian-dev2.jsonl"
# Written from the documents' text by someone who read no other set; may repeat the dev sets.
DEV3 = SETS / "debian-dev3.jsonl"
DEV4 = SETS / "debian-dev4.jsonl"  # the same, by another writer
DEV5 = SETS / "debian-dev5.jsonl"  # the same, by a third
DEV6 = SETS / "debian-dev6.jsonl"  # the same, by a fourth, asked for hard look-alikes
DEV7 = SETS / "debian-dev7.jsonl"  # the same, by a fifth
DEV8 = SETS / "debian-dev8.jsonl"  # the same, by a sixth
DEV9 = SETS / "debian-dev9.jsonl"  # the same, by a seventh, asked in a casual style
DEV10 = SETS / "debian-dev10.jsonl"  # the same, by an eighth, in three styles
DEV11 = SETS / "debian-dev11.jsonl"  # the same, by a ninth
DEV12 = SETS / "debian-dev12.jsonl"  # answerable questions only, by a tenth, to count refusals
DEV13 = SETS / "debian-dev13.jsonl"  # written apart like DEV11, by an eleventh
DEV14 = SETS / "debian-dev14.jsonl"  # the same, by a twelfth and a thirteenth
DEV15 = SETS / "debian-dev15.jsonl"  # the same, by a fourteenth and a fifteenth
DEV16 = SETS / "debian-dev16.jsonl"  # the same, by a sixteenth and a seventeenth
DEV17 = SETS / "debian-dev17.jsonl"  # the same, by an eighteenth and a nineteenth
WRITTEN_APART = [
    DEV3,
    DEV4,
    DEV5,
    DEV6,
    DEV7,
    DEV8,
    DEV9,
    DEV10,
    DEV11,
    DEV12,
    DEV13,
    DEV14,
    DEV15,
    DEV16,
    DEV17,
]
FORMATS = {"html", "pdf", "md", "md.gz", "txt", "docx", "epub", "pptx", "xlsx", "csv", "eml"}


def _pool() -> list[QAItem]:
    return parse_set(DEV) + parse_set(TEST)


def test_every_evidence_document_is_in_the_corpus() -> None:
    files = {p.name for p in CORPUS.iterdir()}
    used = {ev.doc for item in _pool() for ev in item.evidence}
    assert used - files == set()
    assert files - used == set(), "a corpus file no question asks about"


def test_dev_and_test_are_the_seeded_split_of_their_pool() -> None:
    dev, test = parse_set(DEV), parse_set(TEST)
    assert not {i.id for i in dev} & {i.id for i in test}
    assert split_ids(sorted(_pool(), key=lambda i: i.id)) == {i.id for i in dev}
    assert 0.3 < len(dev) / (len(dev) + len(test)) < 0.45


def test_each_format_has_answerable_questions_and_unanswerable_ones_are_many() -> None:
    items = _pool()
    per_format = Counter(doc_format(i.evidence[0].doc) for i in items if i.answerable)
    assert set(per_format) == FORMATS and min(per_format.values()) >= 6
    assert sum(per_format.values()) >= 80
    unanswerable = [i for i in items if not i.answerable]
    assert len(unanswerable) >= 40 and all(i.kind for i in unanswerable)
    kinds = Counter(i.kind for i in items)
    assert kinds["location"] + kinds["person"] >= 15
    assert len({i.question for i in items}) == len(items)  # no question asked twice


def test_the_second_dev_set_shares_no_fact_with_the_pool() -> None:
    """Tuning may read it, so it asks nothing the held-out half asks: no question, evidence
    quote or (document, answer) of the pool again."""
    second, pool = parse_set(DEV2), _pool()
    assert len(second) >= 50 and sum(not i.answerable for i in second) >= 8
    assert {ev.doc for item in second for ev in item.evidence} <= {p.name for p in CORPUS.iterdir()}
    assert not {i.id for i in second} & {i.id for i in pool}
    assert not {i.question for i in second} & {i.question for i in pool}
    quotes = {(ev.doc, ev.quote) for item in pool for ev in item.evidence}
    assert not {(ev.doc, ev.quote) for item in second for ev in item.evidence} & quotes
    facts = {(ev.doc, a.lower()) for i in pool for ev in i.evidence for a in i.answers}
    assert not {(ev.doc, a.lower()) for i in second for ev in i.evidence for a in i.answers} & facts


@pytest.mark.parametrize(
    "path",
    WRITTEN_APART,
    ids=lambda p: p.stem,
)
def test_a_written_apart_dev_set_shares_no_fact_with_the_test_set(path: Path) -> None:
    """It may repeat what the other dev sets ask, never what the held-out set asks."""
    third, test = parse_set(path), parse_set(TEST)
    assert len(third) >= 40 and (sum(not i.answerable for i in third) >= 15 or path == DEV12)
    assert {ev.doc for item in third for ev in item.evidence} <= {p.name for p in CORPUS.iterdir()}
    assert not {i.id for i in third} & ({i.id for i in test} | {i.id for i in parse_set(DEV2)})
    assert not [(a.id, b.id) for a in third for b in test if shares_a_fact(a, b)]


# Questions on the scanned pages of maint-guide-mixed.pdf: their quotes come from OCR, so a loader
# that reads only the text layer has the document but not these quotes.
SCANNED_PAGE_QUESTIONS = {"deb012", "deb013", "deb014"}


@pytest.mark.slow  # OCR of the scanned pages
def test_every_quote_citeqa_can_read_is_verbatim() -> None:
    """Every file read as an ingest reads it (load_file: the text the index stores and
    GET /documents/{id} serves): a question may be set aside only for a file the loader cannot
    read or a scanned page; any other quote must be verbatim in citeqa's text, so a new format's
    loader has its questions checked here."""
    texts = {}
    for path in sorted(CORPUS.iterdir()):
        loaded = load_file(path, path.name)
        if isinstance(loaded, Document):
            texts[path.name] = loaded.text
    for path in (DEV, DEV2, *WRITTEN_APART, TEST):
        qaset = load_set(path, texts, texts.__getitem__, skip_missing=True)
        for skipped in qaset.skipped:
            doc = skipped.item.evidence[0].doc
            if skipped.reason == "quote":
                assert skipped.item.id in SCANNED_PAGE_QUESTIONS, (skipped.item.id, doc)
                continue
            with pytest.raises((UnsupportedType, DocumentError)):
                load_document(CORPUS / doc)
