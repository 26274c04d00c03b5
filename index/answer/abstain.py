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
    texts_giving,
    uncovered,
    uncovered_places,
    written_as_names,
)
from .highlight import (
    cosines_of,
    sentences_of,
    states_nothing_of,
)
from .lists import asks_parts, names_the_things, tells_parts, things_asked
from .named_things import another_number_of, identified_thing, identifier_of, numbered_names
from .narrowing import (
    VERSION,
    asks_release_of,
    measure_told,
    measured_thing,
    priced_thing,
    sum_asked,
    thing_told,
)
from .passage_reading import (
    CARRIES_ON,
    DATELINE_COVERAGE,
    TITLE_BLOCK_WORDS,
    PassageReading,
    led_into,
    named_around,
    next_text,
    opens_the_document,
)
from .patterns import asks
from .periods import compared_only, the_documents_year, this_year, yet_to_come
from .posts import (
    another_holder,
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
from .relations import ASKS_RANKING, RANKS, another_setting, asked_relation
from .releases import (
    another_version,
    asks_release_date,
    dotted_numbers_named,
    holds_release,
    holds_version,
    tells_release,
    tells_the_change,
    versions_named,
)
from .rows import another_rows_case
from .short_answer import answer_values, asks_publication, is_dateline, of_another_date
from .spelling import one_slip_apart

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
    asks_default = asks(ASKS_DEFAULT, question) is not None
    # a ranking asked for a value ("Korea's top trading partner"), not "the top diplomats met"
    asks_ranking = kind is not None and asks(ASKS_RANKING, asking_clause(question)) is not None
    relation = asked_relation(question, kind) if kind else None
    asks_release = asks_release_of(question, kind)
    publication = asks_publication(question)
    release_date = kind == "date" and asks_release_date(question)
    versions = versions_named(question)
    posts = posts_named(question)
    role = role_asked(question, kind)
    numbered = numbered_names(question)
    identified = identified_thing(asking_clause(question)) if kind == "specific" else None
    wanted_places = wanted_places - BLOCS_AS_NAMES
    numbers = [name for name in names if any(stem.isdigit() for stem in name)]
    dotted = dotted_numbers_named(question)
    products = {number: name for name, number in numbered_names(question)}
    # an item under the heading of the release asked ("## [1.4.2]" over "- Bumped x/net to
    # v0.38.0 to address CVE-2025-22872") tells of that release, whatever other versions it names
    under_release = bool(versions) and all(holds_version(v, trail) for v in versions)
    # the headings above the passage name what its lines are of, as one inside it does
    # ("Instructor Development Course (IDC)" over "2024 dates: 8–21 April, ... 14–27 October")
    trail_stems = _stem_set(trail)
    # what the document and its headings name, which no item of a changelog need repeat
    named_by_setting = trail_stems | _stem_set(setting)
    for sentences in passages:
        passage_text = " ".join(text for text, _, _ in sentences)
        lines = [text for text, _, _ in sentences]
        # a version the question gives ("logtrim 3.0", "the 4.0 source format") is its passage's
        # to name, its document's or a heading's it stands under: "logtrim began in 2019" does
        # not tell when 3.0 comes out
        if dotted and not all(
            holds_release(
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
        opening = publication and opens_the_document(sentences, setting)
        reading = PassageReading()
        for i, (text, own_stems, cosine) in enumerate(sentences):
            stems = own_stems | frozenset().union(
                *(spelled_out[a] for a in own_stems & spelled_out.keys())
            )
            sentence = reading.read(text, own_stems)
            context, near, previous = sentence.context, sentence.near, reading.previous
            heading, lead_in, record_lead = reading.heading, reading.lead_in, reading.record_lead
            held = (
                stems | context | sentence.carried | reading.heading_stems | reading.lead_in_stems
            ) & topic_stems
            covered = sum(weights.get(s, 0.0) for s in held)
            if scene and asked_total > 0:  # the share of the topic the scene leaves, if more
                asked = sum(weights.get(s, 0.0) for s in held - scene)
                covered = max(covered, asked / asked_total * total)
            # (for whether it is about the question, not how strongly it answers)
            faq_covered = covered + sum(
                weights.get(s, 0.0) for s in (sentence.answering_above & topic_stems) - held
            )
            # a document's dateline tells when it came out, of the document its card (title,
            # byline) names: "When was the Asan paper on the CSP published?"
            dateline = (
                opening
                and sentence.words_before <= TITLE_BLOCK_WORDS
                and is_dateline(text)
                and covered >= DATELINE_COVERAGE * total
            )
            about = (
                # a question of no words to hold is about anything; one whose every word the
                # documents never use ("Where can a helicopter land?") is about none of them
                not topic_stems
                or cosine >= min_cosine
                or (total > 0 and faq_covered >= min_coverage * total)
                or dateline
                # a changelog's heading "[3.1.2] - 2024-02-03" is about the version it names,
                # whose number is no word the coverage above counts
                or (versions and all(holds_version(version, text) for version in versions))
            )
            told += " " + text
            # what was said or done (no value asked) is told under a dateline or a title that
            # names the country and the year: the passage so far may name them
            where = near if kind and not dateline else told
            if (
                about
                and not (
                    wanted_years
                    and wanted_years
                    - (dated(where) - compared_only(where))
                    - this_year(where, stems)
                    - the_documents_year(setting, where, told[len(setting) :])
                )
                and not (wanted_years and yet_to_come(question, wanted_years, previous, text))
                and not (wanted_places and uncovered_places(wanted_places, where))
                and _holds_names(
                    names,
                    named_around(
                        text,
                        stems
                        | context
                        | sentence.record_names
                        | reading.heading_stems
                        | trail_stems,
                        # a list's item is not named by the item before it ("- Llangollen and
                        # back: 36 hours" over "- Audlem and back: 15 locks each way")
                        frozenset() if sentence.siblings else reading.previous_stems,
                        reading.earlier_stems,
                    )
                    | led_into(text, sentences[i + 1 : i + 2])
                    | _spanned_numbers(numbers, near),
                    weights,
                )
                # a heading's "4.4.1." answers nothing; a line a lead-in opens ("... at:" over
                # "Llanfair Community Hall") gives what it announces
                and (not states_nothing_of(text) or previous.rstrip().endswith(":"))
                and not (asks_default and another_setting(text, previous))
                and (
                    kind != "quantity"
                    or _measure_told(question, text, previous)
                    or (
                        asks_release
                        and reading.release != ""
                        and _measure_told(question, reading.release, "")
                    )
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
                        f"{setting} {trail} {heading} {reading.asked_above} {lead_in} "
                        f"{reading.header_text} {near} {next_text(sentences, i)}",
                    )
                    for word in priced
                )
                and not (asks_ranking and RANKS.search(near) is None)
                # "the registered charity number" is a charity's: the text says whose it is
                and (identified is None or thing_told(identified, f"{heading} {near}"))
                # the fare for a child does not answer an adult's (alternatives.py)
                and not another_case(question, text, f"{heading} {lead_in} {record_lead}")
                # "Community Room | Northfield | ..." is not the Community Room at Harbourside
                # its table gives another row of
                and not (sentence.row and another_rows_case(question, i, lines))
                # the seagoing crew's minimum age does not answer for the shore crew's
                and not another_kind(
                    question,
                    text,
                    f"{setting} {trail} {heading} {lead_in} {record_lead}",
                    passage_text,
                )
                and not (
                    versions and not under_release and another_version(versions, text, previous)
                )
                # "Released: 11 June 2023" under "## 2.4.0" tells no date of 2.5.0
                and not (
                    versions
                    and reading.release
                    and not VERSION.search(text)
                    and another_version(versions, reading.release)
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
                    and not names_the_things(listed, text, stems, next_text(sentences, i))
                )
                and not (parts and not tells_parts(question, text))
                and not (relation is not None and relation.search(text) is None)
                # "2.5.x receives security fixes until 31 December 2024" tells no release date
                and not (release_date and not tells_release(text, reading.header_text))
                and (
                    kind is None
                    or _holds_the_kind(question, kind, text)
                    # "Travel and subsistence 24,000" under "BUDGET BREAKDOWN (£)"
                    or (
                        kind == "money"
                        and _BARE_AMOUNT.search(text) is not None
                        # (the heading may stand over the table's header and rule)
                        and _IN_A_CURRENCY.search(told[-CURRENCY_REACH:]) is not None
                    )
                    # an item of a changelog tells its release by the heading it stands under,
                    # when it tells the change asked
                    or (
                        asks_release
                        and reading.release != ""
                        and _holds_the_kind(question, kind, reading.release)
                        and tells_the_change(
                            question,
                            f"{heading} {text}",
                            topic_stems - named_by_setting,
                            weights,
                        )
                    )
                )
            ):
                strength = (covered / total if total > 0 else 0.0) + (
                    0.0 if math.isnan(cosine) else cosine
                )
                best = strength if best is None else max(best, strength)
            reading.move_past(text, own_stems, sentence, asks_release or bool(versions))
    return best


# A heading or a table's header telling the currency of the amounts under it: "BUDGET BREAKDOWN
# (100% FEC, £)", "Amount (EUR)", "Prices in GBP".
_IN_A_CURRENCY = re.compile(
    r"[(,]\s*(?:[£$€¥]|GBP|EUR|USD|CHF|AUD|CAD)\s*\)|\bin\s+(?:[£$€]|GBP|EUR|USD|pounds|euros"
    r"|dollars)\b|(?<![\w$£€])(?:[£$€])(?=\s*$)"
)
CURRENCY_REACH = 400  # characters back to a heading that tells the currency of an amount
# An amount without its currency, as a column of them gives it: "24,000", "1,250.50".
_BARE_AMOUNT = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d\d)?(?![\w.,]|\s*%)")


def _measure_told(question: str, text: str, previous: str) -> bool:
    """Whether `text` tells the measure `question` asks of (narrowing.measure_told), itself or,
    carrying on the sentence before, with it: "The maximum number of bytes in a string is
    defined by SQLITE_MAX_LENGTH. The default value of this macro is 1 billion." tells a size."""
    return measure_told(question, text) or (
        CARRIES_ON.match(text) is not None and measure_told(question, previous)
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


@lru_cache(maxsize=4096)  # a passage's card and headings come back question after question
def _stem_set(text: str) -> frozenset[str]:
    return frozenset(stem for _, stem in word_stems(text))


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
    if attribute and not _attribute_told(
        attribute, texts_giving(attribute, question, texts_and_cards), keyword
    ):
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
        question if asks(_REFERS_BACK_TO_SCENE, asking) else asking, [*passage_texts, *cards]
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
    clause = asks(_SOURCE, question)
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
    if asks(_REFERS_BACK_TO_SCENE, asking):
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
