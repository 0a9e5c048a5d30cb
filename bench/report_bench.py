"""Benchmark the oversight reports on a generated county, on PostgreSQL.

Usage: .venv/bin/python bench/report_bench.py [--rounds 5] [--reuse] [--schools 300] [--points 15000]

The county (bench/sweep_bench.py's generator, cut into --schools schools): 15,000 points in
300 schools of 30 townships (all but one in twenty there for over a year), a year of inspections before T0 (2026-03-11 10:00 in the schools'
zone) -- each active point inspected on about 90 % of days, between 07:30 and 17:30, 1 % of
them failing an item: about 5 million rows --, 48,000 hazards over that year (1 % under listed
supervision) and 20,000 past escalations with their steps. Only failed inspections get their
item results (the reports read results for failures only; 30 million passing rows would
change nothing measured here). Loaded with COPY and INSERT ... SELECT, then VACUUM ANALYZE.

Measured, each the median of --rounds calls after one warm-up call (a long-running worker),
the report built and dumped through its response schema as the endpoint does, at T0:
  monthly  the county's 月调度 of February 2026 (every school ranked, six months of trend):
           with the months' figures kept (as `flask escalate` keeps them when a month ends);
           on a read with nothing kept (no escalation loop running: every month computed;
           everything kept is deleted before each call); and of March so far (its own
           figures live, the five months before kept), and of February as read in its last
           hour (27 days live: the slowest a month's own report gets);
  closing  what the escalation loop does once after February ends: keep its figures for
           every school (February's kept figures are deleted before each call);
  daily    one school's 日排查 of 2026-03-10, and of today so far;
  weekly   one school's 周研判 of the week before T0;
  baseline one plain count of the month's inspections (an index range scan), for the ratio.
Then every statement of each report is run again under EXPLAIN (ANALYZE, BUFFERS); the plans
go to bench/results/report_explain.txt and the run fails if a read that a person waits for
(not the closing, nor the read with nothing kept) reads inspections, hazards, inspection
results or escalation steps with a sequential scan.
"""

import argparse
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import sweep_bench as sb  # noqa: E402

PG_URL = "postgresql://postgres@127.0.0.1:5432/huxiao_report_bench"
RESULTS = Path(__file__).resolve().parent / "results"
T0 = sb.T0  # 2026-03-11 10:00 Asia/Shanghai
BIG_TABLES = ("inspections", "hazards", "inspection_results", "escalation_steps")


