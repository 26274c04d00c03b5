"""Abstention: a question asking for a quantity, an amount of money, a date, a person or a place is
answerable only when a sentence about it holds one. Real model, real index of the shipped corpus;
questions are not in the sets."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from pathlib import Path

import pytest

from citeqa.corpus.records import Passage
from citeqa.index.answer.abstain import (
    acronyms,
    answer_first,
    answer_strength,
    answering_passages,
    holds_type,
    judged_passages,
    name_stems,
    scene_stems,
    topic,
)
from citeqa.index.answer.alternatives import another_count
from citeqa.index.answer.coverage import (
    question_names,
    texts_giving,
    uncovered,
    uncovered_names,
    written_as_names,
)
from citeqa.index.answer.narrowing import priced_thing
from citeqa.index.answer.passage_reading import PassageReading
from citeqa.index.answer.places import place_spans
from citeqa.index.answer.question_types import (
    DURATION,
    RELATIVE_TIME,
    asked_type,
    dated,
    person_spans,
    uncontracted,
)
from citeqa.index.answer.short_answer import answer_values
from citeqa.index.encoder import Encoder
from citeqa.index.retrieval import Hit
from citeqa.index.retrieval.keyword import KeywordIndex, document_card
from citeqa.index.storage import ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many people work at the ASEAN Culture House?", "quantity"),
        ("What was the total budget of the project?", "money"),
        ("How much did the ROK spend on the meeting?", "money"),
        ("How many projects has the Fund supported?", "quantity"),
        ("By what percentage did exports grow?", "quantity"),
        ("By what percentage did the money invested abroad grow?", "quantity"),  # not money
        ("What share of the budget went to schools?", "quantity"),
        ("What are the migration delays for each urgency?", "quantity"),  # several values
        # a number that names a form or a case is a name ("N164"), not a count
        ("appeal form number", "specific"),
        ("What is the policy number on my renewal letter?", "specific"),
        ("What is the maximum number of entries?", "quantity"),
        ("What is Foundry Lane Workspace Ltd's company number?", "specific"),
        ("pen-y-graig planning application reference", "specific"),
        # a maximum or a minimum is a number, an investment money
        ("What is the maximum spin speed of the WM-8140?", "quantity"),
        ("What is the minimum investment?", "money"),
        ("What is the highest mountain?", None),
        # a number to call typed in haste; a path asked by a keyword query
        ("share offer phone nubmer", "place"),
        ("What is the number to call if the station goes off air?", "place"),
        ("What is Marta Kowalczyk's e-mail address?", "place"),
        ("Can you tell me Gary Holroyd's e-mail address?", "place"),
        ("What is Priya Raman's salary?", "money"),
        ("colour printer network path", "place"),
        # a deadline is a date; a judge, a tutor, a trustee are people
        ("What is the deadline for name changes?", "date"),
        ("Which Circuit Judge hears appeals?", "person"),
        ("Which tutor runs the second session?", "person"),
        # a "when" clause setting the scene asks no date
        ("When I push an upload through the queue, what's the longest wait I can ask for?", None),
        # a contraction read as its full form
        (uncontracted("What's the default port?"), "quantity"),
        (uncontracted("Where're the fonts kept?"), "place"),
        (uncontracted("whats the longest delay in seconds"), "quantity"),
        (uncontracted("icecream van chimes not alowed before wat time"), "date"),
        # an address of one form: a web address, a mailing list's
        ("What's the web address of the user forums?", "place"),
        ("What is the URL of the wiki?", "place"),
        # who qualifies is a kind of people; an official name is a thing's
        ("Who can apply for the scholarship?", None),
        ("Who is eligible for the grant?", None),
        ("Who can I contact about bugs?", "person"),
        ("What official name does the list give for Czechia?", None),
        ("Which official signed the pact?", "person"),
        ("The port was fifth in 2024. What was its rank in 2015?", "rank"),
        # a post someone holds is no place in an order
        ("What position does Kari Lie hold at the university?", None),
        ("What position does Norway hold among the world's ports?", "rank"),
        # a search box's keywords ask for the value their words name
        ("india asean fta entry into force date", "date"),
        ("harbour fund annual contribution", "money"),
        ("postgresql max columns per table", "quantity"),
        ("debian listmaster email address", "place"),
        ("numbering convention for files in conf.d", None),
        # ... when the word is the query's head, not a modifier
        ("python date formatting cheat sheet", None),
        ("url encoding javascript", None),
        ("soil project funding sources", None),
        ("Is there a date for the next release?", None),  # a question: its own words decide
        # "how much of" a sum of money asks for money
        ("How much of the US$230 million went to health projects?", "money"),
        ("What is the mailing list address for French-speaking users?", "place"),
        ("How much did Korea pay as its share of the Fund?", "money"),
        ("When was the Centre opened?", "date"),
        ("In which year did the talks start?", "date"),
        ("Who chaired the meeting?", "person"),
        ("Who is the official maintenance agency for the standard?", "person"),  # a body's name
        ("Who was the head of the agency?", "person"),
        ("What is the name of the first ambassador?", "person"),
        ("What is the name of the service that picks a mirror?", None),  # a thing's name
        ("Which city hosted the summit?", "place"),
        ("In which ASEAN member state was it signed?", "place"),
        ("Where will the secretariat be based?", "place"),
        ("Where does Korea rank among ASEAN's trading partners?", "rank"),
        ("According to the report, where does Norway rank as a source of investment?", "rank"),
        ("What tariff rate did the government impose?", "quantity"),
        ("Which Debian developer maintains the package?", "person"),
        ("At what time of day does the job run?", "date"),
        ("In which ASEAN member state was the centre opened?", "place"),
        ("Which agency signed the pact?", "person"),
        ("With which regional police organisation does Seoul work?", "person"),
        ("Which body of water lies to the south?", None),
        ("Which South Korean president pursued the strategy?", "person"),
        ("Whose book did he translate into Korean?", "person"),
        # a verb between "what" and a noun: what someone said or did, not who
        ("What did the ambassador say about maritime security?", None),
        ("What did the agency announce?", None),
        ("What does the file contain?", None),
        ("What does the port do?", None),
        ("What percentage of developers use Debian?", "quantity"),  # a preposition, no gap word
        ("What determines the size of the cache?", None),
        ("What range of services does the centre offer?", None),
        ("What are the reasons for the capacity shortfall?", None),
        ("What is the date format used in log files?", None),
        # where things are in manuals: a path, a file's name, an address, a number to call
        ("In which file does aptitude record its actions?", "place"),
        ("What is the phone number of the helpdesk?", "place"),
        ("Can you tell me the fax number for the committee?", "place"),
        ("Which header file do I include to use the library?", "place"),
        ("What address do I mail to subscribe to a list?", "place"),
        ("Which FC_DEBUG value reports which config files it loads?", None),  # a clause's "which"
        ("Which file-number prefixes are reserved for font synthesis?", None),
        ("Which range of conf.d file numbers holds the aliases?", "quantity"),
        ("Which file number range in conf.d is used for font synthesis?", "quantity"),
        ("What is the largest possible SQLite database size?", "quantity"),
        ("What is the hard upper bound on the number of arguments?", "quantity"),
        ("What is fontconfig's current cache file version number?", "quantity"),
        ("Over what period does the Digital Academy run?", "date"),
        ("What is the release date of the version the manual covers?", "date"),
        ("What does the brief say about maritime security?", None),
        # a number told by what it is or by its unit
        ("What is the numeric value of MAX_NAME_SIZE?", "quantity"),
        ("What is Norway's numeric ISO country code?", "quantity"),
        ("What is the default rescan interval in seconds?", "quantity"),
        ("What is the default timeout of the client?", "quantity"),
        ("What is the default value of the option?", None),  # a value may be a word
        ("At what times of day does the job run?", "date"),
        ("How frequently do the ministers meet?", "quantity"),
        # a licence, a variable or an option in a manual
        ("Under which licence is the data distributed?", "licence"),
        ("What license does the library use?", "licence"),
        ("Which license file ships with the package?", "place"),
        ("Which environment variable turns on debugging?", "code"),
        ("Which option makes the decoder strict?", "code"),
        ("What are the variable names used in the script?", None),
        # a date asked after another question; a person asked after a dash
        ("Which plan was adopted, and when?", "date"),
        ("The README quotes the Bash maintainer - who is that?", "person"),
        ("Is there a queue in Europe, and what is its address?", "place"),
        ("Exactly which servers should I use?", "specific"),
        ("What is the e-mail address of the project secretary?", "place"),
        ("Which two countries signed the pact?", "place"),
        ("Which particular treaty did they sign?", "specific"),
        # an amount by its own word, whoever's it is
        ("CASA is a flagship project. What is its total budget?", "money"),
        ("What is the annual operating budget of the centre?", "money"),
        ("What is the dollar value of that aid?", "money"),
        ("What is the minimum quilt version it requires?", "quantity"),
        ("What is the highest I can raise the limit to?", "quantity"),
        ("What is the annual fee for the course?", "money"),
        ("How much is a single adult fare?", "money"),
        ("How long is a single fare valid for transfers?", "quantity"),
        ("What is the most important reason for the change?", None),
        # a person by "who" after the name asked, or by what they do
        ("What is the name of the staff member who ran the interview?", "person"),
        ("Which envoy signed the pact?", "person"),
        ("What is the name of the file which holds it?", None),
        # a body by its kind
        ("Which research institute did she join?", "person"),
        ("Which think tank does he work for?", "person"),
        ("Which ASEAN member state hosted it?", "place"),
        # a scene set before the question: its asking clause says what is asked
        ("I'm drafting the seating plan, who is the harbour's pilot master?", "person"),
        ("Posting the forms to the Centre today: where is its office based?", "place"),
        ("Writing up the patrols. Which coast guard secretary signed the pact?", "person"),
        ("When filing a claim, how many days does the board have to reply?", "quantity"),
        ("When I file a claim, what happens next?", None),
        ("We're driving down from Leeds, so where is the nearest car park?", "place"),
        # a rate's "per year" asks for no year
        ("training budget per year", "money"),
        ("tarn license", "licence"),
        ("license file location", None),
        ("Which executive signed it?", "person"),
        ("Which executive order was signed?", None),
        # a request framing the question: the question it embeds asks
        ("Can you tell me who maintains the harbour's tide gauges?", "person"),
        ("Do you know when the Centre was established?", "date"),
        ("Please find where the cache files are kept.", "place"),
        ("Any idea what the default port is?", "quantity"),
        ("Moving servers today; could you tell me where the config lives?", "place"),
        ("Who can tell me where to go?", "person"),
        # a request for a thing: what is that thing?
        ("Do you know the e-mail address of the harbour master?", "place"),
        ("Could you give me the date of the next meeting?", "date"),
        ("I'm looking for the Korean edition of a book, whose book was it?", "person"),
        # who qualifies is a kind of people, not a name
        ("Who qualifies for the concession rent?", None),
        ("What is the annual rent for a full plot?", "money"),
        # a keyword query's year of an event
        ("MV Gannet year built", "date"),
        # "which territory" asks for a place
        ("Which country or territory has the code CW?", "place"),
        # a preposition may lead into the question word; a "?" inside the scene ends nothing
        ("Planning a trip: in which city is the Centre?", "place"),
        ("In which city is the forest body, whose pact took effect in 2018, based?", "place"),
        ("Since when, as the notes say, has the port been open?", "date"),
        ("A query with 900 ? marks fails. Since which version is the limit 32766?", "quantity"),
        ("Which plan, adopted in 2020, covers the port?", None),
        # "how much is" a thing asks its price, unless a measure is asked
        ("How much is full adult membership?", "money"),
        ("how much are the lockers per month", "money"),
        ("How much does the kettle weigh?", "quantity"),
        ("How much is the delay before an upload is processed?", "quantity"),
        ("By how much did exports grow?", "quantity"),
        # a grant is money; a keyword query's "X default" asks X; a security fix's identifier
        ("What was the largest single grant the charity received?", "money"),
        ("quillctl lock timeout default", "quantity"),
        ("Which CVE was fixed in 1.4.2?", "specific"),
        ("header injection advisory id", "specific"),
    ],
)
def test_asked_type(question: str, kind: str | None) -> None:
    assert asked_type(question) == kind


def test_a_who_clause_names_a_person_not_a_body() -> None:
    """ "Femi Adebayo, who joined" is a person; "the Parish Council, who own the land" is not."""
    sentence = "Thanks to Femi Adebayo, who joined, and the Parish Council, who own the land."
    assert [sentence[a:b] for a, b in person_spans(sentence)] == ["Femi Adebayo"]


def test_a_date_or_an_ordinal_is_not_a_quantity() -> None:
    assert not holds_type("The Centre was established in Busan on 1 September 2017.", "quantity")
    assert not holds_type("The 13th Summit in 2010 agreed to it (2011-2015).", "quantity")
    assert holds_type("It trains 40,000 talents.", "quantity")
    assert holds_type("The contribution doubled to US$32 million.", "quantity")
    assert holds_type("Eight core lines of effort were named.", "quantity")
    assert holds_type("The Centre was established on 1 September 2017.", "date")
    assert not holds_type("The talks are set to begin next year.", "date")


def test_a_reference_into_the_text_is_not_a_quantity() -> None:
    assert not holds_type("4.4.1. The bugs server", "quantity")
    assert not holds_type("See Section 6.5 and Table 3.", "quantity")
    assert holds_type("See Section 6.5: it listens on port 25.", "quantity")
    assert not holds_type("It controls the use of mmap(2) for the cache files.", "quantity")


def test_a_heading_answers_nothing() -> None:
    texts = ["4.4.1. The mail server", "The mail server keeps a log of every message.", "Ferries."]
    assert not _judge("What port does the mail server listen on?", texts)
    assert _judge(
        "What port does the mail server listen on?", [*texts, "The mail server listens on port 25."]
    )


def test_a_paragraph_number_is_not_a_quantity() -> None:
    assert not holds_type("19. The Ministry set up a special fund in 2008.", "quantity")
    assert holds_type("19. The Ministry set up a special fund of 5 billion won.", "quantity")


def test_money_is_an_amount_in_a_currency() -> None:
    assert holds_type("The contribution doubled to US$32 million.", "money")
    assert holds_type("Trade reached USD 208.11 billion.", "money")
    assert holds_type("It was given 5 billion won a year.", "money")
    assert not holds_type("Two flagship projects were launched with 450 partners.", "money")


def test_a_place_is_a_country_or_a_capitalised_name_after_in_or_at() -> None:
    question = "Which city hosted the summit?"
    assert holds_type("The summit was held on 11 December 2014 in Busan.", "place", question)
    assert holds_type("It convened in Ha Noi, Viet Nam.", "place", question)
    assert holds_type("Thailand hosted it.", "place", question)
    assert holds_type("In Jeju, leaders met.", "place", question)
    assert not holds_type("It will be launched in March 2025.", "place", question)
    assert not holds_type("Cooperation in ASEAN grew.", "place", question)  # an organisation
    # A place the question names already is not its answer.
    assert not holds_type("Korea hosted it.", "place", "Which country did Korea pick?")
    # every place of a list after the preposition, the last one too
    listed = "They met three times, in Tromso, Bergen, and Lerwick."
    assert [listed[a:b] for a, b in place_spans(listed)] == ["Tromso", "Bergen", "Lerwick"]
    assert holds_type(listed, "place", "Besides Tromso and Bergen, where did they meet?")
    # a reference into the text is no place
    assert not holds_type("The options are listed in Section 6.3.", "place", question)
    # a street address is a place, and so is the town after it; only the town is a city
    assert holds_type("It is based at the Civic Centre, 14 Quay Street.", "place", question)
    address = "Write to the Foundation, 51 Franklin Street, Fifth Floor, Boston, MA 02110, USA."
    assert [address[a:b] for a, b in place_spans(address)] == ["51 Franklin Street", "Boston"]
    # a territory ISO 3166-1 lists is a place of its own
    record = "alpha_2: CW; alpha_3: CUW; numeric: 531; name: Curaçao"
    assert holds_type(record, "place", "Which country or territory has the code CW?")


def test_a_person_is_a_titled_or_hyphenated_name() -> None:
    assert holds_type("Secretary of State Antony Blinken visited Seoul.", "person")
    assert holds_type("It was Roh Tae-woo's Nordpolitik.", "person")
    assert not holds_type("The ROK appointed its first resident Ambassador to ASEAN.", "person")
    # untitled people as a byline or a note on the authors names them
    assert holds_type("Ines Berg and Ola Dahl explain how the port grew.", "person")
    assert holds_type("Ola Dahl is Senior Research Fellow at the Harbour Institute.", "person")
    assert person_spans("The Harbour Institute is a public body.") == []
    # a local office's title, and a role capitalised before the name it is given
    assert holds_type("Councillor Imogen Tate chairs it.", "person")
    assert holds_type("It was opened by the Mayor of Tarnby, Dalia Jurkiene.", "person")
    assert asked_type("Which mayor opened the terminal?") == "person"
    assert asked_type("Which CPU governor does batch mode switch to?") is None

    # an untitled name anywhere, by its given name (of any of many languages); not a site by a
    # given name ("Grace Hall"), nor a date, nor the middle of a longer name
    def named(sentence: str) -> list[str]:
        return [sentence[a:b] for a, b in person_spans(sentence)]

    assert named("The overall winner was Ruth Okonjo, with 14.8 kg.") == ["Ruth Okonjo"]
    assert named("Kwame Boateng took the cup; Tomasz Wierzbicki came second.") == [
        "Kwame Boateng",
        "Tomasz Wierzbicki",
    ]
    assert named("Dev Sharma will run Kirkgate during that time.") == ["Dev Sharma"]
    assert named("Tea is served in Grace Hall from May Monday.") == []
    assert "Jae Myung" not in named("He met Lee Jae Myung in Seoul.")
    # a surname with a capital inside after its prefix is named whole
    for record, name in [
        ("contact_name: Fiona McLeish; role: Service Coordinator", "Fiona McLeish"),
        ("Maintainer: Sean O'Brien", "Sean O'Brien"),
        ("Edited by Mary MacDonald-Smith.", "Mary MacDonald-Smith"),
    ]:
        assert [record[a:b] for a, b in person_spans(record)] == [name]


@pytest.mark.parametrize(
    ("question", "sentence", "name"),
    [
        # a name set off by commas after its role, or told last after "who ... is"
        (
            "Which envoy attended?",
            "Japan's special envoy for the Mekong, Hiroshi Tanabe, attended.",
            "Hiroshi Tanabe",
        ),
        (
            "Who maintains the network?",
            "The staff member who maintains the network is Grace Obi.",
            "Grace Obi",
        ),
        # a body by its office
        (
            "Which Thai agency joined?",
            "Thailand's Office of the National Water Resources joined.",
            "Office of the National Water Resources",
        ),
    ],
)
def test_a_person_or_body_is_read_where_prose_places_it(
    question: str, sentence: str, name: str
) -> None:
    assert any(name in sentence[a:b] for a, b in answer_values(question, sentence))


def test_topic_drops_the_asking_words() -> None:
    assert topic("How many visitors came to Busan?").split() == ["visitors", "came", "to", "Busan?"]


@pytest.mark.parametrize(
    ("question", "answerable"),
    [
        ("When was the ASEAN Culture House in Busan established?", True),
        ("How much does the Korea-ASEAN Cooperation Fund provide per year by 2027?", True),
        ("How many people work at the ASEAN Culture House in Busan?", False),
        ("In which city was the ASEAN-Korea Centre established?", True),
        ("Which country will host the ASEAN-ROK Summit in 2030?", False),
        ("How much did the ROK spend on the smart city ministerial meeting in Busan?", False),
        ("How much does a scholarship for ASEAN faculty members pay per month?", False),
        ("Who chaired the ASEAN-ROK Health Ministers Meeting in May 2022?", False),
        ("What is the capital of France?", False),  # off the subject: the cosine floor
        # too little meaning for the floor, and a name a passage holds: on the subject
        ("What's YCAFE?", True),
        ("What's YCAFX?", False),
        ("which university is ratih indraswari from", True),  # every word held, lowercase
        # the value asked for must be in the sentence shown as the answer, not elsewhere in
        # its passage: a year Lee Jaehyon's biography gives belongs to another event
        ("In which year did ASEAN adopt its Charter, according to Lee Jaehyon?", True),
        ("In what year did Lee Jaehyon join the Asan Institute for Policy Studies?", False),
    ],
)
def test_engine_abstains_when_no_sentence_holds_the_answer(
    shipped_engine: Engine, question: str, answerable: bool
) -> None:
    response = shipped_engine.ask(question, 5)
    assert response.answerable is answerable
    assert response.passages  # the passages are returned either way


def test_the_sentence_cosine_is_a_setting(
    shipped_home: Path, encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CITEQA_ABSTAIN_SENTENCE_COSINE moves the decision: at -1 every sentence counts as about
    the question, so any amount of money in the top passages answers "how much"."""
    question = "How much was spent to build the ASEAN Culture House in Busan?"
    monkeypatch.setenv("CITEQA_ABSTAIN_SENTENCE_COSINE", "-1")
    lenient = Settings(home=shipped_home)
    assert lenient.abstain_sentence_cosine == -1.0
    assert Engine(lenient, encoder).ask(question, 5).answerable is True
    monkeypatch.delenv("CITEQA_ABSTAIN_SENTENCE_COSINE")
    assert Engine(Settings(home=shipped_home), encoder).ask(question, 5).answerable is False


