"""Whether the passages found answer the question: does a sentence about it hold what it asks for?

Similarity cannot tell "the documents answer this" from "the documents talk about this": a
question about a detail the documents leave out (a visitor count, a budget, who chaired a meeting)
finds the right passage with the same cosine as one they answer (dev set: median best cosine
0.64 for both). What differs is the answer itself. A question that asks for a quantity, an amount
of money, a date, a person or a place (question_types.py) is answerable only when some sentence of
the best passages is about the question (it holds enough of the question's rare words, or is
close to it in meaning) and holds a value of that kind — and, when the question names a year
("in 2010"), that year too. Questions of other kinds are not judged here.

`answering` is the whole rule as the service applies it to search's hits; the functions below
it are plain functions over strings and stem sets, so the calibration tool can judge the same
passages under other settings (stems and weights come from the keyword index).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import Protocol

from citeqa.index.retrieval import Hit
from citeqa.index.retrieval.keyword import (
    StoredCardSource,
    WordWeights,
    held_stems,
    is_stopword,
    stem_texts,
    stored_card,
    word_stems,
)

from .alternatives import another_case, another_kind, tells_the_other_end
from .coverage import (
    asked_attribute,
    askers_own,
    in_a_stated_span,
    named_places,
    programs_named,
    question_names,
    uncovered,
    uncovered_places,
    written_as_names,
)
from .highlight import (
    cosines_of,
    is_field_line,
    is_listed_field_line,
    sentences_of,
    states_nothing_of,
    titled,
)
from .lists import asks_parts, names_the_things, tells_parts, things_asked
from .named_things import another_number_of, identified_thing, identifier_of, numbered_names
from .narrowing import (
    DEFAULT_WORDS,
    VERSION,
    asks_version,
    measure_told,
    measured_thing,
    priced_thing,
    release_heading,
    sum_asked,
    thing_told,
)
from .posts import (
    another_holder,
    keyed_by_a_post,
    keyed_to_another_role,
    posts_named,
    role_asked,
    role_told,
)
from .question_types import (
    ASKS_DEFAULT,
    asked_type,
    asking_clause,
    dated,
    holds_type,
    named_too_loosely,
    years,
)
from .rows import TABLE_ROW
from .short_answer import answer_values, asks_publication, is_dateline, of_another_date
from .spelling import one_slip_apart, release_number, version_or_series

# Words that say what is asked or who says it, not what the answer is about.
_ASKING = re.compile(
    r"\b(how|what|which|when|who|whom|whose|roughly|approximately|according to|in the view of"
    r"|much|many|long|large|big|often|high|share|portion|proportion|percentage|number|amount"
    r"|figure|value|sum|total|annual|overall|year|date|month|day|name|where|city|cities|capital"
    r"|town|country|countries|nation|venue|location)\b",
    re.I,
)


def topic(question: str) -> str:
    """The question without the words that ask: what a sentence must share to be about it."""
    return _ASKING.sub(" ", question)


def asked_topic(question: str) -> str:
    """The topic of `question` without the plain words of a scene set before it
    (question_types.asking_clause), whose names and places stay: "I'm cleaning up old Vcs links
    that point at Alioth. When was Alioth shut down?" is asked of Alioth's end, not of links."""
    asking = asking_clause(question)
    if asking == question:
        return topic(question)
    scene = question[: len(question) - len(asking)]
    named = question_names(scene) + sorted(named_places(scene))
    return topic(asking) + " " + " ".join(named)


