"""What tells the sentence answering a question that asks for no typed value: "because" for a
"why", "stands for" for a "what does X mean", an address, a file, a number, an instruction, an
organisation's name, or a name beside the kind a "which X" asks for; and the acronym a "what
does X mean" asks about, which its answer spells out. highlight.py gives such a sentence its
answer bonus."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from citeqa.index.retrieval.keyword import is_stopword, word_stems

from .patterns import asks
from .places import address_spans
from .question_types import asking_clause

# What the sentence answering an untyped question tends to say: "because" to a "why", "stands
# for" to a "what does X mean", an address to a "what address", a file to a "which file", a
# number to a "how deep", an instruction or a command to a "how do I".
Cue = Callable[[str], bool]


def _matches(pattern: re.Pattern[str]) -> Cue:
    return lambda sentence: pattern.search(sentence) is not None


# After the thing a "which X" asks for, its verb ("Which file takes ...", "What address do I
# ..."): "Which file number range ..." asks for a range, not a file.
_VERB_NEXT = (
    r"(?=\s+(?:\w+s|do|does|did|is|are|was|were|can|could|should|would|will|may|must|has|have"
    r"|had)\b|\s*[?,])"
)
# A file's name: "Override.xml", "libtasn1.h".
_FILE_NAME = re.compile(r"(?<![\w/.-])[\w+-][\w.+-]*\.[a-z][a-z0-9]{1,4}\b")

ASKS_WHY = re.compile(r"^\s*why\b|\bwhat (is|was|are|were) the reasons?\b", re.I)
_CUES: tuple[tuple[re.Pattern[str], Cue], ...] = (
    (
        ASKS_WHY,
        _matches(
            re.compile(
                r"\b(because|due to|owing to|as a result|explained by|the reason|so that"
                r"|in order to|caused by|thanks to|therefore|since (?!\d))",
                re.I,
            )
        ),
    ),
    (
        re.compile(
            r"\bwhat (does|do|did|is|are) .*\b(mean|stand for)\b|\bwhat is meant by\b", re.I
        ),
        _matches(
            re.compile(
                r"\b(stands? for|means|meaning|is short for|refers? to|abbreviat\w*|acronym"
                r"|is defined as|denotes)\b",
                re.I,
            )
        ),
    ),
    (
        re.compile(
            rf"\b(what|which) (\w+ )?(e-?mail |web |mail )?(address|url|web ?site)e?s?{_VERB_NEXT}",
            re.I,
        ),
        lambda sentence: bool(address_spans(sentence)),
    ),
    (
        re.compile(
            rf"\b(what|which) (\w+ )?(file|directory|folder|path|symlink|link)s?{_VERB_NEXT}", re.I
        ),
        lambda sentence: bool(address_spans(sentence) or _FILE_NAME.search(sentence)),
    ),
    (
        # "how deep", "how far", "how old": a measure, unlike "how do I" or "how many" (typed)
        re.compile(
            r"^\s*how (?!(do|does|did|can|could|should|would|will|may|must|is|are|was|were|to"
            r"|many|much|come)\b)\w+\b",
            re.I,
        ),
        # a measure is a number, not a year ("It opened in 1987")
        _matches(re.compile(r"(?<![\w.])(?!(?:1[89]|20)\d\d\b)\d")),
    ),
    (
        # "What do I need installed before building X?", "What does X require?": what it needs
        re.compile(
            # not "What do I need to set ...?": an instruction, asked below
            r"\bwhat (?:do|does|did|would|will) (?:i|you|we|one|it|\S+) need\b(?!\s+to\b)"
            r"|\bwhat (?:does|do|did) \S+(?: \S+)? (?:require|depend on)\b|\bprerequisites?\b"
            r"|\brequirements?\b",
            re.I,
        ),
        _matches(
            re.compile(
                r"\b(?:requires?|required|requirements?|needs?|needed|depends? on|dependenc\w+"
                r"|prerequisites?|must (?:be|have)|has to be|have to be)\b",
                re.I,
            )
        ),
    ),
    (
        # "How do I ...?", "What is the Debian way to ...?" and "What do I have to set / put /
        # run ...?": an instruction, a command, or a setting's assignment ("set X=1")
        re.compile(
            # also after a sentence or a clause setting the scene ("As a programmer, how do I")
            r"(?:^|[.!?;:,]\s*|\s[-–—]\s*)\s*how (?:(do|can|should|would|could|may) (i|you|we"
            r"|one)\b|to\b)"
            r"|\b(?:what|which)(?: \w+){0,2}? (do|should|must|can|would) (i|you|we|one)"
            r" (\w+ ){0,2}?(set|put|add|write|type|run|enter|export|define|change)\b"
            r"|\bwhat is the (\w+ ){0,2}?way to\b",
            re.I,
        ),
        # the verb told to the reader: opening the sentence or a clause, or after "you can",
        # "just", "to", "first"; not a clause setting a scene ("When you use the new dh
        # command, ...")
        _matches(
            re.compile(
                r"(?:^\s*|[,;:]\s*|\b(?:you|one|i|we) (?:can|could|should|must|may|might|need to"
                r"|have to|will need to)\s+(?:\w+ly\s+)?|\b(?:just|simply|please|then|and|or|to"
                r"|by)\s+"
                # "First send a mail", not "The first call" nor "Your first install"
                r"|(?<!the )(?<!a )(?<!an )(?<!its )(?<!this )(?<!your )(?<!very )"
                r"\b(?:first|next|finally|now|also)\s+"
                # "You type Ctrl-D", ", you run ...": told to the reader; not a clause setting a
                # scene ("When you use ...") nor describing ("Files you copy are ...")
                r"|(?:(?:^\s*|[,;:]\s*|\b(?:then|and|so)\s+)you|(?-i:\bYou))\s+)"
                r"(?:run(?:ning)?|typ(?:e|ing)|us(?:e|ing)|press(?:ing)?|execut(?:e|ing)"
                r"|enter(?:ing)?|invok(?:e|ing)|send(?:ing)?|install(?:ing)?|reconfigur(?:e|ing)"
                r"|edit(?:ing)?|add(?:ing)?|set(?:ting)?|clear(?:ing)?|delet(?:e|ing)|remov(?:e|ing)"
                r"|cop(?:y|ying)|configur(?:e|ing)|click(?:ing)?|select(?:ing)?|restart(?:ing)?"
                r"|enabl(?:e|ing)|disabl(?:e|ing)|call(?:ing)?|put(?:ting)?|creat(?:e|ing)"
                r"|hold(?:ing)?|append(?:ing)?|export(?:ing)?)\b(?!\s+of\b)"  # not "use of X"
                r"|(?:^|\s)[$#]\s+\S|\b\w+\([\w ,]*\)|\w=\S",
                re.I,
            )
        ),
    ),
)


@lru_cache(maxsize=1024)
def answer_cue(question: str) -> Cue | None:
    """What tells the sentence answering an untyped `question` (`_CUES`, or the thing a "which
    package" names beside its kind), or None."""
    asking = asking_clause(question)  # "Can you tell me why ...?" asks why
    cue = next((cue for asks, cue in _CUES if asks.search(asking)), None) or next(
        (cue for asks, cue in _CUES if asks.search(question)), None
    )
    if cue is not None:
        return cue
    if asks(_ASKS_ORGANISATION, asking):
        asked = {w.lower() for w in _WORD.findall(question)}
        return lambda sentence: _names_an_organisation(asked, sentence)
    kinds = _kinds_asked(question)
    if kinds:
        asked = {w.lower() for w in _WORD.findall(question)}
        return lambda sentence: _names_a(kinds, asked, sentence)
    return None


_WORD = re.compile(r"[\w'’-]+")
# "Which organisation maintains ...", "Who is the maintenance agency for ...": an organisation is
# named by a capitalised phrase ("SIL International", "the Library of Congress"). Kinds that
# names carry ("Korean Association of ...", "Yonsei University") go by `_kinds_asked` instead.
_ASKS_ORGANISATION = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+)?(?:organi[sz]ations?|agency|agencies|body|bodies"
    r"|entity|entities)\b"
    r"|^\s*who\s+(?:is|are|was|were)\s+(?:the\s+)?(?:\w+\s+){0,3}?(?:organi[sz]ation|agency"
    r"|body|entity)\b",
    re.I,
)
_ORGANISATION_NAME = re.compile(
    r"(?<=\S\s)[A-Z][\w&.-]*(?:\s+(?:(?:of|for|and|the|de)\s+)*[A-Z][\w&.-]*)+"
)


