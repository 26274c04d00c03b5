"""A Milvus standalone server for the tests, from the `milvus==2.3.5` wheel in the tools venv.

The wheel (installed by `make milvus-server` into .venv-tools/, apart from citeqa's dependencies)
ships the server binary and its shared libraries lzma-compressed, its config template and a Python
wrapper. `make milvus-server` unpacks the binary once (`python -m tests.milvus_server unpack`);
`start_milvus` then runs it, exec'd in place of a small launcher so that its PID is the server's,
with a config of our own:

- Loopback only. Milvus 2.3.5 listens on every interface whatever its `ip` settings say (they
  are the addresses its components register in etcd), and has no setting for the listening
  address. So the server runs in a network namespace of its own, which has nothing but its own
  loopback, and every component's ip is 127.0.0.1 there. The tests reach its proxy through a
  forwarder: a socket on 127.0.0.1 of this machine, on a free port, piped to the proxy's port
  inside the namespace. Making the namespace needs root (CAP_SYS_ADMIN), as `make browser` does.
- A fresh temporary data folder (etcd, rocksmq, segments, logs), removed by `stop`.
- `stop` sends SIGKILL: a graceful stop can take minutes, and the folder goes with it anyway.

    server = start_milvus()          # MilvusUnavailable if no server binary or no namespace
    client = MilvusClient(server.uri)
    server.kill(); server.restart()  # a hard stop, then the same data and uri (about 55 s)
    server.stop()
"""

from __future__ import annotations

import contextlib
import ctypes
import lzma
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

VERSION = "2.3.5"
ROOT = Path(__file__).resolve().parent.parent
TOOLS = Path(os.environ.get("CITEQA_TEST_TOOLS", ROOT / ".venv-tools"))
UNPACKED = TOOLS / f"milvus-{VERSION}"  # bin/ (the server and its libraries), the templates
START_TIMEOUT = 90.0  # seconds; a start takes ~3 s on an idle machine, 10-20 s on a busy one
RESTART_TIMEOUT = 180.0  # seconds; a restart on old data after SIGKILL takes ~55 s
CLONE_NEWNET = 0x40000000
NO_NAMESPACE = 3  # the exit status of TRAMPOLINE when it may not make a network namespace
# A Strong read waits for the proxy's next time tick, every 200 ms by default (200-400 ms a
# search); 50 ms makes the tests' hundreds of searches take seconds, not minutes, for 3 % more of a
# core while idle.
TIME_TICK_MS = 50
# Components whose `ip:` is left empty in the template ("the first unicastable address"): each is
# set to loopback, the address it registers in etcd for the others.
COMPONENTS = ("rootCoord", "proxy", "queryCoord", "queryNode", "indexNode", "dataCoord", "dataNode")
# Run as `python -c TRAMPOLINE milvus run standalone`: a network namespace of its own with its
# loopback up (SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP), then exec: the PID stays the server's.
TRAMPOLINE = f"""
import ctypes, fcntl, os, socket, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(1, 9)  # PR_SET_PDEATHSIG SIGKILL: it dies with the thread that started it
if libc.unshare({CLONE_NEWNET}) != 0:
    print("cannot make a network namespace:", os.strerror(ctypes.get_errno()), file=sys.stderr)
    sys.exit({NO_NAMESPACE})
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    flags = struct.unpack("16sH", fcntl.ioctl(s, 0x8913, struct.pack("16sH14x", b"lo", 0))[:18])[1]
    fcntl.ioctl(s, 0x8914, struct.pack("16sH14x", b"lo", flags | 1))
os.execv(sys.argv[1], sys.argv[1:])
"""
RUNNING: list[MilvusServer] = []  # started here and not stopped yet (their PIDs are children)


class MilvusUnavailable(RuntimeError):
    """No server here (no tools venv, or no network namespace allowed): the reason says which."""


