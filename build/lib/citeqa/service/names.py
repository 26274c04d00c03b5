"""Unknown document ids answered with the nearest known ones ("did you mean ...?")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest_ids(doc_id: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known ids `doc_id` most likely meant: those ending with it as a path (the file name
    without its folder), then the closest spellings (difflib) of the id and of its file name."""
    ids = sorted(set(known))
    wanted = doc_id.strip("/")
    if not wanted:
        return []
    suffix = [i for i in ids if i.endswith("/" + wanted) or i.rsplit("/", 1)[-1] == wanted]
    names = {i.rsplit("/", 1)[-1]: i for i in ids}
    close = difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.6)
    close_names = difflib.get_close_matches(wanted.rsplit("/", 1)[-1], names, n=limit, cutoff=0.6)
    found = [*suffix, *close, *(names[n] for n in close_names)]
    return [i for n, i in enumerate(found) if i != doc_id and i not in found[:n]][:limit]


def unknown_id_message(doc_id: str, known: Iterable[str]) -> str:
    """ "no document with id 'x' in the index", with "; did you mean 'a/x'?" when one is near."""
    message = f"no document with id {doc_id!r} in the index"
    near = nearest_ids(doc_id, known)
    if near:
        message += "; did you mean " + " or ".join(repr(i) for i in near) + "?"
    return message
