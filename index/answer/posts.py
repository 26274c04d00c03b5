"""Who holds a post: the post a question asks the holder of ("Who is the safeguarding lead?",
"the email address for the club treasurer", "the Mayor of Aldbury"), and whether a sentence names
someone by another post ("Studio Manager: Ms Fiona Castellano", "Head of Planning | Ms Deborah
Quayle", "The Mayor of Kingsford, Anthea Blake") and so does not tell who holds the one asked.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache

from citeqa.index.retrieval.keyword import is_stopword

from .narrowing import thing_told
from .patterns import asks
from .question_types import PERSON_NOUN, asking_clause
from .rows import CELL_BREAK, TABLE_ROW

# The post a question asks the holder of: "Who is the studio's safeguarding lead?", "who is head
# of building control", "who is the treasurer of the group".
_ROLE_ASKED = re.compile(
    r"^\s*who\s+(?:is|was|are|were|'s)\s+(?:(?:the|our|your|their|its|a|an)\s+)?"
    # whose, in up to three words: "the tap room's head chef"
    r"(?:(?:[\w-]+\s+){0,2}[\w'’-]+['’]s\s+)?(?P<role>(?:[A-Za-z-]+\s+){0,2}?[A-Za-z-]+)"
    # a department's post names its department: "head of building control"
    r"(?:\s+of\s+(?:the\s+)?(?P<of>[A-Za-z-]+(?:\s+[A-Za-z-]+)?))?"
    r"\s*(?:\?|$|\s(?:of|for|at|in|on|to|with|this|that|now|currently)\b)",
    re.I,
)
# Whose number or address a question asks by their post: "the email address for the club
# treasurer", "whats the chief umpire phone number".
_CONTACT_OF = re.compile(
    r"\b(?:e-?mail(?:\s+address)?|(?:tele)?phone(?:\s+number)?|mobile(?:\s+number)?|fax"
    r"|number|address)\s+(?:for|of)\s+(?:(?:the|our|your|their|its)\s+)?(?:[\w'’-]+['’]s\s+)?"
    r"(?P<role>(?:[A-Za-z-]+\s+){0,2}?[A-Za-z-]+)\s*(?:\?|$|\s(?:if|when|at|in|on)\b)"
    r"|^\s*(?:what(?:['’]?s| is)\s+(?:the\s+)?)?(?P<keyed>(?:[A-Za-z-]+\s+){0,2}?[A-Za-z-]+)\s+"
    r"(?:(?:tele)?phone|e-?mail|mobile|fax)(?:\s+(?:number|address|no))?\s*\??\s*$"
    # "the data officer's e-mail address"
    r"|\b(?:the|our|your|their)\s+(?P<owner>(?:[A-Za-z-]+\s+){0,2}?[A-Za-z-]+)['’]s\s+"
    r"(?:(?:tele)?phone|e-?mail|mobile|fax)\b",
    re.I,
)
# The posts a department's head is named by: "head of planning" is not "head of building control".
_DEPARTMENT_POST = frozenset("head heads director chief manager lead leader".split())
# A line naming someone by their post: "Studio Manager: Ms Fiona Castellano".
_KEYED_LINE = re.compile(r"^\W*(?P<key>[A-Za-z][\w'’&/ -]{1,50}?)\s*(?:\([^()]{0,30}\))?\s*:\s+\S")


# A body a post is of, which a list of its officers need not repeat: "the club treasurer".
_BODY_WORDS = frozenset(
    "club society council clinic studio school library company group association league"
    " federation charity trust team practice surgery church centre center committee board"
    " office department project county national regional district branch local".split()
)


def role_asked(question: str, kind: str | None) -> tuple[str, ...]:
    """The words naming the post `question` asks the holder of, or the contact of ("safeguarding
    lead", "head ... building control", "club treasurer"), lower case; none when it asks by no
    post."""
    asking = asking_clause(question)
    if kind == "person" and (asked := _ROLE_ASKED.match(asking)):
        words = asked.group("role").lower().split()
        if words[-1] in _NO_POST or any(is_stopword(word) for word in words):
            return ()  # "who is in charge of ...": no post named
        if asked.group("of") and words[-1] in _DEPARTMENT_POST:
            words += asked.group("of").lower().split()
        return tuple(w for w in _parts(words) if w not in _BODY_WORDS)
    if kind == "place" and (contact := asks(_CONTACT_OF, asking)):
        role = contact.group("role") or contact.group("keyed") or contact.group("owner")
        if _POST_WORD.search(role):  # "the club treasurer", not "the clinic" or "bookings"
            words = role.lower().split()
            return tuple(w for w in _parts(words) if not is_stopword(w) and w not in _BODY_WORDS)
    return ()


def _parts(words: list[str]) -> list[str]:
    """`words` with each joined by hyphens taken apart: a "vice-chair" is told by "vice" and
    "chair" both, not by "Chair" alone."""
    return [part for word in words for part in word.split("-") if part]


# Words after "who is the" that name no post: "who is the contact for bookings?"
_NO_POST = frozenset("person contact one people someone best right main first last".split())


def keyed_to_another_role(role: tuple[str, ...], text: str) -> bool:
    """Whether `text` is a line naming someone by a post (`_KEYED_LINE`, or a table's row whose
    first cell names one) that does not tell `role` ("Studio Manager: Ms Fiona Castellano" for
    the safeguarding lead; "Head of Planning | Ms Deborah Quayle" for the head of building
    control; but "Responsible officer: Mr Desmond Achterberg, Licensing Manager" tells who the
    licensing manager is)."""
    keyed = _KEYED_LINE.match(text)
    key = keyed.group("key") if keyed else None
    if field := _POST_FIELD.search(text):  # a record's field: "name: Margaret Ellison; role: Chair"
        key = field.group("post")
    if key is None and TABLE_ROW.search(text):
        key = CELL_BREAK.split(text, maxsplit=1)[0]
    if key is None and (titled := _TITLED_HOLDER.search(text)):
        key = titled.group("post")  # "maintained by our Technical Officer, Andrew Sutcliffe"
    return (
        key is not None
        and _POST_WORD.search(key) is not None
        and not all(thing_told(word, text) for word in role)
    )


# A record's field giving its holder's post: "role: Chair", "Position: Site rep".
_POST_FIELD = re.compile(r"\b(?:role|post|position|job title)\s*:\s*(?P<post>[^;|\n]{2,60})", re.I)
# A holder named after their post's title, in prose: "our Technical Officer, Andrew Sutcliffe",
# "Head Chef Matthew Rees".
_TITLED_HOLDER = re.compile(
    rf"\b(?P<post>(?:[A-Z][a-z]+\s+){{0,3}}(?=[A-Z])(?i:{PERSON_NOUN}))\b,?\s+"
    r"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?[A-Z][a-z]+\s+[A-Z][a-z]+"
)


def keyed_by_a_post(text: str) -> bool:
    """Whether `text` is a line naming someone by a post ("- Chair: Dr Ruth Ellingham",
    "Treasurer: Ms Bridget Okoro")."""
    keyed = _KEYED_LINE.match(text)
    return keyed is not None and _POST_WORD.search(keyed.group("key")) is not None


def role_told(role: tuple[str, ...], text: str) -> bool:
    """Whether `text` names every word of the post `role`."""
    return all(thing_told(word, text) for word in role)


_POST_WORD = re.compile(
    rf"\b(?:{PERSON_NOUN}|heads?|leads?|managers?|chiefs?|deputy|deputies|assistants?)\b",
    re.I,
)


# A post by whom it serves: "the Mayor of Aldbury", "the Dean of Students", "Governor of the Bank
# of Lithuania", "Principal Fellow at the ASAN Institute".
_POST_OF = re.compile(
    rf"\b(?P<post>(?i:{PERSON_NOUN}|head|chief|governor|fellow))\s+(?:of|at)\s+(?:the\s+)?"
    r"(?P<whom>[A-Z][\w'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]*){0,3})"
)


@lru_cache(maxsize=16384)  # the same sentences come back question after question
def posts_named(text: str) -> frozenset[tuple[str, str]]:
    """The posts `text` names by whom they serve, as (post, whom's first word), lower case: a
    name may run on into the holder's ("the Minister of Foreign Affairs Bui Thanh Son")."""
    return frozenset(
        (m["post"].lower(), re.sub(r"['’]s$", "", m["whom"].split()[0].lower()))
        for m in _POST_OF.finditer(text)
    )


def another_holder(posts: AbstractSet[tuple[str, str]], text: str) -> bool:
    """Whether `text` names one of `posts` held for another ("The Mayor of Kingsford, Anthea
    Blake, ..." does not tell who the Mayor of Aldbury is) or another post of the same body
    ("Lee Jaehyon is Principal Fellow at the ASAN Institute" does not tell who its president
    is), and not the one asked."""
    told = posts_named(text)
    return not told & posts and any(
        post == asked_post or whom == asked_whom
        for post, whom in told
        for asked_post, asked_whom in posts
    )
