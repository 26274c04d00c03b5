"""Whether the passages found cover what the question pins down: each country or bloc it names,
and each year.

A question about another country than the documents' ("What did Japan pledge to ASEAN in
2023?") finds the same passages, with the same cosines, as the one they answer about Korea; what
tells them apart is that no passage names Japan. So every country (or bloc, or its people: "the
Japanese government") and every year the question names must appear in the judged passages or
their documents' cards, under one of its usual names ("ROK", "South Korea", "Republic of Korea").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from citeqa.corpus.sentences import split_sentences
from citeqa.index.retrieval.keyword import is_stopword

from .numbers import CARDINALS
from .places import COUNTRIES
from .question_types import asking_clause, years
from .rows import LETTERED_NAME, is_record, keyed_by_a_band
from .spelling import one_slip_apart, release_number

# The names a country or bloc goes by in English texts, its people's adjective and its capital (as
# news writes "Seoul and Tokyo" for the two governments) among them: the first is the canonical
# one. Countries not listed here go by their name alone.
ALIASES: tuple[tuple[str, ...], ...] = (
    ("korea", "south korea", "republic of korea", "rok", "korean", "koreans", "seoul"),
    ("united states", "u.s.", "us", "usa", "america", "american", "americans", "washington"),
    ("european union", "eu", "european", "brussels"),
    (
        "asean",
        "southeast asia",
        "south-east asia",
        "southeast asian",
        "south-east asian",
        "southeast asians",
        "south-east asians",
    ),
    ("united kingdom", "uk", "britain", "british", "london"),
    ("japan", "japanese", "tokyo"),
    ("china", "chinese", "prc", "beijing"),
    ("india", "indian", "indians", "new delhi"),
    ("australia", "australian", "australians", "canberra"),
    ("new zealand", "new zealander", "wellington"),
    ("canada", "canadian", "canadians", "ottawa"),
    ("russia", "russian", "russians", "moscow", "kremlin"),
    ("laos", "lao pdr", "lao", "vientiane"),
    ("viet nam", "vietnam", "vietnamese", "hanoi", "ha noi"),
    ("myanmar", "burma", "myanmarese", "naypyidaw", "nay pyi taw"),
    ("philippines", "filipino", "filipinos", "philippine", "manila"),
    ("indonesia", "indonesian", "indonesians", "jakarta"),
    ("malaysia", "malaysian", "malaysians", "kuala lumpur"),
    ("singapore", "singaporean", "singaporeans"),
    ("thailand", "thai", "bangkok"),
    ("cambodia", "cambodian", "cambodians", "phnom penh"),
    ("brunei", "brunei darussalam", "bruneian", "bandar seri begawan"),
    ("timor-leste", "east timor", "timorese", "dili"),
    ("germany", "german", "germans", "berlin"),
    ("france", "french", "paris"),
    # renamed: a list follows the new name, its readers may keep the old
    ("türkiye", "turkey", "turkiye", "ankara"),
    ("czechia", "czech republic"),
    ("eswatini", "swaziland"),
    ("cabo verde", "cape verde"),
    ("côte d'ivoire", "cote d'ivoire", "ivory coast"),
)
_CANONICAL = {name: names[0] for names in ALIASES for name in names}
_NAMES = {names[0]: names for names in ALIASES}
# Names a question may use for a country beyond COUNTRIES: blocs, short forms, its people.
_OTHER_NAMES = "|".join(
    re.escape(name) for name in sorted(_CANONICAL, key=len, reverse=True) if name not in ("us",)
)
# A name ends at a word's end; a hyphen may join two names ("ROK-US"), not a name and a word.
_LONGEST_FIRST = "|".join(sorted(COUNTRIES.split("|"), key=len, reverse=True))
_NAMED = re.compile(rf"\b({_LONGEST_FIRST}|US|{_OTHER_NAMES})(?!\w|(?-i:-[a-z]))", re.I)


_CURRENCY_AFTER = re.compile(r"\s*(dollars?|\$|cents?)\b", re.I)
# A city named in a title: "the Paris Agreement", "the Vienna Convention", "the Seoul Forum".
_TITLE_AFTER = re.compile(
    r"\s+(?:(?i:agreements?|accords?|declarations?|conventions?|protocols?|charter|consensus"
    r"|treaty)|Principles|Process|Forum|Statement|Plan)\b"
)


@lru_cache(maxsize=1024)  # asked of each judged sentence of the same question
def named_places(question: str) -> frozenset[str]:
    """The countries and blocs `question` names, each by its canonical name (lower case)."""
    return frozenset(place for _, _, place in place_mentions(question))


def place_mentions(text: str) -> list[tuple[int, int, str]]:
    """Where `text` names a country or bloc, under any of its names ("Malaysian", "the ROK's"):
    (start, end, canonical name) each, in order."""
    return list(_place_mentions(text))


@lru_cache(maxsize=16384)  # the same sentences come back question after question
def _place_mentions(text: str) -> tuple[tuple[int, int, str], ...]:
    found = []
    for match in _NAMED.finditer(text):
        name = match.group(0)
        if name.lower() == "us" and name != "US":
            continue  # the pronoun "us", not the United States
        if _CURRENCY_AFTER.match(text, match.end()):
            continue  # "US dollars" names a currency, not the country
        if _TITLE_AFTER.match(text, match.end()):
            continue  # "the Paris Agreement", "the New Delhi Declaration" name no place
        found.append((*match.span(), _CANONICAL.get(name.lower(), name.lower())))
    return tuple(found)


def uncovered(question: str, texts: Iterable[str]) -> list[str]:
    """What `question` names (countries, blocs, years, other names, programs named in lower
    case) that none of `texts` mentions."""
    joined = " ".join(texts)
    places = named_places(question)
    lower = joined.lower()
    return (
        uncovered_places(places, joined)
        + sorted(years(question) - years(joined))
        + uncovered_names(question, joined)
        + [name for name in programs_named(question) if not re.search(rf"\b{name}\b", lower)]
    )


# A name in a question: a capitalised word that does not open it, an acronym, or a word with a
# digit or an inner capital ("PostgreSQL", "libtasn1", "5.0", "ISO").
_NAME = re.compile(
    r"(?<![\w.-])(?:[A-Z][\w.+-]*|\w*\d[\w.+-]*(?:,\d{3})*|[a-z]+[A-Z][\w.+-]*)(?<![.-])"
)  # "250,000" is one number
# Capitalised words that start a clause or address the reader rather than name anything.
_NOT_NAMES = frozenset(
    "i a an the what which who whom whose when where why how is are was were do does did can could"
    " should would will may might must in on at of for to by from with and or if url urls"
    " id ids".split()  # "the advisory ID" asks for one: the text gives it, not the word
)


# Software and systems people name in lower case as often as not ("max columns in a postgresql
# table", "fedora's fontconfig", "zsh's run time"): the passages must hold them, as they must a
# capitalised name (`uncovered`). A text names such a program once for a whole section ("Tarn
# ships a unit file for systemd."), so no sentence is asked to repeat it. Words that are also
# plain words ("windows", "arch", "fish", "dash", "rpm", "cairo") are left out, and so are short
# forms ("postgres" for PostgreSQL).
SOFTWARE_NAMES = frozenset(
    "ubuntu kubuntu xubuntu fedora centos rhel opensuse suse slackware manjaro archlinux"
    " freebsd openbsd netbsd macos android"
    " postgresql mysql mariadb duckdb mongodb redis sqlserver mssql cassandra couchdb"
    " zsh ksh tcsh csh busybox powershell"
    " python python3 perl php golang rustc nodejs javascript typescript kotlin"
    " dnf yum pacman zypper flatpak homebrew npm conda rpmlint"
    " kde gnome xfce lxde lxqt pango gtk qt wayland xorg"
    " systemd upstart sysvinit openrc nginx lighttpd httpd docker podman kubernetes"
    " openssl gnutls libressl libksba libgcrypt zlib glibc musl llvm clang gcc"
    " emacs vim neovim vscode".split()
)


def programs_named(question: str) -> list[str]:
    """The programs and systems of SOFTWARE_NAMES `question` names in lower case, and the code
    names its asking clause gives: words joined by underscores ("temporal_tables") or three or
    more joined by hyphens ("strimzi-kafka-operator"), which no English compound is without a
    small word inside ("out-of-hours", "up-to-date", "binary-vs-text")."""
    return [
        word
        for word in re.findall(r"(?<![\w.-])[a-z][a-z0-9]+(?![\w-])", question)
        if word in SOFTWARE_NAMES
    ] + [
        name
        for name in _CODE_NAME.findall(asking_clause(question))  # not a scene's "binary-vs-text"
        if "_" in name or not any(is_stopword(part) or part in _JOINING for part in name.split("-"))
    ]


_JOINING = frozenset("vs versus v via per cum".split())  # "binary-vs-text" joins two words


# A code name in lower case: "strimzi-kafka-operator", "temporal_tables".
_CODE_NAME = re.compile(r"(?<![\w.-])[a-z][a-z0-9]*(?:(?:-[a-z0-9]+){2,}|(?:_[a-z0-9]+)+)(?![\w-])")


def question_names(question: str) -> list[str]:
    """The names `question` uses (`_names_of`; a new list, the caller's to keep)."""
    return list(_names_of(question))


@lru_cache(maxsize=1024)  # asked of the same question by each check
def _names_of(question: str) -> tuple[str, ...]:
    """The names `question` uses (see _NAME), its first word and the country and bloc names
    `named_places` reads aside, possessives stripped; a hyphenated name gives its parts that are
    names themselves ("ASEAN-ROK" -> "ASEAN", "ROK"; "Korean-language" -> "Korean")."""
    places = [m.span() for m in _NAMED.finditer(question)]
    # where a sentence of the question opens: "... in a dataset. According to Indraswari, ..."
    openings = {len(question) - len(question.lstrip())} | {
        m.end() for m in _SENTENCE_OPENING.finditer(question)
    }
    names = []
    for match in _NAME.finditer(question):
        first = match.start() in openings and not re.search(r"\d|\w[A-Z]", match.group(0))
        if first or any(a <= match.start() < b for a, b in places):
            continue  # an opening capital, no name ("7th asean-korea day ..." opens with one)
        name = re.sub(r"['’]s$", "", match.group(0))
        if _NUMBERED_NAME.fullmatch(name):
            names.append(name)  # "Latin-1" is not "Latin-2", nor "UTF-8" a "UTF-16"
            continue
        for part in re.split(r"[-‐–]", name):
            if len(part) > 1 and part.lower() not in _NOT_NAMES and _NAME.fullmatch(part):
                names.append(part)
    # a month typed in lower case pins a date as its capitalised name does ("on 8 august")
    names += _LOWER_CASE_DATE_WORD.findall(question)
    # a thing lettered as one of a series is named whole: "Studio C" is not "Studio A"
    names += [m.group(0) for m in LETTERED_NAME.finditer(question)]
    # a command-line option is named whole: "--min-workers" is not "--max-workers"
    names += _OPTION.findall(question)
    return tuple(names)


# A word typed in lower case ("rnli charity number", "chf to eur") that the texts only ever
# write in capitals, as an acronym or a code: a name. (A capitalised word is no such sign: headings
# and table cells capitalise any word.)
_LOWER_WORD = re.compile(r"(?<![\w'’.-])[a-z][a-z\d]{1,}(?![\w'’-])")


def written_as_names(question: str, texts: Iterable[str]) -> list[str]:
    """The words `question` types in lower case that `texts` write only in capitals, each as
    the texts write it: "rnli" as "RNLI"."""
    words = [
        word
        for word in dict.fromkeys(_LOWER_WORD.findall(question))
        if not is_stopword(word) and word not in _NOT_NAMES
    ]
    if not words:
        return []
    joined = "\n".join(texts)
    names = []
    for word in words:
        if word.upper() not in joined:  # the cheap test first: most words are never in capitals
            continue
        found = list(re.finditer(rf"(?<![\w'’-]){word}(?![\w'’-])", joined, re.I))
        if found and all(_an_acronym(joined, m) for m in found):
            names.append(found[0].group(0))
    return names


_SHOUTED = re.compile(r"(?:\d|\b[A-Z]{2,}),?\s+$")  # "90 DAYS", "DO NOT"
_SHOUTED_ON = re.compile(r",?\s+[A-Z]{2,}\b")


def _an_acronym(text: str, word: re.Match[str]) -> bool:
    """Whether `word` is written in `text` as an acronym ("the RNLI"), not a word in capitals
    for emphasis ("within 90 DAYS", "up to THREE parcels", "DO NOT LAUNCH") nor a heading in
    capitals ("CONTACT")."""
    a, b = word.span()
    line_start, line_end = text.rfind("\n", 0, a) + 1, text.find("\n", b)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    return (
        word.group(0).isupper()
        and word.group(0).lower() not in CARDINALS
        and not _SHOUTED.search(text, max(0, a - 12), a)
        and not _SHOUTED_ON.match(text, b)
        and any(c.islower() for c in line)  # not a heading in capitals ("CONTACT")
    )


# not "may" nor "march", words of their own; a day of the week pins a date too ("on a sunday")
_LOWER_CASE_DATE_WORD = re.compile(
    r"\b(?:january|february|april|june|july|august|september|october|november|december"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b"
)


_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z\d]*(?:-[a-z\d]+)+")
_SENTENCE_OPENING = re.compile(r"[.!?:;]\s+(?=[A-Z])")
# A name whose last part is a number: "Latin-1", "UTF-8", "ISO-8859-1", not a year ("2024-25").
_NUMBERED_NAME = re.compile(r"[A-Za-z][\w.+]*(?:[-‐–][\w.+]+)*[-‐–]\d+")