def test_the_words_naming_the_source_count_as_every_sentences_own() -> None:
    """ "According to Lindqvist": the figure's sentence does not repeat the author, its
    document's card does; read with the card, the sentence is about the question."""
    texts = [
        "By Tobias Lindqvist. The harbour report.",
        "The terminal is expected to handle 400,000 containers a year.",
        "Rail freight doubled in a decade.",
        "Ferries carry cars across the river.",
    ]
    keyword = KeywordIndex.build(texts)
    question = "According to Lindqvist, how many containers will the terminal handle?"
    card = document_card("outlook-b.txt", "Harbour Outlook", "By Tobias Lindqvist, Institute")
    topic_stems = keyword.stems([topic(question)])[0]
    weights = {stem: keyword.idf(stem) for stem in topic_stems}
    alone = judged_passages([texts[1]], keyword)
    with_card = judged_passages([texts[1]], keyword, cards=[card])
    assert "lindqvist" in with_card[0][0][1] and "lindqvist" not in alone[0][0][1]
    strict = 0.8  # the author's weight is over a fifth of the topic's
    assert answer_strength(question, topic_stems, weights, alone, strict) is None
    assert answer_strength(question, topic_stems, weights, with_card, strict) is not None


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # A finer detail than the text gives: the day of a month it names, a city in a country.
        ("On what day in June 2007 did the tunnel open to traffic?", False),
        ("When did the tunnel open to traffic?", True),
        ("In which city was the tunnel treaty signed in 2003?", False),
        ("In which country was the tunnel treaty signed in 2003?", True),
        # A value the question names already is no answer to it.
        ("How many years of work did the tunnel take after its nine years of planning?", False),
    ],
)
def test_a_value_answers_only_when_it_is_new_and_as_fine_as_asked(
    question: str, answered: bool
) -> None:
    texts = [
        "The tunnel opened to traffic in June 2007 after nine years of work.",
        "The tunnel treaty was signed in 2003 in Norway by both ministers.",
        "Ferries carried cars across the strait before the tunnel.",
    ]
    keyword = KeywordIndex.build(texts)
    topic_stems = keyword.stems([topic(question)])[0]
    weights = {stem: keyword.idf(stem) for stem in topic_stems}
    passages = judged_passages(texts, keyword)
    found = answer_strength(question, topic_stems, weights, passages, 0.2)
    assert (found is not None) is answered


@pytest.mark.parametrize(
    ("question", "texts", "answered"),
    [
        # a record's line under what leads into it: its date and its names
        (
            "How many participants had been randomised by the end of February 2025?",
            [
                "ENROLMENT SUMMARY (as of 28 February 2025)\n\n"
                "Screened: 311\nRandomised: 164\nDiscontinued treatment: 9",
                "Recruitment opened in March 2024 at four sites.",
            ],
            True,
        ),
        (
            "How many participants had been randomised by the end of February 2024?",
            [
                "ENROLMENT SUMMARY (as of 28 February 2025)\n\n"
                "Screened: 311\nRandomised: 164\nDiscontinued treatment: 9",
                "Recruitment opened in March 2024 at four sites.",
            ],
            False,
        ),
        # the thing measured, named by the heading the line stands under
        (
            "What is the maximum vehicle length on Route 3?",
            [
                "2. VEHICLE LIMITS\n\nMaximum length (Route 1): 16.5 m\n"
                "Maximum length (Route 3): 12.0 m\nMaximum height: 4.5 m",
                "Freight is carried on Route 1 and Route 3.",
            ],
            True,
        ),
        # the versions a fix concerns, told before the sentence naming who found it, are not
        # the version asked: the section's is
        (
            "Who reported the symlink flaw fixed in 3.2.1?",
            [
                "3.2.1 — 2025-03-18\n\nSecurity\n\n- A crafted archive could write outside "
                "the target through a symlink. All users of 3.0.0 to 3.2.0 should upgrade. "
                "Reported by Dr. Ines Vasquez of the University of Leiden.",
                "3.3.0 adds object lock support.",
            ],
            True,
        ),
    ],
)
def test_a_line_is_read_with_what_it_stands_under(
    question: str, texts: list[str], answered: bool
) -> None:
    assert _judge(question, texts) is answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # a price is of a thing the sentence names
        ("How much does a raised bed cost at the allotments?", False),
        ("How much does a full plot cost?", True),
        ("What is the price of a family ticket?", False),
        ("What is the price of a day ticket?", True),
        ("How much does it cost to charge my electric car at the terminal?", False),
        ("How much does it cost to park at the terminal?", True),
        # a keyword query names what is priced before the word; what is counted is priced
        ("raised bed price", False),
        ("full plot price", True),
        ("How much will three day tickets cost?", True),
        ("How much does senior membership cost per year?", True),
        ("How much does a campervan pitch cost?", True),
        ("How much does a caravan pitch cost?", False),
    ],
)
def test_a_price_is_told_of_the_thing_asked(question: str, answered: bool) -> None:
    """The thing may be told by the heading or the list's lead-in over the amount's line, or
    by the sentence after it."""
    texts = [
        "Rents for 2025: a full plot costs £96.00 a year, a half plot £52.00.",
        "Day ticket: £14.60 for an adult.",
        "Skip contribution for clearing a neglected plot: at cost, up to £180.00.",
        "Parking at the terminal costs £6.00 per day; parking is paid at the machine.",
        "Membership\n\nSubscriptions are due in January. Current rates:\n\n"
        "- Adult: £28 a year\n- Senior (65+): £22 a year",
        "Q. Can I bring a campervan?\nA. Yes, to the crew campervan field, for £40 a weekend. "
        "Pitches are 6 m by 8 m.",
    ]
    assert _judge(question, texts) is answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("What is the phone number of the allotment society?", False),
        ("What is the e-mail address of the allotment society?", True),
        ("What is the phone number of the ferry desk?", True),
    ],
)
def test_a_number_to_call_is_asked_as_an_address_is(question: str, answered: bool) -> None:
    texts = [
        "Contact the allotment society at secretary@marlpit.example.org.",
        "Ferry desk: telephone 01496 700 430, open 07:00 to 17:00.",
        "Plots are let from 1 October each year.",
    ]
    assert _judge(question, texts) is answered


def test_a_records_key_holds_the_words_a_question_writes_apart() -> None:
    """ "alpha_2" is the key a question calls "the alpha-2 code"."""
    texts = [
        "alpha_2: NO; alpha_3: NOR; numeric: 578; name: Norway",
        "alpha_2: NL; alpha_3: NLD; numeric: 528; name: Netherlands",
        "Each code is listed once, with its numeric form.",
        "The alpha release came first.",
    ]
    assert _judge("Which country has the alpha-2 code NO?", texts)
    assert not _judge("Which country has the beta-2 code NO?", texts)


def _judge(question: str, texts: list[str]) -> bool:
    keyword = KeywordIndex.build(texts)
    topic_stems = keyword.stems([topic(question)])[0]
    weights = {stem: keyword.idf(stem) for stem in topic_stems}
    names = name_stems(question, keyword)
    strength = answer_strength(
        question,
        topic_stems,
        weights,
        judged_passages(texts, keyword),
        0.2,
        names=names,
        scene=scene_stems(question, keyword),
    )
    return strength is not None


_HARBOUR = [
    "The Nordic Maritime Centre was founded in Bergen in 1998 to train pilots.",
    "Since 2004, Norway and partners including Iceland and Denmark have run joint patrols.",
    "The port authority spent 40 million kroner on the new quay.",
    "The two terminals handle container ships and ferries from the Baltic.",
    "The Harbour Safety Board (HSB) reported that 1,200 inspections were carried out in 2019.",
    "More than 30 per cent of the region's ODA is allocated to coastal towns.",
    "The new quay was approved on 3 March 2018 and opened in May 2019.",
    "Over the period 2010-2020 ferry traffic grew by 40 per cent.",
]


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # Every rare name of the question must be in the answering sentence (or the one before).
        ("When was the Nordic Maritime Centre founded?", True),
        ("When was the Baltic Maritime Centre founded?", False),  # another centre, named elsewhere
        ("When was the Icelandic Maritime Centre founded?", False),
        # "How many X" is answered by a count of X, or a bare count; not by "two terminals".
        ("How many inspections did the Harbour Safety Board carry out in 2019?", True),
        ("How many visitors came to the two terminals?", False),
        # A share is a percentage or a fraction, not any number.
        ("What share of the region's overseas development assistance goes to coastal towns?", True),
        ("What share of the container ships do the terminals handle?", False),
        # ... and a level, not how much something grew
        ("What share of the sea traffic did ferry traffic make up over 2010-2020?", False),
        # The day asked for lies in the month the question names, not in another one.
        ("On what day in March 2018 was the new quay approved?", True),
        ("On what day in May 2019 did the new quay open?", False),
        # A period is named as one: a year at its edge is not asked of it, nor it of a year.
        ("By what percentage did ferry traffic grow over 2010-2020?", True),
        ("By what percentage did ferry traffic grow in 2010?", False),
    ],
)
def test_the_answering_sentence_holds_the_names_and_the_kind_asked(
    question: str, answered: bool
) -> None:
    assert _judge(question, _HARBOUR) is answered


_LIMITS = [
    "The archive holds around 30000 source packages and a few other files.",
    "The maximum page size is 65536 bytes, which gives a database of about 281 terabytes.",
    "Unless told otherwise, the cache is kept for 30 days and rebuilt on request.",
]


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # an estimate does not answer a question that insists on the figure
        ("How many source packages does the archive hold?", True),
        ("Exactly how many source packages does the archive hold?", False),
        # what a setting is when nobody sets it is told as such
        ("What is the maximum page size of a database?", True),
        ("What is the default page size of a database?", False),
        ("For how many days is the cache kept by default?", True),
    ],
)
def test_an_estimate_or_another_setting_does_not_answer(question: str, answered: bool) -> None:
    assert _judge(question, _LIMITS) is answered


