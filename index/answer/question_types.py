"""What a question asks for, and whether a sentence holds a value of that kind.

Kinds: "person", "date", "money", "quantity" (any other number), "rank" (a place in an order),
"place", "licence", "code" (a variable or an option) and "specific" (the very thing, "exactly
which"); a question asking for none of them (why, how, what does X say) is not typed. How a
licence, a variable, an option or one specific thing is written is named_things.py's. Plain
regular expressions over English text: cheap enough for every sentence of the top passages.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .given_names import given_names
from .named_things import (
    ASKS_IDENTIFIER,
    IDENTIFIED_THINGS,
    answers_specifically,
    code_names,
    licence_spans,
)
from .numbers import NUMBER_IN_WORDS, NUMBER_WORD
from .patterns import asks
from .places import (
    COUNTRY,
    MONTHS,
    address_spans,
    is_site,
    phone_spans,
    place_spans,
    postal_address_spans,
    spot_spans,
)
from .rows import name_cells

# --- what a question asks for -------------------------------------------------------------------

# Up to two words between "which" and the noun it asks for ("Which South Korean president"), not
# a verb ("What did the ambassador say ...?" asks for what he said, not for a person) nor a
# preposition ("What percentage of developers ...?" asks for a share).
_GAP = (
    r"(?:(?!(?:is|are|was|were|be|been|do|does|did|has|have|had|will|would|can|could|should"
    r"|may|might|must|shall|of|the|a|an|to|for|in|on|at|by|from|with|and|or)\b)[\w-]+\s+){0,2}?"
)
# Up to four words before the noun a "what is the ..." question asks for, none of them a
# preposition or a conjunction: "the largest possible SQLite database size", not "the reasons for
# the capacity shortfall" nor "the difference between the upper bound and ...".
_CONTENT_WORDS = (
    r"(?:(?!(?:of|for|between|the|a|an|to|in|on|at|by|from|with|and|or|about)\b)[\w-]+ ){0,4}?"
)
# A number that names a thing rather than counts or measures: "the form number" (N164), "the
# case reference number", "the model number"; "which phone number" asks where to call.
_IDENTIFIER_BEFORE = "".join(
    f"(?<!{word} )" for word in ["phone", "telephone", "fax", *IDENTIFIED_THINGS]
)
_ASKS_QUANTITY = re.compile(
    r"\bhow (many|much|long|large|big|often|frequently|high|wide|tall|heavy|far|deep"
    r"|quickly|soon|fast|loud|loudly)\b"
    r"|\bby how much\b"
    # "What is the maximum spin speed?", "what's the minimum investment?"
    r"|\bwhat(?:['’]s| is| was| are| were) (?:the |its |their )?(?:\w+['’]s )?"
    r"(?:maximum|minimum|max|min)\b"
    r"|\bwhat (percentage|share|number|proportion|portion|amount|figure|value|budget|cost|sum)\b"
    r"|\bwhat (?:hourly|daily|day|weekly|monthly|nightly) rates?\b"
    r"|\bwhat (is|was|were) the (total |annual |overall |dollar |monetary )?"
    r"(value|budget|cost|amount|number|size)\b"
    # "what was Korea's effective tariff rate", "what is the growth rate of X"
    r"|\bwhat (is|was|are|were) (the |its |their )?((?:[A-Z][\w-]*\s+){0,2}\w+['’]s )?"
    rf"{_CONTENT_WORDS}"
    r"(rate|ratio|share|percentage|proportion|size|length|limit|count|port|interval|timeout"
    rf"|delay|duration|frequency|{_IDENTIFIER_BEFORE}number|bound|ceiling|depth|capacity|width|height"
    r"|weight|speed|temperature|voltage"
    r"|population|amount|budget|cost|price|funding|fee|salary|revenue|spending|version|rent"
    r"|fare|premium|deposit|allowance|charge|compensation|surplus|deficit|refund|fine"
    r"|penalt(?:y|ie)|discount|prize|bursar(?:y|ie)|stipend|grant|donation)s?\b"
    # "What does a catering pitch cost?"
    r"|\bwhat (?:do|does|did|will|would|should) (?:[\w'’-]+ ){1,5}?cost\b"
    # "What do I pay to bring my baby?", "what does a member pay"
    r"|\bwhat (?:do|does|did|will|would|should|must) (?:[\w-]+ ){1,3}?(?:have to |need to )?pay\b"
    r"(?!\s+(?:attention|tribute|respects?|homage|heed|a visit|visits?|off|back)\b)"
    # "which port", "what maximum length", "what version"
    rf"|\b(what|which) {_GAP}(port|size|length|limit|version|rate|ratio|interval|timeout"
    r"|delay|discount|exit (?:status|code)|return code|status code|temperature|speed|height"
    r"|voltage|capacity)s?\b"
    # "What is the current release of X?": its number
    r"|\b(?:current|latest|newest|stable)\s+(?:release|version)\b"
    # "what minimum Food Hygiene Rating do I need?"
    r"|\b(?:what|which)\s+(?:minimum|maximum|min|max)\b"
    # "What is the highest I can raise the limit to?", "the maximum value"
    r"|\bwhat (is|was) the (highest|lowest|maximum|minimum|largest|smallest|most|least)\s+"
    r"(?:(?:value|number|amount|level|setting)s?\b|(?:i|you|we|one)\s+(?:can|could|may)\b)"
    # a range of numbers: "which file number range", "which range of conf.d file numbers"
    rf"|\b(what|which) {_GAP}(numbers?|numeric|values?|ports?|prefix(es)?) ranges?\b"
    r"|\b(what|which) ranges? of ([\w.-]+ ){0,3}?(numbers|values|ports|versions|prefixes)\b"
    # a number by what it is ("the numeric value of X") or by its unit ("... in seconds?")
    r"|\bnumer(ic|ical) (\w+ ){0,2}?(value|code|id|identifier)s?\b"
    r"|\b(in|of) (seconds|minutes|hours|days|weeks|months|years|bytes|kilobytes|megabytes"
    r"|gigabytes|bits|characters|pixels|points|per ?cent|percent|watts|kilowatts|watt-hours"
    r"|decibels|volts|degrees)\W*$",
    re.I,
)
_ASKS_MEASURE_NOT_MONEY = re.compile(
    r"\bhow (?:many|long|often|frequently|far|old|big|large|wide|tall|heavy|deep|quickly|soon|loud"
    r"|fast)\b",
    re.I,
)
# "How much is full adult membership?", "how much are the lockers": a price, though no word of
# money is used; not "how much does it weigh", "how much is the delay".
_HOW_MUCH_IS = re.compile(
    r"(?<!\bby )\bhow much (?:is|are|was|were|will|would|does|do|did|to|for)\b"
    r"(?![^?]*\b(?:weigh\w*|hold|holds|last|lasts|take|takes|store|stores|use|uses|delay|distance"
    r"|weight|capacity|size|storage|memory|space|time|length|longer|heavier|bigger|faster|slower"
    r"|larger|smaller|more|less|fewer|older|younger|percent|per ?cent|percentage|grow|grew|rise"
    r"|rose|fall|fell|increase|increased|decrease|decreased|change|changed)\b)",
    re.I,
)
# A share is a number without a currency, whatever it is a share of ("by what percentage did the
# money invested grow").
# A discount is as often a share ("40% off") as an amount: not asked as money.
_ASKS_SHARE = re.compile(
    r"\b(percentage|per ?cent|proportion|discounts?)\b|\bwhat (share|portion)\b", re.I
)
# Within quantities, a price or a budget asks for an amount of money, as does "how much of the
# US$230 million ...".
# The codes amounts are written with ("NOK 120,000", "EUR 1"), in capitals only: "try 5 times".
CURRENCY_CODES = (
    r"(?-i:USD|EUR|GBP|JPY|KRW|CNY|SGD|NOK|SEK|DKK|ISK|CHF|AUD|CAD|NZD|HKD|INR|IDR|MYR|THB|PHP"
    r"|VND|BRL|MXN|ZAR|PLN|CZK|HUF|RUB|TRY|AED|SAR|ILS)"
)
_ASKS_MONEY = re.compile(
    r"\b(budget|cost|costs|costing|price|money|funding|spen[dt]|spends|pay|pays|paid|invest|invested"
    r"|investments?"
    r"|worth|dollars?|fees?|fares?|tuition|salary|salaries|wages?|rents?|premiums?|deposits?"
    r"|allowances?|charges?|compensation|surplus|deficit|refunds?|fines?|penalty|penalties"
    r"|prizes?|bursar(?:y|ies)|stipends?|grants?|donations?)\b"
    # a rate by the time it pays for: "the hourly rate for a non-member", "our day rate"
    r"|\b(?:hourly|daily|day|weekly|monthly|nightly)\s+rates?\b"
    r"|[$€£¥₩]\s?\d"
    rf"|\b{CURRENCY_CODES}\b",
    re.I,
)
_ASKS_DATE = re.compile(
    # not "When I push an upload, what is ...?": a clause setting the scene for another question
    r"^\s*when\b(?!\s+(?:i|you|we|they|he|she|it|my|your|our|their|a|an|the|someone|one)\s"
    r"[^?]*,\s*(?:what|what's|which|how|who|whom|where|why|is|are|do|does|did|can|could|should"
    r"|must|will|would|may)\b)"
    # not "what day rate": a price by the day
    r"|\b(since|until|by) when\b|\b(what|which) (years?|dates?|months?|days?)\b(?! rates?\b)"
    r"|,?\s+(and|but) when(\s+(was|were|did)\b|\W*$)"  # "Which plan was adopted, and when?"
    r"|\bon what ((exact|precise|specific) )?(date|day)\b|\b(at )?what times?\b"
    r"|\b(what|which) (exact|precise|specific) (years?|dates?|months?|days?)\b"
    # "Over what period does X run?", "What is the release date of X?"
    r"|\b(what|which) (time )?(period|span)\b"
    r"|\bwhat (is|was) the (\w+ ){0,2}?(date|year|deadline)"
    r"(?=\s+(?:of|when|for|on|in|to|by)\b|\s*\?)"
    # "What are the opening hours on Saturday?": the hours of the clock
    r"|\bwhat\s+(?:are|were|is)\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"(?:opening|closing|office|surgery|visiting|viewing)\s+(?:hours|times)\b",
    re.I,
)
# Who a person is by what they do: "which Debian developer", "what official".
PERSON_NOUN = (
    r"(person|developer|maintainer|author|official|minister|president|ambassador|leader|chair"
    r"|chairman|chairperson|founder|director|spokesperson|researcher|professor|scholar|engineer"
    r"|secretary-general|envoy|diplomat|editor|journalist|interviewer|photographer|translator"
    r"|writer|lecturer|spokesman|spokeswoman|negotiator|delegate|secretary|secretaries|mayor"
    r"|chancellor|premier|councillor|councilor|senator|dean|officer|coordinator|administrator"
    r"|treasurer|registrar|commissioner|superintendent|executive|judge|magistrate|tutor"
    r"|instructor|teacher|coach|manager|trustee|captain|conductor|soloist|curator|warden"
    r"|organi[sz]er|clerk|inspector|mediator|advis[eo]r|arbiter|referee|umpire|steward|marshal"
    r"|caretaker|librarian|contributor|reporter|vicar|rector|chaplain|solicitor|accountant"
    r"|auditor|architect|surveyor|technician|receptionist|nurse|doctor|pharmacist|dentist"
    r"|optician|physiotherapist|therapist|counsellor|midwife|paramedic|surgeon|practitioner"
    r"|hygienist|ranger|keeper|chef|cook|winemaker|brewer|baker|gardener|groundsman"
    r"|groundskeeper|sommelier|florist|physician|veterinarian)s?"
)
# "Who is the maintenance agency for ISO 4217?" asks for an organisation's name, not a person's
# ("Who was the head of the agency?" asks for a person).
ORGANISATION_NOUN = (
    r"(agency|agencies|organi[sz]ations?|body|bodies|committees?|company|companies|groups?"
    r"|teams?|institutions?|associations?|authority|authorities|councils?|boards?|ministry"
    r"|ministries|departments?|secretariats?)"
)
_ASKS_PERSON = re.compile(
    rf"^\s*(who|whom)\b(?!\s+(is|are|was|were)\s+(the\s+)?((?!of\b)\w+\s+){{0,3}}?{ORGANISATION_NOUN}\b"
    r"(?!['’]s))"  # "Who is the council's conservation officer?" asks for a person
    # "Who can apply for the scholarship?" asks who qualifies, a kind of people, not a name
    r"(?!\s+(?:can|could|may|might|should|must)\s+(?:apply|join|attend|participate|register"
    r"|enrol|enroll|vote|benefit|qualify|take part|become|be)\b|\s+(?:is|are) eligible\b"
    r"|\s+(?:qualifies|qualify|counts?|is entitled|are entitled)\b)"
    # "Whose book did he translate?" asks for its author
    r"|\bwhose name\b|^\s*whose\b|\bname the (person|official)\b"
    # "The README quotes the Bash maintainer - who is that?"
    r"|(?:[-–—:;,]|\.\.\.)\s*who (is|was) (that|this|he|she|it)\W*$"
    # "which official", not "what official name" (an adjective)
    rf"|\b(which|what) {_GAP}{PERSON_NOUN}\b(?!\s+(?:names?|titles?|languages?|website|site"
    r"|pages?|documents?|records?|list|codes?|status|spelling|form|orders?|summar(?:y|ies)"
    r"|branch|board|committee|decisions?|sessions?|powers?|roles?)\b)"
    # "the name of the first resident ambassador", not "the name of the redirector service"
    rf"|\b(what|which) is the name of (the |a |an |its |their )?(\w+ ){{0,3}}?{PERSON_NOUN}\b"
    # "the name of the ISEAS staff member who conducted the interview": a person, by "who"
    r"|\bname of (the |a |an |its |their )?([\w-]+ ){1,4}?who\b"
    # "what is the head chef called?"
    rf"|\bwhat(?:['’]s| is| was)\s+(?:the |their |our |your |its )?(?:[\w-]+ ){{0,2}}?{PERSON_NOUN}"
    r"\s+called\b",
    re.I,
)
# "which (Korean) city", "what (ASEAN) member state", "where will ... be based"; but not
# "where does X rank / stand", which asks for a position.
_ASKS_PLACE = re.compile(
    r"\b(which|what)\s+(\w+\s+){0,2}?(city|cities|capital|town|country|countries|nation"
    r"|province|island|territory|territories|member states?|venue|location|stops?|stations?"
    r"|airports?|building|room)\b"
    r"|^\s*where\b(?!.*\b(rank|ranks|ranked|stand|stands)\b)",
    re.I,
)
# Where things are in manuals: "In which file does aptitude log ...?", "Which header file do I
# include?", "What address do I mail to subscribe?": a path, a file name or an address answers.
# The question's own asking words, not a clause's ("Which FC_DEBUG value makes fontconfig
# report which config files it loads?" asks for a value); and the head noun, not a modifier
# ("which file number range").
_ASKS_FILE = re.compile(
    rf"^\s*(\w+\s+)?(which|what)\s+{_GAP}(files?|directory|directories|folders?"
    r"|paths?|(e-?mail |web |postal )?address(es)?|urls?|web ?sites?)(?![\w-])"
    r"(?!\s+(numbers?|names?|sizes?|formats?|types?|ranges?|counts?|systems?|modes?"
    r"|permissions?|descriptors?)\b)"
    # an address asked anywhere: "..., and what is its address?", "which address reaches ..."
    r"|\b(which|what)(['’]s | is | are | )((its|the|their) |(?:[A-Z][\w-]*\s+){1,3}?[\w-]+['’]s )?"
    r"(e-?mail |web |postal |mailing list )?(address(es)?|urls?|home ?pages?)\b"
    # "Can you tell me Gary Holroyd's e-mail address?"
    r"|\b[A-Z][\w-]*['’]s (?:e-?mail|web|postal) address(es)?\b",
    re.I,
)
# A charge that may be a share of something: "A deposit of 25% is payable at booking".
_RATED_CHARGE = re.compile(
    r"\b(?:deposit|fee|charge|commission|discount|surcharge|interest|tax|vat|levy|excess"
    r"|refund|tip|service charge)s?\b",
    re.I,
)
SHARE_VALUE = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:%|per ?cent\b|percent\b)", re.I)


def charged_as_a_share(question: str, sentence: str) -> bool:
    """Whether `sentence` tells the charge `question` asks about as a share ("How much is the
    deposit?": "A deposit of 25% is payable"): it names the charge and gives a share."""
    charge = asks(_RATED_CHARGE, question)
    return (
        charge is not None
        and re.search(rf"\b{re.escape(charge.group(0)[:5])}", sentence, re.I) is not None
        and SHARE_VALUE.search(sentence) is not None
    )


# A setting's default ("What is the default port?"), not a debt's ("When did the country
# default on its debt?", "the default rate on mortgages").
ASKS_DEFAULT = re.compile(
    r"(?<!\bdid )(?<!\bto )(?<!\bwill )(?<!\bwould )(?<!\bin )\bdefault\b(?!\s+(?:on|rates?)\b)",
    re.I,
)
ASKS_EMAIL = re.compile(r"\b(e-?mail|mailing list) address(es)?\b", re.I)
# A number to call: "the phone number for support", "the fax number", "what number do I ring".
ASKS_PHONE = re.compile(
    r"\b(?:(?:tele)?phone|fax|mobile|cell|helpline|hotline)(?:\s+(?:n[umbe]{3,5}rs?|no\b\.?))?"
    r"(?=\s*(?:\?|$|\s(?:for|of|at|to|on|in)\b))"
    r"|\b(?:(?:tele)?phone|fax|mobile|cell|helpline|hotline|contact|emergency|support)"
    r"\s+(?:n[umbe]{3,5}rs?|no\b\.?)"  # "phone nubmer" typed in haste
    r"|\bwhat\s+number\s+(?:do|should|can|could)\s+(?:i|we|you)\s+(?:call|ring|phone|dial|text)\b"
    r"|\bnumber\s+(?:to|I\s+should|we\s+should)\s+(?:call|ring|phone|dial|text)\b"
    # "the number for Campus Security": a service's, not a count
    r"|\b(?:the|a|their|its)\s+number\s+for\s+(?:the\s+)?(?-i:[A-Z][a-z])"
    # a line's number: "leakline number", "the careline no.", "the emergency casualty line number"
    r"|\b[a-z]+line\s+(?:numbers?|no\b\.?)|\b(?:phone|telephone|help|advice|casualty|emergency"
    r"|booking|enquiry|enquiries|information|support|customer|out-of-hours|direct|hot|noise"
    r"|reporting|contact)\s+line\s+(?:numbers?|no\b\.?)"
    # "who do I ring if the flat floods?": a number, whoever answers it
    r"|^\s*who\s+(?:do|should|can|could|must)\s+(?:i|we|you)\s+(?:ring|phone|telephone|dial)\b",
    re.I,
)
# "Where is the defibrillator kept?", "where do we meet if the fire alarm goes off?": a spot on
# a site answers (places.spot_spans), not only a named place.
ASKS_WHEREABOUTS = re.compile(
    r"^\s*where\b[^?]*\b(?:kept|stored|mounted|hung|displayed|posted|parked|found|placed)\b"
    r"|^\s*where\s+(?:do|does|can|could|should|must|will)\s+(?:i|we|you|they|[\w-]+s)\s+"
    r"(?:all\s+)?"
    r"(?:meet|assemble|gather|go|leave|park|put|store|find|collect|wait|lock|sign in|report)\b",
    re.I,
)
# A web address has one form too: "https://...", "www...."
ASKS_URL = re.compile(r"\bweb address(es)?\b|\burls?\b", re.I)
# "Which organisation maintains ISO 639-3?": a body's name answers, as for "who".
_ASKS_ORGANISATION = re.compile(
    rf"^\s*(\w+\s+)?(which|what)\s+{_GAP}(?P<kind>agency|agencies|organi[sz]ations?"
    r"|company|companies|institutions?|associations?|authority|authorities|councils?"
    r"|committees?|ministry|ministries|secretariats?|consortium|foundations?|institutes?"
    r"|think[- ]tanks?|firms?|providers?|suppliers?|contractors?|operators?|insurers?|charit(y|ies)"
    r"|universit(y|ies)|bod(y|ies))\b(?! of\b)(?!['’]s?\b)",
    re.I,
)


# "Under which licence is X distributed?", "What license does X use?": a licence's name answers.
_ASKS_LICENCE = re.compile(
    rf"\b(which|what)\s+{_GAP}(licen[cs]es?|copyleft)\b(?!\s+(?:file|text|notice|key)s?\b)"
    r"|\blicen[cs]ed under (which|what)\b",
    re.I,
)


# "Which environment variable controls X?", "Which option turns on Y?": a name in the code's own
# spelling answers: "FC_DEBUG", "$HOME", "__shellmath_isOptimized"; "--strict", "-v".
_ASKS_VARIABLE = re.compile(rf"\b(which|what)\s+{_GAP}variables?\b(?! names?\b)", re.I)
# An environment variable is asked of a program's manual; "Which variables did the study
# control for?" may be answered in plain words.
_ASKS_ENVIRONMENT = re.compile(r"\benvironment(al)? variables?\b", re.I)
_ENVIRONMENT_NAME = re.compile(r"\$?\{?[A-Z][A-Z0-9_]+\}?")
_ASKS_OPTION = re.compile(rf"\b(which|what)\s+{_GAP}(options?|flags?|switch(es)?)\b", re.I)

# "Exactly which servers ...?", "Which specific model ...?": a question insisting on the very
# thing is answered by its name, not by "one of the other servers" or "an Intel CPU".
_ASKS_SPECIFIC = re.compile(
    r"\b(exactly|precisely) ((at|in|on|from|to|for|by) )?which\b"
    r"|\bwhich (specific|particular|exact|precise)\b",
    re.I,
)
# "Where does Korea rank among ...", "What position does X hold": asks for a place in an order.
_ASKS_RANK = re.compile(
    r"\b(where|how) (does|do|did|is|was|are|were)\b[^?]*\b(rank|ranks|ranked|stand|stands)\b"
    # "Which anniversary does the FTA mark?": an ordinal ("its 20th anniversary")
    r"|\b(what|which) (rank|ranking|anniversary|edition)\b"
    r"|\bwhat (is|was|were|are) (its|their|the|his|her) (rank|ranking)\b"
    # a place in a list ("What position does Korea hold among ..."), not a post someone holds
    # ("What position does Ko Youngkyung hold?")
    r"|\b(what|which) position\b(?=[^?]*\b(among|ranking|ranked|rank|list|largest|biggest"
    r"|top|league)\b)",
    re.I,
)


# "What's the default port?" reads as "What is the default port?": the readings of this package
# are written over the full forms.
_CONTRACTED = re.compile(
    r"\b(what|who|where|when|which|how|that|it|there)['’](s|re|d)\b(?!\s+(?:be|have|like|rather)\b)"
    r"|\b(what|where|when|who)(s)\b",  # typed without the apostrophe: "whats the ..."
    re.I,
)
_SPELLED_OUT = {"s": " is", "re": " are", "d": " did"}  # "where'd korea host ...?"
# Question words typed in haste, where a question opens ("wat is the ...", "wen does the
# committee meet", "whn does check-in open"): in lower case only, as "Wat Arun" is a name.
_MISTYPED_WH = {
    "wat": "what",
    "wht": "what",
    "waht": "what",
    "wich": "which",
    "whcih": "which",
    "wihch": "which",
    "wen": "when",
    "whn": "when",
    "wehn": "when",
    "wher": "where",
    "whre": "where",
    "hw": "how",
    "hwo": "how",
}
_MISTYPED_OPENING = re.compile(
    rf"(?-i:^(\s*)({'|'.join(_MISTYPED_WH)})\b(?=\s+[a-z])"
    # inside a query too, but for "hw", which is also hardware: "chimes not alowed before wat time"
    rf"|(\s)({'|'.join(w for w in _MISTYPED_WH if not w.startswith('h'))})\b(?=\s+[a-z]))"
)
# Units shortened as people type them: "how many yrs ...".
_SHORT_UNITS = {"yrs": "years", "yr": "year", "hrs": "hours", "mins": "minutes", "secs": "seconds"}
_SHORT_UNIT = re.compile(rf"\b({'|'.join(_SHORT_UNITS)})\b", re.I)


def uncontracted(question: str) -> str:
    """`question` with its question words' contractions spelled out ("What's" -> "What is",
    "Where're" -> "Where are", "Where'd" -> "Where did"), an opening question word's slip of the
    keys mended ("wen does" -> "when does") and its shortened units ("yrs"); the answer layer
    reads this form."""
    question = _MISTYPED_OPENING.sub(
        lambda m: (
            m.group(1) + _MISTYPED_WH[m.group(2)]
            if m.group(2)
            else m.group(3) + _MISTYPED_WH[m.group(4)]
        ),
        question,
    )
    spelled = _CONTRACTED.sub(
        lambda m: (m.group(1) or m.group(3)) + _SPELLED_OUT[(m.group(2) or m.group(4)).lower()],
        question,
    )
    return _SHORT_UNIT.sub(lambda m: _SHORT_UNITS[m.group(1).lower()], spelled)


@lru_cache(maxsize=1024)  # asked by the abstention rule and by its callers for the same question
def asked_type(question: str) -> str | None:
    """The kind of value `question` asks for, or None when it asks for none of them: that its
    asking clause asks for (`asking_clause`: "Setting up a meeting with the Centre, who is its
    secretary-general?" asks for a person), or else the whole question."""
    asking = asking_clause(question)
    if asking == question:
        return _kind_asked(question)
    if kind := _kind_asked(asking):
        return kind
    # a scene's words type no question that asks in words of its own ("I'm upgrading from 1.1
    # to the latest release — what SQL command do I run?"), only one it leaves short
    if _SCENE_OPENER.match(question) or _ASKS_IN_FULL.match(asking):
        return None
    return _kind_asked(question)


# A request framing the question: "Can you tell me who ...", "Do you know when ...", "I need to
# find out how much ...", "Any idea what ...", "Please find where ...".
_REQUEST = (
    r"(?:(?:please\s+)?(?:can|could|would|will)\s+(?:you|anyone|someone|somebody)\s+(?:please\s+)?"
    r"(?:tell|show|let)\s+(?:me|us)(?:\s+know)?"
    r"|(?:do|does)\s+(?:you|anyone|anybody|someone)\s+(?:happen\s+to\s+)?know"
    r"|(?:i|we)(?:['’]d|\s+would)?\s+(?:need|want|like|wish)\s+to\s+(?:know|find\s+out|check"
    r"|confirm|learn|figure\s+out|work\s+out)"
    r"|(?:i|we)(?:['’]m|\s+am|\s+was|\s+were)\s+(?:wondering|trying\s+to\s+(?:find|figure|work)\s+out)"
    r"|i\s+wonder|any\s+idea|(?:please\s+)?(?:tell|show)\s+(?:me|us)"
    r"|(?:please\s+)?(?:find(?:\s+out)?|check|confirm|look\s+up)"
    r"|help\s+me\s+(?:find|figure|work)\s+out)"
)
_WH = r"(?:who|whom|whose|where|when|what|which|how|why)\b"
# A preposition leading into the question word: "In which city ...", "Starting with which version"
_LED_IN = (
    r"(?:(?:starting|beginning)\s+(?:with|from|in)\s+|(?:since|from|in|at|on|for|under|by|to"
    r"|with|after|before|until|of|up\s+to)\s+)"
)
_COPULA_LAST = re.compile(
    rf"^(?P<wh>{_WH}(?:\s+(?:much|many|long|old|big|often))?)\s+(?P<rest>.+?)\s+"
    r"(?P<verb>is|are|was|were)(?P<end>\W*)$",
    re.I | re.S,
)
_FRAMED_ASK = re.compile(rf"^\s*{_REQUEST}\s*,?\s+(?P<ask>{_WH}.*)$", re.I | re.S)
# A request for a thing rather than an answer: "Can you tell me the phone number for X?", "Do
# you know the e-mail address of ...", "Could you give me the fare ...": what is that thing?
_FRAMED_THING = re.compile(
    rf"^\s*(?:{_REQUEST}|(?:please\s+)?(?:(?:can|could|would|will)\s+(?:you|anyone|someone)\s+"
    r"(?:please\s+)?)?(?:give|send|get)\s+(?:me|us)|(?:do|does)\s+(?:you|anyone)\s+have"
    r"|(?:i|we)(?:['’]m|\s+am|\s+are)\s+looking\s+for)\s+"
    r"(?P<thing>(?:the|its|their|his|her|your|our)\s+[^?]+?)\s*[?.!]?\s*$",
    re.I | re.S,
)
# A scene set before the question ("I'm preparing a side-by-side of dialogue partners, who is
# ...?", "Writing about the provocations: which ...?", "When salvaging a package, how many days
# ...?"): a clause, then a break and a question word (or a request) that opens the rest.
_SCENE_THEN_ASK = re.compile(
    # a question mark inside the scene that ends no question: "5000 ? placeholders"
    r"^(?P<scene>(?:[^?]|\?(?=\s+[a-z]))*?\w(?:[^?]|\?(?=\s+[a-z]))*?)"
    r"(?:[,:;.!]|\s[-–—])\s+(?:(?:so|and|but|then)\s+)?"
    rf"(?:{_REQUEST}\s*,?\s+)?(?P<ask>{_LED_IN}?{_WH}[^?]*\?*\s*)$",
    re.I,
)
# A question that opens with its own question word sets no scene, unless it is a "when" or an
# "if" clause: "Which plan, adopted in 2020, ...", but "When salvaging X, how many days ...?"
_OPENS_ASKING = re.compile(rf"^\s*(?:{_LED_IN}|(?!when\b)){_WH}", re.I)
_SCENE_OPENER = re.compile(r"^\s*(?:when|whenever|if|while|once|after|before)\b", re.I)
# A question word and a verb of its own after it: "what SQL command do I run ...?"
_ASKS_IN_FULL = re.compile(
    r"^\s*(?:what|which|how|why)\b(?:\s+[\w'’-]+){0,4}?\s+(?:do|does|did|should|must|can|could"
    r"|would|will)\s+(?:i|we|you|they)\b",
    re.I,
)


@lru_cache(maxsize=1024)  # read for each judged sentence of the same question
def asking_clause(question: str) -> str:
    """The clause of `question` that asks, without a request framing it ("Can you tell me who
    ...?") or a scene set before it (`_SCENE_THEN_ASK`); the whole question when it has
    neither."""
    framed = _FRAMED_ASK.match(question)
    if framed:  # an embedded question keeps its verb last: "what the default port is"
        return _COPULA_LAST.sub(r"\g<wh> \g<verb> \g<rest>\g<end>", framed.group("ask"))
    found = _SCENE_THEN_ASK.match(question)
    if found is None:
        thing = _FRAMED_THING.match(question)
        return f"what is {thing.group('thing')}?" if thing else question
    if _OPENS_ASKING.match(question):
        return question
    return found.group("ask")


def _kind_asked(question: str) -> str | None:
    """The kind of value `question`, read whole, asks for."""
    phone = asks(ASKS_PHONE, question)  # "who do I ring ...?" asks for a number
    if not phone and (asks(_ASKS_PERSON, question) or asks_organisation(question)):
        return "person"
    if asks(_ASKS_DATE, question):
        return "date"
    if _ASKS_WHAT_CALLED.match(question):
        return None  # "What was geoweave called before version 2.0.0?": a name, no number
    if phone:
        return "place"  # a number to call is where someone is reached, as an e-mail address
    if asks(ASKS_IDENTIFIER, question) and not asks(_VALUE_GIVEN, question):
        return "specific"  # "the appeal form number": N164, a name
    if asks(_ASKS_QUANTITY, question) and not asks(_VALUE_GIVEN, question):
        money = (asks(_ASKS_MONEY, question) or asks(_HOW_MUCH_IS, question)) and not asks(
            _ASKS_SHARE, question
        )
        # "How long is a single fare valid?" asks for a time, "how many fees" for a count
        if money and not asks(_ASKS_MEASURE_NOT_MONEY, question):
            return "money"
        return "quantity"
    if asks(_ASKS_RANK, question):
        return "rank"
    if asks(_ASKS_LICENCE, question):
        return "licence"
    if asks(_ASKS_VARIABLE, question) or asks(_ASKS_OPTION, question):
        return "code"
    if asks(_ASKS_PLACE, question) or asks(_ASKS_FILE, question):
        return "place"
    if asks(_ASKS_SPECIFIC, question):
        return "specific"
    if not asks(_QUESTION_FORM, question):
        return _searched_kind(question)
    return None


_ASKS_WHAT_CALLED = re.compile(
    r"^\s*what\s+(?:is|was|are|were|'s)\s+(?:[\w.'’-]+\s+){1,6}?(?:called|named|known\s+as)\b",
    re.I,
)
# "Which currency has numeric code 997?", "which service uses port 5432": the question gives the
# number and asks for what has it.
_VALUE_GIVEN = re.compile(
    r"^\s*(?:which|what)\s+(?:[\w-]+\s+){1,3}?(?:has|have|had|uses|use|used|gets|got|carries"
    r"|bears|is assigned|was assigned|listens on)\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:codes?|numbers?|ids?|identifiers?|values?|ports?|uids?|gids?)\s+\d",
    re.I,
)


# A question put as one ("what ...", "is there ...", "I'm writing ... - which ...?"), not a
# search box's keywords ("india asean fta entry into force date", "postgresql max columns").
_QUESTION_FORM = re.compile(
    r"^\s*(?:is|are|was|were|do|does|did|can|could|should|would|will|may|might|must|has|have"
    r"|had|name|tell|list|give|show|find|explain|describe)\b"
    r"|\b(?:what|which|who|whom|whose|when|where|why|how)\b",
    re.I,
)
# What a keyword query asks for, by the value's word in it: the query's head, its last word or the
# one before "of", "for", ... ("... entry into force date", "... annual contribution", "number of
# packages"), not a modifier ("date formatting", "url encoding", "funding sources"); "max",
# "minimum" and "numeric" ask for a number wherever they stand ("postgresql max columns").
_HEAD = (
    r"(?=\s*$|\s+(?:of|for|in|per|by|on|at|to|from|with|allowed|needed|required|default"
    r"|defaults|setting)\b"
    # or the case it is asked of, last: "sanction fee junior", "day ticket price adult"
    r"|(?:\s+[\w-]+){0,2}\s+(?:adults?|child(?:ren)?|juniors?|seniors?|students?|members?"
    r"|non-members?|concessions?|famil(?:y|ies)|under[- ]?\d+s?|over[- ]?\d+s?)\s*$)"
)
_SEARCHED_KINDS = (
    # not a rate's "per year", "a day"
    (
        "date",
        re.compile(
            rf"(?<!\bper )(?<!\ba )(?<!\beach )(?<!\bevery )\b(?:date|day|year|deadline)"
            # or before the event it dates: "year built", "date published"
            rf"(?:{_HEAD}|(?=\s+(?:built|founded|established|opened|launched|released|published"
            r"|introduced|started|completed|created|signed|adopted|born|died)\b))"
            # "tool library saturday opening hours", "under 12 training time", "viewing times"
            rf"|\b(?:opening|closing|opening and closing)\s+(?:hours|times?){_HEAD}"
            r"|\b(?:start|starting|finish|kick-?off|training|viewing|meeting|session|class|lesson"
            r"|departure|arrival|check-?in|check-?out|collection|service|practice|rehearsal"
            rf"|match|game)\s+times?{_HEAD}",
            re.I,
        ),
    ),
    (
        "money",
        re.compile(
            r"\b(?:funding|budget|cost|price|contribution|fee|spending|charge|fare|rent|deposit"
            r"|premium|compensation|surplus|deficit|refund|fine|penalt(?:y|ie)|prize|grant"
            rf"|bursar(?:y|ie)|stipend)s?{_HEAD}",
            re.I,
        ),
    ),
    (
        "quantity",
        re.compile(
            r"\b(?:numeric|max|maximum|min|minimum)\b"
            rf"|\b(?:amount|{_IDENTIFIER_BEFORE}number|limit|size|length|count|offset|percentage"
            r"|rate|interval|timeout|population|age|port|temperature|speed|height|voltage"
            rf"|capacity|frequenc(?:y|ie))s?{_HEAD}",
            re.I,
        ),
    ),
    (
        "place",
        re.compile(
            rf"\b(?:(?:e-?mail|web) address(?:es)?|e-?mail|urls?|(?:tele)?phone(?: numbers?)?"
            rf"|fax(?: numbers?)?|paths?|folders?|director(?:y|ies)){_HEAD}",
            re.I,
        ),
    ),
    ("licence", re.compile(rf"\blicen[cs]es?{_HEAD}", re.I)),  # "shellmath license"
)


def _searched_kind(query: str) -> str | None:
    """The kind of value a keyword query asks for (`_SEARCHED_KINDS`), or None."""
    return next((kind for kind, word in _SEARCHED_KINDS if word.search(query)), None)


# --- what a sentence holds ----------------------------------------------------------------------

# not the year inside an identifier: "CVE-2025-31904", "RHSA-2024:1234"
_YEAR = re.compile(r"\b(?<![A-Za-z]-)(1[89]\d\d|20\d\d)\b(?![-:]\d{5})")
_MONTH = re.compile(rf"\b({MONTHS})\b")
# A year before 1800 where a preposition makes it one ("granted in 1227"): alone, a number.
_EARLY_YEAR = re.compile(r"\b(?:in|since|until|from|during|by)\s+1[0-7]\d\d\b")
# A time of day: "14:30", "8:00am", "8.30am", "7 pm".
_CLOCK = re.compile(
    r"\b(?:[01]?\d|2[0-3]):[0-5]\d(?:\b|(?=\s*[ap]\.?m\b))"
    r"|\b(?:1[0-2]|0?[1-9])\.[0-5]\d(?=\s*[ap]\.?m\b)"
    r"|\b(?:1[0-2]|[1-9])\s*[ap]\.?m\b",
    re.I,
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# A day of the week as a time that comes round: "on Saturdays", "the second Thursday of each
# month", "Monday to Friday"; not the weekday of a dated day ("Monday, 3 March 2025").
WEEKDAY = re.compile(
    rf"\b(?:(?:first|second|third|fourth|last)\s+)?(?:{_WEEKDAYS})s?\b"
    r"(?:\s+(?:of|in)\s+(?:each|every|the)\s+month\b)?"
    # not a dated day's ("Monday 3 March", "Monday, 3rd"); a time may follow ("Tuesday 08:30")
    rf"(?:\s*(?:-|–|to|and)\s*(?:{_WEEKDAYS})s?\b)?(?!,?\s+\d+(?:st|nd|rd|th)?\b(?![:.]\d))"
)
# The two ends of a time: when a thing opens or starts, when it closes or ends (of a question or
# of a sentence: "When does the talk start?", "Talks begin at 7:30 pm").
OPENING = re.compile(
    # "reopen on 2 January", "lessons resume on 6 January": a start after a break
    r"\b(?:(?:re-?)?(?:open|opens|opening)|start|starts|starting|begin|begins|doors"
    r"|resume|resumes|resuming)\b",
    re.I,
)
CLOSING = re.compile(
    # "shut for repairs" is a closure, not the hour it shuts
    r"\b(?:close|closes|closing|shut(?!\s+for\b)|shuts|shutting|end|ends|ending|finish|finishes|finishing"
    r"|until|till)\b",
    re.I,
)
# A question asking when something comes round, which a day of the week answers: "When does
# the committee meet?", "When is the safety meeting held?", "On which day of the week ...?"
ASKS_RECURRING = re.compile(
    r"^\s*when\b(?![^?]*\b(?:was|were|did|will|had|has|have|next|last|ever)\b)[^?]*"
    r"\b(?:do|does|is|are)\b|\bdays? of the week\b"
    r"|\b(?:what|which)\s+(?:week)?days?\s+(?:do|does|is|are)\b"
    # a keyword query's "meeting day", "club night"
    r"|\b(?:meeting|training|practice|club|collection|market|rehearsal|session)\s+"
    r"(?:days?|nights?|evenings?)\b(?!\s+(?:in|of)\s+\w+\s+\d)",
    re.I,
)
# Dates, years, year ranges, ordinals ("13th Summit") and paragraph numbers ("19. The Ministry")
# are removed before looking for a quantity: "established on 1 September 2017" does not say how
# many visitors came.
# A number that points into a text rather than counting anything: "Section 6.5", "Table 3",
# "p. 12", a heading's own number ("4.4.1. The bugs server"), a manual page's section or a
# standard's number.
REFERENCE = re.compile(
    r"\b(?:[Ss]ections?|[Cc]hapters?|[Ff]igures?|Fig\.|[Tt]ables?|[Aa]ppendix|[Aa]rticles?|[Pp]art"
    r"|[Pp]ages?|p\.|pp\.|Lines?|Steps?|[Ff]ootnotes?|[Ee]xamples?|[Ll]istings?|[Aa]nnex(?:es)?"
    r"|[Pp]aragraphs?|Schedules?|Regulations?|Rules?|Clauses?|Standing Orders?|Bye-?[Ll]aws?"
    r"|[Ii]ssues?|PR|[Pp]ull [Rr]equest|[Tt]ickets?|[Bb]ugs?)\s*#?"
    r"\s*\d+(?:\.\d+)*(?:\s*[-–]\s*\d+)?\b|§\s*\d+(?:\.\d+)*"
    r"|(?<![\w\]])\[\d+\]"  # a note's number: "[28]", not "buf[256]"
    r"|(?<![\w&])#\d+\b"  # an issue's or a pull request's: "(#344)"
    r"|^\s*\d+(?:\.\d+)+\.?(?=\s)"
    r"|(?<=[a-z_])\(\d[a-z]*\)"  # a manual page's section: "mmap(2)", "crontab(5)"
    # a standard's number: "RFC 4880", "ISO 639-1", "IEEE 754"; not a version ("TLS 1.3"), a
    # port ("TCP 5432") or an amount ("IDR 5 trillion")
    r"|\b(?:RFC|ISO|IEC|IEEE|ECMA|ANSI|CVE|ITU-T|ITU|DIN|FIPS|NIST SP)[- ]?\d+(?:[-.:/]\d+)*\b"
    # a registration's or an account's number: "registered ... under number 1187432", "Charity
    # no. 1187342", "Ref: 20931" (five digits or more: "number 5" may count)
    r"|\b(?:[Nn]umber|[Nn]o\.|[Nn]o|[Rr]eg(?:istration)?\.?|[Rr]ef(?:erence)?\.?|ID|[Aa]ccount)"
    r"\s*:?\s*\d{5,}\b"
    # a postcode's digits count nothing: "Sheffield S3 8RE", "OL14 5LH"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"
)
# A unit no year is followed by: "2048 bits", "1920 pixels", "2000 characters" are measures, not
# the years their digits could be. Not nouns a year may precede ("In 2023 letters were sent",
# "since 2019 lines 4 and 7 ...").
YEARLESS_UNIT_AFTER = re.compile(
    r"(?:\s*|[-‐])(?:(?:kilo|mega|giga|tera)?bytes?|bits?|[KMGT]i?B|kB|characters?|chars?"
    r"|digits?|%|per ?cent|percent|pixels?|px|dpi)(?![\w])",
    re.I,
)
_NOT_QUANTITY = re.compile(
    rf"{REFERENCE.pattern}"
    rf"|\b\d{{1,2}}(\s*[-–]\s*\d{{1,2}})?\s+({MONTHS})\b"
    r"|\b(1[89]\d\d|20\d\d)(\s*[-–/]\s*(1[89]\d\d|20\d\d|\d\d))?\b"
    rf"(?!{YEARLESS_UNIT_AFTER.pattern})"
    r"|\b\d+(st|nd|rd|th)\b"
    r"|(?m:^\s*\(?\d{1,3}[.)]\s)"  # a list item's number, on any line
)
_QUANTITY = re.compile(
    rf"\d|\b({NUMBER_WORD}|thousand|million|billion|trillion|dozen|double[sd]?|doubling|twice"
    r"|triple[sd]?|half|quarter|decades?|fold)\b",
    re.I,
)
_CURRENCY = (
    r"dollars?|euros?|won|yen|yuan|renminbi|rupiah|ringgit|baht|pesos?|dong|kyats?|riels?|kip"
    r"|pounds?|rupees?|kron(?:a|e|er|or)|francs?|zlotys?|lira|pence|cents?"
)
# An amount a record's field keys as money, bare: "price_ex_vat_gbp: 120.00", "Fee (EUR): 45".
# Not a code keyed beside: "cost_centre: 4410", "fee_code: 12".
KEYED_AMOUNT = re.compile(
    rf"(?:^|[;\n]\s*|\|\s*)(?i:(?![\w ()/-]*(?:centre|center|code|_id\b|number|ref))"
    rf"[\w ()/-]{{0,30}}?(?:price|cost|fee|charge|{CURRENCY_CODES})"
    r"[\w ()/-]{0,20}?)\s*:\s*(?P<amount>\d{1,3}(?:,?\d{3})*(?:\.\d\d)?)(?![\d.,]|\s*%)"
)
_MONEY = re.compile(
    rf"(US\$|S\$|A\$|\$|€|£|¥|₩|\b{CURRENCY_CODES}\b)\s?\d"
    rf"|\d[\d,.]*\s*(thousand|million|billion|trillion|mn|bn)?\s*({_CURRENCY})\b"
    r"|\b\d{1,3}(?:\.\d+)?p\b(?!\.\w)",  # pence: "45p per mile"
    re.I,
)
# A person named in a sentence: a title before a capitalised name ("Secretary of State Antony
# Blinken", "President Lee", "H.E. Lee"), or a Korean-style name with a hyphenated given name
# ("Roh Tae-woo", "Lee Jang-keun").
_PERSON = re.compile(
    r"\b(President|Ambassador|Minister|Secretary(?: of State| General|-General)?|Chairman|Chair"
    r"|Prime Minister|Premier|King|Queen|Sultan|Mayor|Governor|Chancellor|Councillor|Councilor"
    r"|Senator|Professor|Sir|Dame|Lord|Lady|Judge|Justice|Reverend|Rev|Bishop|Commissioner"
    r"|Inspector|Captain|Colonel|Dr|Mr|Mrs|Ms|Miss|Mx|Prof|H\.E|Cllr|PC|PCSO|Sgt|Sergeant"
    r"|Constable|Detective|Coxswain|Revd|Fr|Father|Rabbi|Imam|Pastor|Capt|Lt|Lieutenant)\.?\s+"
    r"(?:(?:Dr|Prof|Professor)\.?\s+)?[A-ZÀ-ÖØ-Þ][^\W\d_A-Z]+"  # "Prof. Dr. Annelies"
    r"|\b[A-Z][a-z]+\s+[A-Z][a-z]+-[a-z]+\b"
    # a name with a nickname quoted inside it: 'Graham "Bluey" Pascoe'
    r"|\b[A-Z][a-z]+\s+[\"“‘'][A-Z][a-z]+[\"”’']\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b"
    # a code host's handle credited: "reported by @mkawashima", "thanks to @ana-k"
    r"|(?<=\bby )@[A-Za-z\d](?:[A-Za-z\d-]{0,38})\b|(?<=\bto )@[A-Za-z\d](?:[A-Za-z\d-]{0,38})\b",
)
# A place in an order: "seventh", "the 3rd", "second-largest", "No. 1", "the largest".
RANK = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
    r"(?:[- ](?:largest|biggest|highest|lowest|most \w+))?\b"
    r"(?!(?-i:\s+[A-Z]))"  # not a title's ordinal: "the Third Protocol", "the 13th Summit"
    r"|\bNo\. ?\d+\b|\b(?:largest|biggest|top)\b",
    re.I,
)


# In manuals and READMEs people are named by where they stand, untitled: after "by", "Author:",
# "Maintainer:", "Thanks to" or a copyright's years, or before their e-mail address ("Josip
# Rodin <joy@...>").
# a name's letters after its capital may be any alphabet's: "Wróbel", "Müller", "Ødegård"
_LOWER = r"[^\W\d_A-Z]"
# a surname may carry a capital inside after its prefix: "McLeish", "MacDonald", "O'Brien"
_SURNAME = rf"(?:Mc|Mac|O['’]|D['’])?[A-ZÀ-ÖØ-Þ]{_LOWER}+"
_FULL_NAME = (
    rf"[A-ZÀ-ÖØ-Þ]{_LOWER}+(?:\s+[A-Z]\.)?(?:\s+{_SURNAME}(?:-{_SURNAME})?)"
    r"{1,2}"
)
# Before an e-mail address a name may hold an acronym too: "Debian QA Group <packages@...>".
_ADDRESSED_NAME = r"[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]{2,}|[A-Z]\.)){1,3}"
_NAMED_PERSON = re.compile(
    r"(?:\b(?:by:?|[Aa]uthors?:|[Mm]aintainers?:|[Uu]ploaders?:|[Cc]ontact:|From:|Thanks to"
    # who must agree: "need approval from Tomasz Wielgosz", "with sign-off from ..."
    r"|(?:approval|sign-off|signoff|permission|consent|authori[sz]ation) (?:from|of|by)"
    r"|[Ww]ith thanks to|Thank you to|[Cc]ourtesy of|Copyright:?"
    r"(?:\s*(?:©|\([Cc]\)))?(?:\s*\d{4}(?:\s*[-–,]\s*\d{4})*,?)?)\s+)(?P<name>" + _FULL_NAME + r")"
    r"|(?P<addressed>" + _ADDRESSED_NAME + r")(?=\s*[<(][\w.+-]+@)"
)
EMAIL_ADDRESS = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A name after the role it is given, as an apposition: "Bash maintainer Chet Ramey", "the
# project's author (and BDFL) Jane Doe".
_ROLE_NAME = re.compile(
    rf"\b{PERSON_NOUN}\s+(?:\([^()]{{0,30}}\)\s+)?(?P<name>{_FULL_NAME})\b(?!\s+[A-Z])"
    # "Japan's special envoy for the Mekong, Hiroshi Tanabe, attended", "the Mayor of Klaipeda,
    # Dalia Jurkiene."
    rf"|\b(?i:{PERSON_NOUN})(?:\s+(?:for|of|to|on|at)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+){{0,3}}?)?"
    rf",\s+(?P<apposed>{_FULL_NAME})\s*(?:[,;]|\.?\s*$)"
    # "The staff member who maintains the tide gauge network is Grace Obi."
    rf"|(?:\b{PERSON_NOUN}|\bwho\b)[^.;]*?\b(?:is|was)\s+(?P<told>{_FULL_NAME})\s*[.!]?\s*$"
)

# A person listed under the post they hold, as a field line: "- Head of Route Setting: Tomasz
# Wierzbicki", "Safeguarding lead: Dr Ana Ruiz".
_KEYED_PERSON = re.compile(
    r"^\W*(?:[\w'’&/-]+\s+){0,5}?"
    rf"(?i:{PERSON_NOUN}|heads?(?=\s+of\b|\s*[:|]|\s+(?-i:[A-Z])[\w-]*\s*[:|])|managers?|leads?"
    r"|captains?|coach(?:es)?|instructors?"
    r"|supervisors?|owners?|contacts?|organi[sz]ers?|curators?|wardens?|clerks?|principal"
    r"|headteacher|trustees?|nurses?|doctors?|convenors?|conveners?|representatives?)"
    # keyed by a colon, or by a two-column table's cell: "Head Lifeguard | Marcus Bell"
    r"(?:\s+[\w'’&/-]+){0,5}?(?:\s*\([^()]{0,30}\))?\s*[:|]\s*(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?"
    # a title of the trade in capitals may stand before the name: "Chief Arbiter: IA Margaret Osei"
    r"(?:[A-Z]{2,3}\s+)?"
    rf"(?P<keyed>{_FULL_NAME})\b"
    # not a post the key gives instead: "Owner: Club Welfare and Safety Officer"
    rf"(?!\s+(?:and|&)\s+[A-Z]|\s+(?i:{PERSON_NOUN})\b)"
)
# Someone a relative clause says "who" of: "Thanks to Femi Adebayo, who joined as co-maintainer",
# "Ines Vasquez, who reported it" (not a body's name: "the Parish Council, who").
_WHO_CLAUSE = re.compile(rf"(?P<who>{_FULL_NAME}),?\s+who\b")
# A person in a record's field keyed by who they are, as a spreadsheet's row is read
# ("contact_name: Angela Fairbairn; contact_role: Depot Manager"; not "site_name: Quay Depot").
_FIELD_PERSON = re.compile(
    rf"(?:^|;\s*)(?i:(?:[a-z]+_)?(?:{PERSON_NOUN}|contacts?|owners?|leads?|assignees?|staff"
    r"|supervisors?|managers?)"
    rf"(?:_names?)?)\s*:\s*(?P<field>{_FULL_NAME})\b"
    rf"(?!\s+(?:and|&)\s+[A-Z]|\s+(?i:{PERSON_NOUN})\b)"
)
# A staff list's record names its person under a bare "name" key, beside a post or an address
# to reach them: "name: Lewis Carrick; job_title: Branch Manager; ...".
_NAMED_IN_A_STAFF_RECORD = re.compile(
    rf"(?:^|;\s*)(?i:name|full_name|staff_name)\s*:\s*(?P<staffed>{_FULL_NAME})\b"
    r"(?=[^\n]*;\s*(?i:job_title|job|role|position|post|title|email|e-mail)\s*:)"
)
# Someone named before the post they hold: "Lena Brückner, Head of Customer Relations", "Jonas
# Meyer-Olsen, Security Engineer".
_NAME_BEFORE_POST = re.compile(
    rf"(?P<posted>{_FULL_NAME}),\s+(?:(?:Head|Lead|Chief)\s+of\b"
    rf"|(?:[A-Z][\w'’-]*\s+){{0,3}}?(?=[A-Z])(?i:{PERSON_NOUN})\b)"
)
# Words a heading's capitalised words often are, and a name's seldom: "Annual Report Editor",
# "New Head Coach" name no one.
_NOT_A_NAME = (
    r"(?:Annual|New|Next|Our|Your|The|This|Meet|About|Contact|Senior|Junior|Assistant|Deputy"
    r"|Acting|Interim|Head|Chief|General|Former|Current|Previous|Lead|Team|Club|Office|Staff"
    r"|Key|Main|Local|Project|Programme|Program|Course|Event|Research|Technical|Health|Safety"
    r"|Finance|Press|Media|Steps|Step|Role|Roles|Job|Vacancy|Volunteer|Guest|Site|Centre|Center"
    rf"|{PERSON_NOUN})\b"
)
# A post, up to two capitalised words before its noun: "Centre Manager", "Chair".
_POST = rf"(?:[A-Z][\w'’-]*\s+){{0,2}}?(?=[A-Z])(?i:{PERSON_NOUN})\b"
# A line of a list of those present, a name and then its post, with no mark between or as a
# table's cells: "Janet Okoro Chair (user representative)", "Oliver Grant | Centre Manager".
_LINED_BEFORE_POST = re.compile(
    rf"^[ \t]*(?:[-*•]\s+)?(?P<lined>(?!{_NOT_A_NAME})[A-ZÀ-ÖØ-Þ]{_LOWER}+(?:\s+(?!{_NOT_A_NAME})"
    rf"[A-ZÀ-ÖØ-Þ]{_LOWER}+(?:-[A-ZÀ-ÖØ-Þ]{_LOWER}+)?){{1,2}}?)\s+(?:\|\s+)?(?={_POST})",
    re.M,
)
# Someone named as the holder of a post, or with the post in brackets after the name: "The Fedora
# packager is Camille Ortiz", "Revive's project lead is Carys Adeyemi", "speak to Helen
# Ashworth-Reid (Manager)".
_POST_IS_NAME = re.compile(
    rf"\b(?i:{PERSON_NOUN}|lead|head|packager|contact)\s+(?:is|was|will be|has been)\s+"
    rf"(?P<holder>{_FULL_NAME})\b"
)
_NAME_POST_AFTER = re.compile(
    rf"(?P<bracketed>{_FULL_NAME})\s+\((?:[\w'’-]+\s+){{0,3}}(?i:{PERSON_NOUN})\)"
)
# A post right after a name: " Centre Manager".
POST_AHEAD = re.compile(rf"\s+{_POST}")
# A list's item telling what someone did, its name first: "- Ana Ferreira won the Best Poster
# Prize", "- Rui Tanaka and Jakub Nowak joined the group".
_LISTED_DOER = re.compile(
    rf"^[ \t]*[-*•][ \t]+(?P<doer>(?!{_NOT_A_NAME}){_FULL_NAME})(?:\s+and\s+{_FULL_NAME})?\s+"
    r"(?:won|received|gave|joined|left|completed|published|presented|led|chaired|organised"
    r"|organized|spoke|moved|retired|started|became|was\s+(?:awarded|appointed|elected|named)"
    r"|were\s+(?:awarded|appointed|elected|named))\b",
    re.M,
)
# A list of people by what they do: "- Marguerite Okafor (@mokafor) — lead maintainer".
_LISTED_PERSON = re.compile(
    rf"^\W*(?P<listed>{_FULL_NAME})(?:\s+\(@[\w.-]+\))?\s+[—–-]{{1,2}}\s+[a-z]", re.M
)
# Untitled people as an article's byline or its note on the authors names them: "Lee Jaehyon and
# Ko Youngkyung elaborate how ...", "Ko Youngkyung is Research Professor at ...".
_AUTHORS = re.compile(
    rf"^(?P<names>{_FULL_NAME}(?:(?:,\s*|,?\s+and\s+){_FULL_NAME})*)\s+(?:"
    r"(?:elaborates?|writes?|wrote|argues?|argued|explains?|explained|examines?|examined"
    r"|discuss(?:es)?|discussed|analy[sz]es?|analy[sz]ed|assess(?:es)?|assessed|outlines?"
    r"|outlined|reflects?|reflected|looks?|looked)\b"
    rf"|(?:is|was)\s+(?:an?\s+|the\s+|our\s+|their\s+|its\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"(?i:{PERSON_NOUN}|fellows?)\b)"
)