def _names_an_organisation(asked: set[str], sentence: str) -> bool:
    """Whether `sentence` names, past its first word, a capitalised phrase of two words or more
    that the question does not use whole ("is SIL International", "by the Library of
    Congress")."""
    return any(
        {w.lower() for w in _WORD.findall(m.group(0))} - asked - {"of", "for", "and", "the", "de"}
        for m in _ORGANISATION_NAME.finditer(sentence)
    )


# "Which package ...", "What translation service does ...": the kind of thing asked for, the
# noun after "which" or, before an auxiliary, the second of a compound.
_WHICH_KIND = re.compile(
    r"\b(?:which|what)\s+([a-z][\w-]*)(?:\s+([a-z][\w-]*)\s+(do|does|did|is|are|was|were|can"
    r"|could|should|would|will|may|must|has|have|had)\b)?",
    re.I,
)
# The noun after a name in "which NAME noun": "Which FC_DEBUG value shows ...", "Which ISO
# standard ...".
_HEAD_AFTER_NAME = re.compile(r"\s+([a-z][a-z-]*)\b")
# What a name looks like in a manual: a mark or a digit inside ("apt-file", "debi(1)",
# "Override.xml"), or a capital not at its start ("SIL", "LaTeX") or at the start of a word in
# mid-sentence ("Weblate").
_NAME_LIKE = re.compile(r"\w[-_.()/~+]\w|\w\d|\d\w|^\w+[A-Z]")
# Words that join a thing's kind to its name: "a file named Override.xml".
_NAMING = frozenset({"named", "called", "is", "the"})


