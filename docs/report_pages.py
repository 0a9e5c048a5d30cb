"""Render the weekly brief and page 1 of the monthly report into docs/: `.venv/bin/python docs/report_pages.py`.

The demo county has no patrols of its own, so this one makes a month of them: the demo
is seeded on 2026-10-01 in a temporary database, then every day until 11-06 each school
inspects its points with a diligence of its own (so the ranking has something to rank),
now and then finding a failed item, which becomes a hazard. The brief is of the first
school's week 44, the report of the county's October, as GET /api/reports/weekly.pdf and
monthly.pdf print them; page 1 of each is rasterised with PDFium.
"""

import os
import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import time_machine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CN = ZoneInfo("Asia/Shanghai")
START, END = datetime(2026, 10, 1, 8, tzinfo=CN), datetime(2026, 11, 6, 10, tzinfo=CN)
DILIGENCE = (0.97, 0.85, 0.7, 0.45)  # the chance a school's patrol goes out on a day, school by school
#: the chance a point is inspected on a patrol day, by level: daily, twice a week, weekly, every two weeks
PER_LEVEL = {"red": 1.0, "orange": 0.4, "yellow": 0.22, "blue": 0.12}
NOTES = ("有破损，已设警示", "未按要求摆放", "需要更换", "记录未填写")


def _patrol(rng: random.Random) -> None:
    """Each day, each school's points inspected as its diligence has it, a few items failing."""
    from sqlalchemy import select

    from app.accounts.models import User
    from app.accounts.session_user import load_session_user
    from app.extensions import db
    from app.inspections.services import submit_inspection
    from app.orgs.models import OrgKind, OrgUnit
    from app.points.models import RiskPoint
    from app.points.scan import active_items

    schools = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.SCHOOL).order_by(OrgUnit.id)).all()
    county = db.session.scalar(select(User).where(User.username == "county"))
    day = START
    while day < END:
        for school, diligence in zip(schools, DILIGENCE):
            if rng.random() > diligence:
                continue
            inspector = load_session_user(county.id)
            for point in db.session.scalars(select(RiskPoint).where(RiskPoint.school_id == school.id)).all():
                if rng.random() > PER_LEVEL.get(point.risk_level, 0.2):
                    continue
                at = day + timedelta(minutes=rng.randrange(0, 9 * 60))
                if at >= END:
                    continue
                results = [{"item_id": item["id"], "result": "pass", "note": "", "photo_ids": []}
                           for item in active_items(point.template_id)]
                if rng.random() < 0.04:
                    results[rng.randrange(len(results))].update(result="fail", note=rng.choice(NOTES))
                with time_machine.travel(at, tick=False):
                    submit_inspection(inspector, {"token": point.token, "results": results, "captured_at": at,
                                                  "opened_at": at - timedelta(minutes=2), "location": None,
                                                  "note": "", "photo_ids": []})
        db.session.commit()
        day += timedelta(days=1)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HUXIAO_INSTANCE_PATH"] = tmp
        for name in ("DATABASE_URL", "PHOTO_DIR"):
            os.environ.pop(name, None)

        from flask_migrate import upgrade

        from app import create_app
        from app.demo.seed import seed_demo
        from app.extensions import db
        from app.orgs.models import OrgUnit
        from app.reports.brief_pdf import brief_pdf
        from app.reports.monthly import monthly_report
        from app.reports.monthly_pdf import monthly_pdf
        from app.reports.periods import parse_period
        from app.reports.weekly import weekly_report
        from app.schedules.services import county_of

        app = create_app()
        with app.app_context():
            upgrade()
            with time_machine.travel(START - timedelta(hours=1), tick=False):
                seed_demo()
            _patrol(random.Random(2026))
            now = END.astimezone(ZoneInfo("UTC"))
            school = db.session.scalar(db.select(OrgUnit).where(OrgUnit.name == "演示县第一中学"))
            county = db.session.get(OrgUnit, county_of(school.path))
            week = weekly_report(school, parse_period("week", "2026-W44", now), now)
            month = monthly_report(county, parse_period("month", "2026-10", now), now)
            pages = {"report-weekly-brief.png": brief_pdf(week, now), "report-monthly.png": monthly_pdf(month, now)}
        for name, data in pages.items():
            pdf = pdfium.PdfDocument(data)
            target = ROOT / "docs" / name
            pdf[0].render(scale=110 / 72).to_pil().save(target, optimize=True)
            pdf.close()
            print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