@dataclass
class MilvusServer:
    """One running server: `uri` for pymilvus (the forwarder), `pid` of the server process, its
    data `folder`."""

    uri: str
    pid: int
    folder: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    forwarder: Forwarder = field(repr=False)

    def kill(self) -> None:
        """SIGKILL the server and reap it, keeping its folder and its uri (the forwarder then
        refuses connections) for `restart`."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def restart(self, timeout: float = RESTART_TIMEOUT) -> None:
        """Start the server again on its data, at the same uri, and wait until it answers.
        After a hard stop Milvus 2.3.5 first waits out its old session in etcd: about 55 s."""
        self.kill()
        self.process = _launch(UNPACKED / "bin", self.folder, None)
        self.pid = self.process.pid
        wait_namespace(self.process)
        self.forwarder.retarget(self.pid)
        wait_ready(self, timeout)

    def stop(self) -> None:
        """SIGKILL the server, reap it, close the forwarder, remove the folder. Idempotent."""
        self.kill()
        self.forwarder.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self in RUNNING:
            RUNNING.remove(self)

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's stdout and stderr (for a failed start)."""
        out = []
        for name in ("milvus-stdout.log", "milvus-stderr.log"):
            path = self.folder / "logs" / name
            if path.exists():
                out += path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(out)


class Forwarder:
    """127.0.0.1:<free port> here -> 127.0.0.1:`port` in the network namespace of the process
    given to `start`.

    One thread accepts; it has joined the server's namespace (setns acts on the calling thread
    only), so the sockets it opens to the proxy live there, while the listening socket, made
    before, stays on this machine's loopback. Two threads per connection copy the bytes.
    `retarget` points it at a restarted server (a new namespace) on the same local port."""

    def __init__(self, port: int) -> None:
        self.target_pid = 0
        self.joined_pid = 0  # whose namespace the accepting thread is in
        self.target_port = port
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.closed = False
        self.error = ""  # why the forwarder stopped, if it could not join the namespace
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._accept, name="milvus-forwarder", daemon=True)

    def start(self, pid: int) -> None:
        self.target_pid = pid
        self.thread.start()

    def retarget(self, pid: int) -> None:
        """Forward the next connections into the namespace of `pid`."""
        self.target_pid = pid

    def _join(self) -> bool:
        """Move the accepting thread into the target's namespace (if not there yet)."""
        if self.joined_pid == self.target_pid:
            return True
        libc = ctypes.CDLL(None, use_errno=True)
        try:
            with open(f"/proc/{self.target_pid}/ns/net") as namespace:
                if libc.setns(namespace.fileno(), CLONE_NEWNET) != 0:
                    self.error = (
                        f"cannot join its network namespace: {os.strerror(ctypes.get_errno())}"
                    )
                    return False
        except FileNotFoundError:
            return False  # that server is gone; the next connection tries again
        self.joined_pid = self.target_pid
        return True

    def _accept(self) -> None:
        if not self._join():
            self.close()
            return
        while not self.closed:
            try:
                inside, _ = self.listener.accept()
            except OSError:
                return
            if not self._join():
                inside.close()
                continue
            try:
                outside = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
                outside.settimeout(None)
            except OSError:
                inside.close()
                continue
            with self.lock:
                self.connections |= {inside, outside}
            threading.Thread(target=self._relay, args=(inside, outside), daemon=True).start()

    def _relay(self, inside: socket.socket, outside: socket.socket) -> None:
        back = threading.Thread(target=_pipe, args=(outside, inside), daemon=True)
        back.start()
        _pipe(inside, outside)
        back.join()
        with self.lock:
            self.connections -= {inside, outside}
        inside.close()
        outside.close()

    def close(self) -> None:
        self.closed = True
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        if self.thread.is_alive() and self.thread is not threading.current_thread():
            self.thread.join(timeout=5)


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    """Copy until `source` ends, then end `sink`'s sending side."""
    try:
        while chunk := source.recv(1 << 16):
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def package_data() -> Path:
    """The wheel's data folder (bin/*.lzma, config.yaml.template, glog.conf) in the tools venv."""
    found = sorted(TOOLS.glob("lib/python*/site-packages/milvus/data/config.yaml.template"))
    if not found:
        raise MilvusUnavailable(
            f"no milvus=={VERSION} in {TOOLS}: run `make milvus-server` (pip installs it into a "
            "separate tools venv)"
        )
    return found[-1].parent


