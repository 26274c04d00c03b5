"""Collections: several named corpora in one service, each with its own home, uploads, index
versions and keys, under `$CITEQA_HOME/collections/<name>`.

A collection is the ordinary app (`create_app`) built with its own `Settings`; `Collections` is
the small ASGI app mounted at /collections that loads them on first use, runs their lifespans
and sends each request to its collection by name. Every collection's Engine reads with the one
encoder the service loaded. A collection's keys are kept in its `collection.json` as sha256
digests only; its settings carry the digests, which `auth` compares in constant time.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from fastapi import FastAPI, HTTPException
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from citeqa.index.encoder import Encoder
from citeqa.index.storage import IngestError, ingest_lock, read_manifest
from citeqa.index.storage.files import fsync_dir, sync

from .settings import Settings

NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
NAME_RULE = "a collection name is 1-63 of a-z, 0-9, _ and -, starting with a letter or digit"
RECORD = "collection.json"


class CollectionError(Exception):
    """A refused collection operation; `status` is its HTTP status, the message one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def collections_root(settings: Settings) -> Path:
    return settings.home / "collections"


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise CollectionError(422, f"{name!r} is not a collection name: {NAME_RULE}")
    return name


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("latin-1", "replace")).hexdigest()


def _home(settings: Settings, name: str) -> Path:
    home = collections_root(settings) / check_name(name)
    if not (home / RECORD).is_file():
        raise CollectionError(404, f"no collection {name!r}")
    return home


def collection_settings(settings: Settings, name: str) -> Settings:
    """The settings of collection `name` of the service configured by `settings`: its own home,
    corpus and uploads folders under it, its keys as digests. Raises CollectionError."""
    home = _home(settings, name)
    record = json.loads((home / RECORD).read_text())
    return settings.model_copy(
        update={
            "home": home,
            "corpus": home / "corpus",
            "uploads": None,  # HOME/uploads
            "api_key": None,
            "read_key": None,
            "admin_key": None,
            "api_key_sha256": record["api_key_sha256"],
            "read_key_sha256": record["read_key_sha256"],
            # Served from the index's own files: one Milvus collection per model would be
            # shared by every corpus, and watching is for the top-level sources of record.
            "vector_store": "faiss",
            "milvus_uri": "",
            "watch": False,
            "cors_origins": [],  # the service's CORS middleware answers for every collection
        }
    )


def names(settings: Settings) -> list[str]:
    root = collections_root(settings)
    if not root.is_dir():
        return []
    found = (p.name for p in root.iterdir() if (p / RECORD).is_file())
    return sorted(name for name in found if NAME.fullmatch(name))


def document_count(settings: Settings, name: str) -> int:
    """Documents in the collection's current index (its manifest), 0 before the first write."""
    manifest = read_manifest(collections_root(settings) / name)
    return len(manifest.documents) if manifest else 0


def create(settings: Settings, name: str, api_key: str, read_key: str | None = None) -> Path:
    """Make collection `name` with its write key and read key (without one, reads need the write
    key: a collection is never open to callers without its keys). Returns its home."""
    check_name(name)
    for label, key in (("api_key", api_key), ("read_key", read_key)):
        if key is not None and not re.fullmatch(r"[!-~]{16,512}", key):
            raise CollectionError(
                422, f"{label} must be 16-512 printable ASCII characters without spaces"
            )
    home = collections_root(settings) / name
    if (home / RECORD).exists():
        raise CollectionError(409, f"collection {name!r} exists")
    if len(names(settings)) >= settings.max_collections:
        raise CollectionError(
            409,
            f"{settings.max_collections} collections exist, the limit "
            "(CITEQA_MAX_COLLECTIONS): delete one first",
        )
    (home / "corpus").mkdir(parents=True, exist_ok=True)
    record = {
        "name": name,
        "api_key_sha256": _digest(api_key),
        "read_key_sha256": _digest(read_key or api_key),
    }
    # Written last, under a temporary name: its presence is what makes the folder a collection.
    tmp = home / f"{RECORD}.tmp"
    with tmp.open("w") as f:
        f.write(json.dumps(record, indent=2))
        sync(f)
    tmp.replace(home / RECORD)
    fsync_dir(home)
    return home


def delete(settings: Settings, name: str) -> None:
    """Remove collection `name` and everything in its home; 409 while a write holds it."""
    with _unwritten(settings, name) as home:
        _remove(home)