# A name with its number: "Debian 13", "Python 3.11", "ISO 639-3". The number alone is found in
# most manuals; the pair is what pins the question down.
_VERSIONED = re.compile(r"(?<![\w.-])([A-Z][\w+]*)\s+(\d+(?:[.-]\d+)*(?:\.[xX*])?)(?![\w%*]|\.\d)")


def _pair_pattern(name: str) -> str:
    """A versioned name as a pattern over lower-case text: any space or hyphen between, or none,
    or the word version ("GNU Libtasn1 (version 4.19.0, ..."), no longer number."""
    named, number = name.lower().rsplit(maxsplit=1)
    between = r"(?:[\s-]*|\s*[(,]?\s*(?:version|release)\s+)"  # "ROUTE1", "Debian-12" too
    return rf"(?<!\w){re.escape(named)}{between}{re.escape(number)}(?!\w|\.\d)"


def versioned_names(question: str) -> list[str]:
    """The names of `question` followed by a number that is not a year ("Debian 13")."""
    return [
        f"{m.group(1)} {m.group(2)}"
        for m in _VERSIONED.finditer(question)
        if not years(m.group(2)) and m.group(1).lower() not in _NOT_NAMES
    ]


# "20 years of dialogue relations" is told as "the 20th Anniversary": a whole number named is
# held by its ordinal too.
ORDINAL = r"(?<=\d)(?:st|nd|rd|th)"