_PIECE = [
    "The Harbour Treaty celebrates its 20th anniversary this year, and there are two types of"
    " ferry berths: 14 for cars and 6 for people.",
    "The Korea-Norway ferry link opened in 2003.",
]


@pytest.mark.parametrize(
    ("question", "cards", "answered"),
    [
        # "this year" stands for the year the document's card names
        ("Which anniversary does the Harbour Treaty mark in 2025?", ["Harbour news 2025"], True),
        ("Which anniversary does the Harbour Treaty mark in 2025?", ["Harbour news 2019"], False),
        # "two types of berths" does not say how many berths
        ("How many of the ferry berths serve cars?", [""], True),
        ("Exactly how many types of ferry berths are there?", [""], True),
        # a country named in "Korea-Norway" is named
        ("When did the Korean ferry link open?", ["", ""], True),
    ],
)
def test_a_year_a_count_and_a_country_as_a_text_tells_them(
    question: str, cards: list[str], answered: bool
) -> None:
    texts = _PIECE[: len(cards)]
    keyword = KeywordIndex.build(texts + cards)
    strengths = answering_passages(question, texts, keyword, (), cards=cards)
    assert any(s is not None for s in strengths) is answered


def test_a_count_of_sorts_is_not_a_count_of_the_thing() -> None:
    assert not _judge(
        "How many source packages does the archive hold?",
        ["There are two types of source packages in the archive."],
    )


def test_a_default_is_asked_of_a_sentence_only_beside_another_setting() -> None:
    assert _judge("What is the default port of the server?", ["The server listens on port 5432."])
    assert not _judge(
        "What is the default page size of the database?",
        ["The maximum page size of the database is 65536 bytes."],
    )
    assert _judge(
        "What is the default page size of the database?",
        ["The page size of the database is 4096 bytes unless set, 65536 at most."],
    )
    # a range tells no default; a default told in the sentence before counts
    assert _judge(
        "How many attempts does the client make by default?",
        ["By default, the client retries failed requests. It makes at most 3 attempts."],
    )
    assert not _judge(
        "What is the default page size of the database?",
        ["Database page sizes are powers of two between 512 and 65536 bytes."],
    )
    # ... unless the question asks for a limit: "can", "maximum"
    assert _judge(
        "How many databases can be attached to the database by default?",
        ["The attached databases are limited to 10 by default."],
    )
    assert _judge(
        "What is the default maximum size of a string in the database?",
        ["The maximum size of a string in the database is 1 billion bytes by default."],
    )


def test_a_bloc_is_asked_as_a_name_its_documents_card_may_hold() -> None:
    texts = ["The Charter was adopted on 20 November 2007 by the ten member states."]
    keyword = KeywordIndex.build([*texts, "ASEAN Charter"])
    strengths = answering_passages(
        "When did ASEAN adopt the Charter?", texts, keyword, (), cards=["ASEAN Charter"]
    )
    assert strengths[0] is not None
    strengths = answering_passages(
        "When did ASEAN adopt the Charter?", texts, keyword, (), cards=["Charter history"]
    )
    assert strengths[0] is None


def test_a_number_naming_a_standard_is_no_quantity() -> None:
    assert not holds_type("OpenPGP is an open standard based on RFC 4880.", "quantity")
    assert holds_type("It supports 122 languages of ISO 639-1.", "quantity")
    assert holds_type("The fund holds USD 5 million.", "quantity")
    assert holds_type("The US 25% tariff hit trade.", "quantity")  # a share after a country
    assert holds_type("The client requires TLS 1.3.", "quantity")  # a version, not a standard
    assert holds_type("Indonesia pledged IDR 5 trillion.", "quantity")


def test_a_question_asking_only_for_a_body_or_a_file_is_not_judged_by_its_name() -> None:
    # a body or a file may be called by a phrase no pattern reads as a name: quoted when found,
    # not required
    assert _judge("Which agency protects the harbour?", ["The harbour is guarded by the navy."])
    assert not _judge("Which minister opened the harbour?", ["The harbour was opened by the navy."])
    assert _judge("Which file lists the harbour's berths?", ["The berths are in debian/rules."])
    assert not _judge("Where are the harbour's berths listed?", ["The berths are listed."])


def test_a_passage_from_the_source_the_question_names_answers_more_closely() -> None:
    """ "According to Mayor Olsen, ..." is answered first from the document whose card names
    him, though another document answers too."""
    texts = [
        "The port ranks third among the region's ports by cargo.",
        "The port ranks fifth among the region's ports by cargo.",
    ]
    cards = [
        document_card("ministry-report.txt", "Ministry report", "Ports of the region"),
        document_card("interview-mayor-olsen.txt", "Interview with Mayor Olsen", "Ports"),
    ]
    keyword = KeywordIndex.build([f"{t} {c}" for t, c in zip(texts, cards, strict=True)])
    question = "According to Mayor Olsen, where does the port rank among the region's ports?"
    ministry, mayor = answering_passages(question, texts, keyword, (), cards=cards)
    assert ministry is not None and mayor is not None and mayor > ministry + 1


@pytest.mark.parametrize(
    ("question", "texts", "answered"),
    [
        # a count of pages is no page size, even beside a sentence on sizes
        (
            "What is the default page size of a Nordic database?",
            [
                "A Nordic database file may grow to any size the disk allows.",
                "The NORDIC_MAX_PAGES setting, normally 1073741823, is the most pages it holds.",
            ],
            False,
        ),
        # asked as a request, the same
        (
            "Do you know what the default page size of a Nordic database is?",
            [
                "A Nordic database file may grow to any size the disk allows.",
                "The NORDIC_MAX_PAGES setting, normally 1073741823, is the most pages it holds.",
            ],
            False,
        ),
        (
            "What is the default page size of a Nordic database?",
            ["A new Nordic database uses pages of 4096 bytes unless told otherwise."],
            True,
        ),
        # a sentence carrying on the one before tells the measure that one names
        (
            "What is the default maximum size of a string in Nordic?",
            [
                "The maximum number of bytes in a string in Nordic is set by NORDIC_MAX_LENGTH.",
                "The default value of this setting is 1 billion.",
            ],
            True,
        ),
        # a size of another thing ("string") is not the page size asked
        (
            "What is the default page size of a Nordic database?",
            [
                "The maximum number of bytes in a string in Nordic is set by NORDIC_MAX_LENGTH.",
                "The default value of this setting is 1 billion.",
            ],
            False,
        ),
        (
            "What is the default timeout of the Nordic server?",
            ["By default the Nordic server waits 30 seconds before it gives up."],
            True,
        ),
        (
            "What is the default timeout of the Nordic server?",
            ["By default the Nordic server keeps 30 connections open."],
            False,
        ),
        # a version of another program, a rate that is a code
        (
            "What is the minimum meson version required to build Nordic?",
            ["Nordic needs gettext 0.21 or later to build."],
            False,
        ),
        (
            "What is the minimum meson version required to build Nordic?",
            ["Nordic needs meson 0.60 or later to build."],
            True,
        ),
        (
            "What is the exchange rate of the Nordic krone to the euro?",
            ["The Nordic krone has the numeric code 578 in the currency list."],
            False,
        ),
        # a limits table names the measure and its thing in identifiers
        (
            "What is the default queue depth of the Nordic broker?",
            ["Nordic broker limits: max_queue_depth defaults to 100000 messages."],
            True,
        ),
        # a unit the question names is the measure asked
        (
            "Nordic ice cream van chimes decibel limit",
            ["Nordic ice cream van chimes may sound for no more than 12 seconds."],
            False,
        ),
        (
            "Nordic ice cream van chimes decibel limit",
            ["Nordic ice cream van chimes must not exceed 65 dB at 7 metres."],
            True,
        ),
        (
            "What is the capacity of the Nordic battery in watt-hours?",
            ["The Nordic battery has a capacity of 500 Wh and weighs 3 kg."],
            True,
        ),
        (
            "What is the capacity of the Nordic battery in watt-hours?",
            ["The Nordic battery has a capacity of 14 cells and weighs 3 kg."],
            False,
        ),
    ],
)
def test_a_quantity_asked_by_its_measure_is_told_in_it(
    question: str, texts: list[str], answered: bool
) -> None:
    filler = ["Sweden opened a new bridge in 2019.", "Finland plans more rail links."]
    assert _judge(question, [" ".join(texts), *filler]) is answered


@pytest.mark.parametrize(
    ("question", "sentence", "answered"),
    [
        # counted, not named: the answer is one level less fine than asked
        ("Which two roads did Norway close?", "Norway closed two major roads in May.", False),
        (
            "What are the eight lines of effort of the Nordic plan?",
            "The Nordic plan has eight lines of effort, in line with its three visions.",
            False,
        ),
        # named after the count, or after a colon that opens their list
        ("Which two roads did Norway close?", "Norway closed two roads, the E6 and the E39.", True),
        (
            "What are the four areas of the Nordic plan?",
            "The Nordic plan works in four areas: fishing, shipping, energy and tourism.",
            True,
        ),
        # or right before it
        (
            "Which two countries signed the Nordic pact?",
            "It was signed by Norway and Iceland, the two countries that border the sea.",
            True,
        ),
        # or in the next sentence
        (
            "What are the three visions of the Nordic plan?",
            "The Nordic plan rests on three visions. They are a free, an open and a fair region.",
            True,
        ),
        # the count told first, the things asked after
        (
            "The Nordic plan has eight lines of effort. What are they?",
            "The Nordic plan has eight lines of effort, in line with its three visions.",
            False,
        ),
        # a list told one item a sentence
        (
            "What are the four recommendations of the Nordic brief?",
            "The Nordic brief makes four recommendations. First, train more pilots.",
            True,
        ),
        # a wrapped line is no list
        ("Which two roads did Norway close?", "Norway closed two major roads\nin May.", False),
        # named without being counted, or listed without their kind's word
        ("Which two roads did Norway close?", "Norway closed the E6 and the E39 roads.", True),
        (
            "What three roles does the Nordic plan give Norway?",
            "The Nordic plan casts Norway as a guide, a builder and a partner.",
            True,
        ),
        # a sentence on the subject that speaks of no such things names none of them
        ("Which two roads did Norway close?", "Norway closed the border in May.", False),
    ],
)
def test_a_question_asking_for_counted_things_wants_them_named(
    question: str, sentence: str, answered: bool
) -> None:
    texts = [
        sentence,
        "Sweden opened a new bridge in 2019.",
        "Finland plans more rail links.",
        "Denmark keeps its ferries running all year.",
    ]
    assert _judge(question, texts) is answered


@pytest.mark.parametrize(
    ("sentence", "answered"),
    [
        ("The Nordic fund of 40 million kroner backs the ferry and rail schemes.", False),
        ("The fund grew from 20 million kroner in 2019 to 40 million kroner in 2024.", False),
        ("Of the 40 million kroner, the ferry scheme gets 25 million and rail 15 million.", True),
        ("Of the 40 million kroner, 25 million are reserved for ferries and 15 for rail.", True),
    ],
)
def test_a_question_asking_how_a_whole_is_split_wants_the_parts(
    sentence: str, answered: bool
) -> None:
    texts = [sentence, "Sweden opened a new bridge in 2019.", "Finland plans more rail links."]
    question = "How is the Nordic fund's 40 million kroner split between the schemes?"
    assert _judge(question, texts) is answered


def test_a_record_is_about_what_the_sentence_leading_into_it_names() -> None:
    """The control file the text introduces is what its Maintainer line tells of: "Here is the
    control file dh_make created for gentoo:" then "4 Maintainer: Josip Rodin"."""
    texts = [
        "Here is the control file dh_make created for gentoo:\n\n1 Source: gentoo\n"
        "2 Section: unknown\n3 Priority: optional\n4 Maintainer: Josip Rodin <joy@debian.org>",
        "The maintainer of a package answers its bug reports.",
        "A control file holds the fields dpkg reads.",
        "Examples show how a control file is laid out.",
    ]
    question = "Who is named as the Maintainer in the example control file for gentoo?"
    assert _judge(question, texts)


def test_a_field_line_is_about_what_the_field_line_before_it_names() -> None:
    """ "Files: icons/*" then "Copyright: 1998 Carl Dahl" is one record: the copyright line
    answers who has the copyright on the icons."""
    texts = [
        "Files: *\n\nCopyright: 2001 Ann Berg\n\nFiles: icons/*\n\nCopyright: 1998 Carl Dahl",
        "Copyright notices belong at the top of each source file.",
        "The copyright of a translation stays with its translator.",
        "Copyright law differs from one country to another.",
    ]
    assert _judge("Who has the copyright on the icons?", texts)


def test_an_acronym_in_a_sentence_stands_for_the_question_s_phrase() -> None:
    found = acronyms("What share of overseas development assistance goes to the Plan of Action?")
    assert {"oversea", "develop", "assist"} <= found["oda"]
    assert {"plan", "action"} <= found["poa"] and "pa" not in found  # two letters: too loose
    assert "sgt" not in found  # no acronym starts or ends on a stopword ("share of ... the")


def test_the_names_of_a_question_s_source_are_not_asked_of_the_sentence() -> None:
    texts = [
        "By Ingrid Solberg. Harbour notes.",
        "The quay will handle 400,000 containers a year.",
        "Ferries carry cars across the fjord.",
    ]
    question = "According to Ingrid Solberg, how many containers will the quay handle?"
    keyword = KeywordIndex.build(texts)
    assert name_stems(question, keyword) == []
    assert _judge(question, texts)


def test_a_rank_is_a_place_in_an_order_not_a_title_s_ordinal() -> None:
    question = "Where does Norway rank among the region's investors?"
    sentence = "Norway was the fifth largest trading partner and the seventh largest investor."
    assert [sentence[a:b] for a, b in answer_values(question, sentence)] == [
        "fifth largest",
        "seventh largest",
    ]
    assert not holds_type("The Third Protocol was signed in 2015.", "rank")


def test_a_preposition_inside_a_title_names_no_place() -> None:
    sentence = "The Trade in Goods Agreement was signed in Busan."
    assert [sentence[a:b] for a, b in place_spans(sentence)] == ["Busan"]


def test_the_passages_that_answer_go_first_each_group_in_its_order() -> None:
    def hit(i: int) -> Hit:
        return Hit(Passage(f"d#{i}", "d", f"text {i}", 0, 6), 1.0 - i / 10, 0.5, 1.0)

    hits = [hit(i) for i in range(7)]
    moved = answer_first(hits, [None, None, 1.0, None, 1.0])
    assert [h.passage.id for h in moved] == ["d#2", "d#4", "d#0", "d#1", "d#3", "d#5", "d#6"]
    assert answer_first(hits, [1.0] * 5) == hits and answer_first(hits, []) == hits
    assert answer_first(hits, [0.0] * 5) == hits  # an untyped question: search's order


def test_of_the_passages_that_answer_the_one_answering_more_closely_goes_first() -> None:
    """A passage whose answering sentence is much more about the question (strength 1.6 against
    0.6) overtakes one a little ahead in search (score 1.0 against 0.9); a small lead in
    strength does not."""

    def hit(i: int) -> Hit:
        return Hit(Passage(f"d#{i}", "d", f"text {i}", 0, 6), 1.0 - i / 10, 0.5, 1.0)

    hits = [hit(i) for i in range(3)]
    assert [h.passage.id for h in answer_first(hits, [0.6, 1.6, None])] == ["d#1", "d#0", "d#2"]
    assert [h.passage.id for h in answer_first(hits, [0.6, 0.8, None])] == ["d#0", "d#1", "d#2"]


