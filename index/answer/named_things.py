"""How a text names one thing a manual or a report is asked about: a licence, a variable or an
option in the code's own spelling, a specific name; and how it tells a thing only vaguely ("one
of the other servers"). Plain regular expressions, read by question_types.holds_type and the
short answer."""

from __future__ import annotations

import re
from functools import lru_cache

from .patterns import asks
from .spelling import release_number

# A licence's name: "the GNU Lesser General Public License version 2.1 or later", "GPL-2+",
# "MIT", "the SIL Open Font License"; not "this License" or "the license".
_LICENCE_VERSION = (
    r"(?:,?\s+(?:[Vv]ersion\s+|v)?\d+(?:\.\d+)*(?:,?\s+or\s+(?:later|any later version))?)?"
)
LICENCE = re.compile(
    rf"\bGNU\s+(?:(?:Lesser|Library|Affero)\s+)?General\s+Public\s+Licen[cs]e{_LICENCE_VERSION}"
    rf"|\bGNU\s+Free\s+Documentation\s+Licen[cs]e{_LICENCE_VERSION}"
    # an SPDX identifier or a licence's short name: "LGPL-2.1-or-later", "GPL-2+", "MIT",
    # "BSL-1.0", "CC-BY-SA-4.0", "Apache License 2.0", "the Boost license"
    r"|\b(?:A|L)?GPL(?:[- ]?v?\d+(?:\.\d+)?\+?)?(?:-(?:or-later|only))?(?![\w-])"
    r"|\b(?:MIT|BSD(?:[- ]\d-[Cc]lause)?|Apache|MPL|EPL|BSL|EUPL|OFL|ISC|Expat|[Zz]lib|Boost|X11"
    r"|CC0|CC[- ]BY(?:[- ](?:SA|NC|ND))*|Unlicense|WTFPL|Artistic|Creative\s+Commons"
    r"(?:\s+(?:Attribution|ShareAlike|NonCommercial|NoDerivatives|Zero)(?:[- ]\w+)*)?)"
    r"(?:-\d+(?:\.\d+)*(?:-only|-or-later)?)?\b"
    rf"(?:\s+(?:International\s+)?[Ll]icen[cs]e)?{_LICENCE_VERSION}"
    r"|\bpublic domain\b|\bproprietary\b|\bsame terms as Perl itself\b"
    r"|\b(?:GFDL|CDDL|ODbL|ODC-By|PDDL)\b(?:-\d+(?:\.\d+)*)?"
    r"|\b(?!(?:This|The|That|Such|Each|Any|Our|Your|Its|Their|A|An)\b)[A-Z][\w.-]*"
    rf"(?:\s+[A-Z][\w.-]*){{0,3}}\s+[Ll]icen[cs]e\b{_LICENCE_VERSION}"
)
# A variable or an option in the code's own spelling: "FC_DEBUG", "$HOME", "__x_y", "--strict".
VARIABLE = re.compile(
    r"(?<![=\w])(?:"
    r"\$\{?[A-Za-z_]\w*\}?"
    r"|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b"  # FC_DEBUG, SQLITE_MAX_LENGTH
    # a name in capitals alone: four letters or more ("PATH", "TMPDIR", "EDITOR"), not a
    # requirement's keyword ("MUST"); a shorter one where it is set or called a variable
    # ("TZ=Asia/Seoul", "export CC", "the TZ variable"), not "GNU"
    r"|\b(?!(?:MUST|SHALL|SHOULD|REQUIRED|RECOMMENDED|OPTIONAL|NOT|NOTE|WARNING)\b)[A-Z]{4,}\b"
    r"|(?:(?<=export )|(?<=unset )|(?<=set )|(?<=Set ))[A-Z][A-Z0-9]+\b"
    r"|\b[A-Z][A-Z0-9]+\b(?=\s*=|\s+(?:environment\s+)?variable)"
    r"|_{1,2}[A-Za-z]\w*"  # __shellmath_isOptimized
    r"|\b[a-z][a-z0-9]*(?:_[A-Za-z0-9]+)+\b(?!\()"  # shellmath_precision, not f()
    r"|\b[a-z]+[A-Z]\w*\b"  # maxRetries
    r")"
)
OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*(?:=[^\s,;)]+)?")