@contextmanager
def _unwritten(settings: Settings, name: str) -> Iterator[Path]:
    """Holds collection `name`'s write lock (CollectionError 409 if a write holds it)."""
    home = _home(settings, name)
    try:
        lock = ingest_lock(home, 0.0)
        lock.__enter__()
    except IngestError as err:
        raise CollectionError(409, f"collection {name!r} is being written; try again") from err
    try:
        yield home
    finally:
        lock.__exit__(None, None, None)


def _remove(home: Path) -> None:
    (home / RECORD).unlink()  # first: a half-removed folder is no longer a collection
    shutil.rmtree(home)


def key_matches(given: str | None, key: str) -> bool:
    return given is not None and hmac.compare_digest(
        given.encode("latin-1", "replace"), key.encode("latin-1", "replace")
    )


@dataclass
class _Loaded:
    app: FastAPI
    exit: AsyncExitStack


class Collections:
    """The ASGI app at /collections: `/{name}/...` goes to collection `name`'s app, loaded (its
    index opened, its lifespan entered) on first use and kept until deleted or shut down."""

    def __init__(
        self,
        settings: Settings,
        encoder: Callable[[], Encoder],
        build: Callable[[Settings, Encoder], FastAPI],
    ) -> None:
        self.settings = settings
        self.encoder = encoder  # the service's, once its lifespan has loaded it
        self.build = build
        self.loaded: dict[str, _Loaded] = {}
        self.deleting: set[str] = set()
        self._lock = asyncio.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # lifespan events: each collection's lifespan is run by `load`
        root = scope.get("root_path", "")
        path: str = scope["path"]
        rest = path[len(root) :] if path.startswith(root) else path
        name = rest.lstrip("/").split("/", 1)[0]
        try:
            app = await self.load(name)
        except CollectionError as err:
            scope["route"] = SimpleNamespace(path=f"{root}/{{name}}")
            await JSONResponse({"detail": str(err)}, err.status)(scope, receive, send)
            return
        # The collection's app routes what follows its name; a copy of the scope, so the
        # service's request log and metrics keep the route template, not the collection's.
        child = {**scope, "root_path": f"{root}/{name}", "app_root_path": f"{root}/{name}"}
        try:
            await app(child, receive, send)
        finally:
            inner = getattr(child.get("route"), "path", None) or ""
            scope["route"] = SimpleNamespace(path=f"{root}/{{name}}{inner}")

    async def load(self, name: str) -> FastAPI:
        loaded = self.loaded.get(name)
        if loaded is not None:
            if (loaded.app.state.engine.settings.home / RECORD).is_file():
                return loaded.app
            # Deleted by another worker process (or the CLI): this one lets it go too.
            await self.unload(name)
        async with self._lock:
            if name in self.deleting:
                raise CollectionError(404, f"collection {name!r} is being deleted")
            if name not in self.loaded:
                settings = collection_settings(self.settings, name)
                app = self.build(settings, self.encoder())
                stack = AsyncExitStack()
                # Starlette runs no lifespan for a mounted app: its start and stop are ours.
                await stack.enter_async_context(app.router.lifespan_context(app))
                self.loaded[name] = _Loaded(app, stack)
            return self.loaded[name].app

    async def unload(self, name: str) -> None:
        async with self._lock:
            loaded = self.loaded.pop(name, None)
            if loaded is not None:
                await loaded.exit.aclose()

    async def delete(self, name: str) -> None:
        """Unload collection `name` and delete its home (CollectionError: 404, 409)."""
        with _unwritten(self.settings, name) as home:
            self.deleting.add(name)  # no request loads it again meanwhile
            try:
                await self.unload(name)
                await asyncio.to_thread(_remove, home)
            finally:
                self.deleting.discard(name)

    async def close(self) -> None:
        for name in list(self.loaded):
            with suppress(Exception):  # one failing shutdown must not keep the others open
                await self.unload(name)


def admin_check(settings: Settings, given: str | None) -> None:
    """The collection admin routes: 403 without CITEQA_ADMIN_KEY, 401 without a key, 403 wrong."""
    if settings.admin_key is None:
        raise HTTPException(403, "collections are disabled: set CITEQA_ADMIN_KEY")
    if given is None:
        raise HTTPException(401, "this endpoint needs the admin key in the X-API-Key header")
    if not key_matches(given, settings.admin_key.get_secret_value()):
        raise HTTPException(403, "wrong admin key")


def listing(settings: Settings) -> list[dict[str, Any]]:
    return [{"name": n, "documents": document_count(settings, n)} for n in names(settings)]