def test_ask_quotes_the_value_from_the_first_passage_s_highlight(
    shipped_home: Path, encoder: Encoder
) -> None:
    """The first passage `ask` returns for a typed question it answers holds the value asked
    for in its highlighted sentence, and the short answer quotes it."""
    engine = Engine(Settings(home=shipped_home), encoder)
    question = "When was the ASEAN-Korea Centre established?"
    answer = engine.ask(question, 5)
    assert answer.answerable and answer.answer is not None
    first = answer.passages[0]
    assert answer.answer.text in first.text[first.highlight.start : first.highlight.end]
    assert answer.answer.text == "13 March 2009"


@pytest.mark.parametrize(
    ("question", "texts", "answered"),
    [
        # an environment variable is named in the code's spelling ...
        (
            "Which environment variable turns on debugging in the decoder?",
            ["The decoder prints debugging output when DECODER_DEBUG is set."],
            True,
        ),
        (
            "Which environment variable turns on debugging in the decoder?",
            ["The decoder can print debugging output; see the GNU manual."],
            False,
        ),
        # ... an option, a setting or a plain-word variable may not be
        (
            "Which option did the committee recommend?",
            ["The committee recommended the second option, a phased tariff cut."],
            True,
        ),
        (
            "Which variables did the study control for?",
            ["The study controlled for age, income and region."],
            True,
        ),
        # a software licence is named; a permit is not a licence's name
        (
            "Under which licence is the data distributed?",
            ["The data is distributed by the project's own team."],
            False,
        ),
        (
            "Which licence do I need to export dual-use goods?",
            ["Exporters of dual-use goods need an export licence from the Ministry of Trade."],
            True,
        ),
        # a question insisting on the very thing: not answered by "one of them"
        (
            "Exactly which servers should I use to publish the files?",
            ["You can use one of the other servers to publish the files."],
            False,
        ),
        (
            "Which specific package should I install for the fonts?",
            ["Install the fonts-noto package for the fonts."],
            True,
        ),
        (
            "Which particular step fails during the upload?",
            ["The signing step fails during the upload when the key is missing."],
            True,
        ),
        (
            "Which specific sectors will the fund support?",
            ["The fund will support various sectors such as health and education."],
            True,
        ),
        # an e-mail address is refused for want of one, a file's name is not
        (
            "What is the e-mail address of the maintainers of the codes?",
            ["Bugs in the codes go to the maintainers' tracker at https://salsa.debian.org/codes."],
            False,
        ),
        # "the largest" asks which comes first in an order: a sentence that ranks nothing
        (
            "Which country is the island's largest trading partner?",
            ["The island's trade with Norway has slowed in recent years."],
            False,
        ),
        (
            "Which country is the island's largest trading partner?",
            ["Norway buys more of the island's goods than any other country."],
            True,
        ),
        # "default" as a debt's, not a setting's
        (
            "When did the country default on its debt?",
            ["The country defaulted in December 2001, missing a payment of more than $1 billion."],
            True,
        ),
        # an environment variable in capitals alone
        (
            "Which environment variable names the editor crontab uses?",
            ["crontab uses the editor named in VISUAL or EDITOR."],
            True,
        ),
        # "..., and when should I use it?" asks for a condition, not a date
        (
            "What does the force flag do, and when should I use it?",
            ["The force flag removes the lock; use it only when the lock file is stale."],
            True,
        ),
    ],
)
def test_a_code_or_licence_question_is_refused_only_for_a_name_it_must_have(
    question: str, texts: list[str], answered: bool
) -> None:
    assert _judge(question, texts) is answered


@pytest.mark.parametrize(
    ("question", "texts", "answered"),
    [
        (
            "Where is the Forest Cooperation Organization headquartered?",
            ["The Forest Cooperation Organization held its assembly in Oslo last year."],
            False,
        ),
        (
            "Where is the Forest Cooperation Organization headquartered?",
            ["The Forest Cooperation Organization, based in Oslo, has twelve members."],
            True,
        ),
        (
            "When was the Cultural Centre in Bergen founded?",
            ["The Cultural Centre in Bergen signed an agreement with the museum in 2019."],
            False,
        ),
        (
            "When was the Cultural Centre in Bergen founded?",
            ["The Cultural Centre in Bergen was set up in 2009 to promote exchanges."],
            True,
        ),
        (
            "Who founded the Cultural Centre in Bergen?",
            ["The Cultural Centre in Bergen was opened by Mayor Ann Olsen in 2009."],
            True,
        ),
        (
            "When was Ann Olsen born?",
            ["Ann Olsen wrote the Bergen report in 2015."],
            False,
        ),
        # the relation goes by many words
        (
            "Where is the Nordic Energy Council based?",
            ["The Nordic Energy Council is run from Oslo by a small secretariat."],
            True,
        ),
        (
            "When was the Nordic Energy Council founded?",
            ["The Nordic Energy Council dates back to 1971, when five ministers met in Oslo."],
            True,
        ),
        ("When was Ann Olsen born?", ["Ann Olsen (1815-1852) wrote the Bergen report."], True),
        (
            "When was Ann Olsen born?",
            ["Ann Olsen (7 November 1867 – 4 July 1934) was a Norwegian physicist."],
            True,
        ),
        (
            "When did Google Reader die?",
            ["Google Reader was discontinued on 1 July 2013."],
            True,
        ),
        # a question that only looks like one: no relation asked, or none of a named body
        (
            "When was bug 4512 opened?",
            ["Bug 4512 was reported on 12 March 2020."],
            True,
        ),
        (
            "When was the Fund that was created by the ministry closed?",
            ["The ministry's Fund was closed in 2015."],
            True,
        ),
        (
            "Where is the template that new projects are based on stored?",
            ["The template is stored in /usr/share/skel on every machine."],
            True,
        ),
        (
            "When was the first director of the newly established agency appointed?",
            ["Ann Olsen was appointed the agency's first director in 2011."],
            True,
        ),
    ],
)
def test_where_a_body_sits_or_when_it_was_founded_is_told_in_the_relation_s_words(
    question: str, texts: list[str], answered: bool
) -> None:
    assert _judge(question, texts) is answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("Where did Mayor Olsen meet the island's governor during her first term?", True),
        ("Where did Mayor Dahl meet the island's governor during her first term?", False),
    ],
)
def test_a_sentence_referring_back_holds_the_name_two_sentences_before(
    question: str, answered: bool
) -> None:
    """ "her position" is Mayor Olsen's, named two sentences back; Mayor Dahl is named only in
    another passage."""
    text = (
        "Mayor Olsen took office in 2015 promising a harder line. "
        "The council opposed talks with the island. "
        "However, her position shifted, culminating in three meetings with the island's "
        "governor in Bergen, Tromso and Oslo."
    )
    assert _judge(question, [text, "Mayor Dahl opened the new harbour in 2019."]) is answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # the source the question names as the one suggesting is asked of the document
        ("What version string does the Packaging Handbook suggest for a local test build?", True),
        ("What version string should a local test build use according to Harbour Notes?", True),
        ("What version string does Ole Brun use for a local test build?", False),
        # a person or a body saying it is what the question asks about, no source
        ("What version string did Ole Brun say a local test build uses?", False),
    ],
)
def test_a_source_that_says_or_suggests_is_not_asked_of_the_sentence(
    question: str, answered: bool
) -> None:
    texts = [
        "For a local test build, use a version string such as 1.0.1-1~rc1 in the changelog.",
        "Packaging Handbook, Harbour Notes edition. Ole Brun and Kari Lie.",
    ]
    assert _judge(question, texts) is answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("Kari Lie updated the notes for which version of the packages?", True),
        ("Ole Brun updated the notes for which version of the packages?", False),
    ],
)
def test_a_byline_leading_into_the_next_line_holds_its_names(question: str, answered: bool) -> None:
    """ "Changes for the 2.3 packages by:" is signed on the next line."""
    texts = [
        "Changes for the 2.3 packages by:\n\nKari Lie <kari@example.org>",
        "Ole Brun wrote the first notes.",
    ]
    assert _judge(question, texts) is answered
    # any other line after a colon is no byline
    texts[0] = "Changes for the 2.3 packages:\n\nKari Lie drew the new logo."
    assert not _judge(question, texts)


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # the scene's words are the asker's, not the answer's: "links", "wiki pages"
        (
            "I'm cleaning up stale repository links in our team's packaging notes that still "
            "point at Tarnhost. When was Tarnhost shut down?",
            True,
        ),
        ("Tidying our team's wiki pages and stale bookmarks: when was Tarnhost shut down?", True),
    ],
)
def test_a_scene_set_before_the_question_is_asked_of_the_passage_not_the_sentence(
    question: str, answered: bool
) -> None:
    texts = [
        "Until Tarnhost was deprecated and eventually turned off in June 2018, it hosted the "
        "project's repositories. Vcs-Git fields were updated over the following months.",
        "The team's packaging notes keep the repository links; stale ones are cleaned up and "
        "the wiki pages and bookmarks that still point at old hosts are tidied each release.",
    ]
    assert _judge(question, texts) is answered
    # a question referring back to its scene asks of the scene's names
    assert name_stems("Moving off Tarnhost: when was it shut down?", KeywordIndex.build(texts))
    assert not name_stems(
        "Moving off Tarnhost: when was the wiki shut down?", KeywordIndex.build(texts)
    )
    # an asking clause of no words of its own is asked of the whole question
    assert not _judge("Tarnhost ran eight build queues. What were they?", texts)
    # the scene's names are asked of the passages: a swapped one is not in them
    swapped = "I'm cleaning up old Vcs links that still point at Brimhost. When was it shut down?"
    assert uncovered(swapped, texts) == ["Brimhost"]


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("Who is the Mayor of Kingsford?", True),
        ("Who is the Mayor of Aldbury?", False),  # another town's mayor is no answer
        ("Who is the mayor of Kingsford?", True),
        ("Which Mayor of Kingsford's plan was launched?", True),
        # another post of the same body is no answer either
        ("Who is the president of the Kingsford Harbour Trust?", False),
        ("Who is the Senior Fellow at the Kingsford Harbour Trust?", True),
    ],
)
def test_a_post_is_held_for_whom_it_serves(question: str, answered: bool) -> None:
    texts = [
        "The Mayor of Kingsford, Anthea Blake, launched the town's regeneration plan.",
        "Ola Dahl is Senior Fellow at the Kingsford Harbour Trust.",
        "The county council met at County Hall in Aldbury on Thursday.",
        "Aldbury Rovers beat Kingsford Town 3-1 at Meadow Lane.",
    ]
    assert _judge(question, texts) is answered


def test_a_section_s_lines_are_about_what_its_heading_names(
    tmp_path: Path, encoder: Encoder
) -> None:
    """ "Curated by Ms Harriet Oduya" answers who curated the exhibition its section is titled
    by, though the line names no exhibition; an exhibition naming no curator has none."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "exhibitions.md").write_text(
        "# Exhibitions 2025\n\n## Special exhibitions\n\n"
        "### Indigo: A Blue Thread\n\n**15 February – 8 June 2025, Gallery 2**\n"
        "Curated by Dr. Noor Siddiqui, Curator of World Textiles.\n\n"
        "How one plant dye travelled from India to the mills of the north, in 120 objects.\n\n"
        "### Stitch & Signal: Embroidery in Wartime\n\n**5 July – 2 November 2025, Gallery 2**\n"
        "Curated by Ms Harriet Oduya, Assistant Curator.\n\n"
        "Embroidered postcards, regimental badges and quilts made by prisoners of war.\n\n"
        "### Winter Lights: Lace in Motion\n\n**From 22 November 2025, Gallery 2**\n"
        "Lace from six centuries, lit to show its patterns.\n"
    )
    settings = Settings(home=tmp_path / "home", corpus=corpus)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    engine = Engine(settings, encoder)
    assert engine.ask("Who curated Stitch & Signal: Embroidery in Wartime?", 5).answerable
    assert not engine.ask("Who curated Winter Lights: Lace in Motion?", 5).answerable


def _judge_with_card(question: str, texts: list[str], card: str) -> bool:
    """`_judge` with every passage under one document's card, read as its setting too."""
    keyword = KeywordIndex.build([*texts, "Ferries carry cars.", "Calls open in spring."])
    topic_stems = keyword.stems([topic(question)])[0]
    weights = {stem: keyword.idf(stem) for stem in topic_stems}
    passages = judged_passages(texts, keyword, cards=[card])
    names = name_stems(question, keyword)
    weights |= {stem: keyword.idf(stem) for name in names for stem in name if stem not in weights}
    strength = answer_strength(
        question, topic_stems, weights, passages, 0.2, names=names, setting=card
    )
    return strength is not None


def test_a_document_is_of_the_year_its_title_names_not_of_its_history() -> None:
    """A "Membership Guide 2024/25" that was "Founded 1978" is of 2024/25; an annual report for
    "1 April 2023 to 31 March 2024" is of 2023/24; neither of 2022/23."""
    texts = ["Category | Annual fee\nFull adult | £36.00 | Voting rights"]
    guide = document_card(
        "membership.md",
        "Membership Guide 2024/25",
        "Membership Guide 2024/25 Registered charity no. 1187342 · Founded 1978",
    )
    assert _judge_with_card("How much is full adult membership for 2024/25?", texts, guide)
    assert not _judge_with_card("How much is full adult membership for 2022/23?", texts, guide)
    grants = ["Funding. Our largest single grant was £45,000 from the Lottery."]
    report = document_card(
        "annual-report.md",
        "Annual Report 2023/24",
        "Annual Report 2023/24 For the year from 1 April 2023 to 31 March 2024.",
    )
    assert _judge_with_card("What was the largest grant received in 2023/24?", grants, report)
    assert not _judge_with_card("What was the largest grant received in 2021/22?", grants, report)


def test_a_figure_compared_with_an_earlier_year_is_still_of_the_documents_year() -> None:
    """ "TOTAL: 112.2 tonnes (2023: 147.5 tonnes)" in a 2024 vintage report tells 2024's total
    and 2023's; it tells nothing of 2022."""
    texts = ["Harvest by variety\n\nTOTAL: 112.2 tonnes (2023: 147.5 tonnes), a decrease of 24%."]
    card = document_card(
        "vintage2024.txt", "2024 Vintage Report", "QUINTANA HILL ESTATE 2024 VINTAGE REPORT"
    )
    assert _judge_with_card("How many tonnes of grapes were picked in 2024?", texts, card)
    assert _judge_with_card("How many tonnes of grapes were picked in 2023?", texts, card)
    assert not _judge_with_card("How many tonnes of grapes were picked in 2022?", texts, card)


def test_a_year_whose_figures_are_still_to_come_is_not_answered() -> None:
    """ "Fees for 2026/27 will be published in March 2026" before the fee of this year tells no
    fee for 2026/27, only when they come out."""
    texts = [
        "Fees for 2026/27 will be published in March 2026. Every fee is made up of two parts: a"
        " non-refundable application fee of £120 and a grant fee.",
        "Ferries carry cars across the fjord.",
    ]
    assert not _judge("What is the application fee for 2026/27?", texts)
    assert _judge("When will the fees for 2026/27 be published?", texts)
    told = [texts[0].replace("will be published in March 2026", "are set out below"), texts[1]]
    assert _judge("What is the application fee for 2026/27?", told)


