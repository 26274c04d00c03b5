"""What every benchmark shares: percentiles, the machine it ran on, a server to measure, output."""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from citeqa.index.encoder import has_int8_dot_products


def percentiles(values_ms: list[float]) -> dict[str, float]:
    """p50/p95/p99 and the mean of a list of milliseconds, rounded to 0.01 ms."""
    a = np.asarray(values_ms, dtype=np.float64)
    if a.size == 0:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "mean": float("nan")}
    p50, p95, p99 = np.percentile(a, [50, 95, 99])
    return {
        "p50": round(p50, 2),
        "p95": round(p95, 2),
        "p99": round(p99, 2),
        "mean": round(a.mean(), 2),
    }


def machine() -> dict[str, object]:
    import torch

    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "gpu": False,
        "load_average": os.getloadavg(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def cpu_model() -> str:
    """The processor's name and whether it has int8 dot-product instructions (VNNI), which
    decide whether the quantised exports run faster than float here (and whether ingest's
    sentence backend "auto" takes onnx-q8)."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines()
                 if line.startswith("model name")), "unknown")  # fmt: skip
    return f"{name}, {'int8 dot products' if has_int8_dot_products() else 'no int8 dot products'}"


def write_json(out: Path, name: str, data: dict) -> Path:  # type: ignore[type-arg]
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


class Service:
    """`citeqa serve` in a subprocess on a free loopback port, for measuring over real HTTP.

    `headers` go with the readiness check (an X-API-Key when CITEQA_READ_KEY is set); `log`
    receives the server's output (discarded by default).
    """

    def __init__(
        self,
        home: Path,
        workers: int = 1,
        extra_env: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        log: Path | None = None,
    ):
        self.headers = headers or {}
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "CITEQA_HOME": str(home), "HF_HUB_OFFLINE": "1", **(extra_env or {})}
        log_file = log.open("ab") if log else None
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "citeqa.service.cli",
                "serve",
                "--host",
                "127.0.0.1",  # loopback only, whatever CITEQA_HOST says
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            env=env,
            stdout=log_file or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if log_file else subprocess.DEVNULL,
        )
        if log_file:
            log_file.close()  # the child has its own copy

    def __enter__(self) -> Service:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the service exited during start-up")
            try:
                ready = httpx.get(self.url + "/stats", headers=self.headers, timeout=2)
                if ready.status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the service did not start within 120 s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def rss_mb(self) -> float:
        """Resident memory of the server and its worker processes, in MB."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        total = 0
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return round(total / 1024, 1)


def save_png(fig: Any, path: Path, dpi: int = 120) -> Path:
    """Lay out, write and close a matplotlib figure."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path
