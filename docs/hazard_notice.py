"""Render page 1 of a rectification notice, and a school's 随手拍 poster, into docs/: `.venv/bin/python docs/hazard_notice.py`.

Builds the demo county in a temporary database, takes its assigned hazard (the
canteen's broken drain cover, with its photo, measures, funds and deadline), prints its
notice as GET /api/hazards/<id>/notice.pdf does, and rasterises page 1 with PDFium.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "HUXIAO_INSTANCE_PATH": tmp, "FLASK_APP": "wsgi"}
        env.pop("DATABASE_URL", None)
        env.pop("PHOTO_DIR", None)
        for command in (["db", "upgrade"], ["demo", "seed"]):
            subprocess.run([BIN / "flask", *command], cwd=ROOT, env=env, check=True, capture_output=True)
        os.environ.update({"HUXIAO_INSTANCE_PATH": tmp})
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("PHOTO_DIR", None)

        from app import create_app
        from app.extensions import db
        from app.hazards.models import Hazard, State
        from app.hazards.notice import notice_pdf
        from app.snaps.poster import poster_pdf
        from app.snaps.routes import snap_url
        from app.snaps.services import school_code

        with create_app().app_context():
            hazard = db.session.scalar(db.select(Hazard).where(Hazard.state == State.ASSIGNED,
                                                               Hazard.funds_yuan.is_not(None)))
            pages = {"hazard-notice.png": notice_pdf(hazard),
                     "snap-poster.png": poster_pdf(hazard.school.name, snap_url(school_code(hazard.school).token))}
        for name, data in pages.items():
            pdf = pdfium.PdfDocument(data)
            target = ROOT / "docs" / name
            pdf[0].render(scale=110 / 72).to_pil().save(target, optimize=True)
            pdf.close()
            print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