def answer_strength(
    question: str,
    topic_stems: set[str],
    weights: Mapping[str, float],
    passages: Iterable[Sequence[tuple[str, AbstractSet[str], float]]],
    min_coverage: float,
    min_cosine: float = float("inf"),
    names: Sequence[AbstractSet[str]] = (),
    setting: str = "",
    scene: AbstractSet[str] = frozenset(),
    trail: str = "",
) -> float | None:
    """How well the best answering sentence answers: its share of the topic's weight plus its
    cosine to the question (0 when unknown); None when no sentence answers.

    `passages` are the best passages, each a list of its sentences as (text, stems, cosine to
    the question; NaN when unknown); `topic_stems` the stems of `topic(question)`, `weights`
    their inverse document frequency. A sentence is about the question when it holds at least
    `min_coverage` of the topic's weight, or its cosine to the question is at least `min_cosine`
    (a paraphrase shares few words), or holds `min_coverage` of the topic left without `scene`
    (the stems only a scene set before the question holds: `scene_stems`), as a scene may
    carry the topic ("I'm adding a conf.d snippet for family substitution. Which range ...?")
    or only the asker's errand;
    it answers when it is about it and holds a value of the asked kind that the question does not
    name already, as fine as asked (short_answer.answer_values), and it or the sentence
    before it names every year and every country the question names ("in 2024, trade reached
    ... FDI amounted to"; "When did Japan ...?" is not answered by a sentence about Korea), and
    holds the stems of every other name the question uses (`names`, each a set of stems; the
    document's card counts, as its stems are each sentence's own): "When was the ASEAN-India
    Centre established?" is not answered by "The ASEAN-Korea Centre was established in 2009",
    nor by a sentence naming India among other partners but no Centre. A quantity asked by its
    measure is told in it, of the thing measured (`_measure_told`, narrowing.measured_thing:
    "the default page size" is not answered by a count of pages); counted things are named,
    not only counted, and a whole asked split is told in parts (lists.py).
    A question that asks for none of the kinds but names a country, a year or another name
    ("What did the 2024 summit say about ...?") is answered by a sentence about it with its
    names, whatever value it holds, its country and year told anywhere in the passage before it
    or in `setting` (its document's card: a dateline, a title), and so is one asking for a list
    or the parts of a whole; one asking only for a body or a file (`named_too_loosely`), or for
    none and naming nothing, by any sentence (strength 0). A version the question gives is
    named by the passage, its card or `trail` (the headings it stands under: `heading_trail`).
    """
    kind = asked_type(question)
    if named_too_loosely(question) or (kind is None and not _judged_untyped(question)):
        return 0.0
    listed = things_asked(question)
    parts = asks_parts(question)
    measured = measured_thing(question) if kind == "quantity" else None  # "page" of "page size"
    # "raised bed" of its cost; "deposit" of a deposit (not the hire fee beside it)
    priced = priced_thing(question) + sum_asked(question) if kind == "money" else ()
    best: float | None = None
    total = sum(weights.get(s, 0.0) for s in topic_stems)
    scene = scene & topic_stems
    asked_total = total - sum(weights.get(s, 0.0) for s in scene)
    wanted_years = dated(question)
    wanted_places = named_places(question)
    spelled_out = acronyms(question)
    asks_default = ASKS_DEFAULT.search(question) is not None
    # a ranking asked for a value ("Korea's top trading partner"), not "the top diplomats met"
    asks_ranking = kind is not None and _ASKS_RANKING.search(asking_clause(question)) is not None
    relation = asked_relation(question, kind) if kind else None
    asks_release = kind == "quantity" and asks_version(question)
    publication = asks_publication(question)
    versions = _versions_named(question)
    posts = posts_named(question)
    role = role_asked(question, kind)
    numbered = numbered_names(question)
    identified = identified_thing(asking_clause(question)) if kind == "specific" else None
    wanted_places = wanted_places - BLOCS_AS_NAMES
    numbers = [name for name in names if any(stem.isdigit() for stem in name)]
    dotted = _dotted_numbers_named(question)
    products = {number: name for name, number in numbered_names(question)}
    # an item under the heading of the release asked ("## [1.4.2]" over "- Bumped x/net to
    # v0.38.0 to address CVE-2025-22872") tells of that release, whatever other versions it names
    under_release = bool(versions) and all(_holds_version(v, trail) for v in versions)
    # the headings above the passage name what its lines are of, as one inside it does
    # ("Instructor Development Course (IDC)" over "2024 dates: 8–21 April, ... 14–27 October")
    trail_stems = frozenset(stem for _, stem in word_stems(trail))
    # what the document and its headings name, which no item of a changelog need repeat
    named_around = trail_stems | frozenset(stem for _, stem in word_stems(setting))
    for sentences in passages:
        passage_text = " ".join(text for text, _, _ in sentences)
        # a version the question gives ("logtrim 3.0", "the 4.0 source format") is its passage's
        # to name, its document's or a heading's it stands under: "logtrim began in 2019" does
        # not tell when 3.0 comes out
        if dotted and not all(
            _holds_release(
                number,
                f"{setting} {trail} {passage_text}",
                products.get(number),
            )
            for number in dotted
        ):
            continue
        told = setting  # the card and the passage up to the sentence judged
        # the words before a sentence, when the passage opens its document: a dateline is a
        # date in the title block, not a year heading further on
        opening = publication and _opens_the_document(sentences, setting)
        words_before = 0
        previous = ""
        previous_stems: AbstractSet[str] = frozenset()
        earlier_stems: AbstractSet[str] = frozenset()
        record: AbstractSet[str] = frozenset()  # what the record being read is of
        record_names: AbstractSet[str] = frozenset()  # the words of its lines so far
        previous_field = previous_record_line = False  # the sentence before: a record's line
        record_lead = ""  # the sentence leading into the record being read
        heading = ""  # the last heading read in the passage, and its stems: a section's
        heading_stems: AbstractSet[str] = frozenset()  # lines are about what it names
        release = ""  # the last heading naming a release ("2.4.1 — 2024-09-09")
        previous_item = (False, False)  # the sentence before: a list's item, a keyed line
        lead_in = ""  # the sentence announcing the list being read ("Current rates:")
        asked_above = ""  # the last question the passage asks (an FAQ's entry)
        lead_in_stems: AbstractSet[str] = frozenset()  # its words: what the list's lines are of
        # a table's header row: its rows' cells are of what it names ("Division | Maximum
        # average rating" over "Division 2 | 1650")
        header_stems: AbstractSet[str] = frozenset()
        header_text = ""
        in_table = False
        for i, (text, own_stems, cosine) in enumerate(sentences):
            stems = own_stems | frozenset().union(
                *(spelled_out[a] for a in own_stems & spelled_out.keys())
            )
            # a field line of a record is about what the field line before it names too, and
            # what the record's first line and the sentence leading into it name ("Here is the
            # control file dh_make created for gentoo:" ... "4 Maintainer: Josip Rodin")
            field = is_field_line(text)
            if field and previous_field:  # continues_record
                context = record | previous_stems
            else:
                context = frozenset()
                record = previous_stems | own_stems if field else frozenset()
                record_lead = previous if field else ""
            # the names a record's lines give are each line's: "- Dates: Tuesday evenings" over
            # "- Timekeeper: Mrs Doreen Wadsworth" of one series (not an interview's "Q: ...?",
            # nor a list of officers' "Chair: ...", whose lines are each of its own holder)
            record_line = field or is_listed_field_line(text)
            if not (record_line and previous_record_line):
                record_names = frozenset()
            if record_line and not text.rstrip().endswith("?") and not keyed_by_a_post(text):
                # a list's line lends its value, not its key: "- Llangollen and back: 36 hours"
                # keys its own thing (a record's field names are the record's: "Maintainer:")
                record_names |= (
                    own_stems if field else {stem for _, stem in word_stems(text.split(":", 1)[-1])}
                )
            previous_field, previous_record_line = field, record_line
            row = TABLE_ROW.search(text) is not None
            if row and not in_table:  # the table's first row: its header, unless it holds a value
                header_text = "" if _DIGIT.search(text) else text
                header_stems = frozenset() if header_text == "" else own_stems
            elif not row:
                header_text, header_stems = "", frozenset()
            context |= header_stems if row else frozenset()
            # an FAQ's answer is about what the question over it asks ("What temperature should
            # my cellar be?" over "Between 11°C and 13°C, with 12°C ideal."), not an interview's
            # answer about what its long question sets out ("AF: In light of ... China ...?")
            answering_above = (
                previous_stems
                if previous.rstrip().endswith("?")
                and len(previous.split()) <= FAQ_QUESTION_WORDS
                and not _SPEAKER.match(previous)
                else frozenset()
            )
            held = (stems | context | heading_stems | lead_in_stems) & topic_stems
            covered = sum(weights.get(s, 0.0) for s in held)
            if scene and asked_total > 0:  # the share of the topic the scene leaves, if more
                asked = sum(weights.get(s, 0.0) for s in held - scene)
                covered = max(covered, asked / asked_total * total)
            # (for whether it is about the question, not how strongly it answers)
            faq_covered = covered + sum(
                weights.get(s, 0.0) for s in (answering_above & topic_stems) - held
            )
            # a document's dateline tells when it came out, of the document its card (title,
            # byline) names: "When was the Asan paper on the CSP published?"
            dateline = (
                opening
                and words_before <= TITLE_BLOCK_WORDS
                and is_dateline(text)
                and covered >= DATELINE_COVERAGE * total
            )
            words_before += len(text.split())
            about = (
                # a question of no words to hold is about anything; one whose every word the
                # documents never use ("Where can a helicopter land?") is about none of them
                not topic_stems
                or cosine >= min_cosine
                or (total > 0 and faq_covered >= min_coverage * total)
                or dateline
                # a changelog's heading "[3.1.2] - 2024-02-03" is about the version it names,
                # whose number is no word the coverage above counts
                or (versions and all(_holds_version(version, text) for version in versions))
            )
            item = (_LIST_ITEM.match(text) is not None, _KEYED_ITEM.match(text) is not None)
            siblings = (item[0] and previous_item[0]) or (
                item[1] and previous_item[1] and not field
            )
            near = previous + " " + text
            if context:  # a record's line, under what leads into the record ("ENROLMENT
                # SUMMARY (as of 28 February 2025)" over "Screened: 311", "Randomised: 164")
                near = f"{record_lead} {near}"
            told += " " + text
            # what was said or done (no value asked) is told under a dateline or a title that
            # names the country and the year: the passage so far may name them
            where = near if kind and not dateline else told
            if (
                about
                and not (
                    wanted_years
                    and wanted_years
                    - (dated(where) - _compared_only(where))
                    - _this_year(where, stems)
                    - _the_documents_year(setting, where, told[len(setting) :])
                )
                and not (wanted_years and _yet_to_come(question, wanted_years, previous, text))
                and not (wanted_places and uncovered_places(wanted_places, where))
                and _holds_names(
                    names,
                    _named_around(
                        text,
                        stems | context | record_names | heading_stems | trail_stems,
                        # a list's item is not named by the item before it ("- Llangollen and
                        # back: 36 hours" over "- Audlem and back: 15 locks each way")
                        frozenset() if siblings else previous_stems,
                        earlier_stems,
                    )
                    | _led_into(text, sentences[i + 1 : i + 2])
                    | _spanned_numbers(numbers, near),
                    weights,
                )
                # a heading's "4.4.1." answers nothing; a line a lead-in opens ("... at:" over
                # "Llanfair Community Hall") gives what it announces
                and (not states_nothing_of(text) or previous.rstrip().endswith(":"))
                and not (asks_default and _another_setting(text, previous))
                and (
                    kind != "quantity"
                    or _measure_told(question, text, previous)
                    or (asks_release and release != "" and _measure_told(question, release, ""))
                )
                # or the heading the sentence stands under ("2. VEHICLE LIMITS" over "Maximum
                # length (Route 3): 12.0 m")
                and (measured is None or thing_told(measured, f"{heading} {near}"))
                # a price's thing may be told by the list's lead-in ("Membership ... Current
                # rates:" over "- Senior (65+): £22 a year"), the sentence after it or its
                # document's card (a lost "orchestral part" in an orchestra's hire terms)
                and all(
                    thing_told(
                        word,
                        f"{setting} {trail} {heading} {asked_above} {lead_in} {header_text} "
                        f"{near} {_next_text(sentences, i)}",
                    )
                    for word in priced
                )
                and not (asks_ranking and _RANKS.search(near) is None)
                # "the registered charity number" is a charity's: the text says whose it is
                and (identified is None or thing_told(identified, f"{heading} {near}"))
                # the fare for a child does not answer an adult's (alternatives.py)
                and not another_case(question, text, f"{heading} {lead_in} {record_lead}")
                # the seagoing crew's minimum age does not answer for the shore crew's
                and not another_kind(
                    question,
                    text,
                    f"{setting} {trail} {heading} {lead_in} {record_lead}",
                    passage_text,
                )
                and not (
                    versions and not under_release and _another_version(versions, text, previous)
                )
                and not (posts and another_holder(posts, text))
                # "Studio Manager: Ms Fiona Castellano" does not tell who the safeguarding lead is,
                # nor a number or an address told beside no treasurer the club treasurer's
                and not (role and keyed_to_another_role(role, text))
                and not (
                    role
                    and kind == "place"
                    and not role_told(role, f"{heading} {lead_in} {record_lead} {near}")
                )
                # "Talks begin at 7:30 pm" does not tell when the hall closes
                and not (kind == "date" and tells_the_other_end(question, text))
                # "Last updated 14 February 2024 by Tomás Reyes" tells when the page was
                # written, not when he joined
                and not (kind == "date" and of_another_date(question, text))
                # near the sentence, or where its document and passage so far name the thing
                # with another number only ("HALCYON-2" asked as "halcyon-1")
                and not (
                    numbered
                    and (another_number_of(numbered, near) or another_number_of(numbered, told))
                )
                and not (
                    listed is not None
                    and not names_the_things(listed, text, stems, _next_text(sentences, i))
                )
                and not (parts and not tells_parts(question, text))
                and not (relation is not None and relation.search(text) is None)
                and (
                    kind is None
                    or _holds_the_kind(question, kind, text)
                    # an item of a changelog tells its release by the heading it stands under,
                    # when it tells the change asked
                    or (
                        asks_release
                        and release != ""
                        and _holds_the_kind(question, kind, release)
                        and _tells_the_change(
                            question, f"{heading} {text}", topic_stems - named_around, weights
                        )
                    )
                )
            ):
                strength = (covered / total if total > 0 else 0.0) + (
                    0.0 if math.isnan(cosine) else cosine
                )
                best = strength if best is None else max(best, strength)
            previous, previous_stems, earlier_stems = text, own_stems, previous_stems
            previous_item = item
            in_table = row
            if asks_release and release_heading(text):
                release = text
            if text.rstrip().endswith(":"):  # a lead-in, not a heading: "Current rates:"
                lead_in, lead_in_stems = text, own_stems
            elif row:  # a table's rows are a lead-in's lines as a list's are
                pass
            elif states_nothing_of(text) or titled(text):
                heading, heading_stems = text, own_stems
            elif text.rstrip().endswith("?"):
                # an FAQ's question names what its answer prices ("Who can I contact for
                # commercial support?" over "... Support contracts start at EUR 4,800 per
                # year."), but its words are not the answer's: an interviewer's "... with China?"
                # does not make an answer about Japan one about China
                asked_above = text
                if not _LIST_ITEM.match(text):
                    lead_in, lead_in_stems = "", frozenset()
            elif not _LIST_ITEM.match(text):
                lead_in, lead_in_stems = "", frozenset()
    return best


