"""The keyword side of retrieval: BM25 (bm25s) over the same passages as the dense index.

Dense MiniLM vectors blur exact names, codes, dates and numbers ("MSMB", "1991"); BM25 over
stemmed words catches them. The two rankings are fused in `fusion.py`.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import bm25s
import numpy as np
import Stemmer
from bm25s.tokenization import _infer_stopwords

from citeqa.corpus import Document, Passage

_STEMMER = Stemmer.Stemmer("english")
# The 179-word list, not bm25s' default 33: questions are full of "what", "does", "when", which
# otherwise match every passage that asks or answers anything.
_STOPWORDS = "en_plus"


_WORDS = re.compile(r"(?u)\b\w\w+\b").findall  # bm25s.tokenize's pattern
_STOPWORD_SET = frozenset(_infer_stopwords(_STOPWORDS))


def _tokens(texts: list[str]) -> list[list[str]]:
    """What bm25s.tokenize(lower, stopwords, stemmer) gives, without the progress bar and the
    stopword set it builds per text: 20× cheaper on the query path (a highlight per passage)."""
    return [
        _STEMMER.stemWords([w for w in _WORDS(text.lower()) if w not in _STOPWORD_SET])
        for text in texts
    ]


# A version or other dotted number ("0.8.0", "v2.3.1", "3.5"): the word pattern above splits it
# into pieces of a digit or two, which it drops, so "when was 0.8.0 released?" could not reach the
# changelog heading that says. The index and its queries keep it whole, and a ".0" release also
# as its series ("0.9.0" as "0.9", "2.0.0" as "2.0": how questions name them). Only the index's own
# words: the stems the answer rules compare are `_tokens`'.
_DOTTED_NUMBER = re.compile(r"(?<![\w.,])[vV]?(\d+(?:\.\d+)+)(?!\w|\.\d)")


def _index_tokens(text: str) -> list[str]:
    """The words a keyword index holds for `text`, or searches for: `_tokens` and each dotted
    number whole."""
    tokens = _tokens([text])[0]
    for number in _DOTTED_NUMBER.findall(text):
        tokens.append(number)
        parts = number.split(".")
        while len(parts) > 2 and parts[-1] == "0":
            parts.pop()
        if len(parts) < number.count(".") + 1:
            tokens.append(".".join(parts))
    return tokens


def word_stems(text: str) -> list[tuple[int, str]]:
    """(word ordinal, stem) of each searchable word of `text`, in order: where in a sentence the
    words a keyword index would match lie (the ordinal counts stopwords too)."""
    words = _WORDS(text.lower())
    kept = [(i, w) for i, w in enumerate(words) if w not in _STOPWORD_SET]
    stems = _STEMMER.stemWords([w for _, w in kept])
    return [(i, stem) for (i, _), stem in zip(kept, stems, strict=True)]


def is_stopword(word: str) -> bool:
    """Whether a keyword index leaves `word` out (case ignored)."""
    return word.lower() in _STOPWORD_SET


def stem_texts(texts: list[str]) -> list[set[str]]:
    """The searchable words of each text as every keyword index sees them (stemmed, no
    stopwords)."""
    return [
        set(_short_text_stems(text)) if len(text) <= SHORT_TEXT else set(_tokens([text])[0])
        for text in texts
    ]


# Questions and sentences are read again question after question, passages at ingest once.
SHORT_TEXT = 400  # characters


@lru_cache(maxsize=16384)
def _short_text_stems(text: str) -> frozenset[str]:
    return frozenset(_tokens([text])[0])


# A record's key of words joined by underscores, before its value: "alpha_2: NO",
# "official_name=Kingdom of Norway".
_RECORD_KEY = re.compile(r"(?<![\w-])([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)\s*[:=]")


def held_stems(texts: list[str]) -> list[set[str]]:
    """`stem_texts`, and for a record's key joined by underscores the stems of its words too: the
    key "alpha_2" or "official_name" holds the words a question writes apart ("the alpha-2
    code", "its official name"). Not an identifier in running text ("SQLITE_MAX_LENGTH" is
    asked by its name), nor a question's words."""
    found = stem_texts(texts)
    for text, stems in zip(texts, found, strict=True):
        if "_" not in text:
            continue
        parts = [
            part
            for key in _RECORD_KEY.findall(text)
            for part in key.lower().split("_")
            if len(part) > 1 and part not in _STOPWORD_SET
        ]
        stems.update(_STEMMER.stemWords(parts))
    return found


# Each passage is indexed with its document's card: the words that name the document rather than
# say something in it, so "what does the Asan brief say ..." or "according to Indraswari, ..."
# reaches the passages of that document although none of them repeats its author or publisher.
# The opening words are where articles put their byline (authors, publisher, date); 20 of them
# did as well as 60 (docs/evaluation.md).
CARD_OPENING_WORDS = 20
CARD_OPENING_CHARS = 2000  # the words are taken from this much of the text, so no more is read