# What tells the thing vaguely: "one of the other servers", "several mirrors", "twice a day".
_VAGUE = re.compile(
    r"\b(?:one|some|any|each|either|none) of (?:the|its|their|these|those|our|your)\b"
    r"|\b(?:several|various|certain|numerous|multiple)\b|\ba (?:few|number of|couple of)\b"
    r"|\b(?:twice|thrice)\b",
    re.I,
)
# ... unless it goes on to name them: "various sectors such as health and education".
_NAMES_THEM = re.compile(r"\b(?:such as|including|notably|namely|among them|e\.g\.)", re.I)
# What names one thing: a word with a digit ("i3-8130U", "Windows 10"), a number, a quoted or
# code-marked string (not what lies between two: '" (2016), "'), capitalised words not opening
# the sentence, an acronym, a host name, a path, a hyphenated program name ("fc-cache"), an
# option or an identifier.
_SPECIFIC_NAME = re.compile(
    r"\b10\.\d{4,9}/[^\s\"<>]*[^\s\"<>.,;:)]"  # a DOI: "10.5281/zenodo.10455123"
    r"|\b[A-Za-z0-9]+(?:/[A-Za-z0-9]+){2,}\b"  # a reference: "3PL/2024/0188/F", "P/2023/0917/A"
    r"|\b[A-Za-z][\w.+-]*\d(?:[\w.+-]*\w)?|(?<![\w.])\d(?:[\w.,:-]*\w)?"
    r"|[\"“‘`'](?=\w)[^\"”’`'\n]{2,60}(?<=[\w.!?])[\"”’`']"
    r"|(?<=[\w,;:)] )[A-Z][\w'’-]+(?:[ \t]+(?:of[ \t]+|the[ \t]+)?[A-Z][\w'’-]+)*|\b[A-Z]{2,}\b"
    r"|\b[\w-]+(?:[./][\w-]+)+\b|\b[a-z]+(?:-[a-z0-9]+)+\b"
    r"|(?<![\w-])--?[A-Za-z][\w-]*|\b\w+_\w+\b"
)


# "Which exact Intel i3 model ...?", "Which specific NVIDIA driver version ...?": the very model,
# version or number of the thing named before it.
_ASKS_NUMBERED = re.compile(
    r"\b(?:(?:which|what)\s+(?:specific|particular|exact|precise)|(?:exactly|precisely)\s+"
    r"(?:which|what))\s+(?P<named>(?:[\w.+-]+\s+){0,4}?)"
    r"(?:models?|versions?|numbers?|releases?|builds?|revisions?)\b",
    re.I,
)
_TOKEN = re.compile(r"[\w.+-]*\w")
# Things known by a number that is a name, often with letters in it: "the form number" (N164),
# "case reference" (SR-2024-118), "the policy no." A question asking for one asks for the name.
IDENTIFIED_THINGS = (
    "serial model part account bug issue form reference case order registration licence license"
    " policy membership customer invoice ticket tracking claim booking company charity vat"
    " application club centre center permit certificate"
).split()
ASKS_IDENTIFIER = re.compile(
    rf"\b(?P<thing>{'|'.join(IDENTIFIED_THINGS)})\s+(?:reference\s+)?(?:numbers?|no\b\.?|codes?|ids?)\b"
    r"|\b(?P<referenced>case|claim|booking|order|customer|application|planning)\s+references?\b"
    # a code that is a name to quote: "the discount code" (MILL10), "the sort code" (30-96-18)
    r"|\b(?P<coded>discount|promo(?:tion(?:al)?)?|voucher|coupon|sort|access|door|referral|gift"
    r"|booking|entry|lock|key\s?safe|wi-?fi)\s+codes?\b"
    # an identifier of a scheme of its own: "Which CVE was fixed in 1.4.2?", "the advisory ID",
    # "what DOI should I cite", "the grid reference of the site"
    r"|\b(?:which|what)\s+(?P<scheme>CVE|GHSA|DOI|ISBN|ISSN|security advisory|advisory)\b"
    r"|\b(?P<scheme_id>advisory|CVE|GHSA)\s+(?:ids?|numbers?|identifiers?)\b"
    r"|\b(?:the|its|a)\s+(?P<scheme_named>DOI|ISBN|ISSN|grid reference)\b",
    re.I,
)


