"""Render the first page of each label template into docs/: `.venv/bin/python docs/label_sheets.py`.

Builds the demo county in a temporary database, prints one batch per template with
`flask qr print`, and rasterises page 1 of each PDF with PDFium, as a person would
see it before printing.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "HUXIAO_INSTANCE_PATH": tmp, "FLASK_APP": "wsgi",
               "PUBLIC_BASE_URL": "https://huxiao.example.gov.cn"}
        env.pop("DATABASE_URL", None)
        for command in (["db", "upgrade"], ["demo", "seed"]):
            subprocess.run([BIN / "flask", *command], cwd=ROOT, env=env, check=True, capture_output=True)
        for template, extra in (("2x4", []), ("3x8", []), ("single", ["--level", "red"])):
            out = subprocess.run([BIN / "flask", "qr", "print", "--template", template, "--no-png",
                                  "--out", tmp, *extra], cwd=ROOT, env=env, check=True, capture_output=True,
                                 text=True).stdout.strip().splitlines()[-1]
            pdf = pdfium.PdfDocument(str(Path(out) / "labels.pdf"))
            target = ROOT / "docs" / f"labels-{template}.png"
            pdf[0].render(scale=110 / 72).to_pil().save(target, optimize=True)
            pdf.close()
            print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