FAQ_QUESTION_WORDS = 15  # an FAQ's entry asks in a line; an interviewer sets out a case
_SPEAKER = re.compile(r"\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s*:\s")  # "AF: ", "Ambassador Lee: "
TITLE_BLOCK_WORDS = 60  # words of a document's opening a dateline may follow (title, byline)
# Share of the question's topic a document's card must hold for its dateline to tell when the
# document the question names came out (the card's words count as each sentence's own).
DATELINE_COVERAGE = 0.4


# Share of the question's topic weight, but for what the document's card and headings name, an
# item of a changelog must hold to tell the change asked: "Dropped the legacy Merrow Sans
# Condensed family" does not tell when small caps were added.
RELEASE_ITEM_SHARE = 0.5


def _tells_the_change(
    question: str, text: str, asked: AbstractSet[str], weights: Mapping[str, float]
) -> bool:
    """Whether the changelog item `text` (with its section's heading) holds RELEASE_ITEM_SHARE of
    the weight of the stems `asked` (the question's topic but for what its document and headings
    name), and tells the kind of change the question asks, when it tells one ("Added" is not
    "removed")."""
    total = sum(weights.get(stem, 0.0) for stem in asked)
    held = {stem for _, stem in word_stems(text)} & asked
    if total and sum(weights.get(stem, 0.0) for stem in held) < RELEASE_ITEM_SHARE * total:
        return False
    kinds = [kind for kind, words in enumerate(_CHANGES) if words.search(question)]
    told = [kind for kind, words in enumerate(_CHANGES) if words.search(text)]
    return not kinds or not told or bool(set(kinds) & set(told))


# The kinds of change a changelog tells, each in the words it and a question use.
_CHANGES = tuple(
    re.compile(words, re.I)
    for words in (
        r"\b(?:add(?:s|ed|ing)?|introduc\w*|new|support(?:s|ed)? for)\b",
        r"\b(?:remov\w*|drop(?:s|ped)?|delet\w*|no longer)\b",
        r"\b(?:fix(?:es|ed)?|resolv\w*|bug)\b",
        r"\bdeprecat\w*",
        r"\b(?:rename[ds]?|renaming)\b",
    )
)


def _opens_the_document(
    sentences: Sequence[tuple[str, AbstractSet[str], float]], card: str
) -> bool:
    """Whether the passage is its document's opening: its first words are those the card
    (keyword.document_card) ends with."""
    first = " ".join(" ".join(text for text, _, _ in sentences[:3]).split()[:6])
    return bool(first) and first in " ".join(card.split())


def _next_text(sentences: Sequence[tuple[str, AbstractSet[str], float]], i: int) -> str:
    """The text of the sentence after the `i`th, or nothing at the passage's end."""
    return sentences[i + 1][0] if i + 1 < len(sentences) else ""


def _measure_told(question: str, text: str, previous: str) -> bool:
    """Whether `text` tells the measure `question` asks of (narrowing.measure_told), itself or,
    carrying on the sentence before, with it: "The maximum number of bytes in a string is
    defined by SQLITE_MAX_LENGTH. The default value of this macro is 1 billion." tells a size."""
    return measure_told(question, text) or (
        _CARRIES_ON.match(text) is not None and measure_told(question, previous)
    )