def test_this_call_is_the_one_its_document_names() -> None:
    """ "About 12 fellowships will be awarded in this call", in a call whose card names 2025,
    answers "the 2025 call", not "the 2024 call"."""
    texts = ["Funding. About 12 fellowships will be awarded in this call, each for 36 months."]
    card = document_card("call-2025.md", "Fellowship call 2025", "Fellowship call 2025")
    assert _judge_with_card("How many fellowships will be awarded in the 2025 call?", texts, card)
    assert not _judge_with_card(
        "How many fellowships will be awarded in the 2024 call?", texts, card
    )


def test_a_thing_its_document_numbers_otherwise_is_not_the_one_asked() -> None:
    """A rate in the protocol of HALCYON-2 does not answer for HALCYON-1, which the protocol's
    passage never names; it does for HALCYON-2, which its card names."""
    texts = ["Recruitment so far. Screen failure rate was 58%, mainly due to the diary."]
    card = document_card("protocol.md", "HALCYON-2 protocol summary", "HALCYON-2 protocol")
    assert _judge_with_card("What was the screen failure rate in HALCYON-2?", texts, card)
    assert not _judge_with_card("What was the screen failure rate in HALCYON-1?", texts, card)


def test_a_priced_thing_may_be_named_by_the_document_s_card() -> None:
    """ "a lost orchestral part" is priced by "each lost part" in the orchestra's hire terms."""
    texts = ["Hire terms. A charge of £15 is made for each lost part."]
    card = document_card("hire.md", "Halverton Orchestra: music hire", "Halverton Orchestra")
    assert _judge_with_card("What is the charge for a lost orchestral part?", texts, card)
    assert not _judge_with_card("What is the charge for a lost violin bow?", texts, card)


