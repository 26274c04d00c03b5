"""Numbers written as words ("two", "fifteen", "forty-eight"), as questions and documents write
them: one table for every check that reads them."""

from __future__ import annotations

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
_TENS |= {"eighty": 80, "ninety": 90}

# Each word's value: "zero" to "nineteen", the tens, "hundred".
CARDINALS: dict[str, int] = {word: n for n, word in enumerate(_ONES)} | _TENS | {"hundred": 100}

# One number word, "one" to "hundred", as a regular expression's alternatives (no "zero": "zero
# tolerance" counts nothing).
NUMBER_WORD = "|".join(word for word in CARDINALS if word != "zero")

# A number in words, with its tens joined: "forty-eight", "twenty one".
NUMBER_IN_WORDS = rf"(?:{NUMBER_WORD})(?:[- ](?:{NUMBER_WORD}))?"