def uncovered_names(question: str, text: str) -> list[str]:
    """The names of `question` (question_names; countries and years are judged with their
    aliases elsewhere) that `text` never uses, ignoring case and a plural's "s": "What port does
    PostgreSQL use?" asked of documents that never say PostgreSQL; and its versioned names
    (`versioned_names`) that `text` never uses as a pair: "Debian 13" asked of notes on Debian 12
    that mention 13 packages."""
    lower = text.lower()
    own = askers_own(question)
    plain = [
        name
        for name in question_names(question)
        if not years(name)
        and name not in own
        and not re.search(_name_pattern(name), lower)
        and not _told_otherwise(name, text, lower)
        and not in_a_stated_span(name, text)
    ]
    versioned = [
        name
        for name in versioned_names(question)
        if not re.search(_pair_pattern(name), lower) and not _dotted_version_told(name, lower)
    ]
    return plain + versioned


# "What is the postcode of Malton station?", "What is the half-life of orvanetide?": an attribute
# asked of a thing, by the noun before "of", "for", "in", ... (up to four words, none a
# function word), a past participle after it set aside ("the official name recorded for").
_ASKS_ATTRIBUTE = re.compile(
    r"^\s*(?:what|which)\s+(?:is|are|was|were)\s+"
    r"(?:(?:the|a|an|its|their|his|her|your|my|our|this|that|these|those|any)\s+|[\w.-]+['’]s\s+)?"
    r"(?P<words>(?:[\w-]+\s+){1,4}?)(?:of|for|in|on|at)\b",
    re.I,
)
# Nouns that name no attribute of their own: what any value is ("value", "number", "name"), what
# a name is called ("title", "slogan", "nickname"), a bound ("limit", "ceiling"), a kind, a way.
# A text gives these without the word: "the Vision's slogan" is told as "under the banner '...'".
_NO_ATTRIBUTE = frozenset(
    "name names title titles called label labels tagline slogan motto catchphrase nickname"
    " theme number numbers value values figure amount total sum date dates time times year years"
    " day days period kind kinds type types sort sorts form way ways thing things part parts"
    " role roles purpose reason reasons difference point idea meaning status step steps process"
    " procedure rule rules policy option options command commands setting settings file files"
    " list limit limits ceiling cap maximum minimum max min range level levels cost costs price"
    " prices fee fees rate rates one ones address email e-mail web url website link line string"
    " code codes id identifier".split()
)