class ReportCounty(sb.County):
    """The sweep benchmark's county, with a set number of schools, no open-hazard backlog beyond a year's."""

    def __init__(self, points: int, schools: int, seed: int):
        super().__init__(points, hazards=3000, closed=45000, overdue=0.04, seed=seed, policy=False, history=20000)
        self.schools = schools
        self.townships = min(30, schools)
        self.school0 = 2 + self.townships
        self.starts = [s * points // schools for s in range(schools + 1)]
        self.grid0 = [0] * (schools + 1)
        for s in range(schools):
            self.grid0[s + 1] = self.grid0[s] + max(1, -(-(self.starts[s + 1] - self.starts[s]) // 50))
        self.grids = self.grid0[-1]
        self.officer0 = 2 + self.townships
        self.leader0 = self.officer0 + 2 * schools
        self.users = self.leader0 + 2 * self.grids - 1

    def tables(self):
        for table in super().tables():
            if table[0] not in ("webhooks", "push_subscriptions"):
                yield table


INSPECTIONS = """
INSERT INTO inspections (point_id, inspector_id, template_id, token, submitted_at, captured_at, failed_count, note)
SELECT p.id, g.leader_id + 1, p.template_id, p.token, s.at, s.at - interval '20 seconds',
       CASE WHEN random() < 0.01 THEN 1 ELSE 0 END, ''
FROM risk_points p
JOIN grids g ON g.id = p.grid_id
CROSS JOIN LATERAL (
    SELECT d + interval '7 hours 30 minutes' + random() * interval '10 hours' - interval '8 hours' AS at
    FROM generate_series(CAST(:first AS timestamp), CAST(:last AS timestamp), interval '1 day') d
    WHERE random() < 0.9
) s
WHERE p.active AND s.at > p.created_at
"""

RESULTS_OF_FAILURES = """
INSERT INTO inspection_results (inspection_id, item_id, position, item_text, result, note)
SELECT i.id, it.id, it.position, it.text, 'fail', '损坏'
FROM inspections i
JOIN LATERAL (SELECT id, position, text FROM checklist_items WHERE template_id = i.template_id
              ORDER BY position OFFSET (i.id % 3) LIMIT 1) it ON true
WHERE i.failed_count > 0
"""

ITEMS = """
INSERT INTO checklist_items (template_id, position, text, active)
SELECT t.id, k, t.name || '第' || k || '项', true FROM checklist_templates t CROSS JOIN generate_series(1, 6) k
"""


def generate(args) -> None:
    import sqlalchemy as sa

    from app.extensions import db

    sb.create_database("postgresql", args.pg_url)
    app = sb.make_app(sb.sqlalchemy_url("postgresql", args.pg_url))
    notes = sb.build_schema(app)
    for note in notes:
        print("schema:", note)
    county = ReportCounty(args.points, args.schools, args.seed)
    with app.app_context():
        took = sb.load("postgresql", db.engine, db.metadata, county)
        started = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(sa.text("SELECT setseed(0.42)"))
            conn.execute(sa.text(ITEMS))
            # a county in its second year: all but one point in twenty were there the whole year
            conn.execute(sa.text("UPDATE risk_points SET created_at = created_at - interval '330 days' "
                                 "WHERE id % 20 <> 0"))
            first = (T0 - timedelta(days=365)).astimezone(sb.ZONE).date()
            last = (T0 - timedelta(days=1)).astimezone(sb.ZONE).date()
            conn.execute(sa.text(INSPECTIONS), {"first": first.isoformat(), "last": last.isoformat()})
            conn.execute(sa.text(RESULTS_OF_FAILURES))
            # the due times as inspections would have left them (the daily view of today replays its own)
            conn.execute(sa.text("UPDATE risk_points SET due_at = NULL WHERE NOT active"))
        took["inspections"] = time.perf_counter() - started
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
            rows = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in
                    ("org_units", "risk_points", "inspections", "inspection_results", "hazards", "escalation_steps")}
    print("generated:", ", ".join(f"{t} {n:,}" for t, n in rows.items()),
          f"({sum(took.values()):.0f} s)")


def measure(args) -> None:
    import sqlalchemy as sa
    import time_machine

    from app.extensions import db
    from app.orgs.models import OrgUnit
    from app.reports.daily import daily_report
    from app.reports.monthly import monthly_report
    from app.reports.closing import close_months
    from app.reports.models import CompletionSnapshot, HazardSnapshot
    from app.reports.periods import parse_period
    from app.reports.schemas import DailyOut, MonthlyOut, WeeklyOut
    from app.reports.weekly import weekly_report

    app = sb.make_app(sb.sqlalchemy_url("postgresql", args.pg_url))
    now = T0
    today = now.astimezone(sb.ZONE).date()
    with app.app_context(), time_machine.travel(now, tick=True):
        county = db.session.get(OrgUnit, 1)
        school = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.kind == "school").order_by(OrgUnit.id))
        month = parse_period("month", "2026-02", now)
        this_month = parse_period("month", "2026-03", now)

        def forget(only_february: bool) -> None:
            for model in (CompletionSnapshot, HazardSnapshot):
                db.session.execute(sa.delete(model).where(model.first == month.first) if only_february
                                   else sa.delete(model))

        def monthly(period, nothing_kept: bool = False, at=now):
            if nothing_kept:
                forget(only_february=False)
            body = MonthlyOut().dump(monthly_report(county, period, at))
            db.session.commit()  # as the endpoint does
            return body

        def closing():
            forget(only_february=True)
            closed = close_months(now)
            db.session.commit()
            assert closed == [f"{county.name} 2026-02: {args.schools} schools"], closed

        close_months(now)  # as the loop would have, before anyone reads
        db.session.commit()
        cases = {
            "monthly county (2026-02), months kept": lambda: monthly(month),
            "monthly county (2026-03 so far)": lambda: monthly(this_month),
            "monthly county (2026-02 so far, on 02-28 23:00)": lambda: monthly(month, at=month.ends - timedelta(hours=1)),
            "monthly county (2026-02), nothing kept": lambda: monthly(month, nothing_kept=True),
            "closing February (the escalation loop)": closing,
            "daily school (2026-03-10)": lambda: DailyOut().dump(
                daily_report(school, parse_period("day", str(today - timedelta(days=1)), now), now)),
            "daily school (today so far)": lambda: DailyOut().dump(
                daily_report(school, parse_period("day", None, now), now)),
            "weekly school (last week)": lambda: WeeklyOut().dump(
                weekly_report(school, parse_period("week", str(today - timedelta(days=7)), now), now)),
            "daily county (2026-03-10)": lambda: DailyOut().dump(
                daily_report(county, parse_period("day", str(today - timedelta(days=1)), now), now)),
        }
        baseline_sql = sa.text("SELECT count(*) FROM inspections WHERE submitted_at >= :a AND submitted_at < :b")
        bounds = {"a": sb.naive(month.starts), "b": sb.naive(month.ends)}
        cases["baseline: count a month of inspections"] = lambda: db.session.execute(baseline_sql, bounds).scalar()

        figures = {}
        for name, run in cases.items():
            run()  # warm-up: compiled statements, the county's rules cached, pages in memory
            db.session.rollback()
            times = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                run()
                times.append(time.perf_counter() - started)
                db.session.rollback()
            figures[name] = (statistics.median(times), min(times), max(times))
        base = figures["baseline: count a month of inspections"][0]
        print(f"\n{'report':42} {'median':>9} {'min':>9} {'max':>9} {'x baseline':>10}")
        for name, (median, low, high) in figures.items():
            print(f"{name:42} {median * 1000:7.1f}ms {low * 1000:7.1f}ms {high * 1000:7.1f}ms {median / base:10.1f}")

        close_months(now)
        db.session.commit()
        explain(app, {k: v for k, v in cases.items() if not k.startswith("baseline")},
                unchecked=("monthly county (2026-02), nothing kept", "closing February (the escalation loop)"))