def document_card(doc_id: str, title: str, opening: str) -> str:
    """The words that name a document: its file name's words, its title and the first
    CARD_OPENING_WORDS words of `opening` (its text, or the text's first CARD_OPENING_CHARS)."""
    name = re.sub(r"\.[A-Za-z0-9]+$", "", doc_id.rsplit("/", 1)[-1])
    head = opening[:CARD_OPENING_CHARS].split(maxsplit=CARD_OPENING_WORDS)[:CARD_OPENING_WORDS]
    words = re.sub(r"[\W_]+", " ", name)
    return f"{words}. {title}. {' '.join(head)}"


class StoredCardSource(Protocol):
    """A document as an index version keeps it (textstore.StoredDocument)."""

    id: str
    title: str
    sha256: str

    def opening(self, chars: int) -> str: ...


_CARDS: dict[tuple[str, str], str] = {}  # (id, sha256) -> card: asked for question after question
_MAX_CARDS = 4096


def stored_card(doc: StoredCardSource) -> str:
    """`document_card` of an indexed document, reading no more of its text than the card needs."""
    key = (doc.id, doc.sha256)
    card = _CARDS.get(key)
    if card is None:
        if len(_CARDS) >= _MAX_CARDS:
            _CARDS.clear()  # simple and bounded: refilled from the documents asked for next
        card = _CARDS[key] = document_card(doc.id, doc.title, doc.opening(CARD_OPENING_CHARS))
    return card


def keyword_texts(docs: Sequence[Document], passages: Sequence[Passage]) -> Iterator[str]:
    """What BM25 indexes for each passage, one at a time: its text, then its document's card."""
    cards = {doc.id: document_card(doc.id, doc.title, doc.text) for doc in docs}
    return (f"{p.text}\n{cards[p.doc_id]}" for p in passages)


class WordWeights(Protocol):
    """What the highlight and the abstention rule need of a keyword index."""

    def stems(self, texts: list[str]) -> list[set[str]]: ...

    def idf(self, stem: str) -> float: ...


class KeywordIndex:
    """BM25 scores over passages; row i is passage i of the index version."""

    def __init__(self, bm25: bm25s.BM25, size: int):
        self.bm25 = bm25
        self.size = size

    @classmethod
    def build(cls, texts: Iterable[str]) -> KeywordIndex:
        """The index of `texts`, read one at a time: each is kept only as its distinct word ids
        and their counts, so a large segment's texts and words are never all held (see
        `_lucene_scores` for why the matrix is not left to bm25s)."""
        vocab: dict[str, int] = {}
        terms: list[np.ndarray] = []  # per text: its distinct word ids, ascending (int32)
        counts: list[np.ndarray] = []  # how often each occurs in it (int32)
        lengths = array("q")  # words per text
        for text in texts:
            # An empty token list would make bm25s fail; "" never matches a real query token.
            stems = _index_tokens(text) or [""]
            ids = np.fromiter((vocab.setdefault(s, len(vocab)) for s in stems), np.int32)
            distinct, count = np.unique(ids, return_counts=True)
            terms.append(distinct.astype(np.int32))
            counts.append(count.astype(np.int32))
            lengths.append(len(stems))
        bm25 = bm25s.BM25()
        bm25.scores = _lucene_scores(terms, counts, lengths, len(vocab), bm25.k1, bm25.b)
        vocab.setdefault("", len(vocab))  # as bm25s.index adds it: outside the matrix, unscored
        bm25.vocab_dict = vocab
        bm25.unique_token_ids_set = set(vocab.values())
        bm25.nonoccurrence_array = None
        return cls(bm25, len(terms))

    def save(self, folder: Path) -> None:
        self.bm25.save(str(folder))

    @classmethod
    def load(cls, folder: Path, size: int) -> KeywordIndex:
        bm25 = bm25s.BM25.load(str(folder), mmap=True)
        # Plain views of the maps: numpy's memmap subclass costs per indexing (about 0.05 ms of
        # each question's BM25 scoring).
        bm25.scores = {
            key: np.asarray(value) if isinstance(value, np.memmap) else value
            for key, value in bm25.scores.items()
        }
        return cls(bm25, size)

    def stems(self, texts: list[str]) -> list[set[str]]:
        """The searchable words of each text, as this index sees them (stemmed, no stopwords)."""
        return stem_texts(texts)

    def idf(self, stem: str) -> float:
        """BM25's inverse document frequency of a stem over the passages; 0 when unseen."""
        df = self.df(stem)
        return _idf(self.size, df) if df else 0.0

    def df(self, stem: str) -> int:
        """The number of passages holding `stem`."""
        token = self.bm25.vocab_dict.get(stem)
        indptr = self.bm25.scores["indptr"]
        if token is None or token + 1 >= len(indptr):
            return 0
        return int(indptr[token + 1] - indptr[token])

    def postings(self, stem: str) -> tuple[np.ndarray, np.ndarray]:
        """(rows, BM25 scores with this index's idf) of the passages holding `stem`."""
        token = self.bm25.vocab_dict.get(stem)
        indptr = self.bm25.scores["indptr"]
        if token is None or token + 1 >= len(indptr):
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        start, end = int(indptr[token]), int(indptr[token + 1])
        return self.bm25.scores["indices"][start:end], self.bm25.scores["data"][start:end]


