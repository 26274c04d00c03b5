"""The answering sentence: in manuals it is often a table row, a code line or a "Field: value"
line; headings and bylines say nothing and are chosen only when nothing else is there."""

from __future__ import annotations

import pytest

from citeqa.index.answer.highlight import highlight, sentences_of
from citeqa.index.answer.question_types import asked_type, person_spans
from citeqa.index.retrieval.keyword import KeywordIndex


@pytest.mark.parametrize(
    ("passage", "question", "answer"),
    [
        (
            "Numbering of configuration files\n\n00 through 09 font directories\n"
            "90 through 99 font synthesis",
            "Which file number range is used for font synthesis?",
            "90 through 99",
        ),
        (
            "Example control file\n\nMaintainer: Josip Rodin <joy@example.org>",
            "Who is the maintainer in the example control file?",
            "Josip Rodin",
        ),
        ("Comparing sources\n\n$ diff -urN foo-old foo-new", "How do I compare sources?", "diff"),
    ],
)
def test_a_table_row_code_or_field_line_is_chosen_over_a_heading(
    passage: str, question: str, answer: str
) -> None:
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight(question, passage, keyword)
    assert answer in passage[start:end]


@pytest.mark.parametrize(
    ("line", "nothing"),
    [
        ("Configuration files", True),  # a heading
        ("By Ratih Indraswari", True),  # a byline
        ("90 through 99 font synthesis", False),
        ("Maintainer: Josip Rodin <joy@example.org>", False),
        ("$ diff -urN foo-old foo-new", False),
        ("The bridge opened in 1937.", False),
    ],
)
def test_what_says_nothing(line: str, nothing: bool) -> None:
    assert sentences_of(line)[0].states_nothing is nothing


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Maintainer: Josip Rodin <joy@example.org>", ["Josip Rodin", "joy@example.org"]),
        ("Copyright 1998-2010 Josip Rodin and others.", ["Josip Rodin"]),
        ("The manual was written by Simon Josefsson.", ["Simon Josefsson"]),
        ("Write to listmaster@lists.example.org for help.", ["listmaster@lists.example.org"]),
        ("The summit was hosted by South Korea.", []),  # a country, not a person
        ("The Free Trade Agreement entered into force.", []),
    ],
)
def test_people_are_named_by_where_they_stand_in_manuals(sentence: str, names: list[str]) -> None:
    assert [sentence[a:b] for a, b in person_spans(sentence)] == names


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What port does the server listen on?", "quantity"),
        ("What is the default maximum length of a string?", "quantity"),
        ("Which version added the option?", "quantity"),
        ("What was the city's unemployment rate?", "quantity"),
        ("Over which years does the plan run?", "date"),
        ("What is the default value of the setting?", None),  # a value may be a word
    ],
)
def test_more_questions_ask_for_a_number(question: str, kind: str | None) -> None:
    assert asked_type(question) == kind
