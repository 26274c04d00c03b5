"""Figures per document format: the format a doc id names, the grouping and its counts, questions
set aside when their evidence is not in the index, and `citeqa eval --skip-missing` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from citeqa.eval.cli import eval_command
from citeqa.eval.metrics import FormatCase, Judged, by_format, doc_format
from citeqa.eval.qaset import QASetError, load_set

T, F = True, False


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        ("libtasn1.pdf", "pdf"),
        ("debian-faq-support.en.html", "html"),  # a language tag before the suffix
        ("iso-codes-README.md.gz", "md.gz"),  # compressed: the suffix inside is kept
        ("sub/folder/Slides.PPTX", "pptx"),
        ("README", "(none)"),
    ],
)
def test_doc_format_is_the_suffix(doc_id: str, expected: str) -> None:
    assert doc_format(doc_id) == expected


def _case(fmt: str, ranks: list[bool], abstained: bool = False, **kw: object) -> FormatCase:
    cover = np.array([[r] for r in ranks], dtype=bool)
    judged = Judged("named", True, abstained, cover, None, 1.0)
    return FormatCase(fmt, judged, kw.get("light"), kw.get("short"))  # type: ignore[arg-type]


def test_by_format_groups_and_counts_each_format_apart() -> None:
    cases = [
        _case("pdf", [T, F, F], light=True, short=("1991", ["1991"])),
        _case("pdf", [F, F, F, F, F, T], abstained=True, light=None, short=(None, ["x"])),
        _case("html", [F, T], light=False),
    ]
    figures = by_format(cases, {"pptx": 2, "pdf": 1}, k=10)
    assert list(figures) == ["html", "pdf", "pptx"]  # a format with only missing questions too
    pdf = figures["pdf"]
    assert (pdf["questions"], pdf["missing"]) == (2, 1)
    assert pdf["hit@5"] == 0.5  # rank 1 and rank 6
    assert pdf["mrr@10"] == pytest.approx((1 + 1 / 6) / 2)
    assert pdf["false_abstention"] == 0.5
    assert pdf["highlight"] == {"asked": 1, "holds_answer": 1}
    assert pdf["short_answer"] == {"asked": 2, "given": 1, "holds_answer": 1}
    html = figures["html"]
    assert (html["hit@5"], html["mrr@10"], html["missing"]) == (1.0, 0.5, 0)
    assert html["highlight"] == {"asked": 1, "holds_answer": 0}
    assert figures["pptx"] == {
        "questions": 0, "missing": 2, "hit@5": None, "mrr@10": None, "false_abstention": None,
        "highlight": {"asked": 0, "holds_answer": 0},
        "short_answer": {"asked": 0, "given": 0, "holds_answer": 0},
    }  # fmt: skip


def test_by_format_caps_the_cut_offs_at_k() -> None:
    figures = by_format([_case("txt", [F, F, T])], {}, k=3)
    assert figures["txt"]["hit@3"] == 1.0 and figures["txt"]["mrr@3"] == pytest.approx(1 / 3)


DOCS = {"a.pdf": "Page one has text. The second page was scanned.", "b.txt": "Plain words."}


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _row(qid: str, doc: str | None, quote: str = "") -> dict:
    evidence = [{"doc": doc, "quote": quote}] if doc else []
    return {"id": qid, "question": "?", "answers": ["x"] if doc else [], "evidence": evidence}


def test_skip_missing_sets_aside_what_the_index_does_not_hold(tmp_path: Path) -> None:
    path = _write(tmp_path / "set.jsonl", [
        _row("ok", "a.pdf", "Page one has text."),
        _row("slides", "deck.pptx", "a slide"),  # a format the index does not read
        _row("scan", "a.pdf", "only on the scanned page"),  # the document is there, the quote not
        _row("none", None),
    ])  # fmt: skip
    with pytest.raises(QASetError) as err:
        load_set(path, DOCS, DOCS.__getitem__)
    assert len(err.value.problems) == 2
    qaset = load_set(path, DOCS, DOCS.__getitem__, skip_missing=True)
    assert [item.id for item in qaset.items] == ["ok", "none"]
    assert [(s.item.id, s.reason) for s in qaset.skipped] == [
        ("slides", "document"),
        ("scan", "quote"),
    ]


def test_skip_missing_keeps_evidence_that_is_found_beside_evidence_that_is_not(
    tmp_path: Path,
) -> None:
    row = _row("two", "deck.pptx", "a slide")
    row["evidence"].append({"doc": "b.txt", "quote": "Plain words."})
    qaset = load_set(_write(tmp_path / "s.jsonl", [row]), DOCS, DOCS.__getitem__, True)
    assert [ev.doc for ev in qaset.items[0].evidence] == ["b.txt"] and not qaset.skipped


def test_a_set_with_nothing_left_to_ask_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.jsonl", [_row("slides", "deck.pptx", "a slide")])
    with pytest.raises(QASetError, match="every one's evidence is missing"):
        load_set(path, DOCS, DOCS.__getitem__, skip_missing=True)


SHIPPED_PDF = "asean-secretariat-overview-asean-rok-csp.pdf"
SHIPPED_TXT = "aseanfocus-2025-interview-ambassador-lee.txt"


def test_eval_reports_each_format_and_what_was_left_out(shipped_home: Path, tmp_path: Path) -> None:
    rows = [
        {"id": "pdf1", "kind": "date", "question": "When did South Korea become a full dialogue "
         "partner of ASEAN?", "answers": ["1991"], "evidence": [{"doc": SHIPPED_PDF, "quote":
         "The ROK was accorded a full Dialogue Partner status by ASEAN at the 24th ASEAN "
         "Ministerial Meeting (AMM) in July 1991 in Kuala Lumpur."}]},
        {"id": "txt1", "kind": "named", "question": "What is the full name of the annual FLY "
         "programme run by ASEAN and Korea?", "answers": ["ASEAN-Korea Film Leaders Incubator"],
         "evidence": [{"doc": SHIPPED_TXT, "quote": "the ASEAN-Korea Film Leaders Incubator "
                       "Programme"}]},
        {"id": "deck", "kind": "named", "question": "Which slide names the partnership?",
         "answers": ["CSP"], "evidence": [{"doc": "briefing.pptx", "quote": "CSP"}]},
        {"id": "scan", "kind": "named", "question": "What does the scanned annex list?",
         "answers": ["annex"], "evidence": [{"doc": SHIPPED_PDF, "quote": "not on any page"}]},
        {"id": "una", "kind": "swapped-entity", "question": "Who is Brazil's ambassador to "
         "ASEAN?", "answers": [], "evidence": []},
    ]  # fmt: skip
    path = _write(tmp_path / "set.jsonl", rows)
    env = {"CITEQA_HOME": str(shipped_home)}
    refused = CliRunner().invoke(eval_command, [str(path), "--check"], env=env)
    assert refused.exit_code == 1 and "2 problems" in refused.output

    out = tmp_path / "out"
    result = CliRunner().invoke(eval_command, [str(path), "--skip-missing", "--out", str(out)],
                                env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["settings"]["questions"] == 3
    formats = metrics["by_format"]
    assert list(formats) == ["pdf", "pptx", "txt"]
    assert (formats["pdf"]["questions"], formats["pdf"]["missing"]) == (1, 1)
    assert (formats["pptx"]["questions"], formats["pptx"]["missing"]) == (0, 1)
    assert (formats["txt"]["questions"], formats["txt"]["missing"]) == (1, 0)
    assert formats["pdf"]["hit@5"] == 1.0 and formats["txt"]["hit@5"] == 1.0
    assert {(s["id"], s["reason"]) for s in metrics["skipped"]} == {
        ("deck", "document"),
        ("scan", "quote"),
    }
    assert [q["format"] for q in metrics["per_question"]] == ["pdf", "txt", None]
    report = (out / "report.md").read_text()
    assert "## By document format" in report and "| pptx | 0 | 1 |" in report
    assert "briefing.pptx" in report and "scan" in report
    assert "by the format of the evidence document" in result.stdout
