"""Where a sentence names a place: a country or territory, a town after a preposition or before
its country, a street address, a building or a site, a web or e-mail address, a file path, a
number to call. Plain regular expressions over English text, read for every candidate sentence
of a question asking "where", "which city", "which country" or for an address.
"""

from __future__ import annotations

import re
from functools import lru_cache

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)

# The world's sovereign states (short English names, with the spellings UN and ASEAN texts use).
COUNTRIES = (
    "Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|Australia"
    "|Austria|Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan"
    "|Bolivia|Bosnia and Herzegovina|Botswana|Brazil|Brunei(?: Darussalam)?|Bulgaria"
    "|Burkina Faso|Burundi|Cabo Verde|Cape Verde|Cambodia|Cameroon|Canada"
    "|Central African Republic|Chad|Chile|China|Colombia|Comoros|Congo|Costa Rica"
    "|Côte d'Ivoire|Croatia|Cuba|Cyprus|Czechia|Czech Republic|Denmark|Djibouti|Dominica"
    "|Dominican Republic|Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|Eswatini"
    "|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala"
    "|Guinea|Guinea-Bissau|Guyana|Haiti|Holy See|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq"
    "|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|Korea|Kuwait"
    "|Kyrgyzstan|Lao PDR|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania"
    "|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Marshall Islands|Mauritania"
    "|Mauritius|Mexico|Micronesia|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar"
    "|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|North Macedonia"
    "|Norway|Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines"
    "|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Saint Kitts and Nevis|Saint Lucia"
    "|Saint Vincent and the Grenadines|Samoa|San Marino|Sao Tome and Principe|Saudi Arabia"
    "|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Solomon Islands"
    "|Somalia|South Africa|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria"
    "|Tajikistan|Tanzania|Thailand|Timor-Leste|Togo|Tonga|Trinidad and Tobago|Tunisia|Turkey"
    "|Türkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|United Kingdom"
    "|United States|Uruguay|Uzbekistan|Vanuatu|Venezuela|Viet ?Nam|Yemen|Zambia|Zimbabwe"
    # and the territories ISO 3166-1 lists as countries of their own
    "|[ÅA]land Islands|American Samoa|Anguilla|Antarctica|Aruba|Bermuda|Bonaire|Bouvet Island"
    "|British Indian Ocean Territory|Virgin Islands|Cayman Islands|Christmas Island|Cocos Islands"
    "|Cook Islands|Cura[çc]ao|Falkland Islands|Faroe Islands|French Guiana|French Polynesia"
    "|French Southern Territories|Gibraltar|Greenland|Guadeloupe|Guam|Guernsey|Hong Kong"
    "|Isle of Man|Maca[ou]|Martinique|Mayotte|Montserrat|New Caledonia|Niue|Norfolk Island"
    "|Northern Mariana Islands|Pitcairn|Puerto Rico|R[ée]union|Saint Barth[ée]lemy|Saint Helena"
    "|Saint Martin|Saint Pierre and Miquelon|Sint Maarten|South Georgia|Svalbard|Taiwan|Tokelau"
    "|Turks and Caicos Islands|Wallis and Futuna|Western Sahara"
)
COUNTRIES_PATTERN = rf"\b(?:{COUNTRIES})\b"
COUNTRY = re.compile(rf"\b({COUNTRIES})\b")
# A place named after a preposition of place: "in Busan", "at Kuala Lumpur", "hosted by Jeju";
# a month ("in March") or an acronym ("in ASEAN", an organisation) is not one.
_PLACE_AFTER = re.compile(
    rf"\b([Ii]n|[Aa]t|[Ff]rom|hosted by|based in)\s+(?!(?:{MONTHS}|Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday|The|This|That|These|Those|Addition|Particular|Response|Order"
    r"|Line|Terms|Light|Fact|Total|Section|Chapter|Table|Figure|Appendix|Part|Step|Page|Example"
    r")\b)(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)"
)

# A town named before its country, after a comma or a preposition: ", Antwerp, Belgium".
_TOWN_BEFORE_COUNTRY = re.compile(
    rf"(?:[,:]|\b(?:in|at|from|near|to))\s+(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*),\s+(?:the\s+)?"
    rf"(?={COUNTRIES_PATTERN})"
)
# A street address: "14 Quay Street", "221B Baker St", "1600 Pennsylvania Avenue".
_STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Square"
    r"|Place|Way|Drive|Boulevard|Quay|Terrace|Parade|Row|Close|Court|Crescent|Hill|Green|Walk"
    r"|Mews|Grove|Rise|Gardens)\b"
)


