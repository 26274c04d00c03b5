"""A QA set (JSON Lines, DESIGN.md format) -> validated `QAItem`s with their gold spans.

One question a line:

    {"id": "q001", "kind": "date", "question": "...", "answers": ["1991"],
     "evidence": [{"doc": "<doc id>", "quote": "<verbatim text of that document>"}]}

A row may add "filter": the documents its question is asked over, as POST /ask takes it
(docs/filters.md): {"folder": "reports/"}.

Every problem is reported with its 1-based line number, and all of them are collected before
anything is searched, so one run of `citeqa eval --check` lists everything to fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from citeqa.service.models import Filter


class QASetError(ValueError):
    """The set cannot be used; `problems` holds one "line N: what is wrong" string each."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass(frozen=True)
class Span:
    """Characters `start`..`end` (end exclusive) of document `doc`'s normalised text."""

    doc: str
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.doc == other.doc and self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Evidence:
    """One evidence quote, and every place it occurs in its document (an evidence unit: any
    one occurrence found counts as the evidence found)."""

    doc: str
    quote: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class QAItem:
    id: str
    question: str
    answers: tuple[str, ...]
    evidence: tuple[Evidence, ...]  # alternatives: each is a unit a passage can cover
    kind: str | None
    line: int  # 1-based line in the set file
    scope: Filter | None = None  # the row's "filter": asked over these documents only

    @property
    def answerable(self) -> bool:
        """Unanswerable questions have no evidence; the right response is answerable=false."""
        return bool(self.evidence)


@dataclass(frozen=True)
class Skipped:
    """A question set aside because its evidence cannot be found in the index searched."""

    item: QAItem
    reason: str  # "document": not in the index; "quote": not in the document's extracted text


@dataclass(frozen=True)
class QASet:
    path: Path
    items: list[QAItem]
    # Set aside when loaded with skip_missing: their evidence is not in what the index holds.
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return sorted({item.kind for item in self.items if item.kind})