def explain(app, cases: dict, unchecked: tuple[str, ...]) -> None:
    """Run each report capturing its statements, then EXPLAIN ANALYZE each; fail on a Seq Scan of a big table
    in any case but the `unchecked` ones (whose scans are listed, not failed)."""
    import sqlalchemy as sa

    from app.extensions import db

    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((current, statement, parameters))

    current = None
    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        for name, run in cases.items():
            current = name
            run()
            db.session.rollback()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    RESULTS.mkdir(exist_ok=True)
    out, bad, seen = [], [], []
    raw = db.engine.raw_connection()
    try:
        with raw.cursor() as cur:
            for name, statement, parameters in statements:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                plan = "\n".join(r[0] for r in cur.fetchall())
                total = re.search(r"Execution Time: ([\d.]+) ms", plan)
                scans = [t for t in BIG_TABLES if re.search(rf"Seq Scan on {t}\b", plan)]
                if scans:
                    (seen if name in unchecked else bad).append((name, scans, statement[:120]))
                out.append(f"### {name}: {total and total[1]} ms{'  SEQ SCAN: ' + ', '.join(scans) if scans else ''}"
                           f"\n{statement}\n{parameters}\n{plan}\n")
        raw.rollback()
    finally:
        raw.close()
    path = RESULTS / "report_explain.txt"
    path.write_text("\n".join(out))
    print(f"\n{len(statements)} statements explained in {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    for name, scans, statement in seen:
        print(f"(not checked) sequential scan of {', '.join(scans)} in {name}: {statement}...")
    for name, scans, statement in bad:
        print(f"SEQUENTIAL SCAN of {', '.join(scans)} in {name}: {statement}...")
    if bad:
        raise SystemExit(1)
    print("every read of " + ", ".join(BIG_TABLES) + " that a person waits for goes through an index")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--points", type=int, default=15000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--reuse", action="store_true", help="keep a database generated before")
    args = parser.parse_args()
    if not args.reuse:
        generate(args)
    measure(args)


if __name__ == "__main__":
    main()
