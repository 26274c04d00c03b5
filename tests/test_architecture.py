"""The shape of the code: stages import only the stages before them, no import cycles (imports
inside functions included), and a served process with the ONNX backend never loads torch."""

from __future__ import annotations

import ast
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"corpus": "citeqa.corpus", "index": "citeqa.index", "service": "citeqa.service",
            "eval": "citeqa.eval"}  # fmt: skip
# Lowest first: a module may import its own layer and the layers before it, never one after.
LAYERS = [
    "citeqa.corpus",
    "citeqa.index.encoder",
    "citeqa.index.vectorstores",
    "citeqa.index.retrieval",
    "citeqa.index.storage",
    "citeqa.index.answer",
    "citeqa.service",
    "citeqa.eval",
]
# First-party imports made inside a function, each for a reason other than a cycle (the graph
# below counts them all the same, so none of them can hide one).
IMPORTS_IN_FUNCTIONS = {
    # pymilvus is an optional extra (citeqa[milvus]) and takes 0.4 s to load
    ("citeqa.index.vectorstores.factory", "citeqa.index.vectorstores.milvus_store"),
}


def _modules() -> dict[str, Path]:
    found = {}
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            name = ".".join((package, *parts))
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, bool]]:
    """(first-party module imported, whether inside a function) for each import in `path`."""
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    submodule = f"{base}.{alias.name}"
                    targets.append(submodule if submodule in MODULES else base)
            found.extend((t, in_function) for t in targets if t.startswith("citeqa."))
            visit(child, nested)

    visit(tree, False)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module: str) -> int:
    matches = [
        i for i, layer in enumerate(LAYERS) if module == layer or module.startswith(layer + ".")
    ]
    assert matches, f"{module} belongs to no layer: add it to LAYERS"
    return matches[-1]


def test_every_import_names_a_module_of_the_project() -> None:
    unknown = {(m, t) for m, edges in GRAPH.items() for t, _ in edges if t not in MODULES}
    assert not unknown


def test_stages_import_only_the_stages_before_them() -> None:
    upward = [
        f"{module} -> {target}"
        for module, edges in GRAPH.items()
        for target, _ in edges
        if module != "citeqa.index" and _layer(target) > _layer(module)
    ]
    assert not upward, "\n".join(upward)


def test_nothing_imports_eval_or_the_cli() -> None:
    importers = [
        f"{module} -> {target}"
        for module, edges in GRAPH.items()
        for target, _ in edges
        if (target.startswith("citeqa.eval") and not module.startswith("citeqa.eval"))
        or target == "citeqa.service.cli"
    ]
    assert not importers, "\n".join(importers)


def test_there_is_no_import_cycle() -> None:
    """Tarjan's strongly connected components over every import, module level or not."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target, _ in GRAPH.get(node, []):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or any(t == node for t, _ in GRAPH.get(node, [])):
                cycles.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            connect(node)
    assert not cycles, cycles


def test_imports_inside_functions_are_the_known_few() -> None:
    inside = {(m, t) for m, edges in GRAPH.items() for t, in_function in edges if in_function}
    assert inside == IMPORTS_IN_FUNCTIONS


def test_the_graph_sees_a_cycle_when_there_is_one() -> None:
    """The checks above would pass on an empty graph: make sure this one is the real thing."""
    assert ("citeqa.index.storage.build", False) in GRAPH["citeqa.index.storage.ingest"]
    assert ("citeqa.index.retrieval.keyword", False) in GRAPH["citeqa.index.answer.highlight"]
    assert _layer("citeqa.index.storage.segment") > _layer("citeqa.index.retrieval.dense")
    assert len(GRAPH) > 60


@pytest.mark.slow
def test_a_served_process_with_the_onnx_backend_never_loads_torch(shipped_home: Path) -> None:
    """`citeqa serve` answers questions, and no torch library is mapped into it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "CITEQA_HOME": str(shipped_home), "CITEQA_BACKEND": "onnx"}
    server = subprocess.Popen(
        [sys.executable, "-m", "citeqa.service.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        url = f"http://127.0.0.1:{port}"
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("citeqa serve did not start")
            time.sleep(0.2)
        answer = httpx.post(f"{url}/ask", json={"question": "When was the CSP agreed?"}, timeout=60)
        assert answer.status_code == 200 and answer.json()["passages"]
        maps = Path(f"/proc/{server.pid}/maps").read_text()
        assert "libtorch" not in maps
        assert "onnxruntime" in maps  # the check can see a library when one is loaded
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
