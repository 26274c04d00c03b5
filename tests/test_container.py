"""The container: the Dockerfile, deploy/compose.yml and the build steps they share.

No container runtime runs here, so the image's steps live in deploy/build-image-steps.sh, which
the Dockerfile runs and the slow test below runs too: into a fresh virtual environment, then the
image's entry point, as a user other than root, offline, on the baked model."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from citeqa.service.settings import Settings

from .conftest import tiny_corpus
from .served import free_port

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "deploy" / "compose.yml"
STEPS = ROOT / "deploy" / "build-image-steps.sh"
HADOLINT = ROOT / ".venv-tools" / "bin" / "hadolint"
NOBODY = 65534
# A Python 3.11 that another user may run (this machine's own may sit under root's home), as
# the image's does.
SYSTEM_PYTHON = shutil.which("python3.11", path="/usr/local/bin:/usr/bin")


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's (INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    lines, current = [], ""
    for raw in DOCKERFILE.read_text().splitlines():
        if not current and (not raw.strip() or raw.lstrip().startswith("#")):
            continue
        current += raw.rstrip().removesuffix("\\") + " "
        if not raw.rstrip().endswith("\\"):
            lines.append(current.strip())
            current = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def _all(name: str) -> list[str]:
    return [args for instruction, args in instructions() if instruction == name]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for args in _all("ENV"):
        for pair in shlex.split(args):
            key, _, value = pair.partition("=")
            env[key] = value
    return env


def test_the_image_serves_on_all_interfaces_as_a_user_with_a_volume_and_a_healthcheck() -> None:
    assert _all("FROM") == ["python:3.11-slim"]
    (user,) = _all("USER")
    assert user.split(":")[0] not in ("root", "0")
    entry = json.loads(_all("ENTRYPOINT")[0]) + json.loads(_all("CMD")[0])
    assert entry == ["citeqa", "serve", "--host", "0.0.0.0"]
    env = image_env()
    assert json.loads(_all("VOLUME")[0]) == [env["CITEQA_HOME"]]
    assert env["HF_HUB_OFFLINE"] == "1" and env["CITEQA_MODEL_CACHE"]
    (check,) = _all("HEALTHCHECK")
    assert check.split("CMD", 1)[1].split() == ['["citeqa-image-steps",', '"healthcheck"]']
    (run,) = _all("RUN")
    # The script's own steps, in order, and it is installed as the healthcheck's command.
    steps = [p.strip() for p in run.split("&&")]
    assert steps[:3] == [
        "sh /src/deploy/build-image-steps.sh install /src",
        "sh /src/deploy/build-image-steps.sh bake",
        "install -D -m 0755 /src/deploy/build-image-steps.sh /usr/local/bin/citeqa-image-steps",
    ]
    assert "chown citeqa:citeqa /data" in steps and f"--uid {user.split(':')[0]}" in run


def test_every_setting_the_image_and_compose_give_is_a_real_one() -> None:
    known = {f"CITEQA_{name.upper()}" for name in Settings.model_fields}
    compose = yaml.safe_load(COMPOSE.read_text())
    given = {**image_env(), **compose["services"]["citeqa"]["environment"]}
    citeqa = {k: v for k, v in given.items() if k.startswith("CITEQA_")}
    assert set(citeqa) <= known, set(citeqa) - known
    # And they validate together: ${NAME:-default} as its default, ${NAME:?message} (required)
    # as a value an operator could give.
    values = {}
    for name, value in citeqa.items():
        if match := re.fullmatch(r"\$\{\w+:-(.*)\}", value):
            value = match.group(1)
        elif re.fullmatch(r"\$\{\w+:\?.*\}", value):
            value = "change-me"
        values[name.removeprefix("CITEQA_").lower()] = value
    settings = Settings(**values)
    assert settings.vector_store == "milvus" and settings.workers == 2
    assert settings.api_key is not None and settings.read_key is None


def test_compose_runs_citeqa_against_its_own_milvus_server() -> None:
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert set(services) == {"etcd", "minio", "milvus", "citeqa"}
    milvus = services["milvus"]
    assert milvus["image"].startswith("milvusdb/milvus:v2.3.5")  # the version under test
    assert milvus["command"] == ["milvus", "run", "standalone"]
    assert milvus["environment"]["ETCD_ENDPOINTS"] == "etcd:2379"
    assert milvus["environment"]["MINIO_ADDRESS"] == "minio:9000"
    for needs in ("etcd", "minio"):
        assert milvus["depends_on"][needs]["condition"] == "service_healthy"
    citeqa = services["citeqa"]
    assert citeqa["build"] == {"context": "..", "dockerfile": "Dockerfile"}
    assert (COMPOSE.parent / citeqa["build"]["context"] / "Dockerfile").resolve() == DOCKERFILE
    assert citeqa["environment"]["CITEQA_MILVUS_URI"] == "http://milvus:19530"
    assert citeqa["depends_on"]["milvus"]["condition"] == "service_healthy"
    assert "citeqa-data:/data" in citeqa["volumes"]
    # Named volumes are declared; only citeqa publishes a port, and on loopback.
    for name, service in services.items():
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in compose["volumes"], (name, volume)
        assert all(p.startswith("127.0.0.1:") for p in service.get("ports", [])), name
        assert ("ports" in service) == (name == "citeqa")
        assert service["healthcheck"] if name != "citeqa" else True


def test_the_build_context_leaves_out_environments_indexes_and_tests() -> None:
    ignored = DOCKERFILE.parent.joinpath(".dockerignore").read_text().split()
    for path in (".venv", ".venv-tools", "var", ".git", "tests"):
        assert path in ignored
    for needed in ("pyproject.toml", "README.md", "corpus", "service", "index", "deploy"):
        assert not _ignored(needed, ignored)


def _ignored(path: str, patterns: list[str]) -> bool:
    parts = Path(path).parts
    return any(
        fnmatch.fnmatch(path, p.lstrip("/"))
        or any(fnmatch.fnmatch("/".join(parts[: i + 1]), p.lstrip("/")) for i in range(len(parts)))
        for p in patterns
        if not p.startswith("#")
    )


@pytest.mark.skipif(not HADOLINT.exists(), reason="no hadolint: run `make hadolint`")
def test_hadolint_passes_the_dockerfile() -> None:
    lint = subprocess.run([str(HADOLINT), str(DOCKERFILE)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr


# --- the image's steps, run here ----------------------------------------------------------------


@pytest.fixture(scope="module")
def image_root() -> Iterator[Path]:
    """A folder every user can read (the service runs as `nobody`), removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="citeqa-image-"))
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _build_context(target: Path) -> None:
    """The files `docker build` would send: the repository's, less what .dockerignore names."""
    patterns = (ROOT / ".dockerignore").read_text().split()
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in listed:
        if _ignored(name, patterns) or not (ROOT / name).is_file():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)


