"""The answer policy: the answering sentence of each passage, the short answer inside it, and
whether the passages found answer the question at all. One question-type classifier
(question_types.py) serves all three."""

from .abstain import ANSWER_PASSAGES, MIN_SENTENCE_COSINE, answer_first, answer_strengths, answering
from .highlight import highlight
from .question_types import asked_type, uncontracted
from .rows import table_header
from .short_answer import short_answer, value_shown, wants_value_shown

__all__ = [
    "ANSWER_PASSAGES",
    "MIN_SENTENCE_COSINE",
    "answer_first",
    "answer_strengths",
    "answering",
    "asked_type",
    "highlight",
    "short_answer",
    "table_header",
    "uncontracted",
    "value_shown",
    "wants_value_shown",
]