_PARTICIPLE = re.compile(r"[a-z]{2,}[^e]ed")  # "recorded", "used", not "speed"


def asked_attribute(question: str) -> str | None:
    """The attribute `question` asks of a thing, in lower case ("postcode" for "What is the
    postcode of Malton station?"), or None: when it asks none, or one that names no attribute of
    its own (_NO_ATTRIBUTE) or is a name ("What is the ISO code of ...")."""
    asked = _ASKS_ATTRIBUTE.match(asking_clause(question))
    if asked is None:
        return None
    words = asked.group("words").split()
    while len(words) > 1 and _PARTICIPLE.fullmatch(words[-1].lower()):
        words.pop()  # "the official name recorded for"
    head = words[-1].lower()
    if any(is_stopword(word) for word in words) or _NAME.fullmatch(words[-1]):
        return None  # "the maximum I can ask for", "the ISO code of"
    if head in _NO_ATTRIBUTE or any(one_slip_apart(head, word) for word in _NO_ATTRIBUTE):
        return None  # "the web adress of"
    return head


# Where a text says the value is kept rather than giving it: "The password is on the card in your
# room", "The keypad code is on your booking confirmation", "Ask at reception for the padlock
# code", "available on request".
_KEPT_ON = (
    r"(?:the|your|a|an|each|our)\s+(?:[\w-]+\s+){0,2}?(?:card|cards|confirmation|folder|website"
    r"|site|page|e-?mail|letter|booking|pack|receipt|invoice|portal|app|account|booklet|leaflet"
    r"|sign|noticeboard|notice board|door|fridge|reception|desk|office|handbook|contract)s?\b"
)


