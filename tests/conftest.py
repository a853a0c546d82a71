"""Shared fixtures: paths to ../shared (seeds, data), a temporary store, the example corpus."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
EXAMPLES = ROOT / "examples" / "corpus"


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` ("000" ... "004")."""
    matches = sorted(SEEDS.glob(f"{prefix}*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return matches[0]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is not there (tests read the seeds from ../shared)")
    return SEEDS


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"{DATA} is not there")
    return DATA


def unprivileged(args: list[str], scratch: Path, **kw) -> subprocess.CompletedProcess[str]:
    """Run a command without the privilege to read what it is denied: as root (CI), as nobody through
    setpriv (util-linux) with no capabilities left; otherwise as the current user, who already lacks it.
    ``scratch`` (see :func:`open_tmp`) receives a copy of the package if nobody cannot read this checkout."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux): no way to drop the privilege to read all")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HOME": str(scratch)}
    probe = [*prefix, sys.executable, "-c", "import rashomon.run.runner"]
    if subprocess.run(probe, capture_output=True, env=env, timeout=120).returncode != 0:
        shutil.copytree(ROOT / "src" / "rashomon", scratch / "pkg" / "rashomon")
        os.chmod(scratch / "pkg", 0o755)
        env["PYTHONPATH"] = str(scratch / "pkg")
        tried = subprocess.run(probe, capture_output=True, text=True, env=env, timeout=120)
        if tried.returncode != 0:
            pytest.skip(f"nobody cannot run this Python and its packages: {tried.stderr.strip()[-300:]}")
    return subprocess.run([*prefix, *args], capture_output=True, text=True, env=env, timeout=600, **kw)


@pytest.fixture()
def open_tmp():
    """A temporary folder everyone may enter (pytest's own is private to its user); modes restored after."""
    folder = Path(tempfile.mkdtemp(prefix="rashomon-perm-"))
    folder.chmod(0o777)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o700)
    shutil.rmtree(folder)


@pytest.fixture(scope="session")
def nlp():
    from rashomon.text import nlp as nlp_mod

    return nlp_mod.load()


@pytest.fixture(scope="module")
def live_server():
    """Serve ASGI apps for real (uvicorn in a thread, a free loopback port): ``start(app)`` returns the base
    URL; every server started is stopped when the module's tests are done."""
    import socket
    import threading
    import time

    import uvicorn

    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=30)
