"""Run Huxiao under gunicorn on 127.0.0.1 over a fresh SQLite database holding the demo county."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(base: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


@contextlib.contextmanager
def demo_server(workers: int = 2, app: str = "bench.bench_app:app", worker_class: str = "sync", threads: int = 1,
                env_extra: dict | None = None):
    """Yield (base URL, instance folder) of a gunicorn serving the demo county; stop it after."""
    instance = Path(tempfile.mkdtemp(prefix="huxiao-live-"))
    env = {**os.environ, "HUXIAO_INSTANCE_PATH": str(instance), "FLASK_APP": "wsgi", "PYTHONPATH": str(ROOT),
           **(env_extra or {})}
    env.pop("DATABASE_URL", None)
    for command in (["db", "upgrade"], ["demo", "seed", "--history-days", "0"]):  # a known fresh county
        subprocess.run([BIN / "flask", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env["PUBLIC_BASE_URL"] = base
    server = subprocess.Popen(
        [BIN / "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", worker_class, "--threads", str(threads), "--no-control-socket", "--log-level", "warning",
         app],
        cwd=ROOT, env=env,
    )
    try:
        _wait_up(base)
        yield base, instance
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(instance, ignore_errors=True)