def test_another_version_does_not_answer_for_the_one_asked() -> None:
    texts = [
        "Version 3.2.1, released on 4 June 2024, prepared by:\n\nLars Eriksen",
        "Version 3.2.0 was prepared by Petra Novak in March.",
    ]
    assert _judge("When did Lars Eriksen prepare the 3.2.1 release?", texts)
    assert not _judge("When did Lars Eriksen prepare the 3.2.0 release?", texts)


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # a run of arguments counts nothing, nor "one more function" digits
        ("How many decimal digits does the library keep?", False),
        ("How many functions does the extended API add?", True),
    ],
)
def test_an_argument_list_or_one_more_thing_counts_only_that_thing(
    question: str, answered: bool
) -> None:
    texts = [
        "The extended API introduces one more function: multiply 1 2 3 4 5 6.",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge(question, texts) is answered


def test_a_hard_limit_is_not_answered_by_a_default() -> None:
    texts = [
        "The number of attached files is limited to MAX_ATTACHED, which is set to 10 by default.",
        "Ferries carry cars across the fjord.",
    ]
    assert not _judge("What is the absolute ceiling for the number of attached files?", texts)
    assert _judge("What is the default number of attached files?", texts)
    texts[0] += " The number of attached files cannot be increased above 125."
    assert _judge("What is the absolute ceiling for the number of attached files?", texts)
    # a clause of its own after the default's: "and can be set as high as ..."
    sentence = "The upload size limit defaults to 2 MB and can be set as high as 512 MB."
    question = "How high can I set the upload size limit?"
    assert [sentence[a:b] for a, b in answer_values(question, sentence)] == ["512"]


def test_a_directory_or_a_web_address_is_no_mailbox() -> None:
    texts = ['From: "Harbour notes" <notes@example.org>. The fjord is 20 km long.', "Ferries."]
    assert not _judge("Where is the configuration directory for the ferry server?", texts)
    assert not _judge("What is the web address of the Harbour notes?", texts)
    assert _judge("What is the e-mail address of the Harbour notes?", texts)
    texts[0] += " Harbour notes are online at www.example.org/notes."
    assert _judge("What is the web address of the Harbour notes?", texts)


def test_a_number_the_question_gives_is_held_by_a_span_and_a_slip_by_its_word() -> None:
    """ "a 15-year-old" lies in "aged 14 to 17", "a 12-year-old" does not; a priced thing misspelt
    by one letter ("bedrom") is still named by its row."""
    rules = [
        "- Climbers aged 14 to 17 may climb unsupervised once a parent has signed form CC-07.",
        "Ferries carry 15 cars and 12 vans across the fjord.",
    ]
    assert _judge("Which form must a parent sign for a 15-year-old to climb unsupervised?", rules)
    assert not _judge("Which form must a parent sign for a 12-year-old to climb?", rules)
    rents = [
        "Weekly rents:\n1-bedroom flat | £98.20\n2-bedroom flat | £117.40",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge("What is the weekly rent for a 2 bedrom flat?", rents)
    assert not _judge("What is the weekly rent for a 2 bedroom house?", rents)


def test_an_attribute_the_documents_never_name_is_not_answered(
    tmp_path: Path, encoder: Encoder
) -> None:
    """A question asking no typed value asks an attribute of a thing ("the half-life of
    orvanetide"): passages that never name the attribute do not answer it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "leaflet.md").write_text(
        "# Orvanetide: patient leaflet\n\n"
        "Orvanetide is given as an injection under the skin once a month.\n\n"
        "Its half-life is about 11 days, so a missed dose can wait a few days.\n\n"
        "Common side effects are redness where the injection was given and tiredness.\n"
    )
    settings = Settings(home=tmp_path / "home", corpus=corpus)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    engine = Engine(settings, encoder)
    assert engine.ask("What is the half-life of orvanetide?", 5).answerable
    assert engine.ask("What is the halflife of orvanetide?", 5).answerable  # a slip of the keys
    assert not engine.ask("What is the bioavailability of orvanetide?", 5).answerable
    assert not engine.ask("What is the molecular weight of orvanetide?", 5).answerable


def test_an_attribute_named_only_where_its_value_is_kept_is_not_given(
    tmp_path: Path, encoder: Encoder
) -> None:
    """A text telling where a value is found ("The password is on the card in your room") does
    not give it; nor does another site's record keying it ("postcode: HF9 1BT")."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guest-information.md").write_text(
        "# Guest information\n\n"
        "Wi-Fi reaches every room of the guesthouse. The password is on the card in your room "
        "or in the welcome folder.\n\nBreakfast is served from 8:00am to 9:30am.\n"
    )
    (corpus / "sites.csv").write_text(
        "site_id,site_name,address,postcode,notes\n"
        'HRC-03,Milverton Recycling Centre,"Old Quarry Lane, Milverton",HF9 1BT,Smallest site.\n'
        'BB-01,Kelford Co-op car park,"High Street, Kelford",,Emptied Mondays.\n'
    )
    settings = Settings(home=tmp_path / "home", corpus=corpus)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    engine = Engine(settings, encoder)
    assert not engine.ask("What is the Wi-Fi password for the guesthouse?", 5).answerable
    assert not engine.ask("What is the postcode of the Kelford Co-op car park?", 5).answerable
    assert engine.ask("What is the postcode of Milverton Recycling Centre?", 5).answerable


def test_a_table_s_row_of_another_series_or_model_does_not_answer() -> None:
    """A row keyed by another series ("2.3.x") does not answer for the series another row gives
    ("2.4.x"); a header naming models by code ("AW7 | AW12") is no row of its own."""
    support = "Series | Status | Security fixes until\n2.4.x | current | (until 2.6.0)\n"
    support += "2.3.x | security only | 31 March 2025"
    texts = [support, "Ferries carry cars across the fjord."]
    assert _judge("Until when will the 2.3.x series get security fixes?", texts)
    assert not _judge("On what date will the 2.4.x series stop getting security fixes?", texts)
    clearances = (
        "Side | AW7 | AW12\nFront (air outlet) | 1000 mm | 1500 mm\nAbove | 1000 mm | 1000 mm"
    )
    assert _judge("How much space is needed in front of the AW12's air outlet?", [clearances])


def test_an_amount_under_a_heading_telling_its_currency_is_money() -> None:
    """A budget's column gives its amounts bare, its heading the currency."""
    budget = (
        "4. BUDGET BREAKDOWN (100% FEC, £)\n\nHeading Amount\n---------- ------\n"
        "Staff (directly incurred) 486,300\nTravel and subsistence 24,000\nEquipment 86,000"
    )
    texts = [budget, "Ferries carry cars across the fjord."]
    question = "How much of the budget is set aside for travel and subsistence?"
    assert _judge(question, texts)
    assert not _judge(question, [budget.replace(", £)", ")"), texts[1]])


def test_a_table_s_row_of_another_case_does_not_answer() -> None:
    """The question names a value another row gives in a column ("Harbourside", of "Study Pod |
    Harbourside"), where this row gives another ("Northfield"): the row is of another case."""
    table = (
        "Room | Branch | Capacity | Standard\n"
        "Wey Room | Central | 60 | £28.00\n"
        "Community Room | Northfield | 35 | £20.00\n"
        "Study Pod | Harbourside | 4 | £6.00"
    )
    texts = [table, "Ferries carry cars across the fjord."]
    assert _judge("How much is the Community Room at Northfield?", texts)
    assert not _judge("How much is the Community Room at Harbourside?", texts)
    assert _judge("How much is the Study Pod at Harbourside?", texts)


@pytest.mark.parametrize(
    ("attribute", "sentence", "kept"),
    [
        ("password", "The password is on the card in your room.", True),
        ("code", "The keypad code is on your booking confirmation.", True),
        ("code", "Ask at reception for the padlock code.", True),
        ("password", "The password is swordfish2024.", False),
        ("venue", "The venue is in the Town Hall.", False),
    ],
)
def test_where_a_value_is_kept_is_not_the_value(attribute: str, sentence: str, kept: bool) -> None:
    question = f"What is the {attribute}?"
    assert (texts_giving(attribute, question, [sentence]) == [""]) is kept


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("How many hygienist visits a year does the adult plan include?", True),
        ("How many hygienist visits a year does the children's plan include?", False),
        ("What is the excess baggage charge per kg at the airport?", True),
        ("What is the excess baggage charge per kg if I pay online?", False),
        ("What is the out of hours emergency number?", True),
        ("What is the price of a dog spay under 20 kg?", True),
        ("What is the price of a dog spay over 20 kg?", False),
        # a landline's number is not the mobile asked for
        ("What is the mobile number of the on-call service?", False),
    ],
)
def test_a_sentence_telling_another_case_does_not_answer(question: str, answered: bool) -> None:
    """A price list gives one value per case: the adult plan's visits do not answer for the
    children's plan, nor the airport's rate for paying online, nor "under 20 kg" for "over"."""
    texts = [
        "The adult plan costs £16.50 per month and covers two hygienist visits a year.",
        "Excess weight over your allowance is charged at £12 per kg at the airport.",
        "Out of hours, registered patients can call the on-call service on 01632 960 999.",
        "Dog spay (under 20 kg) | £395.00",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge(question, texts) is answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("How much is a 3-day group course?", True),
        ("How much is a one-day group course?", True),
        ("How much is a 2-day group course?", False),  # neither the 1-day nor the 3-day row
        ("How much do private lessons cost for a week?", True),
        ("How much do private lessons cost for a two-week stay?", False),  # "per week": one
        ("How much compensation is paid for a 4-hour delay?", True),  # a bound holds 4 hours
        # a band of money that does not hold the amount given keys another row
        ("What is the issue fee for a claim of £2,000?", True),
        ("What is the issue fee for a claim of £250,000?", False),
        # the asker's own count, of a rate asked by the unit
        ("I'm on a two-week trip: how much do private lessons cost per week?", True),
    ],
)
def test_a_case_named_by_its_count_is_not_answered_by_another_count(
    question: str, answered: bool
) -> None:
    """ "A 2-day course" names its case by a count of days: the row of another count prices
    another course; a span or a bound holding the count tells its case."""
    texts = [
        "Course | Price\n1 day | €89\n3 days | €229",
        "Private lessons cost €60 per week of the season.",
        "Delays of more than 3 hours are compensated with €250 per passenger.",
        "Claim | Issue fee\n£1,500.01 to £3,000 | £115\n£3,000.01 to £200,000 | 5% of the claim",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge(question, texts) is answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("What is the minimum age for seagoing crew?", True),
        ("What is the minimum age for shore crew?", False),
        ("What is the maximum noise level for IC models?", True),
        ("What is the maximum noise level for electric models?", False),
    ],
)
def test_another_kind_of_the_thing_asked_does_not_answer(question: str, answered: bool) -> None:
    """The seagoing crew's minimum age tells nothing of the shore crew's: a thing named by its
    kind is not answered by a sentence naming another kind of it, where the passage sets the
    kinds apart."""
    texts = [
        "Volunteers serve as seagoing crew, shore crew or fundraisers. The minimum age for "
        "seagoing crew is 17.",
        "- IC models must not exceed 82 dB(A) at 7 metres.\n- Electric models are not tested.",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge(question, texts) is answered


def test_a_name_typed_in_lower_case_is_asked_of(tmp_path: Path, encoder: Encoder) -> None:
    """ "rnli charity number" names the RNLI as "RNLI charity number" does: the Trust's own
    number, in a passage saying it is not part of the RNLI, does not answer it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "handbook.md").write_text(
        "# Volunteer handbook\n\n"  # the card's opening words hold no RNLI
        + "Crew train every Tuesday evening at the boathouse, and the pager is tested on Sundays. "
        * 4
        + "\n\nPorthkellis Lifeboat Trust is a registered charity (No. 1107734). We are not part "
        "of the RNLI; we are funded by local donations and our two charity shops.\n"
    )
    settings = Settings(home=tmp_path / "home", corpus=corpus)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    engine = Engine(settings, encoder)
    assert engine.ask("lifeboat trust charity number", 5).answerable
    assert not engine.ask("rnli charity number", 5).answerable
    assert not engine.ask("RNLI charity number", 5).answerable
    # a word in capitals for emphasis or as a heading is no acronym
    assert (
        written_as_names(
            "days to register, whom to contact",
            ["within 90 DAYS of purchase", "CONTACT\nTel: 01632"],
        )
        == []
    )


def test_a_day_of_a_month_asked_is_not_told_by_another_day() -> None:
    """A rota's row for 13 July does not tell who leads on 8 July, and a date is no numbered
    name ("on 8" names nothing)."""
    texts = [
        "Café dates\n\nDate | Room | Lead fixer\n8 June 2024 | Back hall | Tomasz Wojcik\n"
        "13 July 2024 | Back hall | Sunita Desai",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge("Who is the lead fixer at the café on 8 June 2024?", texts)
    assert _judge("Who is the lead fixer at the café on 13 July 2024?", texts)
    assert not _judge("Who is the lead fixer at the café on 8 July 2024?", texts)


def test_a_lists_item_is_not_named_by_the_item_before_it() -> None:
    """Each item of a list is of its own thing: "- Audlem and back: 15 locks" does not tell the
    Llangollen route's locks because the item above names Llangollen."""
    for marker in ("- ", ""):  # a page's list drops its markers
        texts = [
            f"Popular routes:\n\n{marker}Llangollen and back: 36 hours' cruising.\n"
            f"{marker}Audlem and back: 15 locks each way.",
            "Ferries carry cars across the fjord.",
        ]
        assert _judge("How many locks are there on the Audlem and back route?", texts)
        assert not _judge("How many locks are there on the Llangollen and back route?", texts)


def test_how_long_a_thing_lasts_is_told_of_the_thing() -> None:
    """ "Membership lasts 12 months" does not tell how long a class lasts."""
    texts = [
        "The spinning circle meets on Saturdays. Membership starts on the day you join and "
        "lasts 12 months.",
        "Ferries carry cars across the fjord.",
    ]
    scene = "My mum wants to join the spinning circle on Saturdays — "
    assert not _judge(scene + "how long does each class last?", texts)
    assert _judge(scene + "how long does membership last?", texts)


def test_an_faqs_answer_is_about_what_its_question_asks() -> None:
    """ "Between 11°C and 13°C" names nothing the question asks: the FAQ's question over it
    does, as a heading would."""
    texts = [
        "What temperature should my cellar be?\n\nBetween 11°C and 13°C, with 12°C ideal.",
        "Keep the cellar clean and dry.",
        "The cellar door locks at night.",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge("What temperature should a cellar be kept at?", texts)
    interview = [
        "AF: As this year marks an anniversary of the normalisation of relations with China, "
        "how do you see Korea strengthening its trade and supply chains?\n\n"
        "Ambassador Lee: ASEAN, Korea's second-largest trading partner, must work with us.",
        "Ferries carry cars across the fjord.",
    ]
    # an interviewer's long question lends its words to no answer
    question = "Which anniversary of the normalisation of relations with China is marked?"
    assert not _judge(question, interview)


def test_a_year_ending_before_december_runs_over_two() -> None:
    """A report "for the year ended 31 March 2024" is of 2023-24: its year and the "24" a
    question names it by are told; the season 2026/27 is not told by a date in 2026."""
    assert dated("For the year ended 31 March 2024") == {"2023", "2024"}
    assert dated("the year ended 31 December 2023") == {"2023"}
    texts = ["The hall was booked for 1,412 hours during the year (2022–23: 1,188 hours)."]
    report = document_card(
        "trustees-report.md",
        "Trustees' Annual Report",
        "Trustees' Annual Report For the year ended 31 March 2024",
    )
    assert _judge_with_card("How many hours was the hall booked in 2023-24?", texts, report)
    assert not _judge_with_card("How many hours was the hall booked in 2021-22?", texts, report)
    season = document_card("concerts.md", "Concerts", "Concerts 2025/26")
    concert = ["Sunday 4 January, 3.00pm | New Year Singalong"]
    assert _judge_with_card("When is the New Year Singalong in 2025/26?", concert, season)
    # (a name the index never uses weighs nothing: "27" is somewhere in a real one)
    dated_concert = ["Sunday 4 January 2026, 3.00pm | New Year Singalong", "Room 27 is upstairs."]
    concerts = document_card("concerts.md", "Concerts", "Concerts")
    assert not _judge_with_card("When is the Singalong in 2026/27?", dated_concert, concerts)


def test_a_line_of_a_document_of_one_year_is_of_that_year() -> None:
    """A financial summary for 2023 tells 2023's figures without repeating the year; a list led
    into by another year's words is of that year."""
    summary = "How the surplus is used\n\n- Retained for reserves: £20,860"
    keyword = KeywordIndex.build([summary, "Ferries carry cars across the fjord."])

    def judged(question: str, card: str) -> bool:
        stems = keyword.stems([topic(question)])[0]
        return (
            answer_strength(
                question,
                stems,
                {stem: keyword.idf(stem) for stem in stems},
                judged_passages([summary], keyword),
                0.2,
                names=name_stems(question, keyword),
                setting=card,
            )
            is not None
        )

    card = "Financial summary for the year ended 31 December 2023"
    assert judged("How much surplus was retained for reserves in 2023?", card)
    assert not judged("How much surplus was retained for reserves in 2021?", card)
    assert not judged("How much surplus was retained for reserves in 2023?", "Financial summary")


def test_a_number_naming_a_thing_is_told_of_that_thing() -> None:
    """ "the registered charity number" is answered where the text says whose number it is, not
    by a section's "1.2"."""
    texts = [
        "1.2 The association is affiliated to the Wessex Federation of Beekeeping Associations.",
        "Ferries carry cars across the fjord.",
    ]
    question = "What is the registered charity number of the Wessex Federation?"
    assert not _judge(question, texts)
    texts[0] = "The Wessex Federation is a registered charity (charity number 1098765)."
    assert _judge(question, texts)


def test_a_speed_a_height_or_a_weight_is_told_as_one() -> None:
    texts = [
        "Everybody working near the line must pass the track safety assessment every two years.",
        "Ferries carry cars across the fjord.",
    ]
    assert not _judge("What is the maximum line speed on the railway?", texts)
    texts[0] = "The maximum line speed on the railway is 25 mph."
    assert _judge("What is the maximum line speed on the railway?", texts)


def test_a_list_s_lead_in_tells_what_its_lines_are_of() -> None:
    """ "Contact Calder Customer Care:" leads into "Telephone: 0330 088 4172", which answers
    the number of Calder's customer care; a name a lead-in announces ("... at:") answers where."""
    texts = [
        "Contact Calder Customer Care:\n\nTelephone: 0330 088 4172",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge("What is the Calder customer care phone number?", texts)
    venue = [
        "The Annual General Meeting will be held on 15 June 2024 at:\n\nLlanfair Community Hall",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge("Where will the annual general meeting be held?", venue)


def test_a_version_is_held_by_its_series_and_not_by_another_version() -> None:
    """ "0.8.x" in a support table holds 0.8.1, and "0.9" is "0.9.0"; "Current release: 0.9.0"
    does not tell when 1.0 came out."""
    support = [
        "Version | Supported\n0.9.x | Yes, all fixes\n0.8.x | Security fixes only, until 31 May"
        " 2025\n0.7.x and older | No",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge("Until when will 0.8.1 get security fixes?", support)
    assert not _judge("Until when will 1.2.0 get security fixes?", support)
    release = ["Current release: 0.9.0 (18 November 2024).", "Ferries carry cars across the fjord."]
    assert _judge("When was pdfmill 0.9 released?", release)
    assert not _judge("When was pdfmill 1.0 released?", release)
    # a text may leave a release's ".0" off: "brisk 3.0" is brisk 3.0.0
    short = ["brisk 3.0 was released on 20 May 2024.", "Ferries carry cars across the fjord."]
    assert _judge("When was brisk 3.0.0 released?", short)
    assert not _judge("When was brisk 3.0.1 released?", short)


def test_a_changelog_heading_is_about_the_version_it_names() -> None:
    """ "[3.1.2] - 2024-02-03" tells when 3.1.2 came out, though no word the coverage counts is
    a version number; it does not tell when 3.1.4 did."""
    texts = [
        "Changelog\n\n[3.1.2] - 2024-02-03\n\n- Email no longer rejects a plus sign.",
        "Vetter release notes give each date.",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge("vetter 3.1.2 release date", texts)
    assert not _judge("vetter 3.1.4 release date", texts)


def test_a_version_asked_is_named_by_the_answering_passage() -> None:
    """ "logtrim began in 2019" does not tell when logtrim 3.0 comes out, though another
    passage names 3.0; a version the asker tells of themselves ("We're on 2.9") need not be
    named, nor an amount ("£3.50")."""
    texts = [
        "History\n\nlogtrim began in 2019 as an internal tool and was released in 2020.",
        "Upgrading\n\nThe 3.0 branch drops the old flags.",
        "Ferries carry cars across the fjord.",
    ]
    assert not _judge("When will logtrim 3.0 be released?", texts)
    assert _judge("When was logtrim released?", texts)
    assert _judge("We're still on 2.9 here. When was logtrim released?", texts)
    fees = ["Fees\n\nA day pass costs £3.50 and was introduced in 2021.", *texts[1:]]
    assert _judge("When was the £3.50 day pass introduced?", fees)


def test_a_table_s_rows_are_of_what_its_header_names() -> None:
    """ "Division 2 | 1650" under "Division | Maximum average rating" tells division 2's
    maximum average rating; a first row holding a value is no header."""

    def lines(text: str) -> tuple[tuple[int, int, float], ...]:
        return tuple((m.start(), m.end(), 0.3) for m in re.finditer(r"[^\n]+", text))

    table = (
        "Limits\n\nDivision | Maximum average rating\nPremier | no limit\n"
        "Division 1 | 1850\nDivision 2 | 1650"
    )
    others = [  # "division" is a common word of the collection, the rating asked a rare one
        "Each division plays on weekday evenings.",
        "A division's winner is promoted; each division has a captain.",
        "Division results are posted every week.",
        "Ferries carry cars across the fjord.",
    ]
    question = "division 2 max average rating"
    texts = [table, *others]
    keyword = KeywordIndex.build(texts)
    assert answering_passages(question, texts, keyword, [lines(t) for t in texts])[0] is not None
    headless = table.replace("Division | Maximum average rating", "Division 0 | none")
    texts = [headless, *others]
    assert answering_passages(question, texts, keyword, [lines(t) for t in texts])[0] is None


def test_a_version_may_be_named_by_the_heading_a_passage_stands_under() -> None:
    """A changelog's item cut from its release's heading is still that release's: the
    headings above the passage name the version the question gives."""
    texts = [
        "Changed\n\n- The block cache now uses the S3-FIFO eviction policy instead of LRU.",
        "Ferries carry cars across the fjord.",
    ]
    keyword = KeywordIndex.build(texts)
    question = "Which eviction policy replaced LRU for the block cache in v1.6.0?"

    def answered(trail: str) -> bool:
        strengths = answering_passages(question, texts, keyword, trails=[trail, ""])
        return strengths[0] is not None

    assert answered("Changelog. [v1.6.0] — 2024-06-25. Changed")
    assert not answered("Changelog. [v1.5.0] — 2024-02-12. Changed")
    assert not answered("")


def test_an_item_under_the_release_asked_may_name_other_versions() -> None:
    """Under the heading of release 1.4.2, "Bumped x/net to v0.38.0 to address CVE-2025-22872"
    tells which CVE 1.4.2 fixed; the same item under 1.3.0 does not."""
    texts = [
        "Security\n\n- Bumped golang.org/x/net to v0.38.0 to address CVE-2025-22872.",
        "Ferries carry cars across the fjord.",
    ]
    keyword = KeywordIndex.build(texts)
    question = "Which CVE was fixed in 1.4.2?"

    def answered(trail: str) -> bool:
        return answering_passages(question, texts, keyword, trails=[trail, ""])[0] is not None

    assert answered("Changelog. [1.4.2] - 2025-04-09. Security")
    assert not answered("Changelog. [1.3.0] - 2024-10-14. Security")


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("What is the full-time tuition fee?", True),
        ("What is the part-time tuition fee?", False),
        ("What is the household volume charge per cubic metre?", True),
        ("What is the business volume charge per cubic metre?", False),
    ],
)
def test_a_heading_may_tell_the_case_its_lines_are_of(question: str, answered: bool) -> None:
    texts = [
        "Fees\n\nFull-time students pay a tuition fee of £5,006 a year.",
        "Household charges\n\nVolume charge per cubic metre: £1.74.",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge(question, texts) is answered


def test_a_contraction_is_spelled_out() -> None:
    assert uncontracted("where'd they meet") == "where did they meet"
    # a question word's slip of the keys where it opens, in lower case ("Wat Arun" is a name)
    assert uncontracted("wen does the committee meet") == "when does the committee meet"
    assert uncontracted("whn does check-in open") == "when does check-in open"
    assert uncontracted("Wat Arun opening hours") == "Wat Arun opening hours"
    assert uncontracted("What's new? Who're they? whats that") == (
        "What is new? Who are they? what is that"
    )
    assert uncontracted("Is its size known?") == "Is its size known?"
    assert uncontracted("what'd be the maximum?") == "what'd be the maximum?"  # would
    assert uncontracted("how many yrs did it take") == "how many years did it take"


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # a whole number is named by its ordinal too
        ("Where did the ministers mark 20 years of the pact?", True),
        ("Where did the ministers mark 30 years of the pact?", False),
    ],
)
def test_a_whole_number_is_held_by_its_ordinal(question: str, answered: bool) -> None:
    texts = [
        "The meeting to mark the 20th anniversary of the pact convened in Bergen in 2019.",
        "Ferries carry cars across the fjord, 20 or 30 a day.",
    ]
    assert _judge(question, texts) is answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # no value asked: a sentence about the question, with its names and years, answers
        ("What did the Harbour Safety Board report in 2019?", True),
        ("What did the Harbour Safety Board report in 2021?", False),
        ("What did the Baltic Safety Board report in 2019?", False),
        ("Why did the port authority build the new quay?", True),
    ],
)
def test_an_untyped_question_is_answered_by_a_sentence_about_it(
    question: str, answered: bool
) -> None:
    texts = [
        "The Harbour Safety Board reported in 2019 that 1,200 inspections were carried out.",
        "The port authority built the new quay because ferries had outgrown the old one.",
        "In 2021 the Baltic fleet renewed its ferries; the Board met twice.",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge(question, texts) is answered


def test_an_untyped_question_s_country_and_year_may_be_in_the_dateline() -> None:
    """ "What did the 2024 summit say about ferries?" is answered under a dateline naming the
    year, or by a document whose card names it; not by a sentence of another year's report."""
    question = "What did the 2024 Nordic summit say about ferry safety?"
    dateline = "Bergen, 3 May 2024. The Nordic summit closed today. It called ferry safety urgent."
    assert _judge(question, [dateline, "Ferries carry cars across the fjord."])
    report = "The Nordic summit called ferry safety urgent."
    keyword = KeywordIndex.build([report, "Ferries carry cars across the fjord."])
    cards = [document_card("summit-2024.txt", "Nordic summit of 3 May 2024", report), ""]
    strengths = answering_passages(question, [report, "Ferries."], keyword, cards=cards)
    assert strengths[0] is not None
    older = "In 2019 the Nordic summit called ferry safety urgent."
    assert not _judge(question, [older, "Ferries carry cars across the fjord."])


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # a name with its number is asked as that pair: another number of the name does not answer
        ("When was ISO 3166-1 last revised?", True),
        ("When was ISO 3166-3 last revised?", False),
        # ... but "at version 1.5-2" names no thing of its own
        ("At version 1.5-2, what version should my upload of ISO tables get?", True),
        # a filename's leading numbers ask for no ranking
        ("Which leading numbers does a substitution file of ISO tables use?", True),
    ],
)
def test_a_numbered_name_is_asked_as_a_pair(question: str, answered: bool) -> None:
    texts = [
        "ISO 3166-1 was last revised in March 2020; its tables now use version 1.5-2.1.",
        "Substitution files of the ISO tables use the numbers 30 through 39.",
        "ISO 3166-3 lists former country names.",
    ]
    assert _judge(question, texts) is answered


def test_an_opening_word_with_a_digit_is_a_name() -> None:
    assert "7th" in question_names("7th asean day reception date")
    assert "When" not in question_names("When was it held?")


def test_a_name_of_hyphenated_words_is_held_whole() -> None:
    """ "strimzi-kafka-operator" is not held by a README on kestrel-operator that names Kafka;
    "out-of-hours" is an English compound, no name."""
    texts = [
        "kestrel-operator runs Kafka on Kubernetes. Lead maintainer: Ines Moreau (@imoreau).",
        "Ferries carry cars across the fjord.",
    ]
    assert uncovered("Who is the lead maintainer of kestrel-operator?", texts) == []
    assert uncovered("Who is the lead maintainer of strimzi-kafka-operator?", texts) == [
        "strimzi-kafka-operator"
    ]
    assert uncovered("Who answers the out-of-hours line?", ["Call the out of hours line."]) == []
    sniffer = "I'm writing a binary-vs-text sniffer. How many bytes does the spec check?"
    assert uncovered(sniffer, ["Check the first 128 bytes of the file."]) == []