def unpack() -> Path:
    """Decompress the server and its libraries into UNPACKED/bin once; returns that folder.
    A stamp file records that every file was written, so an interrupted unpack is redone."""
    bin_dir = UNPACKED / "bin"
    stamp = UNPACKED / "unpacked"
    if stamp.exists():
        return bin_dir
    data = package_data()
    shutil.rmtree(UNPACKED, ignore_errors=True)
    bin_dir.mkdir(parents=True)
    for packed in sorted((data / "bin").glob("*.lzma")):
        target = bin_dir / packed.name.removesuffix(".lzma")
        with lzma.open(packed) as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink, length=1 << 20)
        target.chmod(0o755)
    shutil.copy(data / "config.yaml.template", UNPACKED / "config.yaml.template")
    shutil.copy(data / "glog.conf", UNPACKED / "glog.conf")
    stamp.write_text(VERSION + "\n")
    return bin_dir


def render_config(template: str, folder: Path) -> str:
    """The template with its placeholders filled (ports: the template's defaults, free in the
    server's own namespace; paths: under `folder`), every component's ip 127.0.0.1, the proxy's
    time tick TIME_TICK_MS."""
    values = {
        "etcd_log_level": "warn",
        "etcd_log_path": str(folder / "logs" / "etcd.log"),
        "etcd_data_dir": str(folder / "data" / "etcd.data"),
        "local_storage_dir": str(folder / "data"),
        "rocksmq_data_dir": str(folder / "data" / "rocksmq"),
        "system_log_path": str(folder / "logs"),
    }

    def fill(match: re.Match[str]) -> str:
        name, _, default = match.group(1).partition(":")
        return values.get(name.split("(")[0].strip(), default.strip())

    lines = re.sub(r"\{\{(.*?)\}\}", fill, template).replace("localhost:", "127.0.0.1:")
    lines = re.sub(r"timeTickInterval: \d+", f"timeTickInterval: {TIME_TICK_MS}", lines)
    out = []
    section = ""
    for line in lines.splitlines():
        top = re.match(r"^([A-Za-z]\w*):", line)
        if top:
            section = top.group(1)
        elif section in COMPONENTS and line.startswith("  ip:"):
            line = "  ip: 127.0.0.1"
        out.append(line)
    return "\n".join(out) + "\n"


def proxy_port(config: str) -> int:
    """The proxy's port in a rendered config."""
    proxy = config[config.index("\nproxy:") :]
    return int(re.search(r"\n  port: (\d+)", proxy).group(1))  # type: ignore[union-attr]


def start_milvus(timeout: float = START_TIMEOUT) -> MilvusServer:
    """Start a server in a new network namespace and a new temporary folder, forward a free
    127.0.0.1 port to it, and wait (at most `timeout` seconds) until pymilvus lists its
    collections. MilvusUnavailable without a server binary or a namespace; RuntimeError (with
    the end of its log) if it does not come up."""
    bin_dir = UNPACKED / "bin"
    if not (UNPACKED / "unpacked").exists():
        bin_dir = unpack()  # MilvusUnavailable without the package
    folder = Path(tempfile.mkdtemp(prefix="citeqa-milvus-"))
    config = render_config((UNPACKED / "config.yaml.template").read_text(), folder)
    forwarder = Forwarder(proxy_port(config))
    try:
        process = _launch(bin_dir, folder, config)
    except BaseException:
        forwarder.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    server = MilvusServer(
        f"http://127.0.0.1:{forwarder.port}", process.pid, folder, process, forwarder
    )
    RUNNING.append(server)
    try:
        wait_namespace(process)
        forwarder.start(process.pid)
        wait_ready(server, timeout)
    except BaseException as error:
        tail = server.log_tail()
        server.stop()
        if process.returncode == NO_NAMESPACE:
            raise MilvusUnavailable(
                f"the test server runs in a network namespace of its own, which needs root: {tail}"
            ) from None
        raise RuntimeError(
            f"Milvus {VERSION} did not start ({error}); its log ends:\n{tail}"
        ) from None
    return server


