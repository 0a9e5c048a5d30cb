"""How long /healthz takes while three strangers post 50-megapixel images to the public 随手拍 page.

Usage: .venv/bin/python bench/upload_bench.py [--seconds 15] [--rounds 3]

Starts gunicorn over the demo county, as `make run` does (2 workers; --worker-class and
--threads to compare), with the 随手拍 throttles lifted so every post is decoded. Three
client threads post in a loop, each its own 50 MP image: with --images mixed a JPEG
(8160x6120), a PNG and a WebP (7000x7000; refused from their header when over
PUBLIC_LOSSLESS_MAX_PIXELS), with --images jpeg three JPEGs (the costliest upload still
accepted). A fourth asks /healthz every 50 ms. Reports /healthz p50 and p99 with no uploads and with them, and
what the posts were answered, per round; medians over the rounds.
"""

import argparse
import io
import statistics
import sys
import threading
import time
from pathlib import Path

import requests
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live_server import demo_server  # noqa: E402


def picture(fmt: str, size: tuple[int, int]) -> bytes:
    """A large image that compresses well (a bomb in pixels, not in bytes), as an attacker would send."""
    image = Image.new("RGB", size, (200, 30, 30))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 400):
        draw.line([(x, 0), (x, size[1])], fill=(0, 0, 0), width=5)
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 80} if fmt in ("JPEG", "WEBP") else {"optimize": True}))
    return out.getvalue()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def probe(base: str, seconds: float) -> list[float]:
    """/healthz latencies (ms), one request every 50 ms for `seconds`."""
    took, end = [], time.monotonic() + seconds
    with requests.Session() as session:
        while time.monotonic() < end:
            started = time.perf_counter()
            session.get(f"{base}/healthz", timeout=30).raise_for_status()
            took.append((time.perf_counter() - started) * 1000)
            time.sleep(0.05)
    return took


def poster(base: str, token: str, name: str, data: bytes, stop: threading.Event, answers: list) -> None:
    with requests.Session() as session:
        while not stop.is_set():
            answer = session.post(f"{base}/api/public/snap/{token}", timeout=120,
                                  files={"photos": (name, data)}, data={"description": "护栏坏了"})
            answers.append(answer.status_code)


def snap_token(base: str) -> str:
    with requests.Session() as session:
        login = session.post(f"{base}/api/auth/login", json={"username": "safety", "password": "demo12345"}).json()
        school = login["user"]["org_unit"]["id"]
        return session.get(f"{base}/api/schools/{school}/snap-code").json()["token"]


def one_round(base: str, token: str, images: dict, seconds: float) -> dict:
    quiet = probe(base, 3)
    stop, answers = threading.Event(), []
    threads = [threading.Thread(target=poster, args=(base, token, name, data, stop, answers))
               for name, data in images.items()]
    for thread in threads:
        thread.start()
    time.sleep(1)  # all three are posting
    busy = probe(base, seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return {"quiet_p50": percentile(quiet, 0.5), "quiet_p99": percentile(quiet, 0.99),
            "busy_p50": percentile(busy, 0.5), "busy_p99": percentile(busy, 0.99),
            "posts": {code: answers.count(code) for code in sorted(set(answers))}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--images", choices=["mixed", "jpeg"], default="mixed",
                        help="mixed: a JPEG, a PNG and a WebP; jpeg: three JPEGs, the costliest that is accepted")
    args = parser.parse_args()
    jpeg = picture("JPEG", (8160, 6120))
    images = ({"a.jpg": jpeg, "b.png": picture("PNG", (7000, 7000)), "c.webp": picture("WEBP", (7000, 7000))}
              if args.images == "mixed" else {"a.jpg": jpeg, "b.jpg": jpeg, "c.jpg": jpeg})
    print("images:", {name: f"{len(data) // 1024} KB" for name, data in images.items()})
    unthrottled = {"SNAP_REPORTS_PER_DEVICE": "1000000 per hour", "SNAP_REPORTS_PER_ADDRESS": "1000000 per hour"}
    with demo_server(workers=2, app="wsgi:app", worker_class=args.worker_class, threads=args.threads,
                     env_extra=unthrottled) as (base, _):
        token = snap_token(base)
        rounds = [one_round(base, token, images, args.seconds) for _ in range(args.rounds)]
    for r in rounds:
        print(r)
    median = {key: statistics.median(r[key] for r in rounds)
              for key in ("quiet_p50", "quiet_p99", "busy_p50", "busy_p99")}
    print(f"{args.images}, {args.worker_class} x{args.threads}: /healthz p50 {median['quiet_p50']:.0f} ms, "
          f"p99 {median['quiet_p99']:.0f} ms "
          f"quiet; p50 {median['busy_p50']:.0f} ms, p99 {median['busy_p99']:.0f} ms while 3 clients post 50 MP images")


if __name__ == "__main__":
    main()
