"""The answering sentence: in manuals it is often a table row, a code line or a "Field: value"
line; headings and bylines say nothing and are chosen only when nothing else is there."""

from __future__ import annotations

import pytest

from citeqa.index.answer.cues import answer_cue
from citeqa.index.answer.highlight import highlight, sentences_of, states_nothing_of
from citeqa.index.answer.question_types import asked_type, person_spans
from citeqa.index.answer.short_answer import short_answer
from citeqa.index.retrieval.keyword import KeywordIndex


def _searched(passage: str, cosines: list[float]) -> list[tuple[int, int, float]]:
    """Each sentence of `passage` with its cosine to the question, as search gives them."""
    spans = [s.span for s in sentences_of(passage)]
    return [(a, b, c) for (a, b), c in zip(spans, cosines, strict=True)]


def _among_many(passage: str, n: int = 30) -> KeywordIndex:
    """An index of `passage` among `n` unrelated ones: its rare words weigh as in a real index."""
    return KeywordIndex.build(
        [passage, *(f"Passage {k} is about fonts and trees." for k in range(n))]
    )


@pytest.mark.parametrize(
    ("passage", "question", "answer"),
    [
        (
            "Numbering of configuration files\n\n00 through 09 font directories\n"
            "90 through 99 font synthesis",
            "Which file number range is used for font synthesis?",
            "90 through 99",
        ),
        (
            "Example control file\n\nMaintainer: Josip Rodin <joy@example.org>",
            "Who is the maintainer in the example control file?",
            "Josip Rodin",
        ),
        ("Comparing sources\n\n$ diff -urN foo-old foo-new", "How do I compare sources?", "diff"),
        # a table's rows read as lines, its header naming the column asked for
        (
            "Each bit turns on a kind of message. The value of the variable is a number.\n\n"
            "Name Value Meaning\n-----------------\nMATCH 1 Brief information about matching\n"
            "CACHE 16 Watch cache files being written\nCONFIG 1024 Monitor which config files "
            "are loaded\nLANG 2048 Dump char sets used for lang values",
            "Which KILN_DEBUG value reports which config files get loaded?",
            "CONFIG 1024",
        ),
    ],
)
def test_a_table_row_code_or_field_line_is_chosen_over_a_heading(
    passage: str, question: str, answer: str
) -> None:
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight(question, passage, keyword)
    assert answer in passage[start:end]


@pytest.mark.parametrize(
    ("passage", "question", "answer", "echo"),
    [
        (  # the value the question asks for is in the sentence after the one echoing it
            "The maximum number of bytes in a string is set by the macro MAX_LENGTH. "
            "The default value of this macro is one billion. You can raise it when compiling.",
            "How many bytes may a string hold by default?",
            "one billion",
            "maximum number of bytes",
        ),
        (  # ... or before it
            "In a default system there are six consoles. You can switch between the consoles "
            "with the function keys.",
            "How many consoles can I switch between?",
            "six",
            "switch between the consoles",
        ),
    ],
)
def test_the_sentence_giving_the_value_wins_over_the_one_echoing_the_question(
    passage: str, question: str, answer: str, echo: str
) -> None:
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight(question, passage, keyword)
    assert answer in passage[start:end] and echo not in passage[start:end]