_DIGIT = re.compile(r"\d")
# An item of a list: "- Senior (65+): £22 a year", "2. Adult".
_LIST_ITEM = re.compile(r"\s*(?:[-*•–]|\d{1,2}[.)])\s")
# A sentence ending in what it announces: "Version 3.2.1, prepared by:".
_LEADS_IN = re.compile(r":\s*$")
# A line keyed by what it tells of, as a list's items are when a page drops their markers:
# "Audlem and back (short break): 15 locks each way".
_KEYED_ITEM = re.compile(r"\s*[A-Z][^:\n]{1,60}:\s+\S")
# A sentence going on about the thing the one before it named: "The default value of this macro".
_CARRIES_ON = re.compile(r"\s*(?:[\w'’-]+[\s,]+){0,5}?(?:this|these|it|its|such)\b", re.I)


# A version a question names: three parts or more ("3.2.0"), or two after the word ("version
# 3.2", "release 2.14").
_NAMED_VERSION = re.compile(
    r"(?<![\w.])v?\d+\.\d+\.\d+(?:\.\d+)*(?![\w.]*\d)|\b(?:version|release)\s+v?\d+\.\d+(?!\.?\d)",
    re.I,
)


def _holds_version(version: str, text: str) -> bool:
    """Whether `text` names `version` ("3.1.2" in "[3.1.2] - 2024-02-03", "v3.1.2") or the
    series it belongs to ("3.1.x", "3.x")."""
    return re.search(rf"(?<![\w.])v?{version_or_series(version)}(?!\w|\.\d)", text) is not None


def _holds_release(version: str, text: str, product: str | None) -> bool:
    """`_holds_version`, or `text` names it without its ".0" parts beside its `product` or a
    label ("brisk 3.0 was released", "Version 3.0" for 3.0.0; not "Apache License 2.0")."""
    if _holds_version(version, text):
        return True
    # a text names a release so only beside its product or a label ("brisk 3.0", "version
    # 3.0"): "Apache License 2.0" is no release 2.0.0
    short = release_number(version)
    if short == version:
        return False
    label = r"version|release|v" + (f"|{re.escape(product)}" if product else "")
    return re.search(rf"(?i:\b(?:{label}))\s*{re.escape(short)}(?!\w|\.\d)", text) is not None


def _versions_named(question: str) -> set[str]:
    """The versions `question` names (`_NAMED_VERSION`, or a dotted number after a name:
    "pdfmill 1.0"), as bare numbers."""
    named = {re.sub(r"^\D+", "", m.group(0)) for m in _NAMED_VERSION.finditer(question)}
    return named | {number for _, number in numbered_names(question) if "." in number}


# A dotted number: "3.0", "v1.2.0", "0.8.x" aside.
_DOTTED = re.compile(r"[vV]?\d+(?:\.\d+)+")
_CURRENCY_BEFORE = re.compile(r"[£$€¥]\s?$")


def _dotted_numbers_named(question: str) -> set[str]:
    """The versions and other dotted numbers `question` gives, but not an amount ("£3.50") nor
    one the asker tells of themselves ("We're stuck on 2.9 ...": coverage.askers_own)."""
    own = askers_own(question)
    return {
        name.lstrip("vV")
        for name in question_names(question)
        if _DOTTED.fullmatch(name)
        and name not in own
        and not any(
            _CURRENCY_BEFORE.search(question[: m.start()])
            for m in re.finditer(re.escape(name), question)
        )
    }


def _another_version(versions: set[str], text: str, previous: str = "") -> bool:
    """Whether `text`, or the sentence `previous` to it when it leads into it ("Version 3.2.1,
    prepared by:") or `text` carries on its subject ("It was prepared by ..."), names a version
    but none of `versions`: "Version 3.2.1, prepared by ..." does not tell what was prepared for
    3.2.0. A sentence of its own after one naming the versions a fix concerns ("All users of
    3.0.0 to 3.2.0 should upgrade. Reported by ...") tells of the section's version."""
    if previous and (_LEADS_IN.search(previous) or _CARRIES_ON.match(text)):
        text = previous + " " + text
    told = {m.group(0).lstrip("v") for m in VERSION.finditer(text)}
    # a release may be told without its ".0" parts: "brisk 3.0" is 3.0.0
    shortened = {release_number(v) for v in versions}
    return (
        bool(told) and not told & shortened and not any(_holds_version(v, text) for v in versions)
    )


def _anchored(question: str) -> bool:
    """Whether `question` names a country, a year or another name (coverage.question_names):
    what a sentence answering a question that asks for no value must hold ("What did the 2024
    summit say about ..."); one naming none ("What does this option do?", "Is autosave on by
    default?") is answered by any passage on its subject, a manual's entry often telling its
    setting's name only in the label line above."""
    return bool(named_places(question) or years(question) or question_names(question))


def _judged_untyped(question: str) -> bool:
    """Whether a sentence must hold something for `question` though it asks for no typed value:
    its names (`_anchored`), or the items of a list or the parts of a whole it asks for
    ("What are the eight lines of effort?", "How is the fund split?")."""
    return _anchored(question) or things_asked(question) is not None or asks_parts(question)


def _holds_the_kind(question: str, kind: str, text: str) -> bool:
    """Whether `text` holds a value of `kind` that answers `question`; a question insisting on
    the very thing may be answered in plain words ("the signing step"): holds_type judges it."""
    return holds_type(text, kind, question) and (
        # but a thing's number is a value: "our two charity shops" gives no charity number
        (kind == "specific" and identifier_of(question) is None)
        or bool(answer_values(question, text))
    )


# A sentence about someone named before it calls them "he", "his", "their": "However, his position
# shifted, culminating in three meetings with the North Korean leader in Singapore ..." is about
# the Trump named two sentences back.
_REFERS_BACK = re.compile(r"\s*(?:\w+,?\s+){0,2}?(?:he|she|his|her|they|their|its)\b", re.I)


# A byline leading into the next line: "Changes for fontconfig 2.3 packages by:" then "Keith
# Packard <keithp@...>".
_LEADS_INTO = re.compile(r"\b(?:by|from)\s*:\s*$", re.I)


def _led_into(
    text: str, following: Sequence[tuple[str, AbstractSet[str], float]]
) -> AbstractSet[str]:
    """The stems of the sentence `text` leads into with a closing "by:" or "from:"
    (`following`: it, or nothing at a passage's end), which name who did what `text` tells."""
    return following[0][1] if following and _LEADS_INTO.search(text) else frozenset()


def _named_around(
    text: str,
    stems: AbstractSet[str],
    previous: AbstractSet[str],
    earlier: AbstractSet[str],
) -> AbstractSet[str]:
    """The stems whose names a sentence holds: its own and the sentence before's, and, when it
    opens referring back with a pronoun, the one before that too."""
    named = stems | previous
    return named | earlier if _REFERS_BACK.match(text) else named


# "What is the default page size?" is not answered by "the maximum page size of 65536": a
# sentence telling another setting of the thing (a maximum, a minimum, a limit, a range) answers it
# only when it or the one before it tells the default as such ("by default", "defaults to",
# "normally", "unless ...", "when omitted"). "The server listens on port 5432" tells nothing else
# and may answer.
_OTHER_SETTING = re.compile(
    r"\b(?:maximum|minimum|max|min|upper|lower|limit|limits|limited|at most|at least|up to"
    r"|largest|smallest|highest|lowest|more than|less than|fewer than|cannot exceed|exceeds?"
    r"|between \S+ and|as (?:large|high|many|much|big|small|low|few|little) as)\b",
    re.I,
)
_TELLS_DEFAULT = re.compile(
    rf"{DEFAULT_WORDS}|\bunless\b|\botherwise\b"
    r"|\bfalls? back\b|\bomitted\b|\bnot (?:given|specified|set)\b|\bif (?:not|no|none|unset)\b"
    r"|\bwhen (?:not|no|unset)\b|\bpreset\b",
    re.I,
)


