"""Values told in a list that pairs them with things in order ("A and B were held in 2021 and
2022 respectively"): the one belonging to the thing a question names."""

from __future__ import annotations

import re

from citeqa.index.retrieval.keyword import word_stems

# "A and B were held in 2021 and 2022 respectively": the values pair with the things in order.
_RESPECTIVELY = re.compile(r"[\s,]*\(?respectively\b", re.I)
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)", re.I)
_ITEMS_GAP = re.compile(r",\s*(?:and\s+)?|\s+and\s+", re.I)
# Where the last thing of the list ends and what is said of them all begins.
_PREDICATE = re.compile(r"\b(?:which|that|who|were|was|are|is|have|has|had)\b", re.I)


def respective_value(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of values listed "... respectively", the one in the place of the thing the question
    names ("the SOMHD and the Health Ministers Meeting, first held in October 2021 and May 2022
    respectively": the meeting's is May 2022); all of `spans` when no such list or no thing
    stands out."""
    listed = _respective_run(sentence, spans)
    if len(listed) < 2:
        return spans
    things = _ITEMS_GAP.split(sentence[: listed[0][0]])[-len(listed) :]
    if len(things) < len(listed):
        return spans
    last = _PREDICATE.search(things[-1])
    things[-1] = things[-1][: last.start()] if last else things[-1]
    wanted = {stem for _, stem in word_stems(question)}
    shared = [len(wanted & {stem for _, stem in word_stems(thing)}) for thing in things]
    best = max(shared)
    if shared.count(best) > 1:
        return spans
    return [listed[shared.index(best)]]


def _respective_run(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The values, in order, of the list that "respectively" closes (none when it is not there)."""
    for i in range(len(spans) - 1, -1, -1):
        if _RESPECTIVELY.match(sentence, spans[i][1]):
            run = [spans[i]]
            while i > 0 and _LIST_GAP.fullmatch(sentence, spans[i - 1][1], spans[i][0]):
                i -= 1
                run.insert(0, spans[i])
            return run
    return []