def test_what_a_lead_in_announces_is_highlighted_with_it() -> None:
    passage = (
        "After your practice you can remove this account and its home directory by the "
        "following.\n\n# deluser --remove-home fish"
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    question = "How do I remove the practice account and its home directory?"
    start, end = highlight(question, passage, keyword)
    assert "deluser --remove-home fish" in passage[start:end]
    assert "remove this account" in passage[start:end]


def test_a_value_beside_the_best_sentence_joins_it_when_the_best_holds_none() -> None:
    """The echo outweighs the value's sentence (its rare words, its cosine), yet the value
    is shown with it."""
    passage = (
        "Porcelain kilns in Arita fire celadon glaze at the Arita porcelain kilns. "
        "It takes 40 hours."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    sentences = ((0, 73, 0.9), (74, 92, 0.1))
    start, end = highlight(
        "How many hours do the Arita porcelain kilns fire celadon glaze?",
        passage,
        keyword,
        sentences,
    )
    assert passage[start:end] == passage


def test_a_sentence_holding_the_value_asked_for_is_not_widened() -> None:
    passage = "The bridge opened in 1937. It was painted red in 1950. Ships pass under it daily."
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight("When did the bridge open?", passage, keyword)
    assert passage[start:end] == "The bridge opened in 1937."


@pytest.mark.parametrize(
    ("line", "nothing"),
    [
        ("Configuration files", True),  # a heading
        ("By Ratih Indraswari", True),  # a byline
        ("90 through 99 font synthesis", False),
        ("Maintainer: Josip Rodin <joy@example.org>", False),
        ("$ diff -urN foo-old foo-new", False),
        ("The bridge opened in 1937.", False),
        ("2.1 ASN.1 syntax", True),  # a numbered heading: the digits of a name are no value
        ("12.5.", True),
        ("4 Maintainer: Josip Rodin <joy@example.org>", False),  # a listing's numbered line
        ("Entry fee (unaffiliated runner) ........ £64.00", False),  # a price list's line
        ("Wheelchair athlete . . . . . . £40.00", False),
        ("E102 | A setting has the wrong type", False),  # a table's row keyed by a code
        ("Code | Meaning", True),  # its header
    ],
)
def test_what_says_nothing(line: str, nothing: bool) -> None:
    assert sentences_of(line)[0].states_nothing is nothing


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Maintainer: Josip Rodin <joy@example.org>", ["Josip Rodin", "joy@example.org"]),
        ("Copyright 1998-2010 Josip Rodin and others.", ["Josip Rodin"]),
        ("The manual was written by Simon Josefsson.", ["Simon Josefsson"]),
        ("Write to listmaster@lists.example.org for help.", ["listmaster@lists.example.org"]),
        ("The summit was hosted by South Korea.", []),  # a country, not a person
        ("The Free Trade Agreement entered into force.", []),
    ],
)
def test_people_are_named_by_where_they_stand_in_manuals(sentence: str, names: list[str]) -> None:
    assert [sentence[a:b] for a, b in person_spans(sentence)] == names


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What port does the server listen on?", "quantity"),
        ("What is the default maximum length of a string?", "quantity"),
        ("Which version added the option?", "quantity"),
        ("What was the city's unemployment rate?", "quantity"),
        ("Over which years does the plan run?", "date"),
        ("What is the default value of the setting?", None),  # a value may be a word
        ("How wide is the banner?", "quantity"),
        ("What is the weight of the parcel?", "quantity"),
        ("I have a 2 — what minimum Food Hygiene Rating do I need?", "quantity"),
        ("how loud can the band be in the barn", "quantity"),
        ("club radio frequency", "quantity"),
        ("entrance fee new flying members", "money"),
        ("What are the opening hours on Saturday?", "date"),
        ("under 12 training time", "date"),
        ("What is the head chef called?", "person"),
        ("What is the discount code for Deer Park?", "specific"),
        ("fee waiver policy", None),
        ("How much to cremate my hamster and get the ashes back?", "money"),
        # a scene's words do not type a question asking in words of its own
        (
            "I'm upgrading from 1.1 to the latest release — what SQL command do I run?",
            None,
        ),
    ],
)
def test_more_questions_ask_for_a_number(question: str, kind: str | None) -> None:
    assert asked_type(question) == kind


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Why is the old kiln slower than the new one?", "because it burns wood"),
        ("Can you tell me why the old kiln is slower?", "because it burns wood"),
        ("What does RFA mean in a bug title?", "RFA stands for Request For Adoption"),
        ("How do I turn the old kiln back on?", "run kilnctl start"),
    ],
)
def test_an_untyped_question_s_answer_wins_by_what_it_says(question: str, answer: str) -> None:
    """A "why" is answered by a reason, a "what does X mean" by a definition, a "how do I" by
    an instruction, not by the sentence repeating the question's words."""
    passage = (
        "The old kiln is slower than the new one, and the old kiln can be turned back on. "
        "That is because it burns wood. To turn it on, run kilnctl start. "
        "A bug titled RFA asks for a new maintainer. RFA stands for Request For Adoption."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight(question, passage, keyword)
    assert answer in passage[start:end]


def test_what_to_set_is_answered_by_the_setting() -> None:
    """ "What do I have to set ...?" asks for an instruction or an assignment, not the sentence
    describing the feature in the question's words."""
    passage = (
        "The quiet mode of the kiln script spares you the noisy output of every firing. "
        "To use this feature, put KILN_QUIET=1 near the top of your script."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    question = (
        "What do I have to set to get the quiet mode of the kiln script without noisy output?"
    )
    start, end = highlight(question, passage, keyword)
    assert "KILN_QUIET=1" in passage[start:end]


@pytest.mark.parametrize(
    ("question", "passage", "answer"),
    [
        # "need to set" asks what to do, not what is needed
        (
            "What do I need to set at the top of my script to skip the subshell?",
            "This function removes the need for a subshell in your script. "
            "To use it, just set KILN_FAST=1 at the top of your script.",
            "KILN_FAST=1",
        ),
        # the thing to add named between "what" and "do I"
        (
            "What line do I add to the kiln config to fire without a password?",
            "Firing without a password suits a single-user kiln config. "
            "You add this line: # echo 'firer ALL=NOPASSWD' >> /etc/kiln.conf",
            "NOPASSWD",
        ),
    ],
)
def test_what_to_do_is_asked_in_more_than_one_order(
    question: str, passage: str, answer: str
) -> None:
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight(question, passage, keyword)
    assert answer in passage[start:end]


def test_a_field_line_keyed_by_the_question_s_word_answers() -> None:
    """ "Randomised: 164" is labelled as what "how many were randomised" asks, though its words
    are few and its cosine low; a short field line holding a number says something."""
    passage = (
        "Site 501\nCity: Glostrup, Denmark\nStatus: Withdrawn (site closed 10 January 2025 "
        "before enrolling; participants referred to Site 201)\nTarget: 0\n\n"
        "ENROLMENT SUMMARY (as of 28 February 2025)\n\n"
        "Screened: 311\nRandomised: 164\nDiscontinued treatment: 9"
    )
    cosines = [0.1, 0.05, 0.40, 0.08, 0.34, 0.2, 0.46, 0.13]
    question = "How many participants had been randomised by the end of February 2025?"
    start, end = highlight(question, passage, _among_many(passage), _searched(passage, cosines))
    assert passage[start:end] == "Randomised: 164"
    assert not states_nothing_of("ClinicalTrials.gov identifier: NCT06118452")
    assert not states_nothing_of("Maximum length (Route 3): 12.0 m")
    assert states_nothing_of("Enrolment summary")
    assert not states_nothing_of("Deep Tissue Massage | 80 min | EUR 120")
    assert states_nothing_of("Treatment | Length | Price")


def test_a_key_the_question_writes_whole_wins_over_one_sharing_a_word() -> None:
    """ "Check-out" and "Check-in" share only "check" ("out" and "in" are no words an index
    keeps): the question writing "check-out" asks for that line."""
    passage = "Arrival and departure\n\n- Check-in: from 15:00\n- Check-out: by 11:00"
    start, end = highlight("What time is check-out?", passage, _among_many(passage))
    assert passage[start:end] == "- Check-out: by 11:00"


def test_a_title_with_a_colon_is_a_heading_and_a_dateline_is_not() -> None:
    """An exhibition's title ("Stitch & Signal: Embroidery in Wartime") names what follows;
    the line naming its curator answers "who curated it"; its dates say when it runs."""
    passage = (
        "Stitch & Signal: Embroidery in Wartime\n\n5 July – 2 November 2025, Gallery 2\n"
        "Curated by Ms Harriet Oduya, Assistant Curator.\n\n"
        "Embroidered postcards and regimental badges."
    )
    cosines = [0.95, 0.22, 0.26, 0.65]
    question = "Who curated Stitch & Signal: Embroidery in Wartime?"
    start, end = highlight(question, passage, _among_many(passage), _searched(passage, cosines))
    assert "Harriet Oduya" in passage[start:end]
    assert not states_nothing_of("15 February – 8 June 2025, Gallery 2")


def test_signed_notes_are_no_table() -> None:
    """Lines each holding a date are a table only when their numbers stand in one column and
    none leads into the next ("Changes for kiln 2.3 packages by:"): the lead-in names no one."""
    passage = (
        "Notes on the kiln package.\n\nOriginal text by:\n"
        "-- Jo Smith <jo@example.org> Wed, 8 Oct 2003 21:51:35 +0200\n\n"
        "Changes for kiln 2.3 packages by:\n"
        "-- Kim Lee <kim@example.org> Thu, 10 Mar 2005 13:29:11 -0800"
    )
    cosines = [0.3, 0.4, 0.42, 0.6, 0.32]
    question = "Who wrote the original text of the kiln notes?"
    start, end = highlight(question, passage, _among_many(passage), _searched(passage, cosines))
    assert "Jo Smith" in passage[start:end]


def test_where_is_answered_by_a_place_where_something_is() -> None:
    """ "Where did they meet?" is answered where the meeting is placed, not by a country a
    sentence speaks of."""
    passage = (
        "His position shifted, culminating in three meetings with him in Tromso, Bergen, and "
        "Lerwick. He denied he would soften his approach to Norway but kept a rapport with Ole "
        "Hansen."
    )
    keyword = _among_many(passage)
    question = "Where did the envoy meet Ole Hansen?"
    start, end = highlight(question, passage, keyword, _searched(passage, [0.50, 0.44]))
    assert "Tromso" in passage[start:end]


def test_a_heading_a_literal_marks_answers_nothing_of_another_kind() -> None:
    """A section headed by the version asked ("3.2.1 — 2025-03-18") does not say who reported
    the bug fixed in it; the line naming the reporter does."""
    passage = (
        "3.2.1 — 2025-03-18\n\nSecurity\n\n- A crafted archive could write outside the "
        "target.\nAll users of 3.0.0 to 3.2.0 should upgrade.\n"
        "Reported by Dr. Ines Vasquez of the University of Leiden."
    )
    keyword = _among_many(passage)
    question = "Who reported the symlink vulnerability that was fixed in 3.2.1?"
    start, end = highlight(
        question, passage, keyword, _searched(passage, [0.34, 0.0, 0.38, 0.32, 0.19])
    )
    assert "Ines Vasquez" in passage[start:end]


def test_the_sentence_after_a_question_in_the_text_answers_it() -> None:
    """An FAQ entry's question echoes the asked one; what follows it answers."""
    passage = (
        "9.6. I have several machines; how can I download the updates only one time? "
        "If you have more than one machine on your network, use apt-cacher to keep them "
        "up-to-date. It reduces the bandwidth needed."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    question = "How can several machines download the updates only once?"
    start, end = highlight(question, passage, keyword)
    assert "apt-cacher" in passage[start:end] and "?" not in passage[start:end]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Which command finds conflicting file names?", "The apt-file command may help here."),
        ("What address do I write to for the instructions?", "write to request@bugs.example.org"),
        ("Which file takes precedence over the others?", "a file named Override.xml wins"),
        ("How deep can the expression tree be?", "The default value is 1000."),
    ],
)
def test_an_untyped_which_question_is_answered_by_a_name_of_its_kind(
    question: str, answer: str
) -> None:
    """ "Which command" is answered by a command's name beside the word "command", "what
    address" by an address, "which file" by a file's name, "how deep" by a number."""
    passage = (
        "Conflicting file names and deep expression trees cause trouble for the instructions "
        "and for the other files, and a command may find them. "
        "The apt-file command may help here. "
        "For the instructions, write to request@bugs.example.org today. "
        "Of all files, a file named Override.xml wins. "
        "The default value is 1000."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight(question, passage, keyword)
    assert answer in passage[start:end]


@pytest.mark.parametrize(
    ("passage", "question", "answer"),
    [
        (  # the question asserts: the sentence denying it tells what was before, not what is
            "Before release 2.0 the cache was not shared between users. Release 3.1 shared the "
            "cache between users.",
            "Which release shared the cache between users?",
            "Release 3.1",
        ),
        (  # the question denies: the sentence denying answers it
            "The parser handles the INTEGER type and the BOOLEAN type. It does not handle the "
            "REAL type.",
            "Which type does the parser not handle?",
            "REAL",
        ),
        (  # a name holding "no" denies nothing
            "To turn the option on, remove the file 70-no-extras.conf from the folder. The option "
            "is off by default.",
            "How do I turn the option on?",
            "70-no-extras.conf",
        ),
    ],
)
def test_the_sentence_that_agrees_with_the_question_in_denying_wins(
    passage: str, question: str, answer: str
) -> None:
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight(question, passage, keyword)
    assert answer in passage[start:end]


def test_which_name_noun_asks_for_the_noun() -> None:
    """ "Which APP_DEBUG value ..." asks for a value, which the name qualifies."""
    cue = answer_cue("Which APP_DEBUG value prints the cache files?")
    assert cue is not None
    assert cue("Set it to the value 16 to see them.")
    assert not cue("The APP_DEBUG variable controls the debug output.")


def test_an_organisation_is_named_by_a_capitalised_phrase() -> None:
    passage = (
        "The XYZ 13 codes are maintained alongside the XYZ 12 codes. "
        "The official agency for them is Acme International."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight("Which organisation maintains the XYZ 13 codes?", passage, keyword)
    assert "Acme International" in passage[start:end]


def test_field_lines_one_after_another_are_one_record() -> None:
    """ "Who holds the copyright on the icons?" is answered by the copyright line of the record
    whose files line names the icons, not the first copyright line."""
    passage = (
        "Files: *\n\nCopyright: 2001 Ann Berg\n\nFiles: icons/*\n\nCopyright: 1998 Carl Dahl\n\n"
        "Files: docs/*\n\nCopyright: 2005 Eva Fors"
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight("Who holds the copyright on the icons?", passage, keyword)
    assert "Carl Dahl" in passage[start:end]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("What does RFA mean in a bug title?", "Request For Adoption"),
        ("What does the PoA stand for?", "Plan of Action"),
    ],
)
def test_the_sentence_spelling_out_the_acronym_asked_about_wins(question: str, answer: str) -> None:
    """The sentence using the acronym in the question's own words loses to the one spelling it
    out."""
    passage = (
        "To give a bug title the RFA or PoA mark, write RFA: or PoA: before the bug title. "
        "Each RFA opens a Request For Adoption. "
        "A PoA is a Plan of Action."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight(question, passage, keyword)
    assert answer in passage[start:end]


def test_a_record_names_its_subject_to_every_field_line_of_it() -> None:
    """The package a stanza opens with is what each of its lines is about, so "Who maintains
    the gentoo source package?" is answered by its Maintainer line, not by a later line naming
    gentoo again; a listing's empty line ends the record."""
    passage = (
        "Here is the control file:\n\n1 Source: gentoo\n2 Section: x11\n3 Priority: optional\n"
        "4 Maintainer: Josip Rodin <joy-mg@debian.org>\n5 Standards-Version: 4.0.0\n"
        "6 Homepage: http://www.obsession.se/gentoo/\n7\n8 Package: gentoo\n9 Architecture: any"
    )
    # among many passages, as in a real index, "gentoo" is a rare word and weighs much
    keyword = _among_many(passage, 50)
    # each line's cosine to the question as search gives it: the package's line is closest
    cosines = {"Package": 0.57, "Source": 0.56, "Maintainer": 0.42}
    sentences = [
        (a, b, next((c for name, c in cosines.items() if name in passage[a:b]), 0.1))
        for a, b in (s.span for s in sentences_of(passage))
    ]
    start, end = highlight("Who looks after gentoo?", passage, keyword, sentences)
    assert "Josip Rodin" in passage[start:end]


def test_the_line_holding_the_tag_or_number_quoted_answers() -> None:
    """ "What does a line tagged W: mean?" is answered by the W: line of the list, not by its
    lead-in, which shares more words and sits closer in meaning."""
    passage = (
        "The output of the checker uses the following tags:\n"
        "• E: for error; a sure policy violation.\n"
        "• W: for warning; a possible policy violation.\n"
        "• I: for info; a note on packaging."
    )
    keyword = _among_many(passage, 50)
    sentences = _searched(passage, [0.45, 0.35, 0.35, 0.35])  # the lead-in is closest
    start, end = highlight(
        "In the checker's output, what does a line tagged W: mean?", passage, keyword, sentences
    )
    assert passage[start:end] == "• W: for warning; a possible policy violation."


def test_the_record_whose_field_holds_the_quoted_code_answers() -> None:
    """ "... currency BAM. What is its name in the ISO 4217 list?" is answered by the record
    whose field holds BAM, not by the list's title, which the name's number ("ISO 4217") does
    not mark."""
    passage = (
        "ISO 4217 currencies\n\n"
        "alpha_3: AZN; numeric: 944; name: Azerbaijan Manat\n\n"
        "alpha_3: BAM; numeric: 977; name: Convertible Mark\n\n"
        "alpha_3: BBD; numeric: 052; name: Barbados Dollar"
    )
    keyword = _among_many(passage, 50)
    sentences = _searched(passage, [0.66, 0.58, 0.44, 0.58])  # the title is closest
    question = "A payment file shows currency BAM. What is its name in the ISO 4217 list?"
    start, end = highlight(question, passage, keyword, sentences)
    assert "Convertible Mark" in passage[start:end]


@pytest.mark.parametrize(
    ("question", "passage", "answer"),
    [
        # a label's number marks its line; the question's first word is no name
        (
            "What does Step 3 do?",
            "Step 2 cleans the cache.\n\nStep 3 rebuilds the index.\n\nStep 4 restarts it.",
            "rebuilds",
        ),
        # what a setting does is told in prose, not in the listing that sets it
        (
            "What happens when scope is set to ALL?",
            "scope: ALL; order: TOP\n\nWhen the scope is set to ALL, every member is searched.",
            "every member",
        ),
    ],
)
def test_quoted_values_mark_lines_only_as_they_should(
    question: str, passage: str, answer: str
) -> None:
    keyword = _among_many(passage, 50)
    start, end = highlight(question, passage, keyword)
    assert answer in passage[start:end]


def test_a_document_s_dateline_answers_when_it_came_out_not_when_a_version_did() -> None:
    """ "When were the release notes published?" is answered by their dateline; "When was Tarn
    4.1 released?" by the sentence telling the release, though the dateline is a date alone."""
    passage = (
        "Tarn Release Notes\n\nPublished: 2 June 2025\n\n"
        "Tarn 4.1 was released on 2 February 2025 with a faster index."
    )
    keyword = _among_many(passage, 30)
    start, end = highlight("When were the Tarn release notes published?", passage, keyword)
    assert passage[start:end] == "Published: 2 June 2025"
    start, end = highlight("When was Tarn 4.1 released?", passage, keyword)
    assert "2 February 2025" in passage[start:end]


def test_a_question_for_what_is_needed_wants_the_requirement() -> None:
    """ "What do I need installed before building X?" is answered by what X requires, not by
    the line naming X most."""
    passage = (
        "To install do: $ meson _build. "
        "It requires the glib development package to be installed as well as gettext. "
        "Please report shared-mime-info bugs here."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    question = "what do I need installed before building shared-mime-info with meson"
    start, end = highlight(question, passage, keyword, _searched(passage, [0.44, 0.40, 0.50]))
    assert "glib development package" in passage[start:end]


def test_a_count_is_shown_with_the_sentence_that_goes_on_to_list_the_things() -> None:
    """ "What are the four recommendations?" is answered by the sentence counting them with the
    one that starts listing them."""
    passage = "The Nordic brief makes four recommendations. First, train more pilots. Second, ..."
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight("What are the four recommendations of the brief?", passage, keyword)
    assert passage[start:end].endswith("First, train more pilots.")


def test_a_record_is_about_what_the_sentence_leading_into_it_names() -> None:
    """A record's lines lend each other what the sentence introducing the record names: the
    Maintainer line answers who is named in the control file made for gentoo."""
    passage = (
        "Here is the control file dh_make created for gentoo: 1 Source: gentoo\n"
        "2 Section: unknown\n3 Priority: optional\n4 Maintainer: Josip Rodin <joy@debian.org>"
    )
    keyword = _among_many(passage, 50)
    # each line's cosine to the question as search gives it: the lead-in is closest
    sentences = _searched(passage, [0.7, 0.3, 0.3, 0.3])
    question = "Who is named as the Maintainer in the example control file dh_make made for gentoo?"
    start, end = highlight(question, passage, keyword, sentences)
    assert passage[start:end] == "4 Maintainer: Josip Rodin <joy@debian.org>"


def test_a_measure_is_highlighted_where_its_number_is() -> None:
    """ "How deep ...?" asks for a measure: not the sentences echoing the question, but the one
    giving the number."""
    passage = (
        "SQLite parses expressions into a tree. "
        "The SQLITE_MAX_EXPR_DEPTH parameter determines the maximum expression tree depth. "
        "The current implementation has a default value of 1000. "
        "The maximum depth of an expression tree can be lowered at run-time using the "
        "sqlite3_limit interface."
    )
    question = "How deep can an expression tree be in SQLite by default?"
    assert asked_type(question) == "quantity"
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    # each sentence's cosine to the question as search gives it: the echoes are closest
    start, end = highlight(question, passage, keyword, _searched(passage, [0.68, 0.86, 0.24, 0.86]))
    assert "1000" in passage[start:end]


@pytest.mark.parametrize(
    "question",
    [
        "How do I get translated country names?",
        "As a programmer, how do I get translated country names?",
        "I write a program. How do I get translated country names in it?",
    ],
)
def test_a_how_to_question_wants_an_instruction_after_the_scene_too(question: str) -> None:
    """The instruction answers "how do I", whatever sentence or clause sets the scene first."""
    cue = answer_cue(question)
    assert cue is not None
    assert cue("To use the translations, the programmer just needs to call dgettext().")
    assert cue("If names must be translated, you can use the iso_3166 domain.")
    assert not cue("The project lists country names in one place.")
    # a clause setting a scene is no instruction, nor is a verb's noun ("use of")
    assert not cue("When you use the new API, use of the old names makes it hard to read.")
    assert not cue("If you use the old names, the build breaks.")
    assert cue("There are two steps. First send a mail to the list.")
    assert cue("You type Ctrl-D at the prompt.")
    assert not cue("Files you copy into the folder are kept.")
    assert not cue("Your first install takes a while.")


def test_a_number_outweighs_a_vague_quantity_in_the_same_unit() -> None:
    """ "every few minutes" answers "how often", but less well than the sentence telling it in
    minutes, though it shares more of the question's words; beside another unit's value
    ("pruned weekly") it is the answer there is."""
    question = "How often is the unchecked upload directory scanned?"
    keyword = KeywordIndex.build(["The upload directory.", "Other text about fonts.", "Trees."])
    passage = (
        "The unchecked upload directory is scanned every few minutes for new packages. "
        "The queue daemon scans it every 15 minutes."
    )
    start, end = highlight(question, passage, keyword)
    assert "every 15 minutes" in passage[start:end]
    passage = (
        "The unchecked upload directory is scanned every few minutes for new packages. "
        "Old packages in it are pruned weekly."
    )
    start, end = highlight(question, passage, keyword)
    assert "every few minutes" in passage[start:end]


def test_an_untyped_answer_is_joined_only_from_a_neighbour_that_carries_on() -> None:
    """ "How do I ...?" is answered by an instruction: one in the next sentence is joined when
    that sentence carries on the subject ("To use this feature, set ..."), not when it tells
    something else."""
    question = "How do I turn on the optimized mode?"
    keyword = KeywordIndex.build(["The mode.", "Other text about fonts.", "Trees grow slowly."])
    passage = (
        "The optimized mode avoids subshells entirely. "
        "To use this feature, set isOptimized=1 at the top of your script."
    )
    # the sentence naming the mode is the closer to the question, as search gives it
    cosines = _searched(passage, [0.8, 0.3])
    start, end = highlight(question, passage, keyword, cosines)
    assert "isOptimized=1" in passage[start:end]
    passage = "The optimized mode avoids subshells entirely. You can use the app to order food."
    cosines = _searched(passage, [0.8, 0.3])
    start, end = highlight(question, passage, keyword, cosines)
    assert passage[start:end] == "The optimized mode avoids subshells entirely."


def test_a_blank_line_ends_a_record_whose_lines_follow_each_other() -> None:
    """A copyright file's paragraphs are records: the icons' stanza does not lend its words to
    the one after the blank line, and a short field line is no heading."""
    passage = (
        "Upstream-Name: gentoo\nUpstream-Contact: Emil Brink\n\n"
        "Files: *\nCopyright: 1998-2010 Emil Brink\n\n"
        "Files: icons/*\nCopyright: 1998 Johan Hanson\n\n"
        "Files: debian/*\nCopyright: 1998 Josip Rodin\nLicense: GPL-2+"
    )
    keyword = _among_many(passage)
    start, end = highlight("Who holds the copyright on gentoo's icons?", passage, keyword)
    assert "Johan Hanson" in passage[start:end]
    start, end = highlight("Who is the upstream contact?", passage, keyword)
    assert "Upstream-Contact: Emil Brink" in passage[start:end]


def test_a_body_of_the_kind_asked_outweighs_another_body() -> None:
    """ "At which university ...?" is answered by the sentence naming a University rather than
    by the one naming an Institute, though that one is closer to the question."""
    passage = (
        "Dr Ann Olsen is a principal fellow at the Bergen Institute for Policy Studies. "
        "Dr Olsen received a B.A. and an M.A. from Tromso University."
    )
    question = "At which university did the brief's author earn her degrees?"
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    spans = [s.span for s in sentences_of(passage)]
    sentences = [(a, b, c) for (a, b), c in zip(spans, [0.47, 0.41], strict=True)]
    start, end = highlight(question, passage, keyword, sentences)
    assert "Tromso University" in passage[start:end]


def test_the_years_the_question_names_pin_the_line_down() -> None:
    """ "(2019 - 2023)" picks the notice of those years among several alike, and a copyright
    notice is no heading: it tells who holds it."""
    passage = (
        "Copyright © 2019 - 2023 Holger Levsen\n"
        "Copyright © 2015 - 2020 Hideki Yamane\n"
        "Copyright © 1998 - 2003 Adam Di Carlo"
    )
    assert not any(s.states_nothing for s in sentences_of(passage))
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    # search finds the oldest notice closest in meaning
    cosines = _searched(passage, [0.33, 0.37, 0.49])
    question = "Who holds the most recent copyright (2019 - 2023) on the reference?"
    start, end = highlight(question, passage, keyword, cosines)
    assert "Holger Levsen" in passage[start:end]


def test_a_line_in_the_middle_of_a_record_lends_nothing_to_those_further_on() -> None:
    """The Subject line shares the question's words; the sender is on the From line, the
    record's first, not on the Reply-To line further on."""
    passage = (
        "From: Alice Smith <alice@example.org>\nTo: Bob Jones <bob@example.org>\n"
        "Subject: Lisbon workshop budget approved\nDate: Tue, 4 Mar 2025 10:12:00 +0000\n"
        "Reply-To: Dan Brown <dan@example.org>"
    )
    keyword = _among_many(passage)
    start, end = highlight("Who sent the email about the Lisbon workshop budget?", passage, keyword)
    assert "Reply-To" not in passage[start:end]


def test_a_year_is_no_measure() -> None:
    """ "How deep ...?" is not answered by the next sentence's year."""
    passage = (
        "The swimming pool at the sports centre is deep enough for diving at one end. "
        "It opened in 1987 and was renovated in 2015."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    cosines = _searched(passage, [0.8, 0.3])
    start, end = highlight("How deep is the swimming pool?", passage, keyword, cosines)
    assert "1987" not in passage[start:end]


def test_a_year_alone_does_not_pick_the_sentence() -> None:
    """A report gives the year once: the sentence naming 2023 but nothing else asked does not
    outweigh the one on operating profit."""
    passage = (
        "Revenue rose 14% to €2.3 billion in 2023, driven by strong demand in Europe. "
        "Operating profit was €310 million, compared with €262 million a year earlier."
    )
    keyword = _among_many(passage)
    start, end = highlight("What was operating profit in 2023?", passage, keyword)
    assert "Operating profit" in passage[start:end]


def test_why_is_answered_by_the_reason_before_a_consequence() -> None:
    """ "Consequently, ..." tells what follows from the sentence before it, which gives the
    reason a "why" asks for."""
    passage = (
        "At its core, a state's primary interest is to ensure its security. "
        "South Korea remains technically at war, as the Korean War is still unresolved. "
        "Consequently, South Korea's main focus stays on the Northeast Asia region."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    for question in (
        "Why has South Korea's focus stayed on the Northeast Asia region?",
        "Do you know why South Korea's focus has stayed on the Northeast Asia region?",
    ):
        start, end = highlight(question, passage, keyword)
        assert "technically at war" in passage[start:end]


def test_a_field_named_again_starts_its_record_where_the_first_record_started() -> None:
    """A list of settings, each a name line and a "Default:" line: the second setting's name
    starts a record of its own, so it does not take the first setting's words."""
    passage = (
        "global:\n"
        "scrape_interval: How frequently to scrape targets by default. Default: 1m.\n"
        "scrape_timeout: How long until a scrape request times out. Default: 10s.\n"
        "evaluation_interval: How frequently to evaluate rules. Default: 1m."
    )
    others = [
        "To install the plugin, copy it into the plugins folder. It is enabled by default.",
        "The default theme uses a light background; the dark one is in the settings menu.",
        "Set the log level to debug to see how long each request takes.",
        *(f"Passage {n} is about fonts, trees and other things." for n in range(27)),
    ]
    keyword = KeywordIndex.build([passage, *others])
    start, end = highlight("How often are targets scraped by default?", passage, keyword)
    assert "scrape_timeout" not in passage[start:end]


def test_a_price_list_line_and_a_band_holding_the_amount_answer() -> None:
    """A line with dot leaders gives its price; of a fee table's rows, the one whose band holds
    the amount the question gives is the answer."""
    prices = (
        "2. ENTRY FEES\n\nEntry fee (club runner) .... £62.00\n"
        "Entry fee (unaffiliated runner) ........ £64.00\n\n"
        "The £2 difference for unaffiliated runners is the athletics levy, passed on in full."
    )
    question = "How much is the entry fee for an unaffiliated runner?"
    start, end = highlight(question, prices, _among_many(prices))
    assert prices[start:end] == "Entry fee (unaffiliated runner) ........ £64.00"
    bands = "Up to £300 | £27\n\n£300.01 to £500 | £59\n\n£500.01 to £1,000 | £85"
    question = "What is the hearing fee for a claim of £800?"
    start, end = highlight(question, bands, _among_many(bands))
    assert bands[start:end] == "£500.01 to £1,000 | £85"


def test_a_sentence_naming_another_number_of_the_thing_asked_loses() -> None:
    """ "Python 3.9" is not the "Python 3.8" asked about: the sentence about 3.8 is highlighted."""
    passage = (
        "haul requires Python 3.9 or newer and a recent pip, which every Python install ships. "
        "Support for Python 3.8 was dropped in 2.0.0."
    )
    question = "Which version of haul dropped support for Python 3.8?"
    spans = [s.span for s in sentences_of(passage)]
    searched = [(a, b, c) for (a, b), c in zip(spans, [0.9, 0.5], strict=True)]
    start, end = highlight(question, passage, _among_many(passage), searched)
    assert passage[start:end] == "Support for Python 3.8 was dropped in 2.0.0."


def test_an_identifier_in_its_scheme_s_form_marks_its_line() -> None:
    """The changelog item telling the bug at length loses to its short line giving the
    advisory's identifier, which is what is asked."""
    passage = (
        "- Fixed a path traversal vulnerability in quill serve: a crafted URL containing ..%2f"
        " could read files outside the output directory. Reported by Kenji Watanabe. Tracked as"
        " GHSA-7q3m-hx2c-9f4w. All users of 2.0.0 to 2.1.1 should upgrade."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight(
        "Which advisory ID tracks the path traversal bug in quill serve?", passage, keyword
    )
    assert "GHSA-7q3m-hx2c-9f4w" in passage[start:end]


def test_a_document_s_own_date_does_not_tell_when_its_events_happen() -> None:
    passage = (
        "SEASON 2025-26: DATES, FEES AND PRIZES\n\nPrepared by: Deepak Sharma, Treasurer\n"
        "Date: 1 July 2025\n\nSEASON DATES\n\nFirst night:            Tuesday 2 September 2025\n"
        "Last night:             Tuesday 28 April 2026"
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight("When does the 2025-26 season start?", passage, keyword)
    assert "2 September 2025" in passage[start:end]
    start, end = highlight("When was the season dates document published?", passage, keyword)
    assert "1 July 2025" in passage[start:end]


def test_a_table_s_header_lends_its_words_to_its_rows() -> None:
    """ "Annual subscription" heads the column the rows give: the rows, not the prose after the
    table sharing a word or two, answer "How much is the annual subscription ...?"."""
    passage = (
        "Membership categories and annual subscriptions\n\n"
        "Category | Who it is for | Annual subscription | Monthly option\n"
        "Full flying member | Adults aged 21 and over | £480 | £42 per month\n"
        "Junior flying member | Aged 14 to 20 on 1 January | £150 | —\n"
        "Student flying member | Full-time students aged 21 to 25 | £210 | £19 per month\n"
        "Family membership | Two adults and their children under 18 | £720 | £63 per month\n"
        "Social member | Non-flying supporters | £45 | —\n\n"
        "A one-off entrance fee of £75 is payable by new full flying members on top of the"
        " annual subscription."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight(
        "How much is the annual subscription for a full flying member?", passage, keyword
    )
    assert "£480" in passage[start:end]


def test_a_table_s_rows_are_sentences_of_their_own() -> None:
    passage = (
        "Stage | Date and time | Where\n"
        "Nominations open | Monday 5 February 2024, 10:00 | Online\n"
        "Nominations close | Friday 23 February 2024, 12:00 | Online\n"
        "Voting opens | Monday 11 March 2024, 10:00 | Online"
    )
    spans = [s.span for s in sentences_of(passage)]
    assert [passage[a:b] for a, b in spans][2] == (
        "Nominations close | Friday 23 February 2024, 12:00 | Online"
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight("When do nominations close?", passage, keyword)
    assert passage[start:end] == "Nominations close | Friday 23 February 2024, 12:00 | Online"


def test_a_record_s_date_line_answers_when() -> None:
    passage = (
        "Brian Holroyd Memorial Sabre\n- Date: Sunday 9 March 2025\n"
        "- Venue: Lancaster University Sports Centre\n"
        "- Trophy: the Holroyd Cup, first awarded in 1991"
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight("When is the Brian Holroyd Memorial Sabre?", passage, keyword)
    assert "9 March 2025" in passage[start:end]


def test_a_row_is_chosen_by_its_words_its_place_and_not_by_a_cell_s_without() -> None:
    """ "No. 23" numbers a piece; "the first session" is the row keyed 1; a cell's "without"
    describes, and denies nothing the question asserts."""
    concerts = (
        "Date | Programme | Venue\n"
        "Saturday 28 February 2026, 7.30pm | Elgar Enigma Variations | St Aldhelm's Church\n"
        "Saturday 25 April 2026, 7.30pm | Mozart Piano Concerto No. 23; Brahms Symphony No. 2 |"
        " Corn Exchange\n"
        "Sunday 10 May 2026, 2.30pm | Family Concert: Peter and the Wolf | Academy Hall"
    )
    sessions = (
        "Session | Date | Topic\n"
        "1 | Tuesday 4 March 2025, 7.30 pm | The honey bee colony and its year\n"
        "2 | Tuesday 11 March 2025, 7.30 pm | Hives and equipment\n"
        "4 | Saturday 26 April 2025, 10.00 am | Your first hive inspection"
    )
    flags = (
        "Flag | Environment variable | Default | Description\n"
        "--reconcile-interval | KESTREL_RECONCILE_INTERVAL | 5m | How often resources are checked\n"
        "--dry-run | KESTREL_DRY_RUN | false | Log intended changes without applying them"
    )
    # a collection of concerts: "concert" is a common word, "Brahms" a rare one
    others = [f"Concert {n} of the season is on a Friday." for n in range(15)]
    for question, passage, answer in [
        ("HCO Brahms concert date", concerts, "25 April 2026"),
        ("When is the first session of the beginners' course?", sessions, "4 March 2025"),
        ("Which environment variable turns on dry-run mode?", flags, "KESTREL_DRY_RUN"),
    ]:
        keyword = KeywordIndex.build([passage, *others])
        start, end = highlight(question, passage, keyword)
        assert answer in passage[start:end], question


def test_the_table_s_reading_picks_among_rows_scored_alike() -> None:
    """ "Family Rover (2 adults ...)" shares as many words with "day rover adult fare" as "Day
    Rover" does; the header's "Adult" column and the row's key pick the Day Rover's fare."""
    fares = (
        "Fares\n\nTicket | Adult | Senior (65+) | Child (5–15)\n"
        "Day Rover (unlimited travel) | £18.50 | £16.50 | £9.00\n"
        "Single, any journey | £8.00 | £7.00 | £4.00\n"
        "Family Rover (2 adults + up to 3 children) | £48.00\n\nChildren under 5 travel free."
    )
    keyword = KeywordIndex.build([fares, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight("day rover adult fare", fares, keyword)
    assert fares[start:end].startswith("Day Rover")


def test_a_post_given_under_a_key_is_no_person() -> None:
    assert person_spans("Owner: Club Welfare and Safety Officer.") == []
    line = "Owner: Janet Oldroyd"
    assert [line[a:b] for a, b in person_spans(line)] == ["Janet Oldroyd"]


def test_a_table_s_header_tells_no_value() -> None:
    """ "Entry (before 1 May)" names a column: the sportive is not on 1 May."""
    passage = (
        "Our annual sportive through the Calder valley.\n\n"
        "Route | Distance | Entry (before 1 May) | Entry (from 1 May)\n"
        "Long | 110 km | £34 | £38\nShort | 60 km | £24 | £28"
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight("When is the Calder sportive?", passage, keyword)
    assert "1 May" not in passage[start:end]


def test_a_row_whose_cell_is_a_bare_value_is_no_header() -> None:
    """A row after a note under another ("token_ttl | 24h | ...") opens no table: its cell
    "24h" is a value, which no header's cell is."""
    passage = (
        "[auth]\n\nKey | Default | Description\nenabled | true | Require a token on every "
        "connection.\nThe default was false before 3.0.\n"
        "token_ttl | 24h | Lifetime of access tokens issued by the admin API.\n"
        "max_failed_attempts | 5 | Failed logins from one address before it is blocked for "
        "15 minutes."
    )
    # a manual all about the admin API and its tokens: the question's words weigh little
    keyword = KeywordIndex.build(
        [passage, *(f"Part {k}: admin API access tokens, valid by default." for k in range(30))]
    )
    cosines = _searched(passage, [0.1, 0.1, 0.2, 0.1, 0.3, 0.45])  # as the model scored them
    question = "How long are access tokens from the admin API valid by default?"
    start, end = highlight(question, passage, keyword, cosines)
    assert passage[start:end].startswith("token_ttl | 24h")


def test_a_postal_address_s_line_says_something() -> None:
    assert not sentences_of("Unit 4, Brackley Road Trading Estate, Kingsford OX27 4HN")[
        0
    ].states_nothing


def test_who_issued_a_notice_is_not_the_place_it_is_about() -> None:
    passage = (
        "Ref: HLC/OPS/2025/14\nIssued by: Gareth Lloyd, Facilities Manager\n"
        "This notice lists the planned closures at Harwick Leisure Centre for the period "
        "September 2025 to March 2026."
    )
    cosines = _searched(passage, [0.2, 0.35, 0.5])
    start, end = highlight(
        "Who issued the closures notice?", passage, _among_many(passage), cosines
    )
    assert "Gareth Lloyd" in passage[start:end]


def test_places_in_an_order_head_a_results_table() -> None:
    """ "1st | 2nd | 3rd" name columns as words do: the header row of a show's results tells
    no winner, the row of the class asked does."""
    passage = (
        "Results of the vegetable classes.\n\n"
        "Class | Description | 1st | 2nd | 3rd\n"
        "10 | Heaviest marrow | Tomasz Wierzbicki (14.8 kg) | Pat Cleary | Stan Walsh\n"
        "11 | Longest runner bean | Pat Cleary (48 cm) | Dev Raman | Ian Baptiste"
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight("Who won the heaviest marrow class?", passage, keyword)
    assert passage[start:end].startswith("10 | Heaviest marrow")
    # nor is the header the answer to a class it does not list
    start, end = highlight("Who won the heaviest pumpkin class?", passage, keyword)
    assert not passage[start:end].startswith("Class | Description")
    start, end = highlight("Who won the heaviest marrow class?", passage, keyword)
    row = passage[start:end]
    found = short_answer("Who won the heaviest marrow class?", row, "Class | Description | 1st")
    assert found is not None and row[found[0] : found[1]] == "Tomasz Wierzbicki"


def test_a_list_s_first_row_is_no_header() -> None:
    """Lines of a list parted into columns ("- "The Proposal" (Chekhov) | directed by ...") are
    rows alike: the first lends its words to none of the others."""
    passage = (
        "Directors chosen for the one-act evening:\n"
        '- "The Proposal" (Chekhov) | directed by Leah Brannigan\n'
        '- "Box and Cox" (a comic piece) | directed by Joel Sutcliffe\n'
        '- "Overtime" (new play) | directed by Anita Shah'
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    start, end = highlight(
        "Who is directing the Chekhov piece in the one-act evening?", passage, keyword
    )
    assert "Leah Brannigan" in passage[start:end]


def test_a_header_naming_the_year_asked_lends_it_to_its_rows() -> None:
    """ "Plot type | 2024/25 | 2025/26" heads rows of both years: for "in 2025/26" the row of
    the plot asked answers, not prose about the year's increase."""
    passage = (
        "1. Annual plot rent\n\n"
        "Plot type | Approx. size | 2024/25 | 2025/26 | Change\n"
        "Full plot | 250 m2 (10 rods) | £68.00 | £74.00 | +£6.00\n"
        "Half plot | 125 m2 (5 rods) | £36.00 | £39.50 | +£3.50\n\n"
        "The 2025/26 increase (about 9%) was needed because the council raised the head-lease "
        "rent for the Hollins Brook Road site from £2,150 to £2,480."
    )
    keyword = KeywordIndex.build([passage, "Other text about fonts.", "Trees grow slowly."])
    question = "How much is the rent for a full plot in 2025/26?"
    start, end = highlight(question, passage, keyword)
    row = passage[start:end]
    assert row.startswith("Full plot")
    found = short_answer(question, row, "Plot type | Approx. size | 2024/25 | 2025/26 | Change")
    assert found is not None and row[found[0] : found[1]] == "£74.00"