# "Which country is Korea's largest trading partner?" asks which comes first in an order: a
# sentence that ranks nothing ("Korea's trade with China has slowed") does not say.
_ASKS_RANKING = re.compile(
    r"\b(?:largest|biggest|smallest|highest|lowest|greatest|fastest|slowest|longest|shortest"
    r"|most (?:important|populous|common|popular|visited|significant)|top"
    # not a filename's "leading numbers", a line's "leading spaces"
    r"|leading(?!\s+(?:numbers?|digits?|zeros?|zeroes|spaces?|characters?|whitespace|slash)))\b",
    re.I,
)
_RANKS = re.compile(
    r"\b\w+est\b|\b(?:most|least|top|leading|main|major|primary|chief|principal|first|second"
    r"|third|fourth|fifth|rank\w*|maximum|minimum|max|min|limit\w*|record|peak|upper|lower"
    r"|number one|No\.\s?1|dominant|dominates|the bulk|of all)\b|\bthan any\b",
    re.I,
)


# A question asking where a body sits, when or by whom it came to be, or when someone was born
# or died asks of that relation: "Where is AFoCO headquartered?" is not answered by a meeting
# AFoCO held in Seoul, nor "When was the Centre in Bangkok founded?" by an agreement it signed in
# 2019, after a sentence on when another centre opened. The answering sentence itself tells the
# relation, in one of the many words it goes by ("is run from", "dates back to", "the brainchild
# of", "(1815-1852)"). The question's verb closes its clause ("When was X founded?", "... founded
# by?"), so "the newly established fund" or "based on" asks of no relation.
_ASKS_BUILT = re.compile(
    r"\b(?:was|were|is|are|has been|have been)\s+(?:\S+\s+){0,8}?(?:built|constructed|erected)\b",
    re.I,
)
_RELATIONS: tuple[tuple[re.Pattern[str], frozenset[str], re.Pattern[str]], ...] = (
    (
        re.compile(r"\bheadquarter(?:s|ed)\b|\bwhere\b[^?]*\bbased\b(?!\s+on)|\bbased in wh", re.I),
        frozenset({"place"}),
        re.compile(
            r"\b(?:headquarter\w*|HQ|based|seat(?:ed)?|located|locat\w+|secretariats?|offices?"
            r"|home|sits?|situated|run from|operat\w+ (?:out of|from)|works? out of|hosted|housed"
            r"|resid\w+|domicil\w+|registered|campus|establish\w* in|relocat\w*|moved"
            r"|liv(?:e|es|ing) in)\b",
            re.I,
        ),
    ),
    (
        re.compile(
            r"(?<!that )(?<!which )(?<!who )\b(?:was|were|is|are|has been|have been|be)\s+"
            r"(?!(?:\S+\s+){0,8}?(?:newly|recently|that|which)\b)(?:\S+\s+){0,8}?(?:first\s+)?"
            r"(?:founded|established|set up|created|formed|inaugurated|launched|opened)"
            r"\s*(?:\?|by\b|in\b|as\b|$)"
            r"|^\s*who\s+(?:founded|established|set up|created|formed)\b",
            re.I,
        ),
        frozenset({"date", "person"}),
        re.compile(
            r"\b(?:found(?:ed|ing|ers?)|cofound\w*|co-found\w*|establish\w*|set up|sets up"
            r"|setting up|creat\w+|form(?:ed|ation|ing)|inaugura\w*|launch\w*|open(?:ed|ing|s)?"
            r"|start\w*|began|begun|begin\w*|since|birth|born|incorporat\w*"
            r"|came into (?:being|existence)|entered into force|dates? (?:back|from)|origins?|roots"
            r"|goes back|constitut\w+|charter\w*|instituted|grew out of|spun (?:out|off)"
            r"|conceiv\w+|first (?:held|edition)|releas\w+|went live|debut\w*|made available"
            r"|shipped|came out|kick\w* off|rolled out|unveil\w*|introduc\w*|brainchild"
            r"|dreamed up|written|develop\w*|design\w*|initiat\w*|pioneer\w*|held|lift\w* off"
            r"|orbit|welcom\w*|first \w+ed|first students)\b",
            re.I,
        ),
    ),
    (
        # a building's: "When was the clubhouse built?" is not answered by an AGM held in it
        _ASKS_BUILT,
        frozenset({"date", "person"}),
        re.compile(
            r"\b(?:built|build\w*|rebuilt|construct\w*|erect\w*|dates? (?:back|from)|completed"
            r"|opened|architect\w*|designed)\b",
            re.I,
        ),
    ),
    (
        re.compile(r"\b(?:born|died|die)\b(?!\s+out)", re.I),
        frozenset({"date", "place"}),
        re.compile(
            r"\b(?:born|birth\w*|died|death|dead|passed away|native of|killed|executed"
            r"|assassinat\w*|perish\w*|succumb\w*|lost (?:his|her|their|its) li(?:fe|ves)|shut down"
            r"|discontinued|abandoned|closed)\b"
            # "(1815-1852)", "(7 November 1867 – 4 July 1934)", "b. 1815"
            r"|\bb\.\s*\d|\([^()]*\b\d{3,4}\s*[-–]\s*[^()]*\b\d{3,4}\)",
            re.I,
        ),
    ),
)


# A body or a person is named with a capital ("the Nordic Energy Council", "Ada Lovelace"); "When
# was bug 4512 opened?" or "When is the backup created?" asks of no founding.
_NAMED_SUBJECT = re.compile(r"(?<=\S\s)[A-Z]")


def asked_relation(question: str, kind: str) -> re.Pattern[str] | None:
    """What a sentence must say to tell the relation `question` asks of a named body or person
    (`_RELATIONS`), or None when it asks of none."""
    # a building is asked of its building whatever its name's case ("When was the clubhouse
    # built?" is not answered by the AGM held in it)
    if _NAMED_SUBJECT.search(question) is None and not _ASKS_BUILT.search(question):
        return None
    for asks, kinds, tells in _RELATIONS:
        if kind in kinds and asks.search(question):
            return tells
    return None


def _another_setting(text: str, before: str) -> bool:
    """Whether `text` tells another setting than the default (a maximum, a limit, a range) and
    neither it nor the sentence `before` it tells the default as such ("By default, the client
    retries. It makes at most 3 attempts." tells it)."""
    return (
        _OTHER_SETTING.search(text) is not None
        and _TELLS_DEFAULT.search(before) is None
        and _TELLS_DEFAULT.search(text) is None
    )


# "This year marks the 20th anniversary" in a piece whose card dates it 2025 answers "in 2025", and
# "About 12 fellowships will be awarded in this call" in a call for 2025 answers "the 2025 call".
_THIS_YEAR = re.compile(
    r"\b(?:this|the current) (?:year|call|round|edition|season|cycle|term|semester|session"
    r"|programme|program)\b",
    re.I,
)


