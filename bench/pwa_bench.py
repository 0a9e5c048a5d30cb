"""Measure the PWA: the app shell's size, and the time to a usable checklist on slow 3G.

Usage: .venv/bin/python bench/pwa_bench.py [--runs 5]

Serves the demo county with gunicorn on 127.0.0.1 and opens /p/<token> in headless
Chromium (Playwright) with Chromium's own network throttling: 1.6 Mbps down, 750 kbps
up, 150 ms latency. "Usable" means the checklist's buttons are on screen. A first
visit starts from an empty browser (already logged in: the session cookie is set);
a repeat visit is the same browser again, with the service worker installed (and
throttled as well: the page's throttling does not reach the worker's own requests).
Reports medians.
"""

import argparse
import gzip
import json
import statistics
import sys
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live_server import demo_server  # noqa: E402

SLOW_3G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def shell_size() -> tuple[int, int]:
    """Bytes of the app shell (HTML, JS, CSS), raw and gzip-compressed file by file."""
    files = [ROOT / "pwa" / "index.html", ROOT / "pwa" / "app.css", *sorted((ROOT / "pwa" / "js").glob("*.js"))]
    raw = sum(f.stat().st_size for f in files)
    zipped = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    return raw, zipped


def throttle_service_workers(browser) -> None:
    cdp = browser.new_browser_cdp_session()
    for target in cdp.send("Target.getTargets")["targetInfos"]:
        if target["type"] == "service_worker":
            session = cdp.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": False})["sessionId"]
            for message_id, (method, params) in enumerate((("Network.enable", {}),
                                                           ("Network.emulateNetworkConditions", SLOW_3G)), 1):
                cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": json.dumps(
                    {"id": message_id, "method": method, "params": params})})


def time_to_checklist(page, url: str) -> float:
    page.goto(url, wait_until="commit")
    page.get_by_role("button", name="全部正常").wait_for(state="visible", timeout=30000)
    return page.evaluate("performance.now()") / 1000  # seconds since this navigation started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    raw, zipped = shell_size()
    first, repeat = [], []
    with demo_server(workers=2, app="wsgi:app") as (base, _), sync_playwright() as p:
        token = None
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(args.runs):
            context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
            context.request.post(f"{base}/api/auth/login", data={"username": "patroller", "password": "demo12345"})
            if token is None:
                session = requests.Session()
                session.post(f"{base}/api/auth/login", json={"username": "patroller", "password": "demo12345"})
                token = session.get(f"{base}/api/points").json()[0]["token"]
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            first.append(time_to_checklist(page, f"{base}/p/{token}"))
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            page.wait_for_timeout(500)  # let the worker finish caching the shell
            # The page's throttling does not reach the service worker's own fetches (the API
            # calls it passes on): throttle the worker too, through the browser's protocol.
            throttle_service_workers(browser)
            repeat.append(time_to_checklist(page, f"{base}/p/{token}"))
            context.close()
        browser.close()
    result = {"shell_bytes": raw, "shell_gzip_bytes": zipped,
              "first_visit_s": statistics.median(first), "repeat_visit_s": statistics.median(repeat),
              "runs": {"first": first, "repeat": repeat}}
    print(f"app shell: {raw / 1024:.1f} KB, {zipped / 1024:.1f} KB gzip")
    print(f"time to a usable checklist on slow 3G, median of {args.runs}: "
          f"first visit {result['first_visit_s']:.2f} s, repeat visit {result['repeat_visit_s']:.2f} s")
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "pwa_bench.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
