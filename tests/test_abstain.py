"""Abstention: a question asking for a quantity, date or person is answerable only when a sentence
about it holds one. Real model, real index of the shipped corpus; questions are not in the sets."""

from __future__ import annotations

import pytest

from citeqa.index.abstain import asked_type, holds_type, topic
from citeqa.service.engine import Engine


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many people work at the ASEAN Culture House?", "quantity"),
        ("What was the total budget of the project?", "quantity"),
        ("By what percentage did exports grow?", "quantity"),
        ("When was the Centre opened?", "date"),
        ("In which year did the talks start?", "date"),
        ("Who chaired the meeting?", "person"),
        ("What is the name of the first ambassador?", "person"),
        ("Which city hosted the summit?", None),
        ("What does the brief say about maritime security?", None),
    ],
)
def test_asked_type(question: str, kind: str | None) -> None:
    assert asked_type(question) == kind


def test_a_date_or_an_ordinal_is_not_a_quantity() -> None:
    assert not holds_type("The Centre was established in Busan on 1 September 2017.", "quantity")
    assert not holds_type("The 13th Summit in 2010 agreed to it (2011-2015).", "quantity")
    assert holds_type("It trains 40,000 talents.", "quantity")
    assert holds_type("The contribution doubled to US$32 million.", "quantity")
    assert holds_type("Eight core lines of effort were named.", "quantity")
    assert holds_type("The Centre was established on 1 September 2017.", "date")
    assert not holds_type("The talks are set to begin next year.", "date")


def test_a_person_is_a_titled_or_hyphenated_name() -> None:
    assert holds_type("Secretary of State Antony Blinken visited Seoul.", "person")
    assert holds_type("It was Roh Tae-woo's Nordpolitik.", "person")
    assert not holds_type("The ROK appointed its first resident Ambassador to ASEAN.", "person")


def test_topic_drops_the_asking_words() -> None:
    assert topic("How many visitors came to Busan?").split() == ["visitors", "came", "to", "Busan?"]


@pytest.mark.parametrize(
    ("question", "answerable"),
    [
        ("When was the ASEAN Culture House in Busan established?", True),
        ("How much does the Korea-ASEAN Cooperation Fund provide per year by 2027?", True),
        ("How many people work at the ASEAN Culture House in Busan?", False),
        ("Who chaired the ASEAN-ROK Health Ministers Meeting in May 2022?", False),
        ("What is the capital of France?", False),  # off the subject: the cosine floor
    ],
)
def test_engine_abstains_when_no_sentence_holds_the_answer(
    shipped_engine: Engine, question: str, answerable: bool
) -> None:
    response = shipped_engine.ask(question, 5)
    assert response.answerable is answerable
    assert response.passages  # the passages are returned either way