def _the_documents_year(card: str, text: str, passage: str) -> set[str]:
    """The year a document is of, when its card names one only ("Financial summary for the year
    ended 31 December 2023") or a year running over two ("Annual Report 2023/24 ... 1 April
    2023 to 31 March 2024"), and neither `text` nor the `passage` read so far names another
    (a later one: an earlier is its history, "Founded 1978"): "Retained for reserves: £20,860"
    is 2023's, but a list led into by "The officers for 2024-25 are:" is not of the year the
    rules were adopted."""
    named = _without_history(dated(card))
    if not named:
        return set()
    first = min(int(year[:4]) for year in named)
    last = max(int(year[-4:]) for year in named)
    if last - first > 1:  # one year, or a year running over two ("1 April 2023 to 31 March 2024")
        return set()
    # a year the text names is another period it is of, but an earlier one it is compared with:
    # "TOTAL: 112.2 tonnes (2023: 147.5 tonnes)" in a 2024 report
    compared = {
        year for m in _COMPARED_YEAR.finditer(text) if int(year := m.group(1) or m.group(2)) < first
    }
    if dated(text) - compared:
        return set()
    # an earlier year the passage names is the document's history ("Founded 1978"), not
    # another period it is of
    later = {other for other in dated(passage) - named if int(other[:4]) > last}
    return set() if later else named


# What a text says of a year whose figures it does not give yet: "Fees for 2026/27 will be
# published in March 2026", "Dates for 2027 are to be confirmed".
_YET_TO_COME = re.compile(
    r"\b(?:will|shall)\s+be\s+(?:published|announced|confirmed|set|agreed|decided|released"
    r"|posted|available)\b|\bto\s+be\s+(?:confirmed|announced|decided|agreed|set)\b"
    r"|\bnot\s+(?:yet\s+)?(?:been\s+)?(?:published|announced|confirmed|set|decided|known)\b"
    r"|\btbc\b|\btba\b",
    re.I,
)
_ASKS_WHEN_TOLD = re.compile(r"\b(?:publish|announc|confirm|releas|decid)\w*", re.I)


def _yet_to_come(question: str, asked: set[str], previous: str, text: str) -> bool:
    """Whether the years `asked` are named, in `text` or the sentence `previous` to it, only by
    one saying their figures are still to come: "Fees for 2026/27 will be published in March
    2026. Every fee is made up of ... £120" tells no fee for 2026/27 (but when it comes out)."""
    if _ASKS_WHEN_TOLD.search(question):
        return False
    naming = [part for part in (previous, text) if asked & dated(part)]
    return bool(naming) and all(_YET_TO_COME.search(part) for part in naming)


# A year another figure is measured against: "an increase of 4.9% on 2023/24", "10% up on 2023",
# "higher than in 2022" (not "up from 2,986 in 2022", which gives 2022's figure).
_MEASURED_AGAINST = re.compile(
    r"\b(?:on|over|than(?:\s+in)?|against|versus|vs\.?|compared (?:with|to))\s+(?:the\s+)?"
    r"((?:19|20)\d\d(?:\s*[-/–]\s*\d{2,4})?)\b",
    re.I,
)


def _compared_only(text: str) -> set[str]:
    """The years and periods `text` names only as what another figure is measured against: "a
    Band D charge of £71.18, an increase of 4.9% on 2023/24" gives no charge for 2023/24."""
    against = [m for m in _MEASURED_AGAINST.finditer(text)]
    if not against:
        return set()
    compared = set().union(*(dated(m.group(1)) for m in against))
    return compared - dated(_MEASURED_AGAINST.sub(" ", text))


# A year a figure is set beside: "(2023: 147.5 tonnes)", "up from 96 in 2023", "against 2023's".
_COMPARED_YEAR = re.compile(
    r"\((?:[^()]*?\s)?((?:19|20)\d\d)\b[^()]*\)"
    r"|\b(?:than|from|against|versus|vs\.?|compared (?:with|to))\s+(?:in\s+)?((?:19|20)\d\d)\b",
    re.I,
)
HISTORY_YEARS = 3  # a year this much older than the latest a card names is its history


def _without_history(named: set[str]) -> set[str]:
    """The years and periods a document's card names but those well before the latest: a
    "Membership Guide 2024/25" that was "Founded 1978" is of 2024."""
    if len(named) < 2:
        return named
    latest = max(int(year[:4]) for year in named)
    return {year for year in named if int(year[-4:]) > latest - HISTORY_YEARS}


def _this_year(text: str, stems: AbstractSet[str]) -> set[str]:
    """The years "this year" in `text` may stand for: those its document's card names (a
    sentence's `stems` hold its card's, years among them), none when it does not say so."""
    if _THIS_YEAR.search(text) is None:
        return set()
    return {stem for stem in stems if len(stem) == 4 and years(stem)}


@lru_cache(maxsize=1024)  # asked once per judged passage of the same question
def acronyms(question: str) -> Mapping[str, frozenset[str]]:
    """The acronyms a sentence may use for phrases of `question`, each with the phrase's stems:
    "overseas development assistance" -> "oda", "Plan of Action" -> "poa". A sentence holding
    the acronym holds the phrase's words ("30 per cent of the ROK's ODA")."""
    words = re.findall(r"[A-Za-z][\w'’-]*", question)
    stems = [frozenset(found) for found in stem_texts(words)] if words else []
    out: dict[str, frozenset[str]] = {}
    for i in range(len(words)):
        for n in range(2, 7):
            phrase = words[i : i + n]
            if len(phrase) < n or is_stopword(phrase[0]) or is_stopword(phrase[-1]):
                continue
            every = "".join(w[0] for w in phrase).lower()
            content = "".join(w[0] for w in phrase if not is_stopword(w)).lower()
            for acronym in {every, content}:
                if len(acronym) >= 3:
                    out[acronym] = out.get(acronym, frozenset()).union(*stems[i : i + n])
    return out


def _spanned_numbers(numbers: Sequence[AbstractSet[str]], text: str) -> AbstractSet[str]:
    """The stems of the question's whole numbers (`numbers`: names with a number's stem) that
    `text` holds within a span (coverage.in_a_stated_span): "a 15-year-old" in "Climbers aged
    14 to 17"."""
    held: set[str] = set()
    for name in numbers:
        if any(stem.isdigit() and in_a_stated_span(stem, text) for stem in name):
            held |= name
    return held


def _holds_names(
    names: Sequence[AbstractSet[str]], stems: AbstractSet[str], weights: Mapping[str, float]
) -> bool:
    """Whether `stems` hold the question's `names` (each a set of stems, held when one of them
    is) but for less than MAX_MISSING_NAMES of their weight (a name weighs its stems' heaviest
    inverse document frequency): a sentence may call a long name by part of it ("the Fund",
    "the ABC projects"), not leave out the rare word that tells it from another ("the ASEAN-India
    Centre" asked of a sentence naming ASEAN and India but no Centre)."""
    weight = [max((weights.get(s, 0.0) for s in name), default=0.0) for name in names]
    missing = sum(w for name, w in zip(names, weight, strict=True) if not name & stems)
    return missing == 0 or missing < MAX_MISSING_NAMES * sum(weight)


# Calibrated with `make calibrate` (eval/calibrate.py) on the two dev sets: over the grid 1, 3 or
# 5 passages x coverage 0.1-0.5 x sentence cosine 0.50-0.75 or none, the setting that abstains on
# the most unanswerable questions with false abstentions at most 5 % of each set's answerable
# ones; its neighbours hold up (docs/abstention.md). The cosine is the knob exposed as a setting,
# CITEQA_ABSTAIN_SENTENCE_COSINE.
ANSWER_PASSAGES = 5  # the best passages whose sentences may hold the answer
MIN_TOPIC_COVERAGE = 0.2  # share of the topic's stem weight a sentence must hold to be about it
MIN_SENTENCE_COSINE = 0.7  # or: a sentence this close to the question in meaning is about it
MAX_MISSING_NAMES = 1 / 3  # share of the question's names' weight an answering sentence may lack
# Of the passages that answer, one whose answering sentence is more about the question (its
# share of the topic's weight plus its cosine, 0-2) goes first when it outweighs the difference
# in search score: at 0.2-0.3 the dev sets' short answers held the answer most often with no
# set's MRR@10 lower; sorted by the strength alone, two sets' MRR@10 fell.
STRENGTH_WEIGHT = 0.25
# A passage answering "according to Ambassador Lee, ..." from a document whose card names him
# answers more closely than any passage from another source: more than strength's whole range.
SOURCE_BONUS = 2.0