def person_spans(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` names a person, or gives an e-mail address to write to ("Who do I write
    to ...?"): (start, end) each, in order."""
    titled = [m.span() for m in _PERSON.finditer(sentence)]
    placed = [
        m.span(m.lastgroup or 0)
        for m in _NAMED_PERSON.finditer(sentence)
        if not COUNTRY.search(m.group(m.lastgroup or 0))  # "by South Korea" is no person
    ]
    placed += [m.span(m.lastgroup or "name") for m in _ROLE_NAME.finditer(sentence)]
    placed += [m.span("keyed") for m in _KEYED_PERSON.finditer(sentence)]
    placed += [m.span("listed") for m in _LISTED_PERSON.finditer(sentence)]
    placed += [m.span("posted") for m in _NAME_BEFORE_POST.finditer(sentence)]
    placed += [m.span("lined") for m in _LINED_BEFORE_POST.finditer(sentence)]
    placed += [
        m.span("holder")
        for m in _POST_IS_NAME.finditer(sentence)
        # "The manufacturer is Brackenfold Heat Pumps Ltd" names a body
        if not _ORGANISATION_WORD.search(sentence, m.start("holder"), m.end("holder") + 24)
    ]
    placed += [m.span("bracketed") for m in _NAME_POST_AFTER.finditer(sentence)]
    placed += [m.span("doer") for m in _LISTED_DOER.finditer(sentence)]
    placed += [m.span("field") for m in _FIELD_PERSON.finditer(sentence)]
    placed += given_name_spans(sentence)
    placed += [m.span("staffed") for m in _NAMED_IN_A_STAFF_RECORD.finditer(sentence)]
    placed += [
        m.span("who")
        for m in _WHO_CLAUSE.finditer(sentence)
        if not _ORGANISATION_WORD.search(m.group("who")) and not COUNTRY.search(m.group("who"))
    ]
    placed += [
        (m.start() + n.start(), m.start() + n.end())
        for m in _AUTHORS.finditer(sentence)
        for n in re.finditer(_FULL_NAME, m.group("names"))
    ]
    return sorted({*titled, *placed, *(m.span() for m in EMAIL_ADDRESS.finditer(sentence))})


# A given name, capitalised, before a surname (and perhaps an initial): "Ruth Okonjo", "Dev
# Raman", "Margaret A. Ellison".
_GIVEN_THEN_SURNAME = re.compile(
    rf"\b(?P<given>[A-Z][a-z]+)(?:\s+[A-Z]\.)?\s+(?P<surname>{_SURNAME}(?:-{_SURNAME})?)\b"
    r"(?!\s+[A-Z][a-z])"  # not a longer run of capitals: a title or a body's name
)
_POST_WORD_WHOLE = re.compile(rf"(?i:{PERSON_NOUN}|head|lead|chief|deputy|assistant)s?")
_CAPITAL_BEFORE = re.compile(r"\b[A-Z][\w'’-]*\s+$")
_MONTH_OR_DAY = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$"
)


def given_name_spans(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` names a person by a known given name and a surname, untitled and
    anywhere ("the winner, Ruth Okonjo, ..."), but not a site ("Grace Hall") nor a date."""
    spans = []
    for m in _GIVEN_THEN_SURNAME.finditer(sentence):
        given, surname = m.group("given"), m.group("surname")
        if (
            given in given_names()
            and not _MONTH_OR_DAY.match(given)
            and not _MONTH_OR_DAY.match(surname)
            and not is_site(surname)
            and not _ORGANISATION_WORD.search(surname)
            and not _POST_WORD_WHOLE.fullmatch(surname)  # "Branch Manager" is a post
            and (m.start() == 0 or sentence[m.start() - 1] not in "-/")
            # the start of the name, not its middle: "Lee Jae Myung", "Pham Minh Chinh"
            and not _CAPITAL_BEFORE.search(sentence, max(0, m.start() - 30), m.start())
        ):
            spans.append(m.span())
    return spans


# The word that makes a run of capitalised words an organisation's name: "the Unicode
# Consortium", "Swiss Association for Standardization", "SIL International".
_ORGANISATION_WORD = re.compile(
    r"(?:Consortium|Association|Agency|Foundation|Institute|Institution|Organi[sz]ation|Council"
    r"|Committee|University|College|Society|Ministry|Commission|Cent(?:re|er)|Corporation"
    r"|Company|Bureau|Federation|Union|Alliance|Academy|Authority|Secretariat|International"
    r"|Project|Group|Team|Inc|Ltd|GmbH|Office|Department|Service|Board|Administration|Agencies)"
)
# Capitalised words, joined by the small words names keep inside ("Ministry of Foreign Affairs
# and Trade").
_CAPITALISED_RUN = re.compile(
    r"\b[A-Z][\w&'’-]*(?:\s+(?:(?:of|for|on|the)\s+|(?:and|&)\s+(?!the\b))*[A-Z][\w&'’-]*)*"
)


# What a question names when it asks for a person, not a body: "Who was the Secretary-General",
# "Which Debian developer", "Who is the author of ...".
_ASKS_PERSON_ROLE = re.compile(
    rf"\b{PERSON_NOUN}\b|\b(secretary|head|chief|king|queen|sultan|premier|governor|mayor"
    r"|envoy|editor|writer|translator|manager|supervisor|representative|spokesman|spokeswoman)\b"
    # a sign-off is a person's: "Who signed off the safety rules?" is not answered by the centre
    # (an agreement is signed by its parties)
    r"|\b(?:sign(?:s|ed|ing)?\s+off|sign-off|signoff|countersign\w*)\b",
    re.I,
)


def organisation_may_answer(question: str) -> bool:
    """Whether an organisation's name answers a question asking "who": "Who maintains the
    standard?" may be answered by "the Unicode Consortium", "Who was the Secretary-General?"
    only by a person."""
    return asks(_ASKS_PERSON_ROLE, question) is None


def organisation_spans(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` names an organisation: two or more capitalised words, one of them a word
    organisations are called by (`_ORGANISATION_WORD`), without a leading "The". "Who maintains
    the standard?" is answered by "the Unicode Consortium" as much as by a person."""
    spans = []
    for m in _CAPITALISED_RUN.finditer(sentence):
        start, end = m.span()
        if sentence.startswith("The ", start):
            start += 4
        words = sentence[start:end].split()
        capitalised = [w for w in words if w[:1].isupper()]
        if len(capitalised) >= 2 and any(_ORGANISATION_WORD.fullmatch(w) for w in words):
            spans.append((start, end))
    return spans


def _names_of(kind: str, sentence: str, question: str = "") -> list[str]:
    """The persons (or organisations) or places (`kind`) a sentence names, as text."""
    cells = name_cells(question, sentence)  # a table gives names bare: "| Sally Mbeki |"
    if kind == "person":
        persons = {*person_spans(sentence), *person_cells(question, sentence, cells)}
        spans = who_answers(question, sentence, sorted(persons))
    else:
        spans = sorted({*place_spans(sentence), *cells, *institution_spans(question, sentence)})
        spans = of_the_room_asked(question, sentence, spans)
    return [sentence[a:b] for a, b in spans]


# "Which room are the meetings held in?" asks for a room, one level finer than the building:
# "Room F.215", "the Blue Room", not "Hollin Works, 27 Cardigan Road".
_ROOM_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+)?(?P<room>room|hall|suite|studio|lab|laboratory|floor"
    r"|lane|platform|gate|court|pitch|ward|bay|berth|stand)\b",
    re.I,
)


