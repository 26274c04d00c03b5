"""Where documents live: uploads in the home, removals that stick, nearest ids for unknown ones.

The command line runs as a real subprocess and HTTP goes to the real app over loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.storage import ingest, read_manifest
from citeqa.service import writes
from citeqa.service.engine import Engine
from citeqa.service.names import nearest_ids
from citeqa.service.settings import SHIPPED_CORPUS, Settings, load_settings

from .conftest import LiveServer
from .test_cli import run

KEY = {"X-API-Key": "s3cret-key"}


def _sources(root: Path) -> Path:
    """A folder of three documents, one of them in a subfolder (id "pdf/crc-notes.md")."""
    docs = root / "docs"
    (docs / "pdf").mkdir(parents=True)
    (docs / "otters.txt").write_text("Sea otters hold hands while they sleep so they do not drift.")
    (docs / "bees.md").write_text("# Bees\n\nHoney bees dance to tell the hive where flowers are.")
    (docs / "pdf" / "crc-notes.md").write_text("# CRC\n\nA cyclic redundancy check finds errors.")
    return docs


@pytest.fixture
def home(tmp_path: Path, encoder: Encoder) -> Path:
    """A home whose index holds the three documents of `_sources` (ingested from tmp/docs)."""
    settings = Settings(home=tmp_path / "home", corpus=_sources(tmp_path))
    ingest([settings.corpus], encoder, settings.home, settings.build_options())
    return settings.home


def _ids(home: Path) -> set[str]:
    manifest = read_manifest(home)
    assert manifest is not None
    return set(manifest.documents)


# --- A: uploads live in the home ----------------------------------------------------------------


def test_add_stores_the_file_in_the_home_and_says_where(home: Path, tmp_path: Path) -> None:
    note = tmp_path / "kites.txt"
    note.write_text("Box kites were invented by Lawrence Hargrave in 1893.")
    added = run(home, "add", str(note))
    assert added.returncode == 0, added.stderr
    stored = home / "uploads" / "kites.txt"
    assert added.stdout.strip() == f"added kites.txt: 1 passages, stored in {stored}"
    assert stored.read_text() == note.read_text()
    assert not (tmp_path / "docs" / "kites.txt").exists()
    assert not (SHIPPED_CORPUS / "kites.txt").exists()

    # Ingesting the source folder again keeps the upload: the uploads folder is a source too.
    again = run(home, "ingest", str(tmp_path / "docs"), "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["removed"] == [] and report["documents"] == 4
    assert "kites.txt" in _ids(home)


def test_citeqa_uploads_names_another_folder(home: Path, tmp_path: Path) -> None:
    note = tmp_path / "kites.txt"
    note.write_text("Box kites were invented by Lawrence Hargrave in 1893.")
    elsewhere = tmp_path / "my uploads"
    added = run(home, "add", str(note), uploads=str(elsewhere))
    assert added.returncode == 0, added.stderr
    assert f"stored in {elsewhere / 'kites.txt'}" in added.stdout
    assert (elsewhere / "kites.txt").is_file() and not (home / "uploads").exists()


def test_uploads_inside_the_shipped_corpus_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITEQA_UPLOADS", str(SHIPPED_CORPUS / "mine"))
    with pytest.raises(ValueError, match="CITEQA_UPLOADS must not be inside the shipped corpus"):
        load_settings()


def test_http_uploads_go_to_the_uploads_folder_and_delete_removes_the_file(
    home: Path, tmp_path: Path, encoder: Encoder
) -> None:
    settings = Settings(home=home, corpus=tmp_path / "docs", api_key="s3cret-key")
    with LiveServer(Engine(settings, encoder)) as client:
        upload = {"file": ("museum.txt", b"The clock museum opens at nine every morning.")}
        assert client.post("/documents", files=upload, headers=KEY).status_code == 201
        assert (home / "uploads" / "museum.txt").is_file()
        assert not (tmp_path / "docs" / "museum.txt").exists()
        assert client.delete("/documents/museum.txt", headers=KEY).status_code == 204
        assert not (home / "uploads" / "museum.txt").exists()
        assert "museum.txt" not in _ids(home)
    assert not (home / writes.EXCLUSIONS_FILE).exists()  # an upload is deleted, not excluded


def test_a_write_killed_in_the_uploads_folder_is_finished_or_undone(
    home: Path, tmp_path: Path, encoder: Encoder
) -> None:
    settings = Settings(home=home, corpus=tmp_path / "docs")
    writer = writes.Writer(settings, encoder, lambda: None, background_merges=False)
    writer.add("kites.txt", b"Box kites were invented in 1893.")
    uploads = settings.uploads_folder
    # A removal killed before it was published: the file moved aside, a new upload unfinished.
    (uploads / "kites.txt").rename(uploads / ".replaced-0123456789ab-kites.txt")
    (uploads / ".upload-0123456789ab").write_text("half an upload")
    notes = writes.recover_corpus(settings)
    assert len(notes) == 2 and any("put back" in n for n in notes)
    assert (uploads / "kites.txt").read_text() == "Box kites were invented in 1893."
    assert sorted(p.name for p in uploads.iterdir()) == ["kites.txt"]


# --- C: remove does what its help says ----------------------------------------------------------


def test_remove_of_a_source_document_keeps_its_file_and_it_stays_out(
    home: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    removed = run(home, "remove", "pdf/crc-notes.md")
    assert removed.returncode == 0, removed.stderr
    assert "later ingests leave it out" in removed.stdout
    assert "citeqa ingest --include pdf/crc-notes.md" in removed.stdout
    assert (docs / "pdf" / "crc-notes.md").is_file()  # the user's own file is not deleted
    assert "pdf/crc-notes.md" not in _ids(home)
    assert json.loads((home / "excluded.json").read_text()) == ["pdf/crc-notes.md"]

    again = run(home, "ingest", str(docs), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["added"] == [] and "pdf/crc-notes.md" not in _ids(home)

    back = run(home, "ingest", str(docs), "--include", "pdf/crc-notes.md", "--json")
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout)["added"] == ["pdf/crc-notes.md"]
    assert not (home / "excluded.json").exists()


def test_delete_over_http_excludes_a_source_document_and_add_brings_it_back(
    home: Path, tmp_path: Path, encoder: Encoder
) -> None:
    docs = tmp_path / "docs"
    settings = Settings(home=home, corpus=docs, api_key="s3cret-key")
    with LiveServer(Engine(settings, encoder)) as client:
        assert client.delete("/documents/otters.txt", headers=KEY).status_code == 204
        assert (docs / "otters.txt").is_file() and "otters.txt" not in _ids(home)
        assert json.loads((home / "excluded.json").read_text()) == ["otters.txt"]
    assert run(home, "ingest").returncode == 0
    assert "otters.txt" not in _ids(home)  # the next ingest does not bring it back

    # `citeqa add` of the file indexes it again, as an upload; later ingests keep that copy.
    added = run(home, "add", str(docs / "otters.txt"))
    assert added.returncode == 0, added.stderr
    assert (home / "uploads" / "otters.txt").is_file() and "otters.txt" in _ids(home)
    again = run(home, "ingest", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["removed"] == [] and "otters.txt" in _ids(home)


def test_remove_of_an_added_document_deletes_its_file(home: Path, tmp_path: Path) -> None:
    note = tmp_path / "kites.txt"
    note.write_text("Box kites were invented by Lawrence Hargrave in 1893.")
    assert run(home, "add", str(note)).returncode == 0
    removed = run(home, "remove", "kites.txt")
    assert removed.returncode == 0, removed.stderr
    stored = home / "uploads" / "kites.txt"
    assert removed.stdout.strip() == f"removed kites.txt and deleted its file {stored}"
    assert not stored.exists() and note.is_file()


def test_remove_help_says_what_happens_to_the_file(tmp_path: Path) -> None:
    shown = " ".join(run(tmp_path / "home", "remove", "--help").stdout.split())
    assert "has its file deleted" in shown and "keeps its file" in shown
    assert "--include" in shown


# --- D: unknown ids get the nearest matches ----------------------------------------------------


def test_unknown_ids_name_the_nearest_ones_in_the_cli(home: Path) -> None:
    for args in (["remove", "crc-notes.md"], ["documents", "crc-notes.md"]):
        result = run(home, *args)
        assert result.returncode == 1
        assert result.stderr.strip().endswith(
            "no document with id 'crc-notes.md' in the index; did you mean 'pdf/crc-notes.md'?"
        ), result.stderr
    typo = run(home, "remove", "oters.txt")
    assert "did you mean 'otters.txt'?" in typo.stderr
    far = run(home, "remove", "zzzz.pdf")
    assert "did you mean" not in far.stderr and "no document with id 'zzzz.pdf'" in far.stderr


def test_unknown_ids_name_the_nearest_ones_over_http(
    home: Path, tmp_path: Path, encoder: Encoder
) -> None:
    settings = Settings(home=home, corpus=tmp_path / "docs", api_key="s3cret-key")
    wanted = "no document with id 'crc-notes.md' in the index; did you mean 'pdf/crc-notes.md'?"
    with LiveServer(Engine(settings, encoder)) as client:
        for response in (
            client.get("/documents/crc-notes.md"),
            client.delete("/documents/crc-notes.md", headers=KEY),
            client.put(
                "/documents/crc-notes.md", files={"file": ("c.md", b"# x\n\ny")}, headers=KEY
            ),
        ):
            assert response.status_code == 404
            assert response.json() == {"detail": wanted}


def test_nearest_ids() -> None:
    ids = ["pdf/bzip2-manual.pdf", "pdf/crc-doc.pdf", "notes/bzip.md", "otters.txt"]
    assert nearest_ids("bzip2-manual.pdf", ids)[0] == "pdf/bzip2-manual.pdf"
    assert nearest_ids("pdf/crc-doc.pdf", ids) == []  # known ids are not "near" themselves
    assert nearest_ids("", ids) == []


# --- B: sources of record -----------------------------------------------------------------------


def _notes(root: Path, count: int) -> Path:
    folder = root / "notes"
    folder.mkdir()
    for i in range(count):
        (folder / f"note-{i}.txt").write_text(f"Note {i}: the tide table for pier {i} is posted.")
    return folder


def test_a_bare_ingest_resyncs_the_recorded_sources_and_uploads(home: Path, tmp_path: Path) -> None:
    notes = _notes(tmp_path, 2)
    added = run(home, "ingest", str(notes), "--json")  # a new folder joins the sources
    assert added.returncode == 0, added.stderr
    report = json.loads(added.stdout)
    assert report["added"] == ["note-0.txt", "note-1.txt"] and report["removed"] == []
    assert report["documents"] == 5
    kite = tmp_path / "kites.txt"
    kite.write_text("Box kites were invented by Lawrence Hargrave in 1893.")
    assert run(home, "add", str(kite)).returncode == 0

    (notes / "note-1.txt").write_text("Note 1: the pier is closed for repairs.")
    (tmp_path / "docs" / "bees.md").unlink()
    bare = run(home, "ingest", "--json", corpus=str(SHIPPED_CORPUS))
    assert bare.returncode == 0, bare.stderr
    report = json.loads(bare.stdout)
    assert report["changed"] == ["note-1.txt"] and report["removed"] == ["bees.md"]
    assert report["added"] == [] and report["documents"] == 5  # not the shipped corpus
    manifest = read_manifest(home)
    assert manifest is not None
    assert {Path(r) for r in manifest.roots} == {tmp_path / "docs", notes, home / "uploads"}


def test_a_new_home_starts_from_the_corpus_folder(tmp_path: Path) -> None:
    docs = _sources(tmp_path)
    result = run(tmp_path / "home", "ingest", "--json", corpus=str(docs))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["documents"] == 3


def test_an_ingest_removing_many_documents_needs_prune(home: Path, tmp_path: Path) -> None:
    notes = _notes(tmp_path, 6)
    assert run(home, "ingest", str(notes)).returncode == 0  # 9 documents
    for i in range(4):
        (notes / f"note-{i}.txt").unlink()
    before = read_manifest(home)

    refused = run(home, "ingest")
    assert refused.returncode == 1
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "would remove 4 of 9 documents (note-0.txt, note-1.txt" in refused.stderr
    assert "--prune" in refused.stderr and "Traceback" not in refused.stderr
    assert read_manifest(home) == before

    dry = run(home, "ingest", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    plan = json.loads(dry.stdout)
    assert plan["removed"] == [f"note-{i}.txt" for i in range(4)] and plan["added"] == []
    assert len(plan["unchanged"]) == 5
    text = run(home, "ingest", "--dry-run")
    assert "would be removed (4): note-0.txt, note-1.txt, note-2.txt, note-3.txt" in text.stdout
    assert read_manifest(home) == before

    pruned = run(home, "ingest", "--prune", "--json")
    assert pruned.returncode == 0, pruned.stderr
    assert json.loads(pruned.stdout)["removed"] == [f"note-{i}.txt" for i in range(4)]


def test_drop_source_removes_only_its_documents(home: Path, tmp_path: Path) -> None:
    notes = _notes(tmp_path, 5)
    assert run(home, "ingest", str(notes)).returncode == 0
    unknown = run(home, "ingest", "--drop-source", str(tmp_path / "elsewhere"))
    assert unknown.returncode == 1 and "is not a recorded source" in unknown.stderr
    dropped = run(home, "ingest", "--drop-source", str(notes), "--json")
    assert dropped.returncode == 0, dropped.stderr
    report = json.loads(dropped.stdout)
    assert report["removed"] == [f"note-{i}.txt" for i in range(5)] and report["documents"] == 3
    assert notes.is_dir() and len(list(notes.iterdir())) == 5  # files are not touched


def test_ids_clashing_across_sources_are_refused(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "otters.txt").write_text("River otters are not sea otters.")
    clash = run(home, "ingest", str(other))
    assert clash.returncode == 1
    assert "two documents have the id 'otters.txt'" in clash.stderr
    assert str(tmp_path / "docs") in clash.stderr and str(other) in clash.stderr


def test_a_vanished_source_is_named_and_prune_drops_it(home: Path, tmp_path: Path) -> None:
    notes = _notes(tmp_path, 1)
    assert run(home, "ingest", str(notes)).returncode == 0
    (notes / "note-0.txt").unlink()
    notes.rmdir()
    gone = run(home, "ingest")
    assert gone.returncode == 1
    assert f"the recorded source {notes} no longer exists" in gone.stderr
    assert "--drop-source" in gone.stderr
    pruned = run(home, "ingest", "--prune", "--json")
    assert pruned.returncode == 0, pruned.stderr
    assert json.loads(pruned.stdout)["removed"] == ["note-0.txt"]