def parse_set(path: Path) -> list[QAItem]:
    """The items of the set at `path`, checked for shape only (no documents needed)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise QASetError(path, [f"cannot read the file ({err})"]) from err
    items: list[QAItem] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue  # blank lines (a trailing newline, a separator) are allowed
        try:
            item = _parse_line(line, number)
        except ValueError as err:
            problems.append(f"line {number}: {err}")
            continue
        if item.id in seen:
            problems.append(
                f"line {number}: duplicate id {item.id!r} (first on line {seen[item.id]})"
            )
            continue
        seen[item.id] = number
        items.append(item)
    if not items and not problems:
        problems.append("no questions in the file")
    if problems:
        raise QASetError(path, problems)
    return items


def load_set(
    path: Path,
    document_ids: Iterable[str],
    document_text: Callable[[str], str],
    skip_missing: bool = False,
) -> QASet:
    """Parse the set and locate every evidence quote in its document.

    `document_ids` are the documents of the index searched; `document_text(doc_id)` returns a
    document's normalised text (from the index in-process, GET /documents/{id} over HTTP).
    Raises QASetError listing every problem, each naming its line.

    With `skip_missing`, a question whose evidence cannot be found in what this index holds is
    set aside (`QASet.skipped`, with the reason) instead of being a problem: its document is not
    in the index (a format this build does not read), or its quote is not in the extracted text
    (a scanned page of a document whose other pages have text). Evidence that can be found
    beside evidence that cannot is kept.
    """
    items = parse_set(path)
    known = set(document_ids)
    texts: dict[str, str] = {}
    problems: list[str] = []
    located: list[QAItem] = []
    skipped: list[Skipped] = []
    for item in items:
        evidence = []
        missing: list[str] = []  # what could not be found, one line each
        for i, ev in enumerate(item.evidence):
            where = f"line {item.line}: evidence[{i}]"
            if ev.doc not in known:
                missing.append(f"{where}: document {ev.doc!r} is not in the index")
                continue
            if ev.doc not in texts:
                texts[ev.doc] = document_text(ev.doc)
            spans = find_spans(texts[ev.doc], ev.doc, ev.quote)
            if not spans:
                missing.append(
                    f"{where}: quote {_clip(ev.quote)!r} is not verbatim in {ev.doc!r} "
                    "(quotes must match the text citeqa extracts: see GET /documents/{id})"
                )
                continue
            evidence.append(Evidence(ev.doc, ev.quote, spans))
        if not skip_missing:
            problems += missing
        elif missing and not evidence:
            reason = "document" if all("not in the index" in m for m in missing) else "quote"
            skipped.append(Skipped(item, reason))
            continue
        located.append(replace(item, evidence=tuple(evidence)))
    if problems:
        raise QASetError(path, problems)
    if not located:
        raise QASetError(path, ["no question can be asked: every one's evidence is missing"])
    return QASet(path, located, skipped)


def find_spans(text: str, doc: str, quote: str) -> tuple[Span, ...]:
    """Every occurrence of `quote` in `text` (overlapping occurrences included). A space of the
    quote also matches the cell break a table's columns are read with (" | "): a quote copied
    from a plain-text table ("90 through 99 font synthesis") is found in its row ("90 through
    99 | font synthesis")."""
    spans = []
    at = text.find(quote)
    while at >= 0:
        spans.append(Span(doc, at, at + len(quote)))
        at = text.find(quote, at + 1)
    if spans or " | " not in text or " " not in quote:
        return tuple(spans)
    pattern = re.compile(r"(?:\s\|\s|\s)".join(re.escape(word) for word in quote.split(" ")))
    found = []
    at = 0
    while (match := pattern.search(text, at)) is not None:
        found.append(Span(doc, match.start(), match.end()))
        at = match.start() + 1
    return tuple(found)


# --- one line --------------------------------------------------------------------------------


def _parse_line(line: str, number: int) -> QAItem:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as err:
        raise ValueError(f"malformed JSON ({err.msg} at column {err.colno})") from err
    if not isinstance(row, dict):
        raise ValueError(f"expected a JSON object, got {_type(row)}")
    item_id = _string(row, "id")
    question = _string(row, "question")
    answers = _list(row, "answers")
    for i, answer in enumerate(answers):
        if not isinstance(answer, str) or not answer.strip():
            raise ValueError(f"answers[{i}] must be a non-empty string, got {answer!r}")
    evidence = []
    for i, ev in enumerate(_list(row, "evidence")):
        if not isinstance(ev, dict):
            raise ValueError(f"evidence[{i}] must be an object with doc and quote, got {_type(ev)}")
        evidence.append(
            Evidence(_string(ev, "doc", f"evidence[{i}]."), _string(ev, "quote", f"evidence[{i}]."))
        )
    if answers and not evidence:
        raise ValueError(
            "answers are given but evidence is empty: an answerable question needs evidence "
            "quotes, an unanswerable one has both empty"
        )
    kind = row.get("kind")
    if kind is not None and (not isinstance(kind, str) or not kind.strip()):
        raise ValueError(f"field 'kind' must be a non-empty string when present, got {kind!r}")
    return QAItem(
        item_id, question, tuple(answers), tuple(evidence), kind, number, _scope(row.get("filter"))
    )


def _scope(raw: object) -> Filter | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValueError(f"field 'filter' must be an object, got {_type(raw)}")
    try:
        return Filter.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in ("filter", *first["loc"]))
        raise ValueError(f"field '{where}': {first['msg']}") from None


def _string(row: dict[str, Any], name: str, prefix: str = "") -> str:
    if name not in row:
        raise ValueError(f"missing field '{prefix}{name}'")
    value = row[name]
    if not isinstance(value, str):
        raise ValueError(f"field '{prefix}{name}' must be a string, got {_type(value)}")
    if not value.strip():
        raise ValueError(f"field '{prefix}{name}' must not be empty")
    return value


def _list(row: dict[str, Any], name: str) -> list[Any]:
    if name not in row:
        raise ValueError(f"missing field '{name}'")
    value = row[name]
    if not isinstance(value, list):
        raise ValueError(f"field '{name}' must be a list, got {_type(value)}")
    return value


def _type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
