"""Benchmark scan and submit under gunicorn against a trivial JSON endpoint, with wrk.

Usage: .venv/bin/python bench/http_bench.py [--rounds 3] [--seconds 8] [--workers 2]

Starts gunicorn (sync workers) on 127.0.0.1 over a fresh SQLite database holding the
demo county, then runs wrk in rounds, each round timing the trivial endpoint, the scan
endpoint and the submit endpoint one after the other, so noise on this shared machine
hits all three alike. Reports the median requests/s of each and its ratio to the
trivial endpoint's median. Needs wrk (Debian package `wrk`).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live_server import demo_server  # noqa: E402


def wrk(url: str, seconds: int, env: dict, script: Path | None = None, headers=()) -> float:
    cmd = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, env=env, check=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    bad = re.search(r"non-201 answers: (\d+)", out)
    if non2xx or (bad and int(bad.group(1))):
        raise SystemExit(f"the benchmark got error answers:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    with demo_server(workers=args.workers) as (base, instance):
        session = requests.Session()
        login = session.post(f"{base}/api/auth/login", json={"username": "patroller", "password": "demo12345"})
        login.raise_for_status()
        csrf = login.json()["csrf_token"]
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        token = session.get(f"{base}/api/points").json()[0]["token"]
        items = session.get(f"{base}/api/scan/{token}").json()["items"]
        body_file = instance / "body.json"
        body_file.write_text(json.dumps(
            {"token": token, "results": [{"item_id": i["id"], "result": "pass"} for i in items]}
        ))
        wrk_env = {**os.environ, "BENCH_COOKIE": cookie, "BENCH_CSRF": csrf, "BENCH_BODY_FILE": str(body_file)}

        rates = {"trivial": [], "scan": [], "submit": [], "bare": []}
        for round_no in range(args.rounds):
            wrk_env["BENCH_RUN"] = f"{round_no}-{uuid.uuid4().hex[:8]}"
            rates["trivial"].append(wrk(f"{base}/bench/trivial", args.seconds, wrk_env))
            rates["scan"].append(wrk(f"{base}/api/scan/{token}", args.seconds, wrk_env,
                                     headers=[f"Cookie: {cookie}"]))
            rates["submit"].append(wrk(base, args.seconds, wrk_env, script=ROOT / "bench" / "submit.lua"))
            rates["bare"].append(wrk(base, args.seconds, wrk_env, script=ROOT / "bench" / "bare.lua"))
            print(f"round {round_no + 1}: " + ", ".join(f"{k} {v[-1]:.0f} req/s" for k, v in rates.items()),
                  flush=True)

    medians = {k: statistics.median(v) for k, v in rates.items()}
    print(f"\nmedians over {args.rounds} rounds of {args.seconds} s, gunicorn {args.workers} sync workers, SQLite:")
    for name, rate in medians.items():
        print(f"  {name:<8} {rate:8.0f} req/s   {rate / medians['trivial']:6.1%} of trivial")
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "http_bench.json").write_text(json.dumps({"rates": rates, "medians": medians}, indent=2))


if __name__ == "__main__":
    main()