def _launch(bin_dir: Path, folder: Path, config: str | None) -> subprocess.Popen[bytes]:
    """Write `config` into `folder` and start the server there (None: a restart, on the config
    and data already there)."""
    if config is not None:
        for sub in ("configs", "logs", "data", "run"):
            (folder / sub).mkdir()
        (folder / "configs" / "milvus.yaml").write_text(config)
        shutil.copy(UNPACKED / "glog.conf", folder / "configs" / "glog.conf")
    env = {
        **os.environ,
        "DEPLOY_MODE": "STANDALONE",
        "MILVUSCONF": str(folder / "configs"),
        "MILVUS_RUN_DIR": str(folder / "run"),
        "LD_LIBRARY_PATH": ":".join(
            filter(None, [str(bin_dir), os.environ.get("LD_LIBRARY_PATH")])
        ),
    }
    logs = folder / "logs"
    with (
        (logs / "milvus-stdout.log").open("ab") as out,
        (logs / "milvus-stderr.log").open("ab") as err,
    ):
        process = subprocess.Popen(
            [sys.executable, "-c", TRAMPOLINE, str(bin_dir / "milvus"), "run", "standalone"],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # Ctrl-C in the terminal reaches pytest, not the server
        )
    return process


def wait_namespace(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Until `process` has left this network namespace (the trampoline's first step)."""
    ours = os.readlink("/proc/self/ns/net")
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"it exited with {process.returncode}")
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/{process.pid}/ns/net") != ours:
                return
        if time.monotonic() > deadline:
            raise TimeoutError("no network namespace")
        time.sleep(0.01)


def wait_ready(server: MilvusServer, timeout: float) -> None:
    """Until a pymilvus client lists the collections, or TimeoutError / RuntimeError."""
    from pymilvus import MilvusClient

    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"it exited with {server.process.returncode}")
        if server.forwarder.error:
            raise RuntimeError(server.forwarder.error)
        if time.monotonic() > deadline:
            raise TimeoutError(f"not ready after {timeout:.0f} s")
        try:
            client = MilvusClient(server.uri, timeout=3)
            try:
                client.list_collections()
                return
            finally:
                client.close()
        except Exception:
            time.sleep(0.2)


def run_with_server(command: list[str]) -> int:
    """Run `command` with CITEQA_VECTOR_STORE=milvus and CITEQA_MILVUS_URI pointing at a fresh
    server (stopped when it ends); returns its exit status."""
    server = start_milvus()
    try:
        env = {**os.environ, "CITEQA_VECTOR_STORE": "milvus", "CITEQA_MILVUS_URI": server.uri}
        print(f"Milvus {VERSION} at {server.uri} (pid {server.pid})", file=sys.stderr, flush=True)
        return subprocess.run(command, env=env, check=False).returncode
    finally:
        server.stop()


if __name__ == "__main__":
    # `python -m tests.milvus_server unpack`: decompress the binary (make milvus-server);
    # `python -m tests.milvus_server run CMD ...`: run CMD against a server (make soak-milvus);
    # `python -m tests.milvus_server`: start one, print its uri and PID, stop it on Enter.
    if sys.argv[1:] == ["unpack"]:
        print(unpack())
    elif sys.argv[1:2] == ["run"]:
        sys.exit(run_with_server(sys.argv[2:]))
    else:
        started = time.monotonic()
        running = start_milvus()
        print(f"{running.uri} pid {running.pid} ({time.monotonic() - started:.1f} s)", flush=True)
        with contextlib.suppress(KeyboardInterrupt, EOFError):
            input("Enter stops it: ")
        running.stop()