def _kinds_asked(question: str) -> frozenset[str]:
    """The stem of the kind a "which X" or "what X" question asks for ("Which package walks
    me ..." -> packag; "What translation service does ..." -> servic), if X is a word."""
    found = asks(_WHICH_KIND, question)
    if found is None:
        return frozenset()
    word = found.group(2) or found.group(1)
    head = _HEAD_AFTER_NAME.match(question, found.end(1))
    if not found.group(2) and head and not found.group(1).islower():
        word = head.group(1)  # "Which FC_DEBUG value ...": a value, which the name qualifies
    if is_stopword(word) or not word_stems(word):
        return frozenset()
    return frozenset(stem for _, stem in word_stems(word))


def _names_a(kinds: frozenset[str], asked: set[str], sentence: str) -> bool:
    """Whether `sentence` names a thing of the kind asked for beside that kind's word (past the
    question's own words and "named", "called"): "the apt-file command", "a file named
    Override.xml", "the Weblate translation service" answer "Which command / file / service
    ...?"."""
    tokens = [t.strip(".,;:!?\"'“”‘’[]<>") for t in sentence.split()]
    for i, token in enumerate(tokens):
        if _one_stem(token) not in kinds:
            continue
        for step in (-1, 1):
            j = i + step
            while (
                0 <= j < len(tokens)
                and abs(j - i) < 3
                and (tokens[j].lower() in asked or tokens[j].lower() in _NAMING)
            ):
                j += step
            if 0 <= j < len(tokens) and _a_name(tokens[j], asked, first=j == 0):
                return True
    return False


@lru_cache(maxsize=16384)  # the same words come back sentence after sentence
def _one_stem(token: str) -> str | None:
    """The stem of `token` when it is one searchable word."""
    stems = word_stems(token)
    return stems[0][1] if len(stems) == 1 else None


def _a_name(token: str, asked: set[str], first: bool) -> bool:
    """A word that names something (`_NAME_LIKE`, or capitalised but not for opening the
    sentence) the question does not."""
    return (
        token.lower() not in asked
        and not is_stopword(token)
        and ((token[:1].isupper() and not first) or _NAME_LIKE.search(token) is not None)
    )


# "What does RFA mean?", "What does ODA stand for?", "What is meant by PoA?": the acronym asked
# about, which the answering sentence spells out.
_ASKS_ACRONYM = re.compile(
    r"(?i:\bwhat (?:does|do|did|is|are) (?:the )?(?:abbreviation |acronym |term )?)[\"“']?"
    r"(?P<acronym>[A-Z][A-Za-z]{1,7})[\"”']?(?i:\b.*\b(?:mean|stand for)\b)"
    r"|(?i:\bwhat is meant by )[\"“']?(?P<meant>[A-Z][A-Za-z]{1,7})\b"
)
# Words an expansion keeps lower-case: "Plan of Action", "Request for Comments".
_SMALL_WORDS = frozenset({"of", "for", "and", "the", "in", "on", "to", "a", "an"})


def acronym_asked(question: str) -> str | None:
    """The acronym a "what does X mean" question asks about (two to eight letters, at least
    two of them capitals), or None."""
    found = asks(_ASKS_ACRONYM, question)
    term = found and (found.group("acronym") or found.group("meant"))
    return term if term and sum(c.isupper() for c in term) >= 2 else None


def spells_out(acronym: str, sentence: str) -> bool:
    """Whether `sentence` holds a capitalised phrase whose initials spell `acronym`, its small
    words counted or skipped ("Request For Adoption" for RFA, "Plan of Action" for PoA or POA)."""
    wanted = acronym.lower()
    run: list[str] = []
    for word in [*re.findall(r"[A-Za-z][\w'’-]*", sentence), "."]:
        if word[0].isupper() or (run and word.lower() in _SMALL_WORDS):
            run.append(word)
            continue
        for start in range(len(run)):
            if not run[start][0].isupper():
                continue
            every = "".join(w[0] for w in run[start:]).lower()
            capitals = "".join(w[0] for w in run[start:] if w[0].isupper()).lower()
            if every.startswith(wanted) or capitals.startswith(wanted):
                return True
        run = []
    return False
