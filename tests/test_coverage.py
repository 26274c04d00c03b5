"""The passages must cover the countries and years a question names: a question about another
country or year than the documents' comes back `answerable: false`, its twin true."""

from __future__ import annotations

import pytest

from citeqa.index.answer.coverage import named_places, uncovered, uncovered_names
from citeqa.service.engine import Engine


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("What did Japan pledge to ASEAN?", {"japan", "asean"}),
        ("How many Southeast Asians live in Korea?", {"asean", "korea"}),  # the bloc's people
        ("How did the Japanese government respond?", {"japan"}),
        ("What does the ROK-US alliance cost?", {"korea", "united states"}),
        ("When did South Korea join the Republic of Korea's forum?", {"korea"}),
        ("What did the EU and the U.S. agree?", {"european union", "united states"}),
        ("What did Guinea-Bissau sign?", {"guinea-bissau"}),
        ("How much is it in US dollars?", set()),  # a currency, not the country
        ("Will they send us the report?", set()),  # the pronoun
        ("What does the Korea-ASEAN Digital Academy teach?", {"korea", "asean"}),
        # a renamed country under either name: a list follows the new one
        ("What is the short name of Turkey?", {"türkiye"}),
        ("What is the capital of Türkiye?", {"türkiye"}),
        ("Where is Swaziland?", {"eswatini"}),
        # a city in a title names no place
        ("What did Biden do about the Paris Agreement?", set()),
        ("What does the Vienna convention say?", set()),
        ("What did Japan plan to do?", {"japan"}),
    ],
)
def test_the_countries_a_question_names(question: str, places: set[str]) -> None:
    assert named_places(question) == places


def test_what_the_texts_do_not_mention_is_uncovered() -> None:
    texts = ["The ROK pledged US$ 5 million in 2023.", "Korean firms invested in Viet Nam."]
    assert uncovered("What did Korea pledge in 2023?", texts) == []
    assert uncovered("What did Vietnam receive?", texts) == []  # another spelling
    assert uncovered("What did Japan pledge in 2023?", texts) == ["japan"]
    assert uncovered("What did Korea pledge in 2019?", texts) == ["2019"]
    # a name joined to another by a hyphen is named; joined to a word, it is part of the word
    assert uncovered("What did Korea pledge?", ["The Korea-ASEAN fund grew."]) == []
    assert uncovered("What did Korea pledge?", ["A Korean-language site."]) == ["korea"]
    # a bloc under the name of its region's people
    assert uncovered("How many Southeast Asians live in Korea?", ["ASEAN nationals in Korea"]) == []