@pytest.mark.slow  # a fresh environment with torch: minutes
@pytest.mark.skipif(SYSTEM_PYTHON is None, reason="no python3.11 in /usr/bin or /usr/local/bin")
def test_the_image_steps_install_bake_and_serve_offline_as_another_user(image_root: Path) -> None:
    src, venv, cache = image_root / "src", image_root / "venv", image_root / "models"
    home = image_root / "data"
    _build_context(src)
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", str(venv)], check=True)
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "PYTHON": str(venv / "bin" / "python"),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "CITEQA_MODEL_CACHE": str(cache),
        "CITEQA_HOME": str(home),
        # What a fresh volume's first `citeqa ingest` reads: two small files (the image's own
        # corpus is the shipped one; which documents they are does not matter here).
        "CITEQA_CORPUS": str(tiny_corpus(image_root)),
        "XDG_CACHE_HOME": str(image_root / "no-cache"),  # nothing but the baked cache
    }
    env.pop("VIRTUAL_ENV", None)
    for step in (["install", str(src)], ["bake"]):
        done = subprocess.run(
            ["sh", str(STEPS), *step], env=env, capture_output=True, text=True, timeout=1800
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "baked" in done.stdout
    baked = sorted(p.name for p in cache.iterdir())
    assert any(name.endswith(".onnx") for name in baked)

    # From here on as `nobody`, like the image's user: the venv and the baked model read-only.
    home.mkdir()
    os.chown(home, NOBODY, NOBODY)
    as_user = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    port = free_port()
    user_env = {**env, "HOME": str(home), "CITEQA_PORT": str(port)}
    log = (image_root / "serve.log").open("wb")
    server = subprocess.Popen(
        [*as_user, str(venv / "bin" / "citeqa"), "serve", "--host", "0.0.0.0"],
        env=user_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, (image_root / "serve.log").read_text()[-3000:]
            try:
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the entry point did not answer"
            time.sleep(0.5)

        def healthy() -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                ["sh", str(STEPS), "healthcheck"], env=user_env, capture_output=True, text=True
            )

        empty = healthy()
        assert empty.returncode == 1 and "503" in empty.stderr  # no index in a fresh volume
        ingest = subprocess.run(
            [*as_user, str(venv / "bin" / "citeqa"), "ingest"],
            env=user_env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert ingest.returncode == 0, ingest.stderr[-3000:]
        deadline = time.monotonic() + 30
        while healthy().returncode != 0:
            assert time.monotonic() < deadline, "not ready after the ingest"
            time.sleep(0.5)
        question = {"question": "How do honey bees tell the hive where flowers are?"}
        answer = httpx.post(url + "/ask", json=question, timeout=60)
        assert answer.status_code == 200, answer.text
        assert answer.json()["passages"][0]["citation"]["document"] == "bees.md"
        assert sorted(p.name for p in cache.iterdir()) == baked  # nothing exported again
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