def _lucene_scores(
    terms: list[np.ndarray],
    counts: list[np.ndarray],
    lengths: array[int],
    vocabulary: int,
    k1: float,
    b: float,
) -> dict[str, Any]:
    """bm25s's score matrix (method "lucene": the same arrays, bit for bit, as `BM25.index`),
    written column by column in place. bm25s builds it from (score, row, column) triples
    sorted through int64 copies: ~190 MB passing for the 5 million (passage, word) pairs of a
    50 MB text file, the peak of its whole ingest; this holds the pairs and the result only.
    Freed as it goes: `terms` and `counts` are emptied."""
    rows = len(terms)
    df = np.zeros(vocabulary, np.int64)
    for distinct in terms:
        df[distinct] += 1
    # As bm25s computes it: math.log per word, kept as float32.
    idf = np.array([math.log(1 + (rows - n + 0.5) / (n + 0.5)) for n in df.tolist()], np.float32)
    indptr = np.zeros(vocabulary + 1, np.int64)
    np.cumsum(df, out=indptr[1:])
    del df
    data = np.empty(int(indptr[-1]), np.float32)
    indices = np.empty(int(indptr[-1]), np.int32)
    cursor = indptr[:-1].copy()  # the next free place in each word's column
    average = np.asarray(lengths, np.int64).mean()
    for row in range(rows):
        distinct, tf = terms[row], counts[row].astype(np.float32)
        terms[row] = counts[row] = _EMPTY
        # bm25s' Lucene term-frequency factor, with its operand types (so its rounding too).
        tfc = tf / (k1 * ((1 - b) + b * int(lengths[row]) / average) + tf)
        at = cursor[distinct]
        data[at] = idf[distinct] * tfc
        indices[at] = row
        cursor[distinct] += 1
    return {"data": data, "indices": indices, "indptr": indptr, "num_docs": rows}


_EMPTY = np.zeros(0, np.int32)


def _idf(size: int, df: int) -> float:
    return float(np.log(1 + (size - df + 0.5) / (df + 0.5)))  # bm25s' (Lucene's) idf


class SegmentedKeywordIndex:
    """BM25 over several segments' keyword indexes as one: global rows (`offsets[i]` + the row
    in segment i), scored with inverse document frequencies over all segments together, as
    Lucene does, so a word is not rarer in a small new segment than in the index as a whole.
    Rows in `dead` (sorted global rows: replaced or removed documents) never come back."""

    def __init__(self, parts: list[KeywordIndex], offsets: list[int], dead: np.ndarray):
        self.parts = parts
        self.offsets = offsets
        self.size = sum(part.size for part in parts)
        self.dead = dead
        self._idf: dict[str, float] = {}  # of words in the index (its segments never change)

    def stems(self, texts: list[str]) -> list[set[str]]:
        return stem_texts(texts)

    def idf(self, stem: str) -> float:
        idf = self._idf.get(stem)
        if idf is None:
            df = sum(part.df(stem) for part in self.parts)
            if not df:
                return 0.0  # not cached: unseen words would grow the cache without bound
            idf = self._idf[stem] = _idf(self.size, df)
        return idf

    def search(
        self, question: str, n: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(global rows int64[m], scores float32[m]) of the m <= n best live passages sharing a
        word with `question`, best first; only rows True in `allowed` (bool[size]) if given."""
        query = _index_tokens(question)
        if len(self.parts) == 1:  # one segment: its own idf is the global one
            bm25 = self.parts[0].bm25
            known = [t for t in query if t in bm25.vocab_dict]
            scores = np.asarray(bm25.get_scores(known), np.float32) if known else None
            return self._top(scores, n, allowed)
        scores = np.zeros(self.size, np.float32)
        for stem in query:  # a repeated word counts again, as in bm25s
            idf = self.idf(stem)
            if not idf:
                continue
            for part, offset in zip(self.parts, self.offsets, strict=True):
                rows, part_scores = part.postings(stem)
                if rows.size:
                    # The segment's scores carry its own idf: rescale to the global one.
                    weight = np.float32(idf / part.idf(stem))
                    np.add.at(scores, rows + offset, part_scores * weight)
        return self._top(scores, n, allowed)

    def _top(
        self, scores: np.ndarray | None, n: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        if scores is not None and self.dead.size:
            scores[self.dead] = 0
        if scores is not None and allowed is not None:
            scores[~allowed] = 0
        n = min(n, self.size)
        if scores is None or n <= 0 or not scores.any():
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        top = np.argpartition(-scores, n - 1)[:n] if n < scores.size else np.arange(scores.size)
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[scores[top] > 0]
        return top.astype(np.int64), scores[top]
