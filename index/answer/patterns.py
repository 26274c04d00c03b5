"""A question's own patterns, read once: what a question asks ("how long", "which year", "the
default") is read again for every sentence judged for it, and does not change."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=16384)
def asks(pattern: re.Pattern[str], question: str) -> re.Match[str] | None:
    """`pattern.search(question)`, kept for the next sentence judged for the same question."""
    return pattern.search(question)
