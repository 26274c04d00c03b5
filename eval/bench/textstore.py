"""Memory of a segment's texts: JSON Lines read whole into objects vs the memory-mapped store.

    python -m citeqa.eval.bench.textstore synth --source SEGMENT --passages 1000000 --out DIR
        derives DIR/legacy (documents.jsonl, passages.jsonl) and DIR/mapped (the text store) of
        `--passages` passages by copying the source segment's documents under new ids (no vectors:
        only the texts are measured)
    python -m citeqa.eval.bench.textstore home --texts DIR --like HOME
        DIR/home-legacy and DIR/home-mapped: index homes of one segment holding those texts,
        random unit vectors and a BM25 of one word a passage (only the texts are real), with the
        model settings of the index in HOME, for `serve`
    python eval/bench/textstore.py texts {objects,store} FOLDER
        in this process: memory before and after loading the texts (objects: as citeqa did
        before the store, one Document and one Passage object each; store: index/textstore.py,
        which reads JSON Lines whole and maps the store's files), then after reading 1,000 random
        passages and 100 documents' titles; one JSON line
    python eval/bench/textstore.py version HOME
        the same around `load_current` of a whole index version (the encoder loaded before)
    python eval/bench/textstore.py serve HOME --workers N
        `citeqa serve` on HOME with N workers, after 40 questions: memory of each process

Run as a file, the last two import whichever citeqa PYTHONPATH names, so one script measures
the code before and after. Memory is read from /proc/self/smaps_rollup: Rss (resident, shared
file pages included), Pss (shared pages divided among the processes mapping them) and Anonymous
(private heap: what each worker process pays alone).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np


def memory_mb(pid: int | str = "self") -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":")
        fields[name] = int(value.split()[0]) / 1024
    return {k.lower(): round(fields[k], 1) for k in ("Rss", "Pss", "Anonymous")}


def _delta(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {k: round(after[k] - before[k], 1) for k in after}


def load_objects(folder: Path) -> tuple[object, object]:
    """The texts as load_segment read them before the text store (its code, unchanged)."""
    from citeqa.corpus import Document, Heading, Page, Passage

    documents = {}
    with (folder / "documents.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            row["pages"] = [Page(**p) for p in row["pages"]]
            row["headings"] = [Heading(**h) for h in row["headings"]]
            documents[row["id"]] = Document(**row)
    with (folder / "passages.jsonl").open(encoding="utf-8") as f:
        passages = []
        for line in f:
            row = json.loads(line)
            text = documents[row["doc_id"]].text[row["start"] : row["end"]]
            passages.append(Passage(text=text, **row))
    return documents, passages


def measure_texts(how: str, folder: Path) -> dict[str, object]:
    import citeqa.corpus  # noqa: F401  # imported before measuring: not the texts' memory

    if how == "store":
        from citeqa.index.segment import open_texts
        from citeqa.index.textstore import Documents, Passages
    gc.collect()
    before, started = memory_mb(), time.perf_counter()
    if how == "objects":
        documents, passages = load_objects(folder)
        titles = lambda ids: [documents[i].title for i in ids]  # type: ignore[index]  # noqa: E731
    else:
        store = open_texts(folder)
        passages, documents = Passages(store), Documents(store)
        titles = lambda ids: [documents[i].title for i in ids]  # noqa: E731
    seconds = time.perf_counter() - started
    gc.collect()
    loaded = memory_mb()
    rows = random.Random(0).sample(range(len(passages)), 1000)  # type: ignore[arg-type]
    picked = [passages[r] for r in rows]  # type: ignore[index]
    titles([p.doc_id for p in picked[:100]])
    gc.collect()
    used = memory_mb()
    return {
        "how": how,
        "folder": str(folder),
        "passages": len(passages),  # type: ignore[arg-type]
        "load_seconds": round(seconds, 2),
        "loaded_mb": _delta(loaded, before),
        "after_1000_passages_mb": _delta(used, before),
    }


def measure_version(home: Path) -> dict[str, object]:
    import citeqa.index as index_module
    from citeqa.index import load_current
    from citeqa.service.settings import Settings

    encoder = Settings(home=home).load_encoder()
    gc.collect()
    before, started = memory_mb(), time.perf_counter()
    version = load_current(home, encoder)
    seconds = time.perf_counter() - started
    gc.collect()
    loaded = memory_mb()
    rows = random.Random(0).sample(range(len(version.passages)), 1000)
    picked = [version.passages[r] for r in rows]
    [version.documents[p.doc_id].title for p in picked[:100]]
    gc.collect()
    used = memory_mb()
    return {
        "code": str(Path(index_module.__file__).parent),
        "home": str(home),
        "passages": len(version.passages),
        "load_seconds": round(seconds, 2),
        "process_before_mb": before,
        "loaded_mb": _delta(loaded, before),
        "after_1000_passages_mb": _delta(used, before),
    }


def measure_serve(home: Path, workers: int, questions: Path) -> dict[str, object]:
    import httpx

    from citeqa.eval.bench.common import Service

    rows = [json.loads(line) for line in questions.read_text().splitlines()[:40]]
    asked = [row.get("question") or row["text"] for row in rows]  # a QA set or BEIR queries
    with Service(home, workers=workers) as service:
        for question in asked:
            httpx.post(service.url + "/ask", json={"question": question}, timeout=60)
        main = service.process.pid
        children = Path(f"/proc/{main}/task/{main}/children").read_text().split()
        processes = {str(main): memory_mb(main), **{pid: memory_mb(pid) for pid in children}}
    kinds = ("rss", "pss", "anonymous")
    total = {k: round(sum(m[k] for m in processes.values()), 1) for k in kinds}
    return {"home": str(home), "workers": workers, "total_mb": total, "processes_mb": processes}


def synth(source: Path, passages: int, out: Path) -> None:
    """Copies of the source segment's documents (ids prefixed "c<n>/") until `passages`."""
    from citeqa.corpus import Document, Passage
    from citeqa.index.segment import open_texts

    store = open_texts(source)
    docs = [store.document(row).load() for row, _, _, _ in store.spans()]
    base = [store.passage(r) for r in range(store.rows)]
    by_doc: dict[str, list[Passage]] = {}
    for p in base:
        by_doc.setdefault(p.doc_id, []).append(p)
    all_docs: list[Document] = []
    all_passages: list[Passage] = []
    copy = 0
    while len(all_passages) < passages:
        for doc in docs:
            doc_id = f"c{copy}/{doc.id}"
            all_docs.append(Document(**{**asdict(doc), "id": doc_id}))
            for p in by_doc.get(doc.id, []):
                ordinal = p.id.rpartition("#")[2]
                all_passages.append(
                    Passage(**{**asdict(p), "id": f"{doc_id}#{ordinal}", "doc_id": doc_id})
                )
            if len(all_passages) >= passages:
                break
        copy += 1
    legacy, mapped = out / "legacy", out / "mapped"
    for folder in (legacy, mapped):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    with (legacy / "documents.jsonl").open("w", encoding="utf-8") as f:
        f.writelines(json.dumps(asdict(d), ensure_ascii=False) + "\n" for d in all_docs)
    with (legacy / "passages.jsonl").open("w", encoding="utf-8") as f:
        for p in all_passages:
            row = {k: v for k, v in asdict(p).items() if k != "text"}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    (legacy / "segment.json").write_text("{}")
    del all_docs, all_passages
    open_texts(legacy).write(mapped)  # the store built from the JSON Lines, as a load does
    (mapped / "segment.json").write_text(json.dumps({"texts": "mapped"}))
    print(f"{passages} passages -> {out}")


