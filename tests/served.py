"""`citeqa serve` as a real process for the tests that need several (replicas, faults): its own
port on 127.0.0.1, its settings from the environment, its output in a log file, stopped by PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """One `citeqa serve` process; `client` talks to it over HTTP, a new connection each time
    (so that, with several workers, requests reach different ones)."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "citeqa.service.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--workers",
                    str(workers),
                ],
                env={**os.environ, "HF_HUB_OFFLINE": "1", **env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def __enter__(self) -> Served:
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 180.0) -> None:
        """Until GET /health/ready answers 200 (the index loaded, its vector store answering)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"citeqa serve exited:\n{self.log_tail()}")
            try:
                if httpx.get(self.url + "/health/ready", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"citeqa serve not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def client(self, key: str | None = None, timeout: float = 60.0) -> httpx.Client:
        headers = {"X-API-Key": key} if key else {}
        limits = httpx.Limits(max_keepalive_connections=0)  # a new connection per request
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout, limits=limits)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