@lru_cache(maxsize=2048)  # asked of every sentence judged for one question
def identifier_of(question: str, naming: bool = False) -> str | None:
    """The thing whose number `question` asks for ("licence" for "the station's licence
    number"), or None; `naming`: the word a text may write beside the number instead, "reference"
    for "the planning application reference"."""
    asked = asks(ASKS_IDENTIFIER, question)
    if asked is None:
        return None
    scheme = asked.group("scheme") or asked.group("scheme_id") or asked.group("scheme_named")
    if scheme:
        return scheme.split()[-1].lower()  # "advisory", "cve", "doi", "reference"
    if asked.group("coded"):  # "with code MILL10", "Sort code: 30-96-18"
        return "code"
    return (
        "reference"
        if naming and asked.group("referenced")
        else (asked.group("thing") or asked.group("referenced")).lower()
    )


# How each scheme writes its identifiers: "Which CVE ...?" is answered by "CVE-2025-22872", not
# by the "2f" of a URL beside it.
_SCHEME_FORMS = {
    "cve": r"\bCVE-\d{4}-\d{4,}\b",
    "ghsa": r"\bGHSA(?:-[0-9a-z]{4}){3}\b",
    "advisory": r"\bCVE-\d{4}-\d{4,}\b|\bGHSA(?:-[0-9a-z]{4}){3}\b"
    r"|\b(?:[DU]SA|USN|RHSA|DLA|GLSA)-\d[\d:-]*\d\b",
    "doi": r"\b10\.\d{4,9}/[^\s\"<>]*[^\s\"<>.,;:)]",
    "isbn": r"\b(?:97[89][- ]?)?\d{1,5}[- ]?\d{1,7}[- ]?\d{1,7}[- ]?[\dX]\b",
    "issn": r"\b\d{4}-\d{3}[\dX]\b",
}


def asks_scheme(question: str) -> bool:
    """Whether `question` asks for an identifier of a scheme with a form of its own (a CVE, an
    advisory, a DOI: _SCHEME_FORMS)."""
    return (identifier_of(question) or "") in _SCHEME_FORMS


def scheme_spans(question: str, sentence: str) -> list[tuple[int, int]] | None:
    """Where `sentence` writes an identifier of the scheme `question` asks for ("Which CVE ...?",
    "the advisory ID"), or None when it asks for none of _SCHEME_FORMS."""
    scheme = identifier_of(question)
    form = _SCHEME_FORMS.get(scheme or "")
    return None if form is None else [m.span() for m in re.finditer(form, sentence)]


def identified_thing(question: str) -> str | None:
    """The holder `question` asks the number of, when a text names it beside the number ("the
    registered charity number": "charity number 1098765", "form N164"), or None. A serial, an
    issue or a bug number is written bare ("#412", "Issue Brief (2024-31)")."""
    thing = identifier_of(question)
    return thing if thing in _NAMED_BESIDE_ITS_NUMBER else None


_NAMED_BESIDE_ITS_NUMBER = frozenset(
    "company charity vat registration licence license policy membership account form club centre"
    " center permit certificate".split()
)


