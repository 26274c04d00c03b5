"""What ranks first for questions over the shipped corpus, and where its answer is highlighted."""

from __future__ import annotations

import pytest

from citeqa.service.engine import Engine

PDF = "asean-secretariat-overview-asean-rok-csp.pdf"
ASAN = "asan-2024-asean-korea-csp-background.md"
INTERVIEW = "aseanfocus-2025-interview-ambassador-lee.txt"
POLICY = "aseanfocus-2025-korea-new-asean-policy.txt"
OPINION = "indraswari-2025-stalled-csp-new-leadership.txt"

# (question, document that must rank first, its page or None, text the highlight must contain)
CASES = [
    ("When did the ROK become a full Dialogue Partner of ASEAN?", PDF, 1, "1991"),
    ("When did the ASEAN-ROK investment agreement take effect?", PDF, 3, "1 September 2009"),
    ("Where was the summit for the 30th anniversary of dialogue relations held?", PDF, 1, "Busan"),
    ("Which priority areas does the ADMM-Plus cooperation cover?", PDF, 2, "maritime security"),
    ("Since when has Lee Jang-keun been the ambassador to ASEAN?", INTERVIEW, None, "May 2023"),
    ("When will South Korea elect its new president?", OPINION, None, "June 3rd, 2025"),
    ("How long did the impeachment saga last?", OPINION, None, "five-months"),
    ("When was the ASEAN Charter adopted?", ASAN, None, "2008"),
    pytest.param(
        "Which foreign-policy concern did the CSP aim to address amid U.S.-China rivalry?",
        ASAN,
        None,
        "Comprehensive Strategic Partnership (CSP) should aim",
        # A known miss: with passage vectors made from their sentences the document's opening
        # passage ("this rivalry ... the most significant strategic concern") ranks a hair
        # (0.816 against 0.800) above the one saying what the CSP should aim at.
        marks=pytest.mark.xfail(strict=True, reason="the neighbouring passage ranks first"),
    ),
    ("What does MSMB stand for?", ASAN, None, "meaningful, substantive"),
    ("When did the ROK accede to the Treaty of Amity and Cooperation?", PDF, 1, "2004"),
    (
        "How many digital specialists will the Korea-ASEAN Digital Academy train?",
        POLICY,
        None,
        "Korea-ASEAN Digital Academy (2024-2029)",
    ),
]


def test_a_question_where_keyword_weight_costs_the_first_place(shipped_engine: Engine) -> None:
    """Score fusion puts a passage heavy with "ASEAN", "Korea" and "established" first here and
    the answering one second (reciprocal-rank fusion had it first, but scored lower on both QA
    sets; see index/retrieval/fusion.py). Kept as a known trade-off: the answer must stay in the
    top two."""
    passages = shipped_engine.ask("When was the ASEAN-Korea Centre established?", k=5).passages
    top_two = {(p.citation.document, p.citation.page): p for p in passages[:2]}
    answering = top_two[(PDF, 3)]
    highlighted = answering.text[answering.highlight.start : answering.highlight.end]
    assert "established on 13 March 2009" in highlighted


@pytest.mark.parametrize(("question", "document", "page", "answer"), CASES, ids=lambda x: str(x))
def test_the_right_passage_ranks_first(
    shipped_engine: Engine, question: str, document: str, page: int | None, answer: str
) -> None:
    first = shipped_engine.ask(question, k=5).passages[0]
    assert first.citation.document == document
    assert first.citation.page == page
    highlighted = first.text[first.highlight.start : first.highlight.end]
    assert answer in highlighted
