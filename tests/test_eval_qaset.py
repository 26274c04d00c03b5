"""The QA-set validator: every problem named with its line, gold spans found by the quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citeqa.eval.qaset import QASetError, Span, find_spans, load_set, parse_set
from citeqa.eval.run import InProcess, validate
from citeqa.service.engine import Engine

SHIPPED_SET = Path(__file__).resolve().parent.parent / "eval" / "sets" / "asean-dev.jsonl"
DOCS = {
    "a.txt": "Korea joined in 1991. It was 1991 again. The summit was in Jeju.",
    "b.md": "Nothing about dates.",
}


def _item(i: int, **fields: object) -> str:
    row = {
        "id": f"q{i}",
        "question": f"Question {i}?",
        "answers": ["1991"],
        "evidence": [{"doc": "a.txt", "quote": "Korea joined in 1991."}],
    }
    row.update(fields)
    return json.dumps({k: v for k, v in row.items() if v is not ...})


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _load(path: Path):  # type: ignore[no-untyped-def]
    return load_set(path, DOCS, DOCS.__getitem__)


def _problems(path: Path) -> list[str]:
    with pytest.raises(QASetError) as info:
        _load(path)
    return info.value.problems


def test_a_valid_set_loads_with_its_gold_spans(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _item(1, kind="date"),
        "",  # blank lines are allowed and keep the numbering
        _item(2, evidence=[{"doc": "a.txt", "quote": "1991"}, {"doc": "a.txt", "quote": "Jeju"}]),
        _item(3, answers=[], evidence=[], kind="unanswerable"),
    )
    qaset = _load(path)
    one, two, three = qaset.items
    assert (one.kind, one.line, one.answerable) == ("date", 1, True)
    assert one.evidence[0].spans == (Span("a.txt", 0, 21),)
    assert DOCS["a.txt"][0:21] == "Korea joined in 1991."
    assert two.line == 3 and [len(ev.spans) for ev in two.evidence] == [2, 1]  # both 1991s
    assert not three.answerable and three.kind == "unanswerable"
    assert qaset.kinds == ["date", "unanswerable"]


def test_find_spans_finds_every_occurrence() -> None:
    assert find_spans("aaa", "d", "aa") == (Span("d", 0, 2), Span("d", 1, 3))
    assert find_spans("abc", "d", "x") == ()


def test_malformed_json_names_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, _item(1), '{"id": "q2", "question": ', _item(3))
    assert _problems(path) == [
        "line 2: malformed JSON (Expecting value at column 26)",
    ]


def test_missing_and_wrongly_typed_fields_name_their_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _item(1, question=...),
        _item(2, answers="1991"),
        _item(3, evidence=[{"doc": "a.txt"}]),
        _item(4, kind=7),
        _item(5, evidence=[]),
        "[1, 2]",
        _item(1),
    )
    assert _problems(path) == [
        "line 1: missing field 'question'",
        "line 2: field 'answers' must be a list, got a string",
        "line 3: missing field 'evidence[0].quote'",
        "line 4: field 'kind' must be a non-empty string when present, got 7",
        "line 5: answers are given but evidence is empty: an answerable question needs "
        "evidence quotes, an unanswerable one has both empty",
        "line 6: expected a JSON object, got a list",
    ]


def test_duplicate_ids_name_both_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, _item(1), _item(2), _item(1))
    assert _problems(path) == ["line 3: duplicate id 'q1' (first on line 1)"]


def test_quotes_must_be_verbatim_in_an_indexed_document(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _item(1),
        _item(2, evidence=[{"doc": "a.txt", "quote": "Korea joined in 1992."}]),
        _item(3, evidence=[{"doc": "missing.pdf", "quote": "1991"}]),
        _item(4, evidence=[{"doc": "b.md", "quote": "Korea joined in 1991."}]),
    )
    problems = _problems(path)
    assert len(problems) == 3
    assert problems[0].startswith("line 2: evidence[0]: quote 'Korea joined in 1992.' is not ")
    assert "verbatim in 'a.txt'" in problems[0]
    assert problems[1] == "line 3: evidence[0]: document 'missing.pdf' is not in the index"
    assert problems[2].startswith("line 4: evidence[0]: quote") and "'b.md'" in problems[2]


def test_shape_errors_are_found_before_any_document_is_read(tmp_path: Path) -> None:
    def no_documents(doc_id: str) -> str:
        raise AssertionError("read a document although the set is malformed")

    path = _write(tmp_path, _item(1), "not json")
    with pytest.raises(QASetError, match="line 2: malformed JSON"):
        load_set(path, DOCS, no_documents)


def test_an_empty_or_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(QASetError, match="no questions"):
        parse_set(_write(tmp_path, ""))
    with pytest.raises(QASetError, match="cannot read"):
        parse_set(tmp_path / "nope.jsonl")


def test_the_shipped_set_locates_every_quote_in_the_index(shipped_engine: Engine) -> None:
    qaset = validate(SHIPPED_SET, InProcess(shipped_engine))
    texts = {d: shipped_engine.document(d).text for d in shipped_engine.index().documents}
    assert len(qaset.items) >= 60
    assert sum(not item.answerable for item in qaset.items) >= 10
    for item in qaset.items:
        assert item.kind
        for ev in item.evidence:
            assert ev.spans and all(texts[s.doc][s.start : s.end] == ev.quote for s in ev.spans)


def test_a_quote_from_a_plain_text_table_is_found_in_its_row() -> None:
    """A quote copied from a table whose columns a tab or spaces part ("90 through 99 font
    synthesis") is found where the text reads the row as cells ("90 through 99 | font
    synthesis"); a quote found as it is is found only there."""
    text = "Conventions:\n90 through 99 | font synthesis\nThe 90 through 99 font synthesis files."
    found = find_spans(text, "readme.txt", "90 through 99 font synthesis")
    assert [text[s.start : s.end] for s in found] == ["90 through 99 font synthesis"]
    row = text.split("\n")[1]
    found = find_spans(row, "readme.txt", "90 through 99 font synthesis")
    assert [row[s.start : s.end] for s in found] == ["90 through 99 | font synthesis"]
    assert find_spans(row, "readme.txt", "99 font synthesis files") == ()