def of_the_room_asked(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of the places at `spans` in `sentence`, those naming the kind of room `question` asks
    for (`_ROOM_ASKED`); all of them when it asks for none."""
    asked = asks(_ROOM_ASKED, asking_clause(question))
    if asked is None:
        return spans
    room = asked.group("room").lower()
    # a room may be a lab, a suite or a hall by name ("Lab 3B" for "which room")
    kinds = _ROOM_WORDS if room == "room" else re.compile(rf"\b{room}\b", re.I)
    return [(a, b) for a, b in spans if kinds.search(sentence, a, b)]


_ROOM_WORDS = re.compile(
    r"\b(?:room|rm|hall|suite|studio|lab|laboratory|theatre|theater|lounge|chamber|office"
    r"|library|classroom|gym|kitchen)\b",
    re.I,
)


# "Where did Dr Marsh do her vet degree?", "Where was Lin Zhou working before?": a place asked of
# someone's studies or work is answered by the body they were at ("University of Bristol"), in a
# sentence telling the same of it ("Qualified: University of Bristol, 2004"; not "a fellow at
# the Asan Institute" for where he took his PhD).
_STUDIES = re.compile(
    r"\b(?:stud(?:y|ies|ied|ying)|train(?:s|ed|ing)?|qualif\w*|graduat\w*|degrees?|doctorate"
    r"|phd|ph\.d|dphil|b\.?sc|m\.?sc|b\.?a|m\.?a|mba|diploma|alumn\w*|educated)\b",
    re.I,
)
_WORK = re.compile(
    r"\b(?:work(?:s|ed|ing)?|employ\w*|jobs?|posts?|positions?|postdoc\w*|lectur\w*|teach\w*"
    r"|taught|joined|previously|formerly|before)\b",
    re.I,
)


@lru_cache(maxsize=1024)  # read for each judged sentence of the same question
def _activity_asked(question: str) -> re.Pattern[str] | None:
    """What a "where" `question` asks someone did there: studies, work, or neither (None)."""
    asked = asking_clause(question)
    if _WHERE.search(asked) is None:
        return None
    return next((activity for activity in (_STUDIES, _WORK) if activity.search(asked)), None)


_WHERE = re.compile(r"\bwhere\b", re.I)


def institution_spans(question: str, sentence: str) -> list[tuple[int, int]]:
    """The bodies (organisation_spans) that answer a question asking where someone studied or
    worked, in a sentence telling that of them; none for any other question."""
    activity = _activity_asked(question)
    if activity is None:
        return []
    bodies = organisation_spans(sentence)
    told = sentence  # the words outside the bodies' names ("Asan Institute for Policy Studies")
    for a, b in bodies:
        told = told[:a] + " " * (b - a) + told[b:]
    return bodies if activity.search(told) else []


def person_cells(
    question: str, sentence: str, cells: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of a table's cells naming something bare (rows.name_cells), those that may name the
    person a "who" `question` asks: not a site ("| St Aldhelm's Church |" is where, not who),
    nor a body when only a person answers ("Who is the manager at Caldermouth Depot?" is not
    answered by "| Caldermouth Depot Lost Property Office |")."""
    bodies_answer = organisation_may_answer(question)
    kept = [
        (a, b)
        for a, b in cells
        if not is_site(sentence[a:b])
        and (bodies_answer or _ORGANISATION_NAME.search(sentence, a, b) is None)
        and not _THING_CELL.match(sentence, a, b)
    ]
    # a post's cell is not who holds it: "| Head of Environmental Services |"
    return [(a, b) for a, b in kept if _POST_CELL.search(sentence, a, b) is None] or [
        (a, b) for a, b in kept if not _POST_CELL.fullmatch(sentence, a, b)
    ]


# A cell naming a thing, not whoever it is for: "| The Pennington Cup |", "| Junior Shield |".
_THING_CELL = re.compile(
    r"The\s|[^|]*\b(?:Cup|Trophy|Shield|Award|Prize|Medal|Plate|Bowl|Salver|Rosette|Challenge)\b"
)
_POST_CELL = re.compile(rf"\b(?:Head|Chief|Lead)\s+of\b|\b(?i:{PERSON_NOUN})s?\b")


_ORGANISATION_NAME = re.compile(rf"\b{_ORGANISATION_WORD.pattern}\b")


def who_answers(
    question: str, sentence: str, persons: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of `persons` (spans in `sentence`), those that answer a "who" `question`, with the
    organisations that may (`organisation_may_answer`), in order: an e-mail address only when
    it asks whom to write to (`asks_contact`)."""
    spans = (
        persons
        if asks_contact(question)
        else [s for s in persons if "@" not in sentence[s[0] + 1 : s[1]]]  # "@handle" is one
    )
    asks_body = asks_organisation(question)
    if asks_body and not asks(_ASKS_PERSON, asking_clause(question)):
        spans = []  # "Which company did the minister visit?" is not answered by its chairman
    if asks_body or organisation_may_answer(question):
        spans = sorted(
            spans
            + [
                (a, b)
                for a, b in [*organisation_spans(sentence), *_contacted(sentence)]
                if not any(a < y and x < b for x, y in spans)
                and not (
                    not asks_body and _PLACED_AT.search(sentence, max(0, a - 12), a) is not None
                )
            ]
        )
    if asks_body:
        spans = _of_the_kind_asked(question, sentence, spans) or _acronyms(question, sentence)
    return spans


# Whom to get in touch with, named before the number or the address to reach them on: "Please
# contact Ridgeway Farm & Equine Vets on 01869 341 200".
_CONTACTED = re.compile(
    r"\b(?i:contact|call|ring|phone|telephone|speak to|talk to|write to|e-?mail)\s+"
    r"(?P<contacted>[A-Z][\w&'’.-]*(?:\s+(?:[A-Z][\w&'’.-]*|&|and|of|the|for)){0,6})"
    r"\s+(?:on|at|via)\s+(?=[\d+(]|[\w.+-]+@)"
)


def _contacted(sentence: str) -> list[tuple[int, int]]:
    return [m.span("contacted") for m in _CONTACTED.finditer(sentence)]


# A body named where something is ("the planned closures at Harwick Leisure Centre") is the
# place, not who did it: "Who issued the closures notice?" is not answered by it.
_PLACED_AT = re.compile(r"\b(?:at|in)\s+(?:the\s+)?$")


# Where a thing, a body or a person is: "Where is the Student Income Office?", "Where is Yuki
# Hamada based?", "the address of the depot"; not where it is kept or held, nor an address one
# writes to ("e-mail address", "web address").
ASKS_LOCATION = re.compile(
    # not a question asking how to reach it ("the e-mail address of the librarian based at ...")
    r"^(?![^?]*\b(?:e-?mail\w*|mail\w*|phone\w*|telephone|call|ring|write|send|sent|subscribe"
    r"|web|website|site|url|ip|mac|lists?|reach\w*|contact\w*)\b)"
    r"(?:\s*where\s+(?:exactly\s+)?(?:is|are|was|were)\b"
    r"(?![^?]*\b(?:\w+ed|kept|found|held|written|built|run|shown|seen|given|taken|made|done"
    r"|put|set|read|stored|saved|logged)\b)"
    r"|[^?]*\b(?:located|based|situated|address)\b)",
    re.I,
)


def located(question: str, sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` without e-mail addresses and telephone numbers when `question` asks where
    something is (ASKS_LOCATION): a mailbox or a number to ring is no place; with the postal
    addresses the sentence gives in place of the names inside them ("Unit 4, Brackley Road,
    Kingsford OX27 4HN"), unless a kind of place is asked ("in which city ...?")."""
    if not asks(ASKS_LOCATION, asking_clause(question)):
        return spans
    off_site = {m.span() for m in EMAIL_ADDRESS.finditer(sentence)} | set(phone_spans(sentence))
    spans = [(a, b) for a, b in spans if not any(x <= a and b <= y for x, y in off_site)]
    if asks(_ASKS_PLACE_KIND, question):
        return spans
    postal = postal_address_spans(sentence)
    return sorted(
        [(a, b) for a, b in spans if not any(x <= a and b <= y for x, y in postal)] + postal
    )


_ASKS_PLACE_KIND = re.compile(
    r"\b(?:which|what)\s+(?:city|town|village|country|county|state|region|province|district)\b",
    re.I,
)


# A body called by its acronym alone ("ASEANAPOL", "the IETF"), not a state ("the ROK").
_ACRONYM = re.compile(r"\b(?!(?:ROK|DPRK|USA|PRC|UAE|ROC|PDR|SRV)\b)[A-Z][A-Z&]{2,11}\b")


def _acronyms(question: str, sentence: str) -> list[tuple[int, int]]:
    """The acronyms of `sentence` that `question` does not use: what answers "Which
    organisation ...?" when no body is named in full."""
    asked = question.lower()
    return [m.span() for m in _ACRONYM.finditer(sentence) if m.group(0).lower() not in asked]


def _of_the_kind_asked(
    question: str, sentence: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Of the names at `spans`, those of the kind of body asked for, if any: "Which university
    ...?" is answered by "Yonsei University", not by "the Graduate School of International
    Studies" beside it; "Which ministry" by a Ministry."""
    named = [(a, b) for a, b in spans if names_the_body_kind_asked(question, sentence[a:b])]
    return named or spans


def names_the_body_kind_asked(question: str, name: str) -> bool:
    """Whether `name` is of the kind of body `question` asks for by its kind's word ("Yonsei
    University" for "Which university"); true when it asks for no such kind, or for any body
    ("Which organisation")."""
    asked = asks(_ASKS_ORGANISATION, asking_clause(question))
    if asked is None or asked.group("kind").lower().startswith(("organi", "bod")):
        return True
    return asked.group("kind").lower()[:5] in name.lower()  # "ministries" -> "minis"


# "Who is the (official) maintenance agency for ISO 4217?"
_WHO_IS_ORGANISATION = re.compile(
    # not a body's post: "Who is the association's treasurer?"
    rf"^\s*who\s+(is|are|was|were)\s+(the\s+)?((?!of\b)\w+\s+){{0,3}}?{ORGANISATION_NOUN}\b"
    r"(?!['’]s?\b)",
    re.I,
)


@lru_cache(maxsize=1024)  # asked for each judged passage and sentence of a question
def asks_organisation(question: str) -> bool:
    """Whether `question` asks for a body by name ("Which agency", "Who is the committee")."""
    asking = asking_clause(question)
    return bool(asks(_ASKS_ORGANISATION, asking) or asks(_WHO_IS_ORGANISATION, asking))


@lru_cache(maxsize=1024)  # asked for each judged passage and sentence of a question
def named_too_loosely(question: str) -> bool:
    """Whether `question` asks for a body and not a person ("Which agency signed ...?", not
    "Which minister ...?"), or for a file or an address and not a place ("In which file ...?",
    not "Where ...?"). Bodies and files go by names no pattern reads whole (an acronym, "the
    secretariat"; "debian/rules", "README"): enough to quote one as the short answer when
    found, not to deny an answer for want of one (abstain.py)."""
    asking = asking_clause(question)
    body = asks_organisation(question) and not asks(_ASKS_PERSON, asking)
    # an e-mail or web address has one form, and is refused for want of it
    file = (
        asks(_ASKS_FILE, asking) is not None
        and not asks(_ASKS_PLACE, asking)
        and not asks(ASKS_EMAIL, question)
        and not asks(ASKS_URL, question)
    )
    kind = asked_type(question)
    # options, settings and variables go by many spellings ("max_connections", "/S", "Dark
    # mode"); an environment variable's is its own
    code = kind == "code" and not asks(_ASKS_ENVIRONMENT, question)
    # a software licence is named; "which licence do I need to export ..." asks for a permit
    licence = kind == "licence" and not asks(_ASKS_SOFTWARE_LICENCE, question)
    return body or file or code or licence


_ASKS_SOFTWARE_LICENCE = re.compile(
    r"\b(?:distributed|redistributed|released|licen[cs]ed|published)\b|\b(?:source )?code\b"
    r"|\b(?:software|program|package|library|project|data|font|manual|documentation)s?\b",
    re.I,
)


def _capitalised(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\b[A-Z][\w'’-]*", text)}


# A "who" question an e-mail address answers: whom to write to, not who wrote or runs something.
_ASKS_CONTACT = re.compile(
    r"\b(write|writes|mail|e-?mail|send|contact|reach|report|notify|ask|subscribe|complain|tell)\b",
    re.I,
)


def asks_contact(question: str) -> bool:
    """Whether a "who" question asks whom to write to, which an e-mail address answers."""
    return asks(_ASKS_CONTACT, question) is not None


# "How often" asks for a frequency, which a bare number does not tell ("cron (3.0pl1-74)"):
# "four times a day", "twice a year", "every 6 hours", "every other week", "daily", "bi-monthly".
ASKS_FREQUENCY = re.compile(
    r"\bhow (often|frequently)\b|\bhow many times (a|an|per|each|every)\b", re.I
)
_PERIOD_UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade)s?"
FREQUENCY = re.compile(
    rf"\b(?:(?:once|twice|thrice|[\w-]+ times)\s+(?:a|an|per|each|every)\s+(?:\w+\s+)?"
    rf"{_PERIOD_UNIT}|every\s+(?:(?:[\d.]+|\w+|other)\s+)?{_PERIOD_UNIT}"
    r"|(?:hourly|daily|nightly|weekly|fortnightly|monthly|quarterly|yearly|annually|biennially"
    r"|bi-?(?:weekly|monthly|annually)|semi-?annually))\b",
    re.I,
)


# "Over what period ...?" is answered by the dates it runs between ("2024-2029") or by how long
# it lasts ("over 10 years", "one month").
ASKS_PERIOD = re.compile(r"\b(what|which) (time )?(period|span)\b", re.I)
# "When will he get the link?", "When do I have to reply?": what is to come may be told relative
# to something else ("30 minutes beforehand", "within 14 days"); what happened (when was, did)
# is told by a date.
_ASKS_RELATIVE = re.compile(
    r"^\s*when\s+(?:will|would|do|does|should|can|could|must|shall|is|are)\b", re.I
)
RELATIVE_TIME = re.compile(
    rf"\b(?:\d+|an?|{NUMBER_IN_WORDS}|a few|several)[- ](?:working |business |calendar )?"
    # a gloss may stand between: "6 weeks (42 days) before arrival"
    r"(?:minutes?|hours?|days?|weeks?|months?)(?:\s+\([^()]{1,20}\))?"
    r"\s+(?:before(?:hand)?|after(?:wards)?|in advance"
    r"|prior to|ahead of|earlier|later|from)\b"
    rf"|\bwithin\s+(?:\d+|an?|{NUMBER_IN_WORDS})[- ](?:working |business |calendar )?"
    r"(?:minutes?|hours?|days?|weeks?|months?)\b",
    re.I,
)


def asks_relative_time(question: str) -> bool:
    """Whether `question` asks when something is to come, which a relative time may tell."""
    return asks(_ASKS_RELATIVE, asking_clause(question)) is not None


DURATION = re.compile(
    rf"\b(?:\d+(?:\.\d+)?|{NUMBER_IN_WORDS}|several|a few)[- ]"
    r"(?:years?|months?|weeks?|days?|hours?|decades?)\b",
    re.I,
)


def code_spans(question: str, sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` names what `question` asks for in the code's spelling: a variable for
    "which variable", an option for "which option" (either for a question asking both)."""
    spans = code_names(
        sentence,
        variables=asks(_ASKS_VARIABLE, question) is not None,
        options=asks(_ASKS_OPTION, question) is not None,
    )
    if asks(_ASKS_ENVIRONMENT, question):  # written in capitals: not a default's "node_modules"
        spans = [(a, b) for a, b in spans if _ENVIRONMENT_NAME.fullmatch(sentence, a, b)] or spans
    return spans


def holds_type(sentence: str, kind: str, question: str = "") -> bool:
    """Whether `sentence` holds a value of `kind`. A person or a place counts only when the
    question does not name it already: "Korea" does not answer "Which country did
    Korea ...?"."""
    if kind == "date":
        period = asks(ASKS_PERIOD, question) is not None and DURATION.search(sentence) is not None
        relative = asks_relative_time(question) and RELATIVE_TIME.search(sentence) is not None
        recurring = (
            asks(ASKS_RECURRING, asking_clause(question)) is not None
            and WEEKDAY.search(sentence) is not None
        )
        return bool(
            recurring
            or _YEAR.search(sentence)
            or _EARLY_YEAR.search(sentence)
            or _MONTH.search(sentence)
            or _CLOCK.search(sentence)
            or period
            or relative
        )
    if kind == "quantity" and asks(ASKS_FREQUENCY, question):
        return FREQUENCY.search(sentence) is not None
    if kind == "quantity":
        return bool(_QUANTITY.search(_NOT_QUANTITY.sub(" ", sentence)))
    if kind == "money":
        return bool(
            _MONEY.search(sentence)
            or KEYED_AMOUNT.search(sentence)
            or charged_as_a_share(question, sentence)
        )
    if kind == "rank":
        return bool(RANK.search(sentence))
    if kind == "licence":
        return any(
            sentence[a:b].lower() not in question.lower() for a, b in licence_spans(sentence)
        )
    if kind == "code":
        return any(sentence[a:b] not in question for a, b in code_spans(question, sentence))
    if kind == "specific":
        return answers_specifically(question, sentence)
    addresses = (
        located(
            question,
            sentence,
            [*address_spans(sentence), *phone_spans(sentence), *postal_address_spans(sentence)],
        )
        if kind == "place"
        else [m.span() for m in EMAIL_ADDRESS.finditer(sentence)]
        if kind == "person" and asks_contact(question)
        else []
    )
    if any(sentence[a:b].lower() not in question.lower() for a, b in addresses):
        return True
    whereabouts = kind == "place" and asks(ASKS_WHEREABOUTS, asking_clause(question))
    if whereabouts and any(
        sentence[a:b].lower() not in question.lower() for a, b in spot_spans(sentence)
    ):
        return True
    if kind in ("person", "place"):
        named = _capitalised(question)
        return any(
            _capitalised(name) - named
            or (name.startswith("@") and name.lower() not in question.lower())  # a handle
            for name in _names_of(kind, sentence, question)
        )
    return True


@lru_cache(maxsize=16384)  # the same sentences come back question after question
def years(text: str) -> frozenset[str]:
    return frozenset(_YEAR.findall(text))


_PERIOD = re.compile(r"\b(1[89]\d\d|20\d\d)\s*(?:[-–—/]|to|until|through)\s*(1[89]\d\d|20\d\d)\b")


# A year that ends in another month than December runs over two, named by its first as a
# question names "2023-24": "the year ended 31 March 2024" is 2023's too.
_YEAR_ENDED = re.compile(
    r"\byear\s+(?:ended|ending|to)\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:January|February|March"
    r"|April|May|June|July|August|September|October|November)\s+((?:19|20)\d\d)\b",
    re.I,
)


@lru_cache(maxsize=16384)  # the same sentences come back question after question
def dated(text: str) -> frozenset[str]:
    """The years and periods `text` names, a period as one ("2015-2025"): "in 2015" is not
    answered by a sentence about the period 2015-2025, nor "in 2016-2020" by one about 2016."""
    periods = {f"{a}-{b}" for a, b in _PERIOD.findall(text)}
    if "ear " in text:  # cheap: most texts end no year
        periods |= {str(int(year) - 1) for year in _YEAR_ENDED.findall(text)}
    return frozenset(periods | years(_PERIOD.sub(" ", text)))