@pytest.mark.parametrize(
    ("question", "answerable"),
    [
        ("What was the value of ASEAN-Korea two-way trade in 2024?", True),
        ("What was the value of ASEAN-Korea two-way trade in 2019?", False),  # uncovered year
        ("How much did Korea invest in ASEAN in 2024?", True),
        ("How much did Japan invest in ASEAN in 2024?", False),  # swapped country
    ],
)
def test_a_swapped_country_or_year_is_not_answered(
    shipped_engine: Engine, question: str, answerable: bool
) -> None:
    answer = shipped_engine.ask(question)
    assert answer.answerable is answerable
    assert (answer.confidence > 0.5) is answerable


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # A product, a system or a version the documents never name.
        (
            "What port does PostgreSQL listen on?",
            "SQLite keeps a database in one file.",
            ["PostgreSQL"],
        ),
        ("What is new in libtasn1 5.0?", "libtasn1 4.19 fixed two bugs.", ["5.0"]),
        ("Which tool checks RPM spec files?", "lintian checks Debian packages.", ["RPM"]),
        # Named, under a plural, a hyphenated part or a capital standing for its government.
        ("How many PhDs did the fund pay for?", "The fund paid for 40 PhD places.", []),
        ("What did the ASEAN-ROK summit adopt?", "ASEAN and the ROK adopted a plan.", []),
        ("What do Seoul and Tokyo agree on?", "Korea and Japan agree on trade.", []),
        # The first word of a question and its asking words are not names.
        ("Where is the configuration kept?", "It lives in /etc.", []),
        # A name with its number is asked as a pair, not as the number found anywhere.
        ("What does Debian 13 change?", "Debian 12 ships 13 new tools.", ["Debian 13"]),
        ("What does Debian 13 change?", "In Debian  13 the tools moved.", []),
        ("What is new in Python 3.11?", "Python 3.11.4 fixed it.", ["Python 3.11"]),
        # ... or with the word version between: a manual's title page
        ("When was Libtasn1 4.19.0 released?", "GNU Libtasn1 (version 4.19.0, 18 August 2022)", []),
        ("When was Libtasn1 4.20 released?", "Libtasn1 (version 4.19.0), 4.20", ["Libtasn1 4.20"]),
        ("How many of the 10 members agreed in 2019?", "All 10 members agreed in 2019.", []),
    ],
)
def test_names_a_question_uses_must_be_in_the_passages(
    question: str, text: str, missing: list[str]
) -> None:
    assert uncovered_names(question, text) == missing


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # a program named in lower case must be in the passages, as a capitalised name must
        ("max columns in a postgresql table", "SQLite allows 2000 columns.", ["postgresql"]),
        ("max columns in a postgresql table", "PostgreSQL allows 1600 columns.", []),
        ("What share of zsh's run time does it need?", "It needs 82% of bash's.", ["zsh"]),
        # a plain word that is also a program's name is no name
        ("how many windows can it open", "It opens many panes.", []),
        ("cmd to delete the fish training account", "Run deluser fish.", []),
    ],
)
def test_a_program_named_in_lower_case_must_be_in_the_passages(
    question: str, text: str, missing: list[str]
) -> None:
    assert uncovered(question, [text]) == missing


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # a digit joined on: "Latin-1" is written "latin1"
        ("How do I convert a file from Latin-1 to UTF-8?", "iconv -f latin1 -t utf8 in.txt", []),
        # a keyword in capitals with an English ending
        (
            "The tool ATTACHes many files; what is the limit?",
            "the number of attached databases",
            [],
        ),
        ("How many PDFs can it read?", "It reads one PDF at a time.", []),
        (
            "The tool ATTACHes many files; what is the limit?",
            "the number of detached files",
            ["ATTACHes"],
        ),
        ("What does Latin-1 cover?", "latinate words", ["Latin-1"]),
        ("Which release added Latin-2 support?", "fixed latin1 output", ["Latin-2"]),
        ("Which release added Latin-1 support?", "fixed Latin 1 output", []),
        # release notes name a version of three parts in its heading, the product elsewhere
        ("When did Tidewell 3.0.x reach end of life?", "Tidewell. 3.0.x reached end of life.", []),
        ("Which CVE was fixed in Tidewell 3.2.1?", "Tidewell notes. ## 3.2.1\n- CVE-1", []),
        (
            "Which CVE was fixed in Tidewell 3.2.2?",
            "Tidewell notes. ## 3.2.1\n- CVE-1",
            ["3.2.2", "Tidewell 3.2.2"],
        ),
        # a name and its number written as one word
        ("How do I get alerts for Route 1?", "text FERRY ROUTE1 to 60777", []),
        ("How do I get alerts for Route 4?", "text FERRY ROUTE1 to 60777", ["Route 4"]),
        # a month a question names, told in a date written in digits
        ("Which brief came out in November 2024?", "2024.11.21. Asan Issue Brief", []),
        ("What was filed in Nov 2024?", "Filed 21/11/2024.", []),
        ("Which brief came out in November 2024?", "2024.10.21. Asan Issue Brief", ["November"]),
        ("Who did the Mayor thank?", "On 2021-05-04 the mayor thanked the crew.", []),
    ],
)
def test_a_name_is_found_in_the_forms_a_text_writes_it(
    question: str, text: str, missing: list[str]
) -> None:
    assert uncovered_names(question, text) == missing


def test_where_the_asker_is_is_no_fact_to_look_up() -> None:
    text = "Questions on animal permits go to the Ethics Adviser, Prof. Lars Myklebust."
    asker = "I'm a postdoc in Kiel and need an animal permit - who should I contact?"
    assert uncovered_names(asker, text) == []
    # asked of, or not the asker's place, it is looked up
    assert uncovered_names("I'm moving to Kiel. Who issues permits there?", text) == ["Kiel"]
    assert uncovered_names("Who issues animal permits in Kiel?", text) == ["Kiel"]