def street_spans(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` gives a street address's number and street ("3 Tanners Row")."""
    return [m.span() for m in _STREET.finditer(sentence)]


# The town after a street address, past a floor or a suite: "51 Franklin Street, Fifth Floor,
# Boston, MA 02110-1301", "14 Quay Street, Suite 4, Galway".
_LOCALITY_AFTER_STREET = re.compile(
    r",\s*(?:(?:[\w-]+\s+(?:Floor|floor)|(?:Suite|Unit|Floor|Room|Flat|Apt\.?)\s+\w+),\s*)?"
    r"(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)\b"
)
# A building or a site by its name after "at the", "in the", "from the": "at the Ashcombe Health
# Centre", "in the Harbour Museum".
_FACILITY = re.compile(
    r"\b(?:[Aa]t|[Ii]n|[Ff]rom|[Tt]o)\s+the\s+(?P<name>(?:[A-Z][\w'’-]*\s+){1,3}(?:Centre|Center"
    r"|Hospital|Clinic|Library|Hall|Building|Station|Airport|Museum|Campus|Stadium|Theatre"
    r"|Theater|Market|Harbour|Harbor|Park|Square|Gallery|Arena|Terminal|Pier|Wharf|Room|Suite"
    r"|Lounge|Chamber))\b"
    # "Harbour car park", "Central bus station": a name before a kind of site in plain words
    r"|\b(?P<site>(?!(?:The|A|An|This|That|Its|Our|Their|Your|No|Each|Every)\b)"
    r"(?:[A-Z][\w'’-]*\s+){1,3}(?:car park|bus station|train station|railway station|bus stop"
    r"|coach station|ferry terminal|tram stop|tram station|metro station|tube station"
    r"|underground station))\b"
)
# A site by its name and its kind, without a preposition before it: "Piazza Unità d'Italia",
# "Rue de la Paix", "Dereham Road", "St Anne's Church Hall", "Central Station".
_NAMED_SITE = re.compile(
    r"\b(?:Piazza|Piazzale|Via|Viale|Corso|Largo|Rue|Boulevard|Plaza|Calle|Avenida|Praça|Platz)"
    r"(?:\s+(?:d['’]|de\s+|del\s+|della\s+|di\s+|du\s+|des\s+|la\s+|le\s+)?[A-ZÀ-Þ][\w'’-]*){1,4}"
    r"|\b(?!(?:The|A|An|This|That|Its|Our|Their|Your|No|Each|Every|In|At|On)\b)"
    r"(?:[A-ZÀ-Þ][\w'’.-]*\s+){1,3}(?:Street|Road|Square|Lane|Hall|Bridge|Station|Airport"
    r"|Harbour|Harbor|Pier|Quay|Gardens|Market|Centre|Center|Church|Chapel|Library|Museum"
    r"|Theatre|Theater|School|College|Stadium|Arena|Gallery|Hospital|Clinic|Pavilion|Ground"
    r"|Grounds|Park|Field|Fields|Green|Common)\b"
)
# The next of places listed after the preposition: "in Singapore, Hanoi, and Panmunjom".
_LISTED_PLACE = re.compile(
    r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)"
    r"(?=\s*(?:[,.;:)]|\s(?:and|or|in|on|at|during|since|until)\s|$))"
)


def is_street(name: str) -> bool:
    """Whether `name` is a street address ("51 Franklin Street"), not a town's name."""
    return _STREET.fullmatch(name.strip()) is not None


# The last word of a building's or a site's name: "St Aldhelm's Church", "Longmead Farm".
_SITE_WORD = re.compile(
    r"\b(?:Church|Chapel|Cathedral|Abbey|Hall|Centre|Center|Hospital|Clinic|Library|Building"
    r"|Station|Airport|Museum|Theatre|Theater|Park|Square|Street|Road|Lane|Avenue|Farm|School"
    r"|College|Stadium|Arena|Gallery|Market|Harbour|Harbor|Pier|Quay|Gardens|Field|Ground"
    r"|Bandstand|Pavilion|Marquee|Green|Common|Exchange|Room|Studio)$"
)


def is_site(name: str) -> bool:
    """Whether `name` names a building or a site by its kind ("St Aldhelm's Church")."""
    return _SITE_WORD.search(name.strip()) is not None


def is_country(name: str) -> bool:
    """Whether `name` is a country's name (COUNTRIES), not a city's or a region's."""
    return COUNTRY.fullmatch(name.strip()) is not None


# The suffixes that make a word a file's name; not ".com", ".org" (sites) nor one letter but ".h".
_FILE_SUFFIXES = (
    r"h|c|cc|cpp|hpp|py|pl|rb|sh|js|css|el|conf|cfg|ini|xml|json|ya?ml|toml|txt|md|rst|html?"
    r"|log|list|db|sqlite|gz|xz|bz2|zip|tar|tgz|deb|dsc|changes|cache|so|pc|rules|pem|key|asc"
    r"|pdf|csv|tsv|desktop|service|mime|diff|patch|lock|in|am|ac|mk|cmake"
)
# Where things are in manuals and READMEs: a web address, an e-mail address or a file path
# ("Where is the per-user configuration file?" -> "~/.config/fontconfig/fonts.conf").
# A web address without its scheme: "www.example.org/bugs", "lists.debian.org/debian-devel/".
# a country's domain too: "marlowvalewater.co.uk/meter-reading", "grants.halvorsen.no/apply"
DOMAIN_PATH = r"[\w-]+(?:\.[\w-]+)*\.(?:org|net|com|io|edu|gov|info|dev|app|int|[a-z]{2})/"
_ADDRESS = re.compile(
    r"\b(?:https?|ftp)://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]"
    r"|\bwww\.[\w-]+(?:\.[\w-]+)+(?:/[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])?/?"
    rf"|(?<![\w./@-]){DOMAIN_PATH}(?:[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])?/?"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    # a path, from the root, home, a variable or here ("$XDG_CACHE_HOME/fontconfig"); not the
    # tail of a placeholder's ("<MIME>/text/html.xml" names no file)
    r"|(?<![\w/>])(?:~|\$\w+|\$\{\w+\}|\.{1,2})?/(?:[\w.+-]+/)*[\w.+-]*[\w+-]/?(?![\w/])"
    # a path from a source tree's or a package's folder ("contrib/grafana", "debian/rules");
    # not "and/or", "read/write"
    r"|(?<![\w./@-])(?:contrib|src|lib|libs|doc|docs|etc|usr|var|opt|debian|bin|sbin|share"
    r"|include|tests?|scripts|tools|examples|config|conf|dist|build|packaging|deploy|data"
    r"|assets|static|templates)/[\w.+-]+(?:/[\w.+-]+)*/?(?<![.,;:])(?![\w/])"
    # a file named by its kind's suffix ("libtasn1.h", "fonts.conf", "70-no-bitmaps.conf")
    rf"|(?<![\w/.-])\.?[\w+-]+(?:\.[\w+-]+)*\.(?:{_FILE_SUFFIXES})(?![\w/-]|\.\w)"
    # a Windows path: a share's ("\\print01.local\Members"), a drive's or a variable's
    r"|(?:\\\\[\w.-]+|\b[A-Za-z]:|%\w+%)(?:\\[\w.$-]*[\w$-])+\\?"
    # a name the text calls a file or a folder, spelt as code is ("the Contents-i386 file", "the
    # public_html directory"); not a compound word ("the top-level directory")
    r"|(?<=\b[Tt]he )(?!\d+(?:st|nd|rd|th)\b)(?=[\w.+-]*_|[\w.+-]*\d)(?=[\w.+-]*[A-Za-z])"
    r"\w[\w.+-]*\w(?= (?:file|directory|folder|dir)s?\b)"
)


# A telephone number: seven to fifteen digits in groups, after a label ("Tel:", "call us on",
# "Fax") or written to be dialled from abroad ("+44 20 7946 0018"), with its area code in
# brackets ("(01632) 960 123") or with its trunk prefix (`_NATIONAL_NUMBER`).
_PHONE_NUMBER = re.compile(
    r"(?<![\w+.,/:-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,8}(?:[ .-]\d{1,8}){0,5}"
    r"(?![\w/]|[.,:-]\d)"
)
# What a number to call follows: its label, a qualifier in brackets and a few short words ("Phone
# (UK): ", "call us on ", "The billing hotline is ").
_PHONE_LABEL = re.compile(
    r"\b(?:tel|telephone|phone|phones|phoning|fax|mobile|cell|call|calling|ring|ringing|dial"
    r"|dialling|dialing|text|texting|sms|helpline|hotline|hotlines|whatsapp|line)\b\.?"
    r"(?:\s*\([^()\n]{1,24}\))?(?:\W{1,3}[A-Za-z]{1,6}){0,3}\W{1,3}$",
    re.I,
)


# A number written as dialled at home, its trunk "0" first, in groups: "01463 555 214",
# "0117 496 0831", "030 1234 5678", "01 23 45 67 89".
_NATIONAL_NUMBER = re.compile(r"0\d{1,4}(?:[ -]\d{2,4}){2,4}|0\d{3,4}[ -]\d{6,7}")  # "07700 900771"


@lru_cache(maxsize=16384)  # read for each candidate sentence of a place question
def phone_spans(sentence: str) -> tuple[tuple[int, int], ...]:
    """Where `sentence` gives a telephone number."""
    spans = []
    for m in _PHONE_NUMBER.finditer(sentence):
        digits = sum(c.isdigit() for c in m.group(0))
        if not 7 <= digits <= 15:
            continue
        labelled = _PHONE_LABEL.search(sentence, max(0, m.start() - 50), m.start())
        national = _NATIONAL_NUMBER.fullmatch(m.group(0)) and 10 <= digits <= 11
        if m.group(0)[0] in "+(" or labelled or national:
            spans.append(m.span())
    return tuple(spans)


def address_spans(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` gives a web or e-mail address or a file path (at least "/x")."""
    return list(_address_spans(sentence))


@lru_cache(maxsize=16384)  # the same sentences come back question after question
def _address_spans(sentence: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in _ADDRESS.finditer(sentence) if len(m.group(0)) > 2)


# A capitalised word (not the sentence's first) right before the preposition makes "in Goods"
# part of a title when a title's word ends the name: "the Trade in Goods Agreement", "Trafficking
# in Persons" name no place of their own; "the 47th ASEAN Summit in Kuala Lumpur" does.
_TITLE_BEFORE = re.compile(r"(?<=\S )[A-Z][\w-]*\s+$")
_TITLE_END = re.compile(
    r"(?:Agreement|Treaty|Declaration|Convention|Partnership|Act|Plan|Programme|Program|Fund"
    r"|Initiative|Strategy|Framework|Protocol|Charter|Forum|Dialogue|Cooperation|Goods|Services"
    r"|Investment|Trade|Affairs|Policy|Studies|Development|Education|Research|Management"
    r"|Action|Persons|People|Rights|Science|Technology|Practice|Principle|Principles)$"
)


# A spot on a site, where a thing is kept or people meet: a spatial preposition and what it
# places it by ("on the wall to the left of the reception desk", "in the first-aid room",
# "behind the bar", "at the far end of the car park").
_SPATIAL = (
    r"(?:on|in|at|under|underneath|above|below|behind|beside|inside|outside|opposite|near"
    r"|next to|in front of|to the (?:left|right) of|on the (?:left|right) of)"
)
_SPOT_WORD = (
    r"(?!(?:and|or|but|if|when|before|after|until|for|with|so|which|that|where|who|is|are|was"
    r"|were|on|in|at|to|of|by|from|the|a|an)\b)[\w'’-]+"
)
_SPOT_WORDS = rf"{_SPOT_WORD}(?:\s+{_SPOT_WORD}){{0,3}}"
# what follows the preposition: a determiner, or a thing named in lower case ("in row F")
_SPOT_THING = rf"(?:(?:the|a|an|our|your|each|every)\s+{_SPOT_WORDS}|(?-i:[a-z]){_SPOT_WORDS})"
SPOT = re.compile(rf"\b{_SPATIAL}\s+{_SPOT_THING}(?:\s+(?:{_SPATIAL}|of)\s+{_SPOT_THING})*")


def spot_spans(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` gives a spot on a site (`SPOT`), when it names no place, address
    or path: "Fonts are kept in the directory /usr/share/fonts" tells a path."""
    if place_spans(sentence) or address_spans(sentence):
        return []
    return [m.span() for m in SPOT.finditer(sentence) if not _STORE.search(m.group(0))]


# Where data is kept, not a thing on a site: "in the cache directory", "on the server".
_STORE = re.compile(
    r"\b(?:director(?:y|ies)|folders?|files?|paths?|cache|databases?|repositor(?:y|ies)|servers?"
    r"|config(?:uration)?|home|systems?|packages?|archives?|lists?|menus?|sections?|pages?"
    r"|tables?|logs?|disks?|drives?|partitions?|memory|registry|variables?|settings?)\b",
    re.I,
)


# A place a line is keyed by its kind: "Nearest station: Whitchurch (Shropshire), 15 km",
# "Venue: Rastrick Community Centre".
_KEYED_PLACE = re.compile(
    r"(?:^|\n)\W*(?i:(?:[a-z]+\s+){0,2}(?:station|stop|venue|location|meeting point|town|village"
    r"|airport|terminal|marina|base|depot|site))\s*:\s*"
    r"(?P<name>[A-Z][\w'’.-]*(?:\s+(?:of\s+|on\s+)?[A-Z][\w'’.-]*){0,4})"
    # a room by its code, as a staff list gives an office: "Office: H 3.02", "Room: G.07"
    r"|(?:^|\n)\W*(?i:office|room)\s*:\s*(?P<room>[A-Z]{1,2}[ .-]?[G\d](?:\.\d+)+[A-Za-z]?)\b"
)


# A room or a unit by its number, as a building's own plan gives it: "Room G.09", "Seminar Room
# 2.03", "Lab 3B", "Platform 4".
_NUMBERED_ROOM = re.compile(
    r"\b(?:[A-Z][a-z]+\s+)?(?:Room|Rm\.?|Lab|Laboratory|Suite|Studio|Office|Floor|Bay"
    r"|Platform|Gate|Stand|Wing|Block|Theatre|Theater|Ward|Hangar|Berth|Pitch|Court)"
    r"\s+[A-Z]{0,2}[.-]?\d+(?:\.\d+)*[A-Za-z]?\b"
)


# A postal address: parts parted by commas, each opening with a capital or a number, up to a
# postcode (a British one, "Kingsford OX27 4HN", or a US state's ZIP code, "Springfield, IL
# 62704"): "Unit 4, Brackley Road Trading Estate, Kingsford OX27 4HN".
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[A-Z]{2}\s\d{5}(?:-\d{4})?)\b")
_ADDRESS_PART = re.compile(r"(?:[A-Z]|\d+[A-Za-z]?\b)[\w'’.&-]*(?:\s+[\w'’.&-]+){0,5}")


