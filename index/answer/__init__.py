"""The answer policy: the answering sentence of each passage, and whether the passages found
answer the question at all. One question-type classifier (question_types.py) serves both."""

from .abstain import ANSWER_PASSAGES, MIN_SENTENCE_COSINE, answerable
from .highlight import highlight
from .question_types import asked_type

__all__ = ["ANSWER_PASSAGES", "MIN_SENTENCE_COSINE", "answerable", "asked_type", "highlight"]
