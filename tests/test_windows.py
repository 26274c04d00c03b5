"""A large part embedded in windows (index/storage/windows.py): the same vectors as in one go,
each window kept on disk by a name that changes with what made it, reused, and removed after."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from citeqa.corpus import ChunkSettings, Passage, chunk_document, load_document
from citeqa.index.encoder import Encoder
from citeqa.index.retrieval.sentences import embed_passages
from citeqa.index.storage.files import save_array, whole_npy_file
from citeqa.index.storage.segment import write_segment
from citeqa.index.storage.windows import (
    WINDOWS_DIR,
    assembling,
    embed_part,
    window_name,
    windows_of,
)
from citeqa.service.settings import SHIPPED_CORPUS

KEY = {"model": "the test's", "sentences": True}


def shipped_passages(count: int) -> list[Passage]:
    path = sorted(SHIPPED_CORPUS.glob("*.md"))[0]
    return chunk_document(load_document(path, path.name), ChunkSettings())[:count]


def never(*_: object) -> None:
    raise AssertionError("embedded again")


def test_windows_cover_the_passages_in_order_by_their_text() -> None:
    passages = shipped_passages(12)
    chars = sum(len(p.text) for p in passages)
    windows = windows_of(passages, chars // 4)
    assert [r for w in windows for r in w] == list(range(12))
    assert 3 <= len(windows) <= 5
    assert windows_of(passages, chars * 2) == [range(12)]
    assert windows_of([], 100) == [range(0)]


def test_a_window_name_changes_with_its_texts_and_what_embeds_them() -> None:
    passages = shipped_passages(4)
    name = window_name(KEY, passages)
    assert window_name(dict(reversed(KEY.items())), passages) == name  # order of the key
    assert window_name(KEY | {"model": "another"}, passages) != name
    assert window_name(KEY, passages[:3]) != name
    changed = [*passages[:3], Passage(**{**passages[3].__dict__, "text": "Something else."})]
    assert window_name(KEY, changed) != name


def test_windows_give_the_vectors_of_one_go_and_are_reused_then_removed(
    tmp_path: Path, encoder: Encoder
) -> None:
    passages = shipped_passages(8)
    whole_vectors, whole_sentences = embed_passages(passages, encoder)
    assert whole_sentences is not None
    window = sum(len(p.text) for p in passages) // 3
    told: list[float] = []
    with assembling(tmp_path, passages, KEY, window):
        made = embed_part(
            passages,
            encoder,
            tmp_path,
            KEY,
            window_chars=window,
            on_embedded=lambda _p, _s, share: told.append(share),
        )
        assert made.resumed == 0 and made.sentences is not None
        assert np.allclose(made.vectors, whole_vectors, atol=1e-5)
        assert np.array_equal(made.sentences.rows, whole_sentences.rows)
        every = np.arange(len(whole_sentences))
        for query in whole_vectors[:3]:
            assert np.allclose(
                made.sentences.cosines(every, query),
                whole_sentences.cosines(every, query),
                atol=0.02,
            )
        assert abs(sum(told) - 1.0) < 1e-6  # the shares add up to the whole part
        saved = sorted((tmp_path / WINDOWS_DIR).glob("*.npz"))
        assert len(saved) == len(windows_of(passages, window)) >= 3
        # Made again (a resumed ingest): every window is read back, none embedded.
        again = embed_part(
            passages,
            encoder,
            tmp_path,
            KEY,
            window_chars=window,
            on_embedded=never,
        )
        assert again.resumed == len(passages)
        assert np.array_equal(again.vectors, made.vectors)
        # Under another key nothing is reused.
        other = embed_part(passages, encoder, tmp_path, KEY | {"model": "x"}, window_chars=window)
        assert other.resumed == 0
    left = {p.name for p in (tmp_path / WINDOWS_DIR).iterdir()}
    assert not left & {p.name for p in saved}  # this part's windows are gone
    assert not [n for n in left if n.startswith(".assembling-")]


def test_a_damaged_window_is_embedded_again(tmp_path: Path, encoder: Encoder) -> None:
    passages = shipped_passages(6)
    window = sum(len(p.text) for p in passages) // 2
    embed_part(passages, encoder, tmp_path, KEY, window_chars=window)
    first = sorted((tmp_path / WINDOWS_DIR).glob("*.npz"))[0]
    first.write_bytes(first.read_bytes()[:100])  # cut short, as by a full disk
    again = embed_part(passages, encoder, tmp_path, KEY, window_chars=window)
    assert 0 < again.resumed < len(passages)


def test_after_a_failed_write_the_windows_stay_to_resume_from(
    tmp_path: Path, encoder: Encoder
) -> None:
    passages = shipped_passages(4)
    window = sum(len(p.text) for p in passages) // 2
    with pytest.raises(OSError, match="no space"), assembling(tmp_path, passages, KEY, window):
        made = embed_part(passages, encoder, tmp_path, KEY, window_chars=window)
        assert made.vectors.shape == (4, encoder.dimension)
        raise OSError("no space left on device")  # as the segment's write would
    names = [p.name for p in (tmp_path / WINDOWS_DIR).iterdir()]
    assert len([n for n in names if n.endswith(".npz")]) == len(windows_of(passages, window)) > 1
    assert not [n for n in names if n.startswith(".assembling-")]  # the copies are removed


def test_a_windowed_part_is_written_by_linking_its_assembled_files(
    tmp_path: Path, encoder: Encoder
) -> None:
    """The segment's vector and sentence files are the assembled ones, linked, never read
    through the process (a 50 MB text's ~470 MB of them stayed out of its memory)."""
    passages = shipped_passages(8)
    doc_path = sorted(SHIPPED_CORPUS.glob("*.md"))[0]
    doc = load_document(doc_path, doc_path.name)
    window = sum(len(p.text) for p in passages) // 3
    with assembling(tmp_path, passages, KEY, window):
        made = embed_part(passages, encoder, tmp_path, KEY, window_chars=window)
        assert made.sentences is not None
        files = {"vectors.npy": made.vectors, **made.sentences.files()}
        assert all(whole_npy_file(array) is not None for array in files.values())
        segment = write_segment(
            tmp_path / "segments", "s", 1, [doc], passages, made.vectors, "fp",
            sentences=made.sentences,
        )  # fmt: skip
        for name, array in files.items():
            assert (segment / name).samefile(whole_npy_file(array))
            assert np.array_equal(np.load(segment / name), array)
        expected = {name: np.array(array) for name, array in files.items()}
    # The assembly is gone; the segment's files hold the same arrays.
    assert not list((tmp_path / WINDOWS_DIR).glob(".assembling-*"))
    for name, array in expected.items():
        assert np.array_equal(np.load(segment / name), array)


def test_only_a_whole_npy_file_s_map_is_linked(tmp_path: Path) -> None:
    array = np.arange(12, dtype=np.float32).reshape(4, 3)
    np.save(tmp_path / "a.npy", array)
    mapped = np.load(tmp_path / "a.npy", mmap_mode="r")
    assert whole_npy_file(mapped) == tmp_path / "a.npy"
    for part in (mapped[1:], mapped[:, :2], mapped[::-1], mapped.T, np.array(mapped)):
        assert whole_npy_file(part) is None
        save_array(tmp_path / "b.npy", part)
        assert np.array_equal(np.load(tmp_path / "b.npy"), part)
        assert not (tmp_path / "b.npy").samefile(tmp_path / "a.npy")
        (tmp_path / "b.npy").unlink()