def _defers(attribute: str, sentence: str) -> bool:
    """Whether `sentence` tells only where `attribute`'s value is found (`_KEPT_ON`), or that
    it is to be asked for."""
    word = re.escape(attribute)
    return (
        re.search(
            rf"\b{word}\w*\s+(?:is|are|will be|can be)\s+(?:\w+\s+)?(?:on|in|at|from)\s+{_KEPT_ON}"
            rf"|\b{word}\w*\s+(?:is|are)\s+(?:available\s+)?on request\b"
            rf"|\b(?:ask|request|contact|phone|call|e-?mail)\b[^.;]{{0,40}}\bfor\s+(?:the|a|your)\s+"
            rf"(?:[\w-]+\s+)?{word}",
            sentence,
            re.I,
        )
        is not None
    )


def texts_giving(attribute: str, question: str, texts: list[str]) -> list[str]:
    """`texts` without the sentences that name `attribute` only to tell where its value is
    kept (`_defers`), and without other things' records keying it ("postcode: HF9 1BT" in the
    record of another site than the one `question` names): what is left may give its value."""
    names = [name.lower() for name in question_names(question)]
    kept = []
    for text in texts:
        if attribute not in text.lower():
            kept.append(text)
            continue
        sentences = [text[a:b] for a, b in split_sentences(text)] or [text]
        kept.append(
            " ".join(
                sentence
                for sentence in sentences
                if attribute not in sentence.lower()
                or not (
                    _defers(attribute, sentence)
                    or (
                        names
                        and is_record(sentence)  # a spreadsheet's row
                        and not any(
                            re.search(rf"(?<!\w){re.escape(name)}(?!\w)", sentence.lower())
                            for name in names
                        )
                    )
                )
            )
        )
    return kept