def test_a_heading_or_an_faq_s_question_names_what_its_lines_tell() -> None:
    """A heading ending on its short form names the course its dates are of; an FAQ's question
    names what its answer prices."""
    course = [
        "Instructor Development Course (IDC)\n\nRun by the Course Director three times a year."
        " 2024 dates: 8–21 April, 3–16 June and 14–27 October.",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge("When does the October 2024 IDC run?", course)
    support = [
        "Who can I contact for commercial support?\nQuillfeather Data Systems BV, Ghent. Email"
        " support@quillfeather.io. Support contracts start at EUR 4,800 per year.",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge("What is the minimum price of a commercial support contract?", support)


def test_the_headings_above_a_passage_name_what_it_tells() -> None:
    texts = [
        "2024 dates: 8–21 April, 3–16 June and 14–27 October.",
        "Ferries cross the fjord.",
        "The IDC is followed by the Instructor Examination.",
    ]
    keyword = KeywordIndex.build(texts)
    question = "When does the October 2024 IDC run?"
    trail = "Course Guide 2024. Instructor Development Course (IDC)"
    assert answering_passages(question, texts, keyword, trails=[trail, "", ""])[0] is not None
    assert answering_passages(question, texts, keyword, trails=["Course Guide", "", ""])[0] is None


def test_a_question_in_words_the_documents_never_use_is_about_none_of_them() -> None:
    texts = [
        "The Venue means Larchcombe Mill Ltd, registered office Larchcombe Lane, Gittisham.",
        "Ferries carry cars across the fjord.",
    ]
    assert not _judge("Where can a helicopter touch down?", texts)
    assert _judge("Where is the registered office of Larchcombe Mill?", texts)


def test_a_year_another_figure_is_measured_against_is_not_told() -> None:
    texts = [
        "The precept was set at £48,600. This is a Band D charge of £71.18, an increase of 4.9%"
        " on 2023/24.",
        "Ferries carry cars across the fjord.",
    ]
    assert not _judge("How much was the Band D charge for 2023/24?", texts)
    told = [texts[0].replace("on 2023/24", "for 2023/24"), texts[1]]
    assert _judge("How much was the Band D charge for 2023/24?", told)


def test_a_sum_may_be_named_by_its_table_s_header_and_a_rate_by_its_kind() -> None:
    loans = [
        "Telescope | Aperture | Deposit | Max loan\n"
        "Orion SkyQuest XT8 | 203 mm | £75 | 4 weeks\n"
        "Celestron NexStar 4SE | 102 mm | £100 | 2 weeks",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge("How much deposit do I need for the Orion SkyQuest XT8?", loans)
    rates = [
        "For conversion, use the average exchange rate; for example, EUR 1 = NOK 11.65.",
        "Ferries carry cars across the fjord.",
    ]
    assert not _judge("What is the success rate of the fellowships?", rates)
    assert _judge("What is the exchange rate of the euro?", rates)


def test_a_record_s_lines_name_what_each_of_them_is_of() -> None:
    """A bulleted record's "Dates: Tuesday evenings" tells which series its "Timekeeper" line
    is of."""
    texts = [
        "Club 10-mile time-trial series\n\n- Course: L1015/10, Luddenden Foot and back\n"
        "- Dates: Tuesday evenings from 7 May to 27 August 2024\n"
        "- Start time: first rider off at 7:00pm\n- Timekeeper: Mrs Doreen Wadsworth",
        "Ferries carry cars across the fjord.",
        "The Thursday social ride leaves at 6:30pm.",
    ]
    assert _judge("who is the timekeeper for the tuesday series", texts)
    assert not _judge("who is the timekeeper for the thursday series", texts)


def test_a_list_of_officers_is_no_record_of_one() -> None:
    """ "- Chair: ..." does not lend its post to the treasurer's line below it."""
    texts = [
        "Officers\n\n- Chair: Dr Helen Marsh\n"
        "- Treasurer: Ms Bridget Okoro (treasurer@fenlandastro.org.uk)",
        "Ferries carry cars across the fjord.",
    ]
    assert not _judge("What is the Chair's e-mail address?", texts)


def test_a_thing_lettered_in_a_series_is_named_whole() -> None:
    texts = ["Studio A costs £520 a day. Studio B costs £300 a day."]
    assert uncovered("How much does a day in Studio C cost?", texts) == ["Studio C"]
    assert uncovered("How much does a day in Studio B cost?", texts) == []
    assert asked_type("What was geoweave called before version 2.0.0?") is None


def test_a_code_name_with_underscores_is_held_whole() -> None:
    texts = ["pg_chronicle keeps row history. Lead maintainer: Dr. Anneke Verhoeven"]
    assert uncovered("Who maintains the pg_chronicle extension?", texts) == []
    assert uncovered("Who maintains the temporal_tables extension?", texts) == ["temporal_tables"]


def test_the_word_for_an_identifier_is_no_name_to_hold() -> None:
    """ "Which advisory ID ...?" asks for the identifier: no passage need write "ID"."""
    assert question_names("Which advisory ID tracks the path traversal bug?") == []


def test_the_player_a_fee_is_paid_for_is_no_thing_priced() -> None:
    """A fee table keys its rows by the age group ("Under 10 - Under 11 | £175"), not by the
    player."""
    assert priced_thing("How much is the annual fee for an Under 10 player?") == ()
    assert priced_thing("How much is the annual fee for a junior member?") == ("junior", "member")


def test_a_priced_thing_ends_where_what_qualifies_it_begins() -> None:
    """ "each seat beyond the included ones" prices a seat: "beyond", "included" are no thing."""
    question = "How much does each seat beyond the included ones cost?"
    assert priced_thing(question) == ("seat",)
    assert priced_thing("How much does a bus pass over 60 cost?") == ("bus", "pass")
    texts = ["Extra seats on the Team plan cost EUR 9 per seat per month.", *_ELSEWHERE]
    assert _judge(question, texts)


def test_an_untyped_question_naming_nothing_is_not_asked_of_a_sentence() -> None:
    """A manual's entry tells its setting's name in the label line only: "is the autosave
    feature switched on out of the box?" names nothing a sentence must hold, and any passage on
    its subject may answer."""
    texts = [
        "autosave (boolean)\n\nWhen on, documents are saved each minute. It is off by default.",
        "backup_dir (string)\nWhere copies go. Defaults to ~/.backups.",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge("is the autosave feature switched on out of the box?", texts)


def test_a_sentence_opening_inside_a_question_names_nothing() -> None:
    question = "I saw two figures. According to Indraswari, how much did Korea pledge?"
    assert question_names(question) == ["Indraswari"]


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # a people's word names its country; an acronym its hyphenated or capitalised words
        (
            "Which codes does ISO 4217 give the Sierra Leonean leone?",
            "ISO 4217: Sierra Leone, SLE",
            [],
        ),
        ("How long for an NMU not fixing RC bugs?", "An NMU of release-critical bugs", []),
        ("What does the RPM tool do?", "the Red Package Manager", []),
        ("What does the RPM tool do?", "read python modules", ["RPM"]),
    ],
)
def test_a_name_told_in_another_form_is_covered(
    question: str, text: str, missing: list[str]
) -> None:
    assert [
        n for n in uncovered_names(question, text) if n not in ("ISO", "4217", "NMU")
    ] == missing


def test_a_ranking_is_asked_of_a_value_not_of_top_officials() -> None:
    texts = [
        "The ministers of Norway and Iceland met in Bergen on 3 May 2025 to discuss ferries.",
        "Ferries carry cars across the fjord.",
    ]
    assert _judge(
        "The top ministers of Norway and Iceland met in 2025. Where did they meet?", texts
    )


def test_a_document_s_dateline_tells_when_it_came_out(tmp_path: Path, encoder: Encoder) -> None:
    """ "When was the report published?" is answered by the date on a line of its own in the
    title block, which shares no word with the question; a date of an event in the text is not
    when the report came out."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    filler = " ".join(
        f"The harbour plan for berth {n} was reviewed by the board." for n in range(40)
    )
    (corpus / "ports.md").write_text(
        "Port Budgets in the Baltic: Background and Outlook\n\n"
        "Ana Silva, Senior Fellow\n\nInstitute of Port Studies\n\n2023.04.02.\n\n"
        f"Introduction\n\nThe port council of Tallinn approved its budget in March 2022. {filler}\n"
    )
    settings = Settings(home=tmp_path / "home", corpus=corpus)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    engine = Engine(settings, encoder)
    asked = engine.ask(
        "When was the Institute of Port Studies report on Baltic port budgets published?", 5
    )
    assert asked.answerable and asked.answer is not None and asked.answer.text == "2023.04.02"
    event = engine.ask("When did the port council of Tallinn approve its budget?", 5)
    assert event.answer is not None and event.answer.text == "March 2022"


@pytest.mark.parametrize(
    ("question", "sentence", "answered"),
    [
        # a line naming someone by another post
        ("Who is the studio's safeguarding lead?", "- Studio Manager: Ms Fiona Castellano", False),
        ("Who is the studio's safeguarding lead?", "Safeguarding lead: Dr Ana Ruiz", True),
        # whose post, in more than one word
        ("Who is the tap room's head chef?", "Tap Room Manager: Felix Adeyemi", False),
        # whose address, by a possessive
        ("What is the data officer's e-mail address?", "- E-mail: secretary@wvrg.org.uk", False),
        (
            "What is the data officer's e-mail address?",
            "Data officer: Ms Aoife Brannigan, data@wvrg.org.uk",
            True,
        ),
        ("Who is the tap room's manager?", "Tap Room Manager: Felix Adeyemi", True),
        (
            "Who is the Licensing Manager?",
            "Responsible officer: Mr Desmond Achterberg, Licensing Manager",
            True,
        ),
        ("Who is the lead doctor in Hull?", "Hull Royal Infirmary: Dr Oluwaseun Adeyemi", True),
        # the deputy is not the chief
        ("Who is the Chief Arbiter?", "Deputy Arbiter: Mr Kieran Doyle", False),
        # a table's row by another post; a department's head by another department
        (
            "Who is the council's Conservation Officer?",
            "Enforcement Team Leader | Mr Karl Bennison | enforcement@ravensford.gov.uk",
            False,
        ),
        (
            "Who is the council's Conservation Officer?",
            "Conservation Officer | Mr Felix Hartigan | felix@ravensford.gov.uk",
            True,
        ),
        (
            "who is head of bulding control",
            "Head of Planning | Ms Deborah Quayle | d@r.gov.uk",
            False,
        ),
        ("Who is in charge of route setting?", "- Head of Route Setting: Tomasz Wierzbicki", True),
        # whose number or address: the holder the question names is told
        (
            "Can you tell me the email address for the club treasurer?",
            "- Email: secretary@haldenwaterrc.org.uk",
            False,
        ),
        (
            "Can you tell me the email address for the club treasurer?",
            "Treasurer | Ms Ann Lee | treasurer@haldenwaterrc.org.uk",
            True,
        ),
        ("security contact email", "E-mail security@slidewright.dev.", True),
        # a fax is not the telephone
        ("clinic fax number", "Telephone: 0117 496 0732", False),
        # the manager's address is not the ranger's; hiring a chimenea is not hiring a bike
        (
            "Do you know the email address of the park ranger?",
            "Park Manager: Mr Declan Rowe · Email: stay@brackencove.co.uk",
            False,
        ),
        (
            "How much does it cost to hire a bike at the park?",
            "Chimeneas may be hired from reception (£12 per night).",
            False,
        ),
        (
            "How much does it cost to hire a bike at the park?",
            "Bikes are hired at £12 a day.",
            True,
        ),
        # a deposit is not the fee beside it
        ("How much is the deposit for a stall?", "A stall costs £24 a day.", False),
        ("How much is the deposit for a stall?", "A stall's deposit is £50.", True),
        # a holder named after another post's title in prose
        (
            "who is the vice chair of the gliding club",
            "The fleet is maintained by our Technical Officer, Andrew Sutcliffe.",
            False,
        ),
        (
            "who is the technical officer of the gliding club",
            "The fleet is maintained by our Technical Officer, Andrew Sutcliffe.",
            True,
        ),
        # a table's row keyed by one end, or a time told from its start only
        (
            "When do nominations close?",
            "Nominations open | Monday 5 February 2024, 10:00 | Online",
            False,
        ),
        (
            "When do nominations close?",
            "Nominations close | Friday 23 February 2024, 12:00 | Online",
            True,
        ),
        (
            "What time does Results Night finish?",
            "Results Night | Thursday 14 March 2024, from 19:30 | The Foundry",
            False,
        ),
        (
            "What time does Results Night start?",
            "Results Night | Thursday 14 March 2024, from 19:30 | The Foundry",
            True,
        ),
        # one sex's record is not the other's; a family's fee is not a senior's
        (
            "Who holds the record for the ladies' WA 1440?",
            "Category: Gentlemen | Archer: Mr Raymond Okonjo",
            False,
        ),
        ("How much is the county fee for a family?", "Senior | £11.50", False),
        ("How much is the county fee for a senior?", "Senior | £11.50", True),
        # a season is not another; a building is asked of its building
        (
            "When does the autumn term start?",
            "The summer term runs from Monday 28 April 2025 to Saturday 19 July 2025.",
            False,
        ),
        (
            "When was the clubhouse built?",
            "The Annual General Meeting will be held on 23 October 2025 in the clubhouse.",
            False,
        ),
        ("When was the clubhouse built?", "The clubhouse was built in 1931.", True),
        # a month is not another; a vice-chair is not the chair
        (
            "When is the Induction Day in September?",
            "Induction Day | Thursday 11 April 2024 | Rowan Centre",
            False,
        ),
        (
            "When is the Induction Day in April?",
            "Induction Day | Thursday 11 April 2024 | Rowan Centre",
            True,
        ),
        (
            "Who is the vice-chair of the board of trustees?",
            "The farm is run by a board of eight trustees, chaired by Councillor Joan Whitaker.",
            False,
        ),
        (
            "Who is the chair of the board of trustees?",
            "The farm is run by a board of eight trustees, chaired by Councillor Joan Whitaker.",
            True,
        ),
        # a page's own date is not when its people joined
        (
            "When did Tomás Reyes join the studio?",
            "Last updated 14 February 2024 by Tomás Reyes, Chief Engineer.",
            False,
        ),
        (
            "When was the equipment page last updated?",
            "Last updated 14 February 2024 by Tomás Reyes, Chief Engineer.",
            True,
        ),
        # a county's secretary is the secretary its own pages name
        (
            "county secretary phone number",
            "The Secretary can be reached on 01747 851 226 (evenings and weekends).",
            True,
        ),
        # a sound limit is told in decibels, not in guests
        (
            "What is the sound limit in the Mill Room?",
            "Up to 120 for the ceremony in the Mill Room, 140 seated in the Barn.",
            False,
        ),
        ("What is the sound limit in the Mill Room?", "Sound in the Mill Room: 95 dB.", True),
        # one day of the week is not another
        (
            "What time are the Wildcats sessions on Sundays?",
            "Wildcats Club is a session every Saturday 9:00–10:00 am.",
            False,
        ),
        (
            "What time are the Wildcats sessions on Saturdays?",
            "Wildcats Club is a session every Saturday 9:00–10:00 am.",
            True,
        ),
        ("What time does the shop open on Wednesday?", "Open Monday to Saturday from 9 am.", True),
        ("What time does the shop open on Sunday?", "Open daily except Monday from 9 am.", True),
        # nor a prize the fee a winner paid
        (
            "How much prize money does the winning team get?",
            "The sanction fee is £18 per adult, paid with the winning team's first fees.",
            False,
        ),
        (
            "How much prize money does the winning team get?",
            "The winning team's prize is £600.",
            True,
        ),
        # when a thing starts does not tell when it ends
        ("What time does the hall close after the talks?", "Talks begin at 7:30 pm.", False),
        ("What time does the hall close after the talks?", "The hall closes at 10 pm.", True),
        ("When does the Early shift start?", "Early | 06:00 | 12:00 | 09:00 – 09:30", True),
        # a timetable's line tells both ends
        ("wat time does the clinic open on saturdays", "Saturday 09:00 - 13:00", True),
    ],
)
def test_a_sentence_about_another_post_sum_or_end_does_not_answer(
    question: str, sentence: str, answered: bool
) -> None:
    texts = [
        sentence,
        "Ferries carry cars across the fjord.",
        "The studio, the hall and the market open to visitors in spring.",
    ]
    assert _judge(question, texts) is answered


def test_a_price_s_thing_typed_with_a_slip_is_told() -> None:
    """ "returnig" is told by "returns" (a slip at the word's end hides it from the stemmer);
    "international" is not told by "internal"."""
    texts = ["Late returns of a telescope cost £2 per day.", "Ferries carry cars across the fjord."]
    assert _judge("whats the late fee for returnig a telescope", texts)
    internal = ["The internal fee is £20 per day.", "Ferries carry cars across the fjord."]
    assert not _judge("What is the international fee?", internal)


_ELSEWHERE = ["Ferries carry cars across the fjord.", "The market opens to visitors in spring."]


@pytest.mark.parametrize(
    ("question", "sentence", "answered"),
    [
        # a short sentence without a subject carries on the one before it
        (
            "Who found the buffer overrun in the TIFF reader?",
            "- Buffer overrun in the TIFF reader on a truncated strip (#88). Reported by Alma "
            "Rietveld.",
            True,
        ),
        (
            "Who found the buffer overrun in the TIFF reader?",
            "- Buffer overrun in the TIFF reader on a truncated strip (#88). Alma Rietveld keeps "
            "the website.",
            False,
        ),
        (
            "Which address do I write to for a hosting contract?",
            "Brightwater Ltd offers hosting contracts to schools. Contact "
            "sales@brightwater.example.",
            True,
        ),
        # a two-column table's row keys its holder by the post
        ("Who is the head groundskeeper?", "Head Groundskeeper | Owen Pritchard", True),
        ("Who is the head groundskeeper?", "Head Groundskeeper | vacant", False),
        # a plain-text price list's line ends in its amount; a heading does not
        ("How much a month is the plan for a large dog?", "Large Dog Over 25 kg £24.50", True),
        ("How much is the travel budget?", "Travel and subsistence £31,500", True),
        ("How much is the travel budget?", "Travel and Subsistence", False),
        # someone credited after a colon, whose approval is needed, or named before their post
        ("Who compiled the glossary?", "Compiled by: Rhian Baptiste and the editors", True),
        (
            "Whose sign-off do changes to the build scripts need?",
            "- Changes to the build scripts need approval from Ilse Vandamme.",
            True,
        ),
        ("Who do I speak to about a lease?", "Leases: Petra Novak, Head of Estates", True),
        ("Who do I speak to about a lease?", "Leases: see the estates page", False),
        # a room by its number; a body where someone studied
        ("Where is the solvent store?", "Solvent store: Room B.14 (key at reception).", True),
        ("Where is the solvent store?", "Solvent store: ask at reception for the key.", False),
        (
            "Where did Dr Amos Reed do his vet degree?",
            "Dr Amos Reed took his vet degree at the University of Glasgow in 1999.",
            True,
        ),
        (
            "Where did Dr Amos Reed do his vet degree?",
            "Dr Amos Reed took his vet degree in 1999.",
            False,
        ),
    ],
)
def test_a_sentence_leaning_on_its_neighbour_or_its_key_answers(
    question: str, sentence: str, answered: bool
) -> None:
    assert _judge(question, [sentence, *_ELSEWHERE]) is answered


@pytest.mark.parametrize(
    ("question", "text", "answered"),
    [
        # a release date is told by a release: not the end of its support, nor the page's date
        ("When did Quillpad 3.0.0 come out?", "Quillpad 3.0.0 was released 4 March 2024.", True),
        (
            "When did Quillpad 3.0.0 come out?",
            "Quillpad 3.0.x receives security fixes until 2 February 2026.",
            False,
        ),
        (
            "Release date of quillpad 3.0.0?",
            "Quillpad 3.0.0 Installation Guide\n\nLast updated: 2 February 2025 — maintained by "
            "Ines Halvorsen",
            False,
        ),
        ("Release date of quillpad 3.0.0?", "Quillpad: for version 3.0.0, 18 August 2022", True),
        # a line under another release's heading tells of that release
        (
            "Release date of quillpad 2.5.0?",
            "Upgrading to 2.5.0 is covered in the guide.\n\n## 2.4.0\n\nReleased: 11 June 2023",
            False,
        ),
        (
            "Release date of quillpad 2.5.0?",
            "Upgrading to 2.5.0 is covered in the guide.\n\n## 2.5.0\n\nReleased: 2023-11-28",
            True,
        ),
    ],
)
def test_a_release_date_is_told_by_the_release_asked(
    question: str, text: str, answered: bool
) -> None:
    assert _judge(question, [text, *_ELSEWHERE]) is answered


@pytest.mark.parametrize(
    ("question", "sentence", "answered"),
    [
        # how long a thing takes is told in time, not by a version
        (
            "How long does a release build of Quillpad take?",
            "Building Quillpad needs Rust 1.75 or later.",
            False,
        ),
        (
            "How long does a release build of Quillpad take?",
            "A release build takes 6 minutes.",
            True,
        ),
        # a thing measured is told by the name before it as well: "Rust" of "Rust toolchain"
        (
            "Which Rust toolchain version does Quillpad need?",
            "Building needs Rust 1.75 or later.",
            True,
        ),
        (
            "Which Rust toolchain version does Quillpad need?",
            "Quillpad 1.75 needs a C compiler.",
            False,
        ),
    ],
)
def test_a_measure_is_told_of_its_thing_or_its_name(
    question: str, sentence: str, answered: bool
) -> None:
    assert _judge(question, [sentence, *_ELSEWHERE]) is answered


@pytest.mark.parametrize(
    ("sentence", "answered"),
    [
        ("The open day was held at Marlow House, 12 Mill Lane, Leeds.", False),
        ("The open day was held in Room B.12 of Marlow House.", True),
        ("The open day was held in the Blue Room at Marlow House.", True),
    ],
)
def test_a_room_asked_is_answered_by_a_room_not_its_building(sentence: str, answered: bool) -> None:
    assert _judge(
        "Which room was the open day at Marlow House held in?", [sentence, *_ELSEWHERE]
    ) is (answered)


def test_a_version_a_text_replaces_is_not_the_one_it_tells_of() -> None:
    """ "Effective from: 1 March 2024 (replaces v2.0 of 1 May 2022)" in the rules of version 2.1
    tells when 2.1 took effect; a line naming version 2.0 alone tells of 2.0."""
    question = "When did version 2.1 of the locker rules come into effect?"
    card = "Locker rules, version 2.1"
    replaced = "Effective from: 1 March 2024 (replaces v2.0 of 1 May 2022)"
    assert _judge_with_card(question, [replaced, *_ELSEWHERE], card)
    other = "Version 2.0 took effect on 1 May 2022."
    assert not _judge_with_card(question, [other, *_ELSEWHERE], card)


def test_a_record_s_first_line_is_of_what_leads_into_it() -> None:
    """ "Speaker: ..." under "Annual Harbour Lecture 2024 — 17 April" tells who gives the
    lecture; an interviewer's turn after a paragraph on another subject tells nothing of it."""
    lecture = (
        "Annual Harbour Lecture 2024 — Wednesday 17 April 2024, 17:30, Lecture Theatre 1.\n"
        "Speaker: Prof. Dame Ruth Abara, University of Leeds."
    )
    assert _judge("Who is giving the 2024 Annual Harbour Lecture?", [lecture, *_ELSEWHERE])
    interview = (
        "The Nordic Council, of 21 members, includes seven Baltic states.\n"
        "AF: The community welcomed the plan of President Aho of Finland. Can you share your views?"
    )
    assert not _judge("which 7 baltic countries are in the nordic council", [interview])


_CHANGELOG = (
    "## [1.4.1] - 2024-01-11\n\n### Fixed\n\n"
    "- The --recursive flag no longer follows hidden folders such as .git (#151)."
)


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("When was the release that stopped --recursive following hidden folders?", True),
        ("When was the --recursive flag fixed to skip hidden folders?", True),
        ("When was the release that added the --avif-speed flag?", False),
    ],
)
def test_when_a_change_came_out_is_told_by_its_release_s_heading(
    question: str, answered: bool
) -> None:
    assert _judge(question, [_CHANGELOG, *_ELSEWHERE]) is answered


def test_numbers_in_words_are_read_alike_by_every_check() -> None:
    """One table of number words: "sixteen years" is a duration, "seventy-two hours in advance"
    a time relative to another, "a fifteen-day pass" a case named by its count."""
    assert DURATION.search("She served sixteen years on the board.")
    assert RELATIVE_TIME.search("Book seventy-two hours in advance.")
    assert another_count("How much is a fifteen-day pass?", "1 day | €89")
    assert not another_count("How much is a fifteen-day pass?", "15 days | €640")


def test_an_interview_s_turn_opens_no_record() -> None:
    """A record's first line borrows what the line leading into it names; a turn keyed by a
    speaker's initials or name borrows nothing of the paragraph before it."""
    lead = frozenset({"lectur", "harbour"})

    def first_line_after(line: str) -> AbstractSet[str]:
        reading = PassageReading()
        setting = reading.read("Annual Harbour Lecture 2024, on 17 April.", lead)
        reading.move_past("Annual Harbour Lecture 2024, on 17 April.", lead, setting, False)
        return reading.read(line, frozenset({"x"})).carried

    assert first_line_after("Speaker: Prof. Dame Ruth Abara") == lead
    assert first_line_after("AF: The community welcomed the plan.") == frozenset()
    assert first_line_after("Ambassador Lee: I firmly believe it.") == frozenset()


def test_a_thing_named_by_a_letter_is_not_another_one() -> None:
    """ "revision D" is not covered by a text giving revision C, nor "Week A" by Week B."""
    texts = ["Document DS-AW7 · Revision C · Issued 14 March 2025.", "Collections in Week B."]
    assert not uncovered("When was revision C of the AW7 datasheet issued?", texts)
    assert uncovered("When was revision D of the AW7 datasheet issued?", texts)
    assert uncovered("Which day are bins collected in Week A?", texts)
    # "lets X" names no thing by a letter: only its lower-case kinds do
    assert uncovered("Which package lets X applications use fonts?", texts) == []


_WAITING_LIST = (
    "Applications go onto one list for all sites.\n\n"
    "Waiting list snapshot (as at 1 March 2025):\n"
    "Hollins Brook Road | 29 applicants, typical wait 2 years\n"
    "Ferncliffe Lane | 11 applicants, typical wait 12-15 months\n"
    "Total | 47 applicants"
)


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # a table's row is of the date its lead-in line gives, however far down it lies
        ("How many people in total were on the waiting list in March 2025?", True),
        ("How many people in total were on the waiting list in March 2024?", False),
    ],
)
def test_a_table_s_rows_are_of_what_leads_into_it(question: str, answered: bool) -> None:
    assert _judge(question, [_WAITING_LIST, *_ELSEWHERE]) is answered