def answering(
    question: str,
    hits: Sequence[Hit],
    keyword: WordWeights,
    documents: Mapping[str, StoredPassageSetting],
    min_answer_score: float,
    min_sentence_cosine: float = MIN_SENTENCE_COSINE,
) -> list[bool]:
    """Of the first ANSWER_PASSAGES `hits`, which answer `question` (`answer_strengths`)."""
    return [
        strength is not None
        for strength in answer_strengths(
            question, hits, keyword, documents, min_answer_score, min_sentence_cosine
        )
    ]


def answer_strengths(
    question: str,
    hits: Sequence[Hit],
    keyword: WordWeights,
    documents: Mapping[str, StoredPassageSetting],
    min_answer_score: float,
    min_sentence_cosine: float = MIN_SENTENCE_COSINE,
) -> list[float | None]:
    """Of the first ANSWER_PASSAGES `hits`, how well each answers `question` (`answer_strength`;
    None for a passage that does not answer): the best cosine among them must reach
    `min_answer_score` (the off-topic floor, CITEQA_MIN_ANSWER_SCORE); every country and year
    the question names must appear in them or their documents' cards (coverage.py); and a
    passage answers when a sentence of it is about the question with its names (and, for a
    question asking for a quantity, date, person, place, rank or amount, holds one:
    `answer_strength`). `documents`: the index's live documents (their cards are read for the
    names the sentences need not repeat)."""
    judged = len(hits[:ANSWER_PASSAGES])
    if not above_floor(hits, min_answer_score) and not _holds_all_it_names(question, hits, keyword):
        return [None] * judged
    named = named_places(question) or years(question) or question_names(question)
    texts_and_cards = _texts_and_cards(hits, documents)
    if (named or programs_named(question)) and uncovered(question, texts_and_cards):
        return [None] * judged  # the passages are about another country, or another year
    # a question asking no typed value asks an attribute the texts must name: "What is the
    # postcode of ...?" (a typed one's value may tell its measure: "up to 15.5 mph")
    attribute = asked_attribute(question) if asked_type(question) is None else None
    if attribute and not _attribute_told(attribute, texts_and_cards, keyword):
        return [None] * judged
    if asked_type(question) is None and not _judged_untyped(question):
        return [0.0] * judged  # nothing a sentence must hold
    texts, sentences, cards, trails = abstention_inputs(hits, documents)
    return answering_passages(
        question, texts, keyword, sentences, min_sentence_cosine, cards, trails
    )


def answer_first(hits: Sequence[Hit], answers: Sequence[float | None]) -> list[Hit]:
    """`hits` with those of the judged ones that answer moved ahead of those that do not
    (`answers`: each judged hit's `answer_strengths`, None when it does not answer): a passage
    holding the date asked for goes before a closer one about the same event that does not give
    it. Those that answer go by their search score plus STRENGTH_WEIGHT x their strength, those
    that do not keep their order."""
    judged = list(hits[: len(answers)])
    pairs = list(zip(judged, answers, strict=True))
    answering_hits = [(hit, strength) for hit, strength in pairs if strength is not None]
    answering_hits.sort(key=lambda pair: -(pair[0].score + STRENGTH_WEIGHT * pair[1]))
    behind = [hit for hit, strength in pairs if strength is None]
    return [hit for hit, _ in answering_hits] + behind + list(hits[len(answers) :])


def _texts_and_cards(hits: Sequence[Hit], documents: Mapping[str, StoredCardSource]) -> list[str]:
    judged = hits[:ANSWER_PASSAGES]
    return [hit.passage.text for hit in judged] + [
        stored_card(documents[hit.passage.doc_id]) for hit in judged
    ]


def _attribute_told(attribute: str, texts: list[str], keyword: WordWeights) -> bool:
    """Whether `texts` name the attribute a question asks (coverage.asked_attribute) under any
    of its forms, with or without its hyphen ("halflife"), or misspelt by one letter either way
    (spelling.one_slip_apart)."""
    wanted = keyword.stems([attribute])[0]
    held = set().union(*held_stems(texts))
    if wanted <= held:
        return True
    joined = attribute.replace("-", "")
    words = {word.replace("-", "") for word in _HYPHENATED(" ".join(texts).lower())}
    return joined in words or (
        len(joined) >= 5 and any(one_slip_apart(joined, word) for word in words)
    )


_HYPHENATED = re.compile(r"[a-z]+(?:-[a-z]+)*").findall


def _holds_all_it_names(question: str, hits: Sequence[Hit], keyword: WordWeights) -> bool:
    """Whether one of the judged passages holds every word `question` asks of (its topic), the
    question naming something (coverage.question_names) or asking of two words or more: "What's
    YCAFE?" and "which university is ratih indraswari from" have too little meaning for the
    off-topic floor's cosine, and are on topic where a passage names them."""
    wanted = keyword.stems([topic(question)])[0]
    if not (question_names(question) or len(wanted) >= 2):
        return False
    held = held_stems([hit.passage.text for hit in hits[:ANSWER_PASSAGES]])
    return bool(wanted) and any(wanted <= stems for stems in held)


def above_floor(hits: Sequence[Hit], min_answer_score: float) -> bool:
    """Whether the best cosine among `hits` reaches `min_answer_score`."""
    return max((hit.dense_score for hit in hits), default=-1.0) >= min_answer_score


class StoredPassageSetting(StoredCardSource, Protocol):
    """A document as an index version keeps it, with its outline (textstore.StoredDocument)."""

    def heading_trail(self, offset: int) -> list[str]: ...


def abstention_inputs(
    hits: Sequence[Hit], documents: Mapping[str, StoredPassageSetting]
) -> tuple[list[str], list[tuple[tuple[int, int, float], ...]], list[str], list[str]]:
    """What the rule reads of the first ANSWER_PASSAGES hits: their texts, their sentences'
    cosines, their documents' cards (`judged_passages`) and the headings each stands under
    (`heading_trail`)."""
    judged = hits[:ANSWER_PASSAGES]
    return (
        [hit.passage.text for hit in judged],
        [hit.sentences for hit in judged],
        [stored_card(documents[hit.passage.doc_id]) for hit in judged],
        [heading_trail(documents[hit.passage.doc_id], hit.passage.start) for hit in judged],
    )


def heading_trail(doc: StoredPassageSetting, start: int) -> str:
    """The titles of the headings the passage starting at `start` stands under: a changelog's
    item cut from its release's heading ("[v1.6.0] — 2024-06-25" over "Changed" over "- The
    block cache now uses S3-FIFO") is still that release's."""
    return ". ".join(doc.heading_trail(start))