# A span of whole numbers a text gives: "aged 14 to 17", "14-17", "between 3 and 5". (A bound
# alone, "more than 30", holds any larger number, "US$230 million" among them.)
_NUMBER_SPAN = re.compile(
    r"(?<![\w.,])(?:between\s+)?(?P<low>\d+)\s*(?:-|–|—|to|through|and)\s*(?P<high>\d+)(?![\w.,]\d)"
)


def in_a_stated_span(number: str, text: str) -> bool:
    """Whether the whole `number` lies in a span of numbers `text` gives: "15" in "Climbers aged
    14 to 17", "800" in a table's fee band "£500.01 to £1,000 | £85"; not "5" in "1-4
    bedrooms"."""
    if not number.replace(",", "").isdigit():
        return False
    n = int(number.replace(",", ""))
    return any(
        int(m["low"]) <= n <= int(m["high"]) and int(m["low"]) < int(m["high"])
        for m in _NUMBER_SPAN.finditer(text)
    ) or keyed_by_a_band(text, float(n))


def _dotted_version_told(name: str, lower: str) -> bool:
    """Whether `lower` names a versioned name's product and, anywhere, its version of three
    parts or a series ("3.2.1", "2.x"): release notes head a section "3.2.1" and name the
    product elsewhere, or two parts labelled as one ("Version 4.0 is planned ..."). A whole
    number ("Debian 13") or two parts unlabelled ("4.20", a section's number too) are held only
    in their pair, as "13 packages" would hold "13"."""
    named, number = name.lower().rsplit(maxsplit=1)
    # "4.20" may be a section's number; "3.2.1", "3.0.x" and "version 4.0" are versions
    labelled = rf"(?:\b(?:version|release)\s+|(?<![\w-])v){re.escape(number)}(?!\w|\.\d)"
    if number.count(".") == 1 and re.search(labelled, lower):
        return re.search(rf"(?<!\w){re.escape(named)}(?!\w)", lower) is not None
    if number.count(".") < 2 and not number.endswith((".x", ".*")):
        return False
    return (
        re.search(rf"(?<!\w){re.escape(named)}(?!\w)", lower) is not None
        and re.search(rf"(?<![\w.]){re.escape(number)}(?!\w|\.\d)", lower) is not None
    )


