"""Benchmark label printing: 1,000 labels to PDF against bare QR encoding, and 10,000 for memory.

Usage: .venv/bin/python bench/label_bench.py [--rounds 3]

Each measurement runs in a fresh process (so its peak memory is its own), in rounds
that time the bare encoding of N codes with zxing-cpp and then the PDF of N labels,
one after the other, so the shared machine's noise hits both alike. Reports medians.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import resource, sys, time
sys.path.insert(0, {root!r})
kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
urls = [f"https://hx.county.gov.cn/p/{{i:022d}}" for i in range(n)]
if kind == "encode":
    import zxingcpp
    start = time.perf_counter()
    for url in urls:
        zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="Q").to_image(scale=1, add_quiet_zones=False)
else:
    from pathlib import Path
    from app import create_app
    from app.labels.layout import LabelData
    from app.labels.render import render_batch
    from app.labels.sheets import TEMPLATES
    from app.points.levels import DEFAULT_RISK_LEVELS
    app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench"}})
    schools = ["演示县第一中学", "城关小学", "河西中心小学", "河西初级中学"]
    def labels():
        for i, url in enumerate(urls):
            level = DEFAULT_RISK_LEVELS[i % 4]
            yield i, LabelData(schools[i % 4], f"教学楼{{i % 7 + 1}}层东侧灭火器{{i}}", f"教学楼{{i % 7 + 1}}层东楼梯口",
                               "消防", "王建国", level.frequency_zh, level, url, f"{{i:04d}}-ABCD")
    with app.app_context():
        start = time.perf_counter()
        render_batch(Path(out), labels(), TEMPLATES[kind.split(":")[1]], "bench", pngs=kind.startswith("batch"))
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def measure(kind: str, n: int) -> tuple[float, float]:
    """Run one measurement in a fresh process: (seconds, peak MB)."""
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), kind, str(n), out],
                                capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, peak = result.stdout.split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runs = {
        "encode 1,000 codes (zxing-cpp, bare)": ("encode", 1000),
        "1,000 labels -> PDF (2x4)": ("pdf:2x4", 1000),
        "1,000 labels -> PDF (3x8)": ("pdf:3x8", 1000),
        "1,000 labels -> PDF + PNGs (2x4)": ("batch:2x4", 1000),
        "10,000 labels -> PDF (3x8)": ("pdf:3x8", 10000),
    }
    results = {name: [] for name in runs}
    for round_no in range(args.rounds):
        for name, (kind, n) in runs.items():
            results[name].append(measure(kind, n))
        print(f"round {round_no + 1}: " + ", ".join(f"{v[-1][0]:.2f}s" for v in results.values()), flush=True)
    base = statistics.median(s for s, _ in results["encode 1,000 codes (zxing-cpp, bare)"])
    print(f"\nmedians over {args.rounds} rounds (each in a fresh process):")
    summary = {}
    for name, values in results.items():
        seconds = statistics.median(s for s, _ in values)
        peak = statistics.median(m for _, m in values)
        summary[name] = {"seconds": seconds, "peak_mb": peak, "x_bare_encoding": seconds / base}
        print(f"  {name:<38} {seconds:7.2f} s  {seconds / base:6.1f}x bare encoding  peak {peak:6.0f} MB")
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "label_bench.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