def fits_what_is_asked(question: str, value: str) -> bool:
    """Whether `value`, a specific name, may be the model, version or number a question asks for
    ("Which exact Intel i3 model?"): it tells something new with a digit ("i3-8130U", not
    "Intel Core i3"), of the thing named ("Intel ...", not "Windows 10"). Any name does for
    other questions."""
    if asks(ASKS_IDENTIFIER, question) and asks(_ASKS_NUMBERED, question) is None:
        # "the appeal form number": a name with a digit the question does not give ("N164")
        given = {t.lower() for t in _TOKEN.findall(question)}
        return any(
            re.search(r"\d", t) and t.lower() not in given and not _SECTION.fullmatch(t)
            for t in _TOKEN.findall(value)
        )
    asked = asks(_ASKS_NUMBERED, question)
    if asked is None:
        return True
    question_tokens = {t.lower() for t in _TOKEN.findall(question)}
    tokens = [t.lower() for t in _TOKEN.findall(value)]
    if not any(re.search(r"\d", t) for t in tokens if t not in question_tokens):
        return False
    named = {t.lower() for t in _TOKEN.findall(asked.group("named"))} - _COMMON
    return not named or any(t in named or any(t.startswith(n) for n in named) for t in tokens)


_SECTION = re.compile(r"\d{1,2}(?:\.\d{1,2})+")  # "1.2": a section's number, a version's
_COMMON = frozenset("the a an of for to in on by with and or".split())


def answers_specifically(question: str, sentence: str) -> bool:
    """Whether `sentence` may answer a question insisting on the very thing: it names one the
    question does not (of what it asks: `fits_what_is_asked`), or it tells nothing vaguely ("one
    of the other servers" does not say which)."""
    asked = question.lower()
    if any(
        sentence[a:b].lower() not in asked and fits_what_is_asked(question, sentence[a:b])
        for a, b in specific_spans(sentence)
    ):
        return True
    if asks(_ASKS_NUMBERED, question):
        return False  # the model asked for is a name: not told vaguely, it is not told
    return _VAGUE.search(sentence) is None or _NAMES_THEM.search(sentence) is not None


def specific_spans(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` names one thing (`_SPECIFIC_NAME`), the longest at each place."""
    spans: list[tuple[int, int]] = []
    for m in _SPECIFIC_NAME.finditer(sentence):
        if spans and sentence[spans[-1][1] : m.start()] == " ":
            spans[-1] = (spans[-1][0], m.end())  # "Intel Core" "i3-8130U": one name
        else:
            spans.append(m.span())
    return spans


def licence_spans(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` names a licence, the longest name at each place."""
    return [m.span() for m in LICENCE.finditer(sentence)]


def code_names(sentence: str, variables: bool, options: bool) -> list[tuple[int, int]]:
    """Where `sentence` names a variable (`variables`) or an option (`options`), in order."""
    patterns = ([VARIABLE] if variables else []) + ([OPTION] if options else [])
    return sorted({m.span() for pattern in patterns for m in pattern.finditer(sentence)})


# A name with its number: "ISO 639-1", "Python 3.11", "Debian 12".
NUMBERED_NAME = re.compile(r"\b([A-Za-z][\w+]*)[ -](\d+(?:[.-]\d+)*)\b(?![.-]\d)")
_A_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def numbered_names(question: str) -> list[tuple[str, str]]:
    """The names `question` gives with a number ("ISO 639-1": iso, 639-1), not a year's."""
    return [
        (m.group(1).lower(), m.group(2))
        for m in NUMBERED_NAME.finditer(question)
        if not _A_YEAR.search(m.group(2)) and m.group(1).lower() not in _NOT_NUMBERED
    ]


# Words before a number that name no thing of their own: "at version 1.5-2", "step 3".
_NOT_NUMBERED = frozenset(
    "in of to for than and or at by the is version versions release releases number step chapter"
    " section page level port option item table figure part phase stage value code rule article"
    " paragraph line column row on from until till after before since with per about around over"
    " under between during".split()
)


def another_number_of(asked: list[tuple[str, str]], text: str) -> bool:
    """Whether `text` gives a name of `asked` with another number and never with the asked one:
    "ISO 639-3 ... SIL International" does not tell who maintains ISO 639-1."""
    for name, number in asked:
        told = {
            release_number(m.group(2))
            for m in NUMBERED_NAME.finditer(text)
            if m.group(1).lower() == name
        }
        if told and release_number(number) not in told:
            return True
    return False