# A scene in which the asker speaks of themselves: "I'm a postdoc in Kiel", "We're driving down
# from Leeds".
# "we" opening a sentence too ("We're still on 0.8.1 ..."); not "US"
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|i'm|i’m|(?i:we|we're|we’re|we've|my|our))\b")


def askers_own(question: str) -> set[str]:
    """The names of a scene set before the question that are the asker's to tell, not facts to
    look up: a number they give ("A statement with 5000 placeholders fails. Since which version
    ...?") and where they are or what they have (`_asker_is_at`)."""
    asking = asking_clause(question)
    scene = question[: len(question) - len(asking)]
    return {
        name
        for name in question_names(scene)
        if name.isdigit() or _asker_is_at(name, scene, asking)
    } - set(question_names(asking))


def _asker_is_at(name: str, scene: str, asking: str) -> bool:
    """Whether a `scene` in which the asker speaks of themselves names `name` ("I'm a postdoc in
    Kiel", "I'm setting up backups on a new Ubuntu server") and the question it leads into
    neither names it nor refers back to it ("... When was it shut down?", "What changed in that
    release?"): where they are and what they have are theirs to tell, not facts the documents
    must name."""
    # where the asker comes from or is ("driving over from Newtown") is referred back to as a
    # place ("there"); "it" in the question is then the thing asked about
    placed = re.search(
        rf"\b(?:I|we|We)(?:['’]m|['’]re| am| are)?\s+(?:[\w'’-]+\s+){{0,3}}?"
        rf"(?:from|in|at|near|around|outside)\s+{re.escape(name)}\b",
        scene,
    )
    refers_back = (_REFERS_TO_A_PLACE if placed else _REFERS_BACK).search(asking)
    return (
        _FIRST_PERSON.search(scene) is not None
        and refers_back is None
        and re.search(rf"\b{re.escape(name)}\b", asking) is None
    )


_REFERS_TO_A_PLACE = re.compile(
    r"\b(?:there|(?:that|this)\s+(?:city|town|village|place|area|region|country))\b", re.I
)


_REFERS_BACK = re.compile(
    r"\b(?:it|its|they|them|their|there|he|him|his|she|her)\b"
    # "that release", "this version"; not "that is", "does that?"
    r"|\b(?:that|this|these|those)\s+(?!(?:is|are|was|were|has|have|had|can|could|will|would"
    r"|should|do|does|did|may|might|must)\b)[a-z]+",
    re.I,
)


# A keyword in capitals given an English ending: "ATTACHes", "PDFs", "SELECTed".
_INFLECTED_CAPITALS = re.compile(r"([A-Z]{2,})(?:s|es|ed|d|ing)")


_RELEASE = re.compile(r"[vV]?(\d+(?:\.\d+)+)")


def _name_pattern(name: str) -> str:
    """How a text may write `name`, in lower case: in any case, with or without a plural's "s"
    or an ordinal's ending, a digit joined on ("debian12"); a name ending in a number with or
    without its hyphen ("Latin-1": "latin1"); a keyword in capitals with any English ending
    ("ATTACHes": "attach", "attached")."""
    inflected = _INFLECTED_CAPITALS.fullmatch(name)
    if release := _RELEASE.fullmatch(name):
        # "1.3.0" as "v1.3.0" or "1.3", "v1.3.0" as "1.3.0", "1.3" within "1.3.1"
        number = release_number(release.group(1))
        return rf"(?<![\w.])v?{re.escape(number)}(?:\.\d+)*(?!\w)"
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", name):  # "250,000": "250000", "250 000" too
        return r"(?<![\w.,])" + r"[,\s]?".join(name.split(",")) + r"(?![\w]|[.,]\d)"
    if inflected:
        form = rf"{re.escape(inflected.group(1).lower())}(?:e?s|e?d|ing)?"
    elif _NUMBERED_NAME.fullmatch(name):  # "Latin-1": "latin-1", "latin 1", "latin1"
        form = r"[-‐–\s]?".join(re.escape(part) for part in re.split(r"[-‐–]", name.lower()))
        return rf"(?<!\w){form}(?!\w)"
    else:
        singular = re.sub(r"(?<=\w)s$", "", name.lower())
        form = rf"{re.escape(singular)}(?:s|{ORDINAL})?"
    return rf"(?<!\w){form}(?![^\W\d])"