def synth_home(texts: Path, like: Path) -> None:
    from citeqa.index.keyword import KeywordIndex
    from citeqa.index.store import Manifest, new_version_name, publish, read_manifest
    from citeqa.index.textstore import TEXT_FILES, TextStore

    model = read_manifest(like)
    assert model is not None
    store = TextStore.open(texts / "mapped")
    spans = [(doc_id, end - start) for _, doc_id, start, end in store.spans()]
    shared = texts / "shared"
    if not shared.exists():
        shared.mkdir()
        vectors = np.lib.format.open_memmap(
            shared / "vectors.npy", "w+", np.float32, (store.rows, model.dimension)
        )
        generator = np.random.default_rng(0)
        for start in range(0, store.rows, 65536):
            part = generator.standard_normal((min(65536, store.rows - start), model.dimension))
            vectors[start : start + len(part)] = part / np.linalg.norm(part, axis=1, keepdims=True)
        vectors.flush()
        words = [f"word{row % 5000}" for row in range(store.rows)]
        KeywordIndex.build(words).save(shared / "keyword")
    name = "00000001-aaaaaa"
    for kind, files in (("legacy", ("documents.jsonl", "passages.jsonl")), ("mapped", TEXT_FILES)):
        home = texts / f"home-{kind}"
        shutil.rmtree(home, ignore_errors=True)
        segment = home / "segments" / name
        shutil.copytree(shared, segment, copy_function=os.link)
        for file in files:
            os.link(texts / kind / file, segment / file)
        meta = {"name": name, "seq": 1, "rows": store.rows, "vectors": "file"}
        meta["model_fingerprint"] = model.model_fingerprint
        if kind == "mapped":
            meta["texts"] = "mapped"
        (segment / "segment.json").write_text(json.dumps(meta))
        manifest = {
            **asdict(model),
            "version": new_version_name(),
            "documents": {doc_id: "synthetic" for doc_id, _ in spans},
            "passages": store.rows,
            "segments": {name: store.rows},
            "placement": {doc_id: name for doc_id, _ in spans},
            "doc_passages": dict(spans),
        }
        publish(home, Manifest(**manifest))
        print(f"{home}: {len(spans)} documents, {store.rows} passages")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("synth")
    make.add_argument("--source", type=Path, required=True)
    make.add_argument("--passages", type=int, default=1_000_000)
    make.add_argument("--out", type=Path, required=True)
    make_home = commands.add_parser("home")
    make_home.add_argument("--texts", type=Path, required=True)
    make_home.add_argument("--like", type=Path, required=True)
    texts = commands.add_parser("texts")
    texts.add_argument("how", choices=["objects", "store"])
    texts.add_argument("folder", type=Path)
    version = commands.add_parser("version")
    version.add_argument("home", type=Path)
    serve = commands.add_parser("serve")
    serve.add_argument("home", type=Path)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--questions", type=Path, default=Path("eval/sets/asean.jsonl"))
    args = parser.parse_args(argv)
    if args.command == "synth":
        synth(args.source, args.passages, args.out)
    elif args.command == "home":
        synth_home(args.texts, args.like)
    elif args.command == "texts":
        print(json.dumps(measure_texts(args.how, args.folder)))
    elif args.command == "version":
        print(json.dumps(measure_version(args.home)))
    else:
        print(json.dumps(measure_serve(args.home, args.workers, args.questions)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
