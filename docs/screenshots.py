"""Render what a person sees into docs/: `.venv/bin/python docs/screenshots.py`.

Starts the demo county under gunicorn (bench/live_server.py) and photographs pages with
headless Chromium (Debian package `chromium`) at a phone's and a desktop's width.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live_server import demo_server  # noqa: E402

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--force-device-scale-factor=2", "--virtual-time-budget=8000",
]


def shoot(url: str, out: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
             f"--screenshot={out}", url],
            check=True, capture_output=True, timeout=60,
        )
    print(out.relative_to(ROOT))


def main() -> None:
    with demo_server(workers=1) as (base, _instance):
        session = requests.Session()
        session.post(f"{base}/api/auth/login", json={"username": "county", "password": "demo12345"}).raise_for_status()
        red = next(p for p in session.get(f"{base}/api/points").json() if p["risk_level"] == "red")
        shoot(f"{base}/p/{red['token']}", ROOT / "docs" / "scan-page.png", 360, 640)
        shoot(f"{base}/api/docs", ROOT / "docs" / "api-docs.png", 1280, 900)


if __name__ == "__main__":
    main()