# A people's or language's word ends its country's name: "Sierra Leonean" for "Sierra Leone",
# "Canadian" for "Canada".
_DEMONYM_END = re.compile(r"(?:ean|ian|an|ese|ish)$", re.I)


def _told_otherwise(name: str, text: str, lower: str) -> bool:
    """Whether `text` names `name` in another form: its place's name for a people's word
    ("Leonean": "Leone"), or its words for an acronym ("RC": "release-critical")."""
    stem = _DEMONYM_END.sub("", name.lower())
    place = (
        rf"(?<!\w){re.escape(stem)}(?:a|ia|e|y|o)?(?!\w)"  # "leone", "croatia", not "individual"
    )
    if stem != name.lower() and len(stem) >= 4 and re.search(place, lower):
        return True
    month = _MONTH_NUMBER[name.lower()[:3]] if _MONTH_NAME.fullmatch(name) else None
    if month is not None and _numeric_date(month).search(text):
        return True  # "November 2024" told as "2024.11.21." or "21/11/2024"
    if not re.fullmatch(r"[A-Z]{2,5}", name):
        return False
    # spelled out as one hyphenated word or in capitalised words, not any words that happen to
    # begin with its letters
    hyphenated = "-".join(rf"{c}[a-z'’]*" for c in name.lower())
    capitalised = r"\s+".join(rf"{c}[a-z'’]*" for c in name)
    return (
        re.search(rf"(?<!\w){hyphenated}(?![\w-])", lower) is not None
        or re.search(rf"(?<!\w){capitalised}(?!\w)", text) is not None
    )


# A month a question names, by its name or its abbreviation, and its number.
_MONTH_NUMBER = {
    name: number
    for number, name in enumerate(
        "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1
    )
}
_MONTH_NAME = re.compile(
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?",
    re.I,
)


@lru_cache(maxsize=12)
def _numeric_date(month: int) -> re.Pattern[str]:
    """A date written in digits in `month`: year first ("2024.11.21", "2024-11-21") or day first
    ("21/11/2024", "21.11.2024"); a month first ("11/21/2024") is read too, as American texts
    write it."""
    m = rf"0?{month}"
    year = r"(?:19|20)\d\d"
    day = r"(?:0?[1-9]|[12]\d|3[01])"
    return re.compile(
        rf"(?<![\d.]){year}([-./]){m}\1{day}(?!\d)"
        rf"|(?<![\d.]){day}([-./]){m}\2{year}(?!\d)"
        rf"|(?<![\d.]){m}/{day}/{year}(?!\d)"
    )


def uncovered_places(places: Iterable[str], text: str) -> list[str]:
    """The places (canonical names, from `named_places`) that `text` does not mention."""
    return [
        place
        for place in sorted(places)
        if not any(_mentions(text, name) for name in _NAMES.get(place, (place,)))
    ]


def _mentions(text: str, name: str) -> bool:
    """Whether `text` names `name` as a word of its own: "Korea-ASEAN" and "ROK-US" name both,
    "Korean-language" no country (a hyphen before a small letter joins a word, not a name)."""
    if name == "us":  # only the capitalised abbreviation counts in a text, never the pronoun
        return re.search(r"(?<![\w.])US(?!\w|-[a-z])", text) is not None
    found = re.search(rf"(?<![\w.]){re.escape(name)}(?!\w|(?-i:-[a-z]))", text, re.I)
    return found is not None