_OFFICERS = [
    "name: Margaret Ellison; role: Chair; email: chair@players.example.org",
    "name: Tom Achebe; role: Director; production: An Inspector Calls; notes: first show",
]


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("What is the Chair's email address?", True),
        # a post of two words joined is told by both: "Chair" is not the vice-chair
        ("What is the Vice-Chair's email address?", False),
        ("Who is the director of An Inspector Calls?", True),
        # a record's "role:" field names its holder's post, and not the one asked
        ("Who is the musical director of An Inspector Calls?", False),
    ],
)
def test_a_record_s_role_field_tells_whose_post_it_is(question: str, answered: bool) -> None:
    assert _judge(question, [*_OFFICERS, *_ELSEWHERE]) is answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("When do the sites open again after the Christmas break?", True),
        ("When do the sites close for the Christmas break?", True),
    ],
)
def test_reopening_tells_when_a_place_opens_again(question: str, answered: bool) -> None:
    closure = (
        "Christmas: both sites close at 14:00 on Wednesday 24 December 2025 and reopen on "
        "Friday 2 January 2026."
    )
    assert _judge(question, [closure, *_ELSEWHERE]) is answered


@pytest.mark.parametrize(
    ("question", "text", "answered"),
    [
        (
            "How long is the wait for a plot at Quarry Field?",
            "Waiting list for a plot at Quarry Field | typical wait 6 months",
            True,
        ),
        ("How long is the nature trail?", "The nature trail is 3 km long.", True),
        # "how long" asks a time or a length, not a count: "47 applicants" tells none
        (
            "How long is the wait for a plot at Ferncliffe Lane?",
            "Waiting list for a plot at Ferncliffe Lane | 47 applicants",
            False,
        ),
        (
            "How far in advance can a show table be booked?",
            "Show tables can be booked up to 14 days in advance.",
            True,
        ),
        # nor does "how far in advance"
        (
            "How far in advance must the plots at Ferncliffe Lane be booked?",
            "Plots booked in advance at Ferncliffe Lane: 47 plots",
            False,
        ),
    ],
)
def test_how_long_asks_a_time_or_a_length(question: str, text: str, answered: bool) -> None:
    assert _judge(question, [text, *_ELSEWHERE]) is answered


@pytest.mark.parametrize(
    ("question", "sentence", "name"),
    [
        # a body's post asks for a person: the body's own name does not answer
        (
            "Who is the association's treasurer?",
            'Cheques payable to "Hollins Brook Allotment Association", posted to the Treasurer.',
            None,
        ),
        (
            "Who is the association's treasurer?",
            "role: Treasurer; name: Dev Raman; email: treasurer@allotments.example.org",
            "Dev Raman",
        ),
        # a trophy's cell is no winner; the winner's cell may say what won after a dash
        (
            "Who took Best in Show at the 2024 show?",
            "The Pennington Cup | Best in Show | Harjit Sandhu — collection of 5 vegetables",
            "Harjit Sandhu",
        ),
    ],
)
def test_who_is_answered_by_a_person_not_a_body_or_a_trophy(
    question: str, sentence: str, name: str | None
) -> None:
    found = [sentence[a:b] for a, b in answer_values(question, sentence)]
    assert found == ([name] if name else [])


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("What did a half plot cost for the 2024/25 year?", True),
        # what costs is told before the verb: a quarter plot's price is not given
        ("What did a quarter plot cost for the 2024/25 year?", False),
    ],
)
def test_what_a_thing_cost_asks_the_price_of_that_thing(question: str, answered: bool) -> None:
    table = (
        "Plot rents per year.\n\n"
        "Plot type | 2024/25 | 2025/26\nFull plot | £68.00 | £74.00\nHalf plot | £36.00 | £39.50"
    )
    assert _judge(question, [table, *_ELSEWHERE]) is answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("What is the additional charge for taking away a fridge-freezer?", True),
        # the thing priced must be named: the taking away alone is not it
        ("What is the additional charge for taking away a piano?", False),
    ],
)
def test_a_price_is_of_the_thing_not_what_is_done_to_it(question: str, answered: bool) -> None:
    fees = (
        "Bulky waste collection fees.\n\n"
        "Item | Standard | Concession\n"
        "Up to three items | £35.00 | £25.00\n"
        "Fridge, freezer or fridge-freezer (each, in addition) | £25.00 | £22.00"
    )
    assert _judge(question, [fees, *_ELSEWHERE]) is answered
