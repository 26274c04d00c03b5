"""What one `citeqa serve` worker costs to start: seconds until it answers, memory, and whether
torch is loaded, for one checkout or several side by side.

    python -m citeqa.eval.bench.startup --out var/bench                       # this checkout, var/
    python -m citeqa.eval.bench.startup --side old=/path/old/.venv/bin:/path/old/var \\
        --side new=.venv/bin:var --runs 5 --out var/bench                     # two, interleaved

Each run starts `BIN/citeqa serve` on a free loopback port with CITEQA_HOME=HOME (an index must be
there: `citeqa ingest`), times it from spawn until `GET /health` answers 200 (the model and the
index are loaded and warmed before the server accepts), reads the memory of its process tree from
/proc (RSS, and PSS, which shares the page cache fairly), looks for a torch library in its memory
maps, asks ASKS questions over HTTP, then stops it. Runs of the sides alternate, so a change in the
machine's load falls on all of them; medians go to OUT/startup.json.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from .common import machine, write_json

QUESTION = "When did South Korea become a full dialogue partner of ASEAN?"


@dataclass(frozen=True)
class Side:
    name: str
    bin: Path  # a venv's bin folder holding `citeqa`
    home: Path  # a CITEQA_HOME holding an index


def _process_tree(pid: int) -> list[int]:
    """`pid` and its live descendants (uvicorn's workers are children of the server)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])  # after the command's name
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        if Path(f"/proc/{current}").exists():
            found.append(current)
        todo.extend(children.get(current, []))
    return found


def _kb(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _memory(pid: int) -> dict[str, object]:
    tree = _process_tree(pid)
    maps = ""
    for member in tree:
        try:
            maps += Path(f"/proc/{member}/maps").read_text()
        except OSError:
            continue
    return {
        "rss_mb": round(sum(_kb(f"/proc/{p}/status", "VmRSS") for p in tree) / 1024, 1),
        "pss_mb": round(sum(_kb(f"/proc/{p}/smaps_rollup", "Pss") for p in tree) / 1024, 1),
        "processes": len(tree),
        "torch_loaded": "libtorch" in maps,
    }


def one_run(side: Side, asks: int, timeout: float = 180.0) -> dict[str, object]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CITEQA_HOME": str(side.home), "HF_HUB_OFFLINE": "1"}
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(side.bin / "citeqa"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            while True:
                try:
                    if client.get("/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.perf_counter() - started > timeout:
                    raise RuntimeError(f"{side.name}: citeqa serve did not start")
                time.sleep(0.02)
            ready_s = time.perf_counter() - started
            at_ready = _memory(server.pid)
            took = []
            for _ in range(asks):
                t = time.perf_counter()
                client.post("/ask", json={"question": QUESTION, "k": 5}).raise_for_status()
                took.append((time.perf_counter() - t) * 1000)
            after = _memory(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {
        "ready_s": round(ready_s, 3),
        "at_ready": at_ready,
        "after_asks": after,
        "ask_ms_p50": round(statistics.median(took), 2) if took else None,
    }


def summary(runs: list[dict]) -> dict[str, object]:  # type: ignore[type-arg]
    def median(values: list[float]) -> float:
        return round(statistics.median(values), 3)

    return {
        "ready_s": median([r["ready_s"] for r in runs]),
        "rss_mb_at_ready": median([r["at_ready"]["rss_mb"] for r in runs]),
        "rss_mb_after_asks": median([r["after_asks"]["rss_mb"] for r in runs]),
        "pss_mb_after_asks": median([r["after_asks"]["pss_mb"] for r in runs]),
        "ask_ms_p50": median([r["ask_ms_p50"] for r in runs if r["ask_ms_p50"] is not None]),
        "torch_loaded": sorted({r["after_asks"]["torch_loaded"] for r in runs}),
    }


def parse_side(text: str) -> Side:
    name, _, where = text.partition("=")
    binary, _, home = where.partition(":")
    if not (name and binary and home):
        raise argparse.ArgumentTypeError(f"--side takes NAME=BIN:HOME, got {text!r}")
    return Side(name, Path(binary).resolve(), Path(home).resolve())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--side", action="append", type=parse_side, help="NAME=BIN:HOME")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--asks", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("var/bench"))
    args = parser.parse_args()
    sides = args.side or [Side("this", Path(sys.executable).parent, Path("var").resolve())]
    runs: dict[str, list[dict]] = {side.name: [] for side in sides}  # type: ignore[type-arg]
    for i in range(args.runs):
        for side in sides:
            run = one_run(side, args.asks)
            runs[side.name].append(run)
            print(f"{side.name} run {i + 1}: ready {run['ready_s']} s, {run['after_asks']}")
    result = {
        "machine": machine(),
        "sides": {s.name: {"bin": str(s.bin), "home": str(s.home)} for s in sides},
        "summary": {name: summary(r) for name, r in runs.items()},
        "runs": runs,
    }
    for name, figures in result["summary"].items():  # type: ignore[attr-defined]
        print(f"{name}: {figures}")
    print(f"wrote {write_json(args.out, 'startup.json', result)}")


if __name__ == "__main__":
    main()