def postal_address_spans(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` gives a postal address ending in its postcode (`_POSTCODE`)."""
    spans = []
    for m in _POSTCODE.finditer(sentence):
        line_start = sentence.rfind("\n", 0, m.start()) + 1
        parts = sentence[line_start : m.start()].split(",")
        start = m.start()
        # the town before the postcode, then whole parts back to the line's label or start
        for i, part in enumerate(reversed(parts)):
            stripped = part.strip()
            if i == 0 and not stripped:
                continue  # "Springfield, IL 62704"
            label = max(stripped.rfind(": "), stripped.rfind("("))
            if label >= 0:
                stripped = stripped[label + 1 :].strip()
            if not _ADDRESS_PART.fullmatch(stripped):
                break
            start = sentence.rindex(stripped, line_start, start)
            if label >= 0:
                break
        if start < m.start():
            spans.append((start, m.end()))
    return spans


def place_spans(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` names a country or a place, or gives an address or a path: (start,
    end) each, in order."""
    countries = [m.span() for m in COUNTRY.finditer(sentence)]
    after = []
    for m in _PLACE_AFTER.finditer(sentence):
        if _TITLE_BEFORE.search(sentence, 0, m.start()) and _TITLE_END.search(m.group("name")):
            continue
        after.append(m.span("name"))
        listed = _LISTED_PLACE.match(sentence, m.end())
        while listed:  # "in Singapore, Hanoi, and Panmunjom"
            after.append(listed.span("name"))
            listed = _LISTED_PLACE.match(sentence, listed.end())
    # a town before its country: "Synlab Central Lab, Antwerp, Belgium", "Leiden, the Netherlands"
    after += [m.span("name") for m in _TOWN_BEFORE_COUNTRY.finditer(sentence)]
    streets = [m.span() for m in _NAMED_SITE.finditer(sentence)]
    for m in _STREET.finditer(sentence):
        streets.append(m.span())
        town = _LOCALITY_AFTER_STREET.match(sentence, m.end())
        if town:
            streets.append(town.span("name"))
    streets += [m.span(m.lastgroup or 0) for m in _FACILITY.finditer(sentence)]
    streets += [m.span(m.lastgroup or 0) for m in _KEYED_PLACE.finditer(sentence)]
    streets += [m.span() for m in _NUMBERED_ROOM.finditer(sentence)]
    found = set(countries + after + streets + address_spans(sentence))
    # "Quay Street" inside "14 Quay Street" is no place of its own
    return sorted(
        (a, b)
        for a, b in found
        if not any(x <= a and b <= y and (x, y) != (a, b) for x, y in found)
    )