def test_a_number_the_asker_gives_in_a_scene_is_no_fact_to_look_up() -> None:
    text = "The limit defaults to 999 before version 3.32.0 and to 32766 after it."
    asker = "A statement with 5000 placeholders fails here. Since which version is it 32766?"
    assert uncovered_names(asker, text) == []
    # the number asked about is still looked up
    assert uncovered_names("Since which version is the limit 5000?", text) == ["5000"]


def test_what_the_asker_has_is_no_fact_to_look_up() -> None:
    text = "The cache location can be changed with the VETTER_CACHE_DIR environment variable."
    asker = (
        "I'm setting up our CI containers and want the cache on a tmpfs - which environment"
        " variable sets the cache location?"
    )
    assert uncovered_names(asker, text) == []
    timer = "The timer runs the backup daily at 02:30."
    asker = "I'm setting up backups on a new Ubuntu server - when does the timer run?"
    assert uncovered_names(asker, timer) == []
    # not the asker's own, or referred back to, it is looked up
    assert uncovered_names("Which variable sets the cache location on CI?", text) == ["CI"]
    bump = "We're bumping our build to Tarn 4.20. What changed in that release?"
    assert uncovered_names(bump, "Tarn 4.19.0 fixed a crash.") != []


def test_a_scene_opening_with_we_is_the_askers_own() -> None:
    text = "0.8.x | Security fixes only, until 31 May 2025"
    asker = "We're still on 0.8.1 in production - until when will the 0.8 series get fixes?"
    assert uncovered_names(asker, text) == []
    assert uncovered_names("Until when will 0.8.1 get fixes?", "Fixes end in May.") == ["0.8.1"]


def test_where_the_asker_comes_from_is_theirs_though_the_question_says_it() -> None:
    text = "The members' meeting will be held at Llanfair Community Hall."
    asker = "I'm driving over from Newtown for the members' meeting - where is it being held?"
    assert uncovered_names(asker, text) == []
    assert uncovered_names("I'm from Newtown - is there a meeting there?", text) == ["Newtown"]


def test_a_month_typed_in_lower_case_is_looked_up() -> None:
    text = "The swarm hotline is staffed every day from 8 am to 8 pm until the end of July."
    assert uncovered_names("what time does the meeting on 8 august 2024 start", text) == ["august"]
    assert uncovered_names("what time does the hotline open in july", text) == []
    # a day of the week too
    schedule = "Saturday\n09:00–10:00 | The Fishing Report | Captain Ray Storr"
    assert uncovered_names("what time is the fishing report on a sunday?", schedule) == ["sunday"]
    assert uncovered_names("what time is the fishing report on saturday?", schedule) == []


def test_an_amount_the_question_gives_may_lie_in_a_tables_band() -> None:
    table = "Claim amount | Hearing fee\n£300.01 to £500 | £59\n£500.01 to £1,000 | £85"
    assert uncovered_names("What is the hearing fee for a claim of £800?", table) == []
    assert uncovered_names("What is the hearing fee for a claim of £4,000?", table) == ["4,000"]
    # a band in prose keys no row
    prose = "Tours can be added for £60 per group of up to 25 people."
    assert uncovered_names("What is the price for 15 people?", prose) == ["15"]


def test_a_number_the_question_gives_may_lie_in_a_span() -> None:
    text = "Climbers aged 14 to 17 may climb unsupervised once a parent has signed form CC-07."
    assert uncovered_names("Which form lets a 15-year-old climb unsupervised?", text) == []
    assert uncovered_names("Which form lets a 12-year-old climb unsupervised?", text) == ["12"]


def test_a_release_is_covered_however_its_text_writes_it() -> None:
    """ "1.3.0" by "v1.3.0" and "1.3.0" by "[1.3.0]"; "Tideline 4.0" by "Version 4.0" in
    Tideline's documents, but not by a "-v4.0" option."""
    assert uncovered("When was tollgate 1.3.0 released?", ["tollgate: from v1.3.0."]) == []
    assert uncovered("When was tollgate v1.3.0 released?", ["tollgate: [1.3.0] - 2024"]) == []
    assert uncovered("When was tollgate 1.3.0 released?", ["tollgate: [1.30] - 2024"]) != []
    faq = ["Tideline FAQ", "Version 4.0 is planned for the first quarter of 2026."]
    assert uncovered("When is Tideline 4.0 planned for release?", faq) == []
    option = ["Tideline notes", "Build it with tideline-build -v4.0 to set the version."]
    assert uncovered("When is Tideline 4.0 planned for release?", option) != []