def answering_passages(
    question: str,
    passage_texts: list[str],
    keyword: WordWeights,
    sentence_cosines: Sequence[Sequence[tuple[int, int, float]]] = (),
    min_sentence_cosine: float = MIN_SENTENCE_COSINE,
    cards: Sequence[str] = (),
    trails: Sequence[str] = (),
) -> list[float | None]:
    """For each of the first ANSWER_PASSAGES passages, how well a sentence of it answers
    `question`, None when none does (`answer_strength`), with stems and weights from the index's
    keyword side.
    `sentence_cosines`, `cards`: as `judged_passages` takes them. `min_sentence_cosine`: the
    setting CITEQA_ABSTAIN_SENTENCE_COSINE (lower: fewer false abstentions, fewer unanswerable
    questions caught)."""
    topic_stems, weights = topic_weights(question, keyword)
    scene = scene_stems(question, keyword)
    names = name_stems(question, keyword)
    # a name typed in lower case, which the passages write as one ("rnli" as "RNLI")
    asking = asking_clause(question)
    typed = written_as_names(
        question if _REFERS_BACK_TO_SCENE.search(asking) else asking, [*passage_texts, *cards]
    )
    names += [stems for stems in keyword.stems(typed) if stems] if typed else []
    # a name held by a form the question does not use ("20th" for "20") weighs as that form does
    weights |= {stem: keyword.idf(stem) for name in names for stem in name if stem not in weights}
    passages = judged_passages(passage_texts[:ANSWER_PASSAGES], keyword, sentence_cosines, cards)
    strengths = [
        answer_strength(
            question,
            topic_stems,
            weights,
            [passage],
            MIN_TOPIC_COVERAGE,
            min_sentence_cosine,
            names,
            cards[i] if i < len(cards) else "",
            scene,
            trails[i] if i < len(trails) else "",
        )
        for i, passage in enumerate(passages)
    ]
    source = _source_stems(question, keyword)
    if source and cards:
        card_stems = keyword.stems(list(cards[: len(strengths)]))
        for i, strength in enumerate(strengths):
            if strength is not None and all(name & card_stems[i] for name in source):
                strengths[i] = strength + SOURCE_BONUS
    return strengths


def _source_stems(question: str, keyword: WordWeights) -> list[AbstractSet[str]]:
    """The stems of each name in the clause of `question` that names its source ("according
    to Ambassador Lee": Ambassador, Lee)."""
    clause = _SOURCE.search(question)
    if clause is None:
        return []
    names = [name for name in question_names(" " + clause.group(0)) if not years(name)]
    return [stems for stems in keyword.stems(names) if stems] if names else []


# "According to Ambassador Lee, ...", "In the Asan brief's view, ...", "What does the New
# Maintainers' Guide suggest ...": who says it, which the passage's document must name
# (coverage.uncovered), not each of its sentences.
_SOURCE = re.compile(
    r"\b(according to|in the view of|as reported by)\b[^,?]*|\bin [^,?]*['’]s? view\b"
    # a document that says it: "does the New Maintainers' Guide suggest", not a person or a
    # body, who may be what the question is about ("did President Yoon say")
    r"|\b(?:does|do|did)\s+(?:the\s+)?(?:[\w'’.+-]+\s+){0,4}?(?:guide|manual|faq|handbook"
    r"|reference|readme|documentation|docs|wiki|page|report|brief|paper|article|notes|book"
    r"|tutorial|howto|specification|spec)\s+(?:say|suggest|recommend|advise|state|mention)\b",
    re.I,
)


# A bloc is the subject of its own documents, which need not name it in every sentence ("The
# Charter was adopted on 20 November 2007" in an ASEAN text): asked of a sentence as a name is
# (its document's card counts), not as a country is.
BLOCS_AS_NAMES = frozenset({"asean"})


# "it", "its" and a person's pronouns stand for a name; "that" ("How much money was that?") and
# "they" ("how many times do they call ...?") for a value or a kind the scene describes as often.
_REFERS_BACK_TO_SCENE = re.compile(r"\b(?:it|its|he|him|his|she|her)\b", re.I)


def name_stems(question: str, keyword: WordWeights) -> list[AbstractSet[str]]:
    """The stems of each name `question` uses (coverage.question_names: not its countries,
    which go by aliases, nor its years, judged apart; nor those naming its source), as the
    keyword index stems them; a bloc it names by any of its names by its canonical one
    (BLOCS_AS_NAMES: "Southeast Asians" -> asean)."""
    # a scene set before the question names its setting, unless the question refers back to
    # it: "Setting up the macOS build: who maintains it?" asks of macOS
    asking = asking_clause(question)
    if _REFERS_BACK_TO_SCENE.search(asking):
        asking = question
    own = askers_own(question) if asking == question else set()
    names = [
        name
        for name in question_names(_SOURCE.sub(" ", asking))
        if not years(name) and name not in own
    ]
    # a whole number is held by its ordinal too: "20 years" by "the 20th Anniversary"; the end
    # of a year running over two by its year: "2023-24" by "the year ended 31 March 2024"
    names = [
        f"{name} {name}th {name}st {name}nd {name}rd {_year_ended(question, name)}"
        if name.isdigit()
        else name
        for name in names
    ]
    names += sorted(named_places(question) & BLOCS_AS_NAMES)
    return [stems for stems in keyword.stems(names) if stems] if names else []


def _year_ended(question: str, number: str) -> str:
    """The year `number` ends in `question`'s year running over two ("2024" for the "24" of
    "2023-24"), or nothing."""
    over_two = re.search(rf"\b(1[89]|20)\d\d\s*[-‐–/]\s*{number}\b", question)
    return f"{over_two.group(1)}{number}" if over_two and len(number) == 2 else ""


def topic_weights(question: str, keyword: WordWeights) -> tuple[set[str], dict[str, float]]:
    """The stems of `topic(question)` and their inverse document frequencies in the index."""
    stems = keyword.stems([topic(question)])[0]
    return stems, {stem: keyword.idf(stem) for stem in stems}


def scene_stems(question: str, keyword: WordWeights) -> frozenset[str]:
    """The stems of `question`'s topic that only a scene set before it holds (`asked_topic`)."""
    whole, asked, own = keyword.stems(
        [topic(question), asked_topic(question), topic(asking_clause(question))]
    )
    # "KASI has eight lines of effort. What are they?": an asking clause of no words of its own
    # is asked of the whole question
    return frozenset(whole - asked) if own else frozenset()


def judged_passages(
    passage_texts: Sequence[str],
    keyword: WordWeights,
    sentence_cosines: Sequence[Sequence[tuple[int, int, float]]] = (),
    cards: Sequence[str] = (),
) -> list[list[tuple[str, AbstractSet[str], float]]]:
    """The passages as `answer_strength` reads them: per passage, its sentences as (text, stems,
    cosine to the question).

    `sentence_cosines`: per passage, its sentences as (start, end, cosine), as search found them
    (`Hit.sentences`); a passage without them is judged by its words alone (cosine NaN).
    `cards`: per passage, its document's card (keyword.document_card), whose stems count as
    every sentence's own: the words that name the source ("according to Indraswari", "the Asan
    brief") are not asked of each sentence, as the keyword index does not ask them of each
    passage."""
    card_stems = keyword.stems(list(cards)) if cards else []
    passages: list[list[tuple[str, AbstractSet[str], float]]] = []
    for i, text in enumerate(passage_texts):
        found = sentences_of(text)
        known = sentence_cosines[i] if i < len(sentence_cosines) else ()
        cosines = cosines_of([sentence.span for sentence in found], known, text)
        extra = card_stems[i] if i < len(card_stems) else set()
        passages.append(
            [
                (text[a:b], sentence.stems | extra, cosine)
                for sentence, cosine in zip(found, cosines, strict=True)
                for a, b in [sentence.span]
            ]
        )
    return passages
