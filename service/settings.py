"""One settings object, read from `CITEQA_*` environment variables and validated at start-up."""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from citeqa.corpus import ChunkSettings
from citeqa.index.answer import MIN_SENTENCE_COSINE
from citeqa.index.encoder import (
    DEFAULT_BACKEND,
    DEFAULT_MODEL,
    INGEST_BATCH_SIZE,
    Encoder,
    ModelError,
    has_int8_dot_products,
    load_encoder,
)
from citeqa.index.storage import SENTENCE_CACHE_MB, BuildOptions
from citeqa.index.vectorstores import ModelIdentity, VectorStore, VectorStoreSpec

SHIPPED_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "documents"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CITEQA_", frozen=True)

    home: Path = Field(Path("var"), description="where index versions and state live")
    corpus: Path = Field(
        SHIPPED_CORPUS, description="what a bare `citeqa ingest` indexes in a home with no index"
    )
    uploads: Path | None = Field(
        None, description="where `citeqa add` and POST /documents store files; default HOME/uploads"
    )
    model: str = Field(DEFAULT_MODEL, description="a model folder or a package bundling one")
    backend: Literal["torch", "onnx", "onnx-int8", "onnx-q8"] = Field(
        DEFAULT_BACKEND, description="what runs the model (docs/benchmarks.md)"
    )
    model_cache: Path | None = Field(None, description="exported ONNX models; default ~/.cache")
    # Where passage vectors live: faiss (the index's own files, memory-mapped) or milvus (a
    # collection: Milvus Lite in a local .db folder, or a server at http(s)://; docs/milvus.md).
    vector_store: Literal["faiss", "milvus"] = "faiss"
    # Embed every passage's sentences too, for sentence-level scoring (docs/evaluation.md): better
    # ranking and abstention, at about 2x the embedding time and 2.4 kB more disk a passage.
    sentence_vectors: bool = True
    # What embeds those sentences at ingest (and so the passages' vectors, their means): the
    # passages' own backend ("same"); onnx-q8, the model with 8-bit weights in blocks, vectors
    # at cosine 0.998 of float's, 1.4-1.55x as fast where the processor has int8 dot products;
    # onnx-int8, faster still, at a measured cost in ranking (docs/benchmarks.md). "auto":
    # onnx-q8 for the float ONNX backend on such a processor, else "same".
    sentence_backend: Literal["auto", "same", "onnx-q8", "onnx-int8"] = "auto"
    milvus_uri: str = Field("", description="http(s)://host:port or a .db path; default HOME")
    milvus_token: SecretStr | None = Field(None, description="user:password or an API key")
    # One collection per index: homes sharing a Milvus server each need a name of their own;
    # replicas serving one home share it (docs/operations.md#replicas).
    milvus_collection: str = Field(
        "citeqa_passages",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,254}$",  # Milvus' rule for collection names
        description="the Milvus collection holding this home's vectors",
    )
    # A call to the vector store that takes longer fails the request with 503 instead of
    # waiting out pymilvus' retries (minutes) while the server is down or restarting.
    milvus_timeout: float = Field(10.0, gt=0, le=600, description="seconds per Milvus call")

    chunk_words: int = Field(180, ge=20, le=2000, description="target words per passage")
    chunk_overlap_words: int = Field(40, ge=0, description="words carried into the next passage")
    # The encoder's working memory when ingesting follows its batches: ONNX takes up to 128 word
    # pieces per text of this (512 at the default), torch this many texts.
    batch_size: int = Field(
        INGEST_BATCH_SIZE, ge=1, le=1024, description="texts per encoder batch when ingesting"
    )
    # An ingest reads, embeds and writes its documents in parts of about this many MB of files,
    # one segment each, so its memory follows this, not the size of what is ingested (a larger
    # file is a part alone); a killed ingest resumes after the last part written.
    ingest_part_mb: float = Field(16.0, gt=0, le=4096, description="MB of files per ingest part")
    # Sentences an ingest has embedded are kept (their int8 codes, ~0.5 KB each) up to this
    # budget, so that text repeated across files is embedded once; 0 turns it off.
    ingest_sentence_cache_mb: float = Field(
        SENTENCE_CACHE_MB, ge=0, le=65536, description="MB of sentence vectors reused in an ingest"
    )
    keep_versions: int = Field(3, ge=1, description="finished index versions kept on disk")

    default_k: int = Field(5, ge=1)
    max_k: int = Field(50, ge=1, le=1000)
    max_question_chars: int = Field(1000, ge=10)
    # Below this best cosine among the returned passages a question is `answerable: false`: the
    # floor for questions off the documents' subject (probes such as "What is the capital of
    # France?" score 0.12 at most). Questions on the subject are judged by index/answer/abstain.py;
    # on the dev sets any floor above the lowest answerable best cosine (0.25) only adds false
    # abstentions (docs/abstention.md).
    min_answer_score: float = Field(0.2, ge=-1.0, le=1.0)
    # A question asking for a quantity, date, person, place or amount is answerable only when a
    # sentence of the best passages holds one and is about the question: shares enough of its
    # rare words, or is at least this close to it in meaning (index/answer/abstain.py,
    # docs/abstention.md). Lower: fewer false abstentions and fewer unanswerable questions caught.
    abstain_sentence_cosine: float = Field(MIN_SENTENCE_COSINE, ge=-1.0, le=1.01)

    api_key: SecretStr | None = Field(None, description="the key writes need in X-API-Key")
    # Unset, reads are open; set, reads need it (or the write key) in X-API-Key.
    read_key: SecretStr | None = Field(None, description="the key reads need in X-API-Key")
    # A key's sha256 (64 hex digits) instead of the key itself: what a collection's settings
    # carry (service/collections.py), so no key is kept in clear in its home.
    api_key_sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    read_key_sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    # Opens the collection admin routes (POST, GET /collections, DELETE /collections/{name})
    # and nothing else; unset, those answer 403 (docs/operations.md "Collections").
    admin_key: SecretStr | None = Field(None, description="the key of the collection admin routes")
    max_collections: int = Field(32, ge=0, le=10_000, description="named collections at most")
    # Browser origins allowed to call the API (CORS); empty: no CORS headers at all.
    # "https://a.example,https://b.example" or a JSON list.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_upload_mb: int = Field(50, ge=1)
    write_wait_seconds: float = Field(30.0, ge=0, description="how long a write waits for another")
    # Watching the sources of record (`citeqa watch`, `citeqa serve --watch`; docs/operations.md).
    watch: bool = Field(False, description="serve: keep the index in step with its sources")
    # A burst of changes ends after this long without a new one, and becomes one write.
    watch_debounce_seconds: float = Field(0.5, gt=0, le=60)
    # A burst that never pauses is still written this often.
    watch_max_wait_seconds: float = Field(5.0, gt=0, le=600)
    # A file is read once its size and mtime have not moved for this long (0: at once).
    watch_stable_seconds: float = Field(0.5, ge=0, le=60)
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64, description="uvicorn worker processes for `citeqa serve`")
    # One question is too small to split over cores: with 2 threads per encode, concurrent
    # requests (and any other busy process) make torch's threads wait on each other.
    query_threads: int = Field(1, ge=1, le=64, description="encoder threads for answering")
    log_format: Literal["text", "json"] = Field(
        "text", description="one line per request: plain text, or a JSON object (CITEQA_LOG_FORMAT)"
    )

    @field_validator("home", "corpus", "uploads", "model_cache")
    @classmethod
    def _absolute(cls, path: Path | None) -> Path | None:
        return path.expanduser().resolve() if path else None

    @field_validator("api_key", "read_key", "admin_key", mode="before")
    @classmethod
    def _usable_key(cls, key: object) -> object:
        """An empty key means unset (never "any empty header matches"); a key that cannot
        travel unchanged in an HTTP header (outer spaces, non-ASCII, controls) is refused."""
        if isinstance(key, SecretStr):
            key = key.get_secret_value()
        if isinstance(key, str):
            if key == "":
                return None
            if not re.fullmatch(r"[!-~]+( +[!-~]+)*", key):
                # The value itself is never echoed: it is a secret.
                raise ValueError(
                    "must be printable ASCII without leading or trailing spaces "
                    "(it is sent in the X-API-Key header)"
                )
        return key

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origin_list(cls, value: object) -> object:
        """A comma-separated string or a JSON list -> origins like https://host[:port]."""
        if isinstance(value, str):
            text = value.strip()
            value = json.loads(text) if text.startswith("[") else text.split(",")
        if not isinstance(value, list):
            return value
        origins = [str(o).strip().rstrip("/") for o in value if str(o).strip()]
        for origin in origins:
            if origin != "*" and not re.fullmatch(r"https?://[^/\s?#]+", origin):
                raise ValueError(
                    f"{origin!r} is not an origin: give scheme://host[:port], e.g. "
                    "https://app.example.org, or *"
                )
        return origins

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.chunk_overlap_words >= self.chunk_words:
            raise ValueError("CITEQA_CHUNK_OVERLAP_WORDS must be smaller than CITEQA_CHUNK_WORDS")
        if self.watch_max_wait_seconds < self.watch_debounce_seconds:
            raise ValueError(
                "CITEQA_WATCH_MAX_WAIT_SECONDS must not be below CITEQA_WATCH_DEBOUNCE_SECONDS"
            )
        if self.watch and self.workers > 1:
            raise ValueError(
                "CITEQA_WATCH needs CITEQA_WORKERS=1: one process watches and writes, or "
                "run `citeqa watch` beside the workers"
            )
        if self.default_k > self.max_k:
            raise ValueError("CITEQA_DEFAULT_K must not exceed CITEQA_MAX_K")
        lite = self.vector_store == "milvus" and not self.milvus_uri.startswith(("http:", "https:"))
        if lite and self.workers > 1:
            raise ValueError(
                "CITEQA_WORKERS must be 1 with Milvus Lite (one process per database): "
                "set CITEQA_MILVUS_URI to a Milvus server for several workers"
            )
        if lite and self.milvus_uri and not self.milvus_uri.endswith(".db"):
            raise ValueError("CITEQA_MILVUS_URI must be http(s)://host:port or a path ending .db")
        shipped = SHIPPED_CORPUS.resolve()
        if self.uploads_folder == shipped or shipped in self.uploads_folder.parents:
            raise ValueError("CITEQA_UPLOADS must not be inside the shipped corpus")
        return self

    @property
    def writes_keyed(self) -> bool:
        """Whether a write key is configured (in clear or as its sha256)."""
        return self.api_key is not None or self.api_key_sha256 is not None

    @property
    def reads_keyed(self) -> bool:
        """Whether reads need a key (the read key, in clear or as its sha256, or the write key)."""
        return self.read_key is not None or self.read_key_sha256 is not None

    @property
    def uploads_folder(self) -> Path:
        """Where added documents' files live: CITEQA_UPLOADS, else HOME/uploads."""
        return self.uploads or self.home / "uploads"

    @property
    def chunking(self) -> ChunkSettings:
        return ChunkSettings(self.chunk_words, self.chunk_overlap_words)

    def load_encoder(self, threads: int | None = None) -> Encoder:
        """The configured model and backend; `threads` caps its threads (None: all cores)."""
        return load_encoder(self.model, self.backend, self.model_cache, threads)

    def build_options(
        self,
        encoder: Encoder | None = None,
        progress: bool = False,
        on_progress: Callable[[dict[str, Any]], None] | None = None,
        compact: bool = True,
        log_progress: bool = False,
    ) -> BuildOptions:
        """How to build indexes; `encoder` opens the vector store for its model (Milvus).
        `progress`: a bar on stderr; `log_progress`: a log line per stage; `on_progress`: the
        counts after each change (index/storage/progress.py)."""
        return BuildOptions(
            self.chunking,
            batch_size=self.batch_size,
            keep_versions=self.keep_versions,
            progress=progress,
            log_progress=log_progress,
            compact=compact,
            on_progress=on_progress,
            store=self.open_vector_store(encoder) if encoder is not None else None,
            sentence_vectors=self.sentence_vectors,
            sentence_encoder=self.sentence_encoder(encoder) if encoder is not None else None,
            part_mb=self.ingest_part_mb,
            sentence_cache_mb=self.ingest_sentence_cache_mb,
        )

    def sentence_encoder(self, encoder: Encoder) -> Encoder | None:
        """What embeds sentences at ingest when it is not `encoder` itself (None)."""
        backend = self.sentence_backend
        threads = getattr(encoder.model, "workers", None)
        if backend == "auto":
            if encoder.backend != "onnx" or not has_int8_dot_products():
                return None
            try:
                return _shared_encoder(self.model, "onnx-q8", self.model_cache, threads)
            except ModelError as err:  # a read-only model cache without the q8 graph, say
                logging.getLogger("citeqa").warning(
                    "sentences embedded by the float model: %s", err
                )
                return None
        if backend == "same" or backend == encoder.backend:
            return None
        return _shared_encoder(self.model, backend, self.model_cache, threads)

    def open_vector_store(self, encoder: Encoder) -> VectorStore | None:
        """The Milvus store for this model (opened once per process), or None for FAISS."""
        if self.vector_store == "faiss":
            return None
        uri = self.milvus_uri or str(self.home / "milvus.db")
        token = self.milvus_token.get_secret_value() if self.milvus_token else None
        try:
            spec = VectorStoreSpec(uri, token, self.milvus_collection, self.milvus_timeout)
            return spec.open(ModelIdentity.of(encoder))
        except ImportError as err:
            raise ValueError(
                "CITEQA_VECTOR_STORE=milvus needs the milvus extra: pip install 'citeqa[milvus]'"
            ) from err


@functools.cache
def _shared_encoder(model: str, backend: str, cache: Path | None, threads: int | None) -> Encoder:
    """One encoder per process for each (model, backend, threads): every write reuses it."""
    return load_encoder(model, backend, cache, threads)


def load_settings() -> Settings:
    """Settings from the environment; a bad value raises ValueError naming the variable."""
    try:
        return Settings()
    except ValidationError as err:
        first = err.errors()[0]
        name = "CITEQA_" + str(first["loc"][0]).upper() if first["loc"] else "CITEQA_*"
        raise ValueError(f"invalid setting {name}: {first['msg']}") from None
