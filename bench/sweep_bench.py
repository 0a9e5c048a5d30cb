"""Benchmark the escalation sweep on generated data: 1,000,000 risk points and 100,000 open hazards.

Usage: .venv/bin/python bench/sweep_bench.py [--db sqlite|postgresql|both] [--rounds 3]
                                            [--points 1000000] [--hazards 100000] [--explain]
       .venv/bin/python bench/sweep_bench.py --points 20000 --hazards 2000     (a quick run)

Builds the schema with the migrations (`flask db upgrade`; a table or column the models have
and no migration has yet is added from the models, and the run says so), then fills it in
bulk -- COPY on PostgreSQL, executemany in one transaction on SQLite -- with one generated
county, the same rows on both databases: ~30 townships, a school per 333 points, a grid per
50 points with its leader, a safety officer and principal per school, a supervisor per
township, a county admin; points due at the start of a local day, 4 % of them overdue;
hazards reported, assigned or rectified, some past their deadline, some failed items
unassigned, some rejected twice. PostgreSQL gets VACUUM ANALYZE after the load.

Then, in rounds, each measurement in a fresh process (so its peak memory is its own):

  scan    one full read of risk_points, `SELECT count(*), sum(length(name) + length(location))`:
          the baseline, checked to be a scan of the table (no index holds both columns). On
          PostgreSQL a serial Seq Scan (no parallel workers: an INSERT ... SELECT never gets
          them); the parallel scan is shown beside it;
  first   the first sweep, at T0 on empty escalation tables: every overdue point and
          failing hazard is opened and takes its first step (the worst case);
  +1 h    the next sweep an hour later: few new causes, nothing's time up yet;
  +2 h    the one after: every red escalation climbs and its school is told.

A sweep is timed with its commit, and with tracemalloc off: tracing every Python allocation
slows the sweep's own Python (building and compiling its statements) about threefold, so
its peak is taken in a pass of its own after the timed rounds (one more round of the three
sweeps; --no-tracemalloc skips it). The peak resident set of the process during the sweep
over what it held before (Linux's VmHWM, reset just before the sweep; on SQLite it includes
the database engine's own) comes from the timed runs. The time outside the sweep's
statements (building and compiling them, the commit) is shown apart: a fresh process, as
`flask escalate` from cron, compiles every statement; --warm sweeps once and rolls back
first, as a long-running `flask escalate --every` would have.

The first sweep's rows are also written again with nothing to find: copies of the four
tables with the same indexes and no foreign keys take the rows the sweep wrote, by INSERT ...
SELECT, each table timed apart and the commit on its own. That is the floor of writing what
the first sweep records, whatever the shape of the SQL that finds it.

Before each round the escalation tables are emptied -- TRUNCATE on PostgreSQL, which leaves
them as `flask db upgrade` does, never analysed -- and between sweeps PostgreSQL's are
vacuumed and analysed as autovacuum would in the hour between, so every round does the same
work. --history N adds N resolved escalations of the last 200 days with their steps and
notifications (a county some months in); a round then removes only what the sweeps added.
Reports medians, each sweep against the scan, and the slowest statements; --explain writes
every statement's EXPLAIN (ANALYZE, BUFFERS) (PostgreSQL, in a savepoint rolled back, then
the statement itself) or EXPLAIN QUERY PLAN (SQLite) to bench/results/sweep_explain_<db>.txt.

--reuse keeps a database generated with the same options; --extra-sql runs statements
(e.g. a candidate index) after the load, and they stay in that database (a later --reuse
says so); --root runs another copy of the project (a scratch copy with a rewritten
statement) against the same data. The databases: the file /tmp/huxiao_sweep_bench/sweep.db
and the PostgreSQL database of --pg-url (created and dropped by the benchmark).
"""

import argparse
import gc
import hashlib
import json
import math
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from array import array
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
WORK = Path("/tmp/huxiao_sweep_bench")
SQLITE_FILE = WORK / "sweep.db"
PG_URL = "postgresql://postgres@127.0.0.1:5432/huxiao_sweep_bench"

#: the moment of the first sweep: 10:00 on a Wednesday in the schools' zone
ZONE = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
PHASES = {"first": T0, "+1 h": T0 + HOUR, "+2 h": T0 + 2 * HOUR}

LEVELS = ("red", "orange", "yellow", "blue")
POINT_WEIGHTS = (5, 15, 40, 40)
HAZARD_WEIGHTS = (10, 20, 40, 30)
CADENCE_DAYS = {"red": 1, "orange": 4, "yellow": 7, "blue": 14}  # how far ahead a point that is not late is due
RECTIFY_HOURS = {"red": 24, "orange": 72, "yellow": 168, "blue": 360}  # app.hazards.deadlines' defaults
CATEGORIES = ("fire", "electrical", "canteen", "dormitory", "building", "fence", "playground", "gate", "water",
              "school_bus", "other")
THINGS = {"fire": "灭火器", "electrical": "配电箱", "canteen": "燃气灶", "dormitory": "疏散通道", "building": "楼梯扶手",
          "fence": "围墙", "playground": "篮球架", "gate": "减速带", "water": "池塘护栏", "school_bus": "校车停车位",
          "other": "设施"}
BUILDINGS = ("教学楼", "实验楼", "综合楼", "宿舍楼", "食堂", "图书馆", "体育馆", "行政楼")
ESCALATION_TABLES = ("deliveries", "notifications", "escalation_steps", "escalations")  # children first
#: reads every row of the table: no index holds both columns (SQLite answers sum(length(name)) from the
#: unique (school_id, name) index alone, which is not a scan of the table)
SCAN = "SELECT count(*), sum(length(name) + length(location)) FROM risk_points"


def naive(moment: datetime) -> datetime:
    """As the app stores it: naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def local_midnight(days: int) -> datetime:
    """The start of the local day `days` after T0's (how app.schedules sets due_at)."""
    day = T0.astimezone(ZONE).date() + timedelta(days=days)
    return naive(datetime.combine(day, clock.min, tzinfo=ZONE))


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# The generated county: the same rows for both databases


class County:
    """One county's rows, table by table, from a seed: (table, columns, rows)."""

    def __init__(self, points: int, hazards: int, closed: int, overdue: float, seed: int, policy: bool,
                 history: int = 0):
        self.points, self.hazards, self.closed, self.overdue, self.seed, self.policy, self.history = (
            points, hazards, closed, overdue, seed, policy, history)
        self.schools = max(1, round(points / 333))
        self.townships = min(30, self.schools)
        self.school0 = 2 + self.townships  # org unit ids: county 1, townships 2.., schools after
        self.starts = [s * points // self.schools for s in range(self.schools + 1)]  # points of school s
        self.grid0 = [0] * (self.schools + 1)  # first grid index of school s
        for s in range(self.schools):
            self.grid0[s + 1] = self.grid0[s] + max(1, math.ceil((self.starts[s + 1] - self.starts[s]) / 50))
        self.grids = self.grid0[-1]
        self.officer0 = 2 + self.townships  # user ids: admin 1, supervisors 2.., officer+principal, leader+patroller
        self.leader0 = self.officer0 + 2 * self.schools
        self.users = self.leader0 + 2 * self.grids - 1
        self.point_school = array("i", bytes(4 * points))  # school index of each point
        self.point_level = bytearray(points)
        self.point_active = bytearray(points)
        self.created = naive(T0 - timedelta(days=200))

    def rng(self, table: str) -> random.Random:
        return random.Random(f"{self.seed}:{table}")

    def tables(self):
        yield self.org_units()
        yield self.user_rows()
        yield self.grid_rows()
        yield self.templates()
        yield self.risk_points()
        hazards, events = self.hazard_rows()
        yield hazards
        yield events
        yield self.webhooks()
        yield self.push_subscriptions()
        if self.history:
            yield from self.history_rows()
        if self.policy:
            yield ("escalation_policies", ("county_id", "climb_hours", "hold_hours", "at_once_levels", "updated_by_id",
                                           "updated_at"),
                   [(1, '{"red": 1, "orange": 6}', 12, '["red", "orange"]', 1, self.created)])

    def school_id(self, s: int) -> int:
        return self.school0 + s

    def township_of(self, s: int) -> int:
        return 2 + s % self.townships

    def org_units(self):
        def rows():
            yield 1, "county", "演示县", None, "/1/"
            for t in range(self.townships):
                yield 2 + t, "township", f"第{t + 1}镇", 1, f"/1/{2 + t}/"
            for s in range(self.schools):
                t = self.township_of(s)
                yield self.school_id(s), "school", f"第{s + 1}学校", t, f"/1/{t}/{self.school_id(s)}/"
        return "org_units", ("id", "kind", "name", "parent_id", "path"), rows()

    def user_rows(self):
        rng = self.rng("users")

        def user(uid, role, org, active=True):
            return uid, f"u{uid}", f"用户{uid}", "pbkdf2:sha256:1000$bench$0", role, org, active, False, self.created

        def rows():
            yield user(1, "county_admin", 1)
            for t in range(self.townships):
                yield user(2 + t, "township_supervisor", 2 + t)
            for s in range(self.schools):
                yield user(self.officer0 + 2 * s, "safety_officer", self.school_id(s))
                yield user(self.officer0 + 2 * s + 1, "principal", self.school_id(s))
            for s in range(self.schools):
                for g in range(self.grid0[s], self.grid0[s + 1]):
                    yield user(self.leader0 + 2 * g, "grid_leader", self.school_id(s))
                    yield user(self.leader0 + 2 * g + 1, "patroller", self.school_id(s), rng.random() > 0.01)
        return "users", ("id", "username", "display_name", "password_hash", "role", "org_unit_id", "active",
                         "must_change_password", "created_at"), rows()

    def grid_rows(self):
        def rows():
            for s in range(self.schools):
                for g in range(self.grid0[s], self.grid0[s + 1]):
                    yield g + 1, self.school_id(s), f"网格{g - self.grid0[s] + 1}", self.leader0 + 2 * g
        return "grids", ("id", "school_id", "name", "leader_id"), rows()

    def templates(self):
        return ("checklist_templates", ("id", "name", "category", "org_unit_id", "created_at"),
                [(i + 1, f"{THINGS[c]}检查表", c, None, self.created) for i, c in enumerate(CATEGORIES)])

    def risk_points(self):
        rng = self.rng("risk_points")

        def rows():
            for s in range(self.schools):
                for local in range(self.starts[s + 1] - self.starts[s]):
                    p = self.starts[s] + local
                    pid = p + 1
                    level = rng.choices(range(4), POINT_WEIGHTS)[0]
                    c = rng.randrange(len(CATEGORIES))
                    building, floor = BUILDINGS[rng.randrange(len(BUILDINGS))], rng.randint(1, 6)
                    active = rng.random() < 0.99
                    if not active:
                        due = None
                    elif rng.random() < self.overdue:  # late since today's start, yesterday's, or up to a week
                        r = rng.random()
                        due = local_midnight(0 if r < 0.6 else -1 if r < 0.8 else -rng.randint(2, 7))
                    else:
                        due = local_midnight(rng.randint(1, CADENCE_DAYS[LEVELS[level]]))
                    self.point_school[p], self.point_level[p], self.point_active[p] = s, level, active
                    code = pid // 10000
                    letters = "".join(chr(65 + code // 26 ** k % 26) for k in range(4))
                    yield (pid, self.school_id(s), self.grid0[s] + local // 50 + 1,
                           f"{building}{floor}层{THINGS[CATEGORIES[c]]}{local + 1}号", f"{building}{floor}层东侧",
                           CATEGORIES[c], LEVELS[level], f"责任人{local // 50 + 1}", None, c + 1, active,
                           md5(f"{self.seed}:{pid}"), f"{pid % 10000:04d}-{letters}", 1, 1,
                           29.5 + rng.random() / 2, 106.3 + rng.random() / 2,
                           naive(T0 - timedelta(days=rng.randint(30, 400))), False, "[]", due)
        return "risk_points", ("id", "school_id", "grid_id", "name", "location", "category", "risk_level",
                               "responsible", "frequency", "template_id", "active", "token", "short_code",
                               "token_version", "label_version", "latitude", "longitude", "created_at",
                               "school_days_only", "seasons", "due_at"), rows()

    def hazard_rows(self):
        """Open hazards (reported 30 %, assigned 50 %, rectified 20 %), then closed ones, and their events."""
        rng = self.rng("hazards")
        hazards, events = [], []
        t0 = naive(T0)

        def event(hid, at, actor, action, before, after):
            events.append((len(events) + 1, hid, at, actor, action, before, after, "", "{}"))

        for i in range(self.hazards + self.closed):
            hid = i + 1
            first_event = len(events)
            r = rng.random()
            state = "closed" if i >= self.hazards else "reported" if r < 0.3 else "assigned" if r < 0.8 else "rectified"
            r = rng.random()
            source = "inspection" if r < 0.6 else "staff" if r < 0.9 else "public"
            if source == "inspection" or (source == "staff" and rng.random() < 0.5):
                p = rng.randrange(self.points)
                while not self.point_active[p]:
                    p = rng.randrange(self.points)
                s, level, point_id, place = self.point_school[p], LEVELS[self.point_level[p]], p + 1, ""
            else:
                s, point_id, place = rng.randrange(self.schools), None, "操场东侧围栏"
                level = rng.choices(LEVELS, HAZARD_WEIGHTS)[0]
            officer, principal = self.officer0 + 2 * s, self.officer0 + 2 * s + 1
            reporter = None if source == "public" else officer
            rectify = timedelta(hours=RECTIFY_HOURS[level])
            rejections = 0
            assigned_at = deadline = rectified_at = closed_at = None
            if state == "reported":  # most reported in the last day or two, a few left for a fortnight
                reported_at = t0 - min(timedelta(days=14), timedelta(hours=rng.expovariate(1 / 18)))
            else:
                if state == "closed":
                    deadline = t0 - timedelta(days=rng.uniform(1, 300))
                elif rng.random() < 0.2:  # past its deadline
                    deadline = t0 - timedelta(hours=rng.uniform(0.5, 120))
                else:
                    deadline = t0 + rectify * rng.random()
                assigned_at = deadline - rectify
                reported_at = assigned_at - timedelta(hours=rng.uniform(0.5, 24))
                r = rng.random()
                rejections = 2 if r < 0.03 else 3 if r < 0.04 else 1 if r < 0.09 else 0
            event(hid, reported_at, reporter, "report", None, "reported")
            last = reported_at
            if assigned_at:
                event(hid, assigned_at, principal, "assign", "reported", "assigned")
                end = min(t0, deadline) if state == "closed" else t0
                for k in range(rejections):
                    at = assigned_at + (end - assigned_at) * (k + 0.5) / (rejections + 1)
                    event(hid, at, officer, "rectify", "assigned", "rectified")
                    event(hid, at + (end - at) / 10, principal, "reject", "rectified", "assigned")
                last = end if rejections else assigned_at
                if state in ("rectified", "closed"):
                    rectified_at = last + (end - last) * rng.uniform(0.5, 0.9)
                    event(hid, rectified_at, officer, "rectify", "assigned", "rectified")
                    last = rectified_at
                if state == "closed":
                    closed_at = rectified_at + (end - rectified_at) / 2
                    event(hid, closed_at, principal, "verify", "rectified", "closed")
                    last = closed_at
            hazards.append((
                hid, self.school_id(s), self.school_id(s), source, point_id, place, CATEGORIES[rng.randrange(11)],
                level, f"{place or '巡查'}发现隐患：设施损坏，需尽快整改（{hid}）", None, None, reporter, reported_at,
                state, officer if assigned_at else None, principal if assigned_at else None, assigned_at,
                "校安办" if assigned_at else "", "", None, deadline, rectified_at,
                principal if closed_at else None, closed_at, rejections, None, None, rng.random() < 0.01, last,
                len(events) - first_event))
        return (("hazards", ("id", "school_id", "holder_id", "source", "point_id", "place", "category", "risk_level",
                             "description", "inspection_id", "item_id", "reporter_id", "reported_at", "state",
                             "rectifier_id", "assigned_by_id", "assigned_at", "responsibility", "measures",
                             "funds_yuan", "deadline", "rectified_at", "verified_by_id", "closed_at", "rejections",
                             "voided_at", "duplicate_of_id", "supervised", "updated_at", "version"), hazards),
                ("hazard_events", ("id", "hazard_id", "at", "actor_id", "action", "from_state", "to_state", "note",
                                   "details"), events))

    def history_rows(self):
        """Resolved escalations of overdue points from the last 200 days, their steps and notifications."""
        rng = self.rng("history")
        escalations, steps, notifications, seen = [], [], [], set()
        while len(escalations) < self.history:
            p, days = rng.randrange(self.points), rng.randint(8, 200)
            if (p, days) in seen:
                continue
            seen.add((p, days))
            s, level = self.point_school[p], LEVELS[self.point_level[p]]
            local = p - self.starts[s]
            grid = self.grid0[s] + local // 50
            began = local_midnight(-days)
            climb = timedelta(hours={"red": 2, "orange": 12, "yellow": 24, "blue": 72}[level])
            r = rng.random()
            reached = 1 if r < 0.6 else 2 if r < 0.85 else 3 if r < 0.95 else 4
            eid = len(escalations) + 1
            for step_level in range(1, reached + 1):
                at = began + timedelta(minutes=5) + climb * (step_level - 1)
                steps.append((len(steps) + 1, eid, step_level, at, None, None, ""))
                people = {1: [self.leader0 + 2 * grid], 2: [self.officer0 + 2 * s, self.officer0 + 2 * s + 1],
                          3: [self.township_of(s)], 4: [1]}[step_level]
                for person in people:
                    read = at + timedelta(hours=rng.uniform(0.1, 48)) if rng.random() < 0.8 else None
                    notifications.append((len(notifications) + 1, person, len(steps), at, read))
            last = began + timedelta(minutes=5) + climb * (reached - 1)
            escalations.append((eid, "point", p + 1, "point_overdue", began, self.school_id(s), grid + 1, level,
                                reached, last, None, last + timedelta(hours=rng.uniform(0.5, 30)),
                                began + timedelta(minutes=5)))
        yield "escalations", ("id", "subject", "subject_id", "trigger", "began_at", "school_id", "grid_id",
                              "risk_level", "level", "last_step_at", "held_until", "resolved_at", "created_at"), \
            escalations
        yield "escalation_steps", ("id", "escalation_id", "level", "at", "acknowledged_by_id", "acknowledged_at",
                                   "note"), steps
        yield "notifications", ("id", "user_id", "step_id", "created_at", "read_at"), notifications

    def webhooks(self):
        """A group robot for the county, each township and every tenth school."""
        units = [1] + [2 + t for t in range(self.townships)] + [self.school_id(s) for s in range(0, self.schools, 10)]
        return "webhooks", ("id", "org_unit_id", "name", "kind", "url", "secret", "active", "created_by_id",
                            "created_at"), [
            (i + 1, unit, "安全群机器人", "wecom", f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={md5(str(unit))}",
             "", True, None, self.created) for i, unit in enumerate(units)]

    def push_subscriptions(self):
        """Installed PWAs: 30 % of the managers, 20 % of the grid leaders."""
        rng = self.rng("push")
        managers = range(1, self.leader0)
        leaders = range(self.leader0, self.users + 1, 2)
        chosen = [u for u in managers if rng.random() < 0.3] + [u for u in leaders if rng.random() < 0.2]
        return "push_subscriptions", ("id", "user_id", "endpoint", "p256dh", "auth", "created_at"), [
            (i + 1, u, f"https://fcm.googleapis.com/fcm/send/{md5(f'push:{u}')}", "B" + md5(str(u)) * 2 + "x" * 22,
             md5(str(u))[:22], self.created) for i, u in enumerate(chosen)]


# ---------------------------------------------------------------------------------------------------------------
# The databases: schema, bulk load, reset


def sqlalchemy_url(kind: str, pg_url: str) -> str:
    from app.config import database_url

    return f"sqlite:///{SQLITE_FILE}" if kind == "sqlite" else database_url(pg_url)


def make_app(url: str):
    os.environ["HUXIAO_INSTANCE_PATH"] = str(WORK / "instance")
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TIME_ZONE": "Asia/Shanghai"})


def create_database(kind: str, pg_url: str) -> None:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    with psycopg.connect(url.set(database="postgres").render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}"')
        conn.execute(f'CREATE DATABASE "{url.database}"')


def build_schema(app) -> list[str]:
    """`flask db upgrade`, then whatever the models have that no migration has yet; returns what was added."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app.extensions import db

    notes = []
    with app.app_context():
        upgrade()
        inspector = sa.inspect(db.engine)
        have = set(inspector.get_table_names())
        missing = [t for t in db.metadata.sorted_tables if t.name not in have]
        if missing:
            db.metadata.create_all(db.engine, tables=missing)
            notes.append("tables from the models (no migration yet): " + ", ".join(t.name for t in missing))
        for table in db.metadata.sorted_tables:
            if table in missing:
                continue
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present:
                    kind = column.type.compile(db.engine.dialect)
                    with db.engine.begin() as conn:
                        conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
                    notes.append(f"column from the models (no migration yet): {table.name}.{column.name}")
            indexes = {i["name"] for i in inspector.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in indexes:
                    notes.append(f"index in the models but not the migrations (not created): {index.name}")
    return notes


def fill_ins(engine, metadata, table: str, columns: tuple) -> dict:
    """Values for the NOT NULL columns without a server default that the generator does not know (new ones)."""
    import sqlalchemy as sa

    extra = {}
    for column in sa.inspect(engine).get_columns(table):
        name = column["name"]
        if name in columns or column["nullable"] or column.get("default") is not None or column.get("autoincrement") \
                is True:
            continue
        default = metadata.tables[table].c[name].default if name in metadata.tables[table].c else None
        if default is None:
            raise SystemExit(f"{table}.{name} is NOT NULL with no default: teach bench/sweep_bench.py its value")
        value = default.arg if default.is_scalar else default.arg(None)
        extra[name] = naive(T0 - timedelta(days=1)) if isinstance(value, datetime) else getattr(value, "value", value)
    return extra


def load(kind: str, engine, metadata, county: County) -> dict:
    """Bulk-load every generated table; returns seconds per table."""
    import sqlalchemy as sa

    took = {}
    raw = engine.raw_connection()
    try:
        for table, columns, rows in county.tables():
            started = time.perf_counter()
            extra = fill_ins(engine, metadata, table, columns)
            names = columns + tuple(extra)
            tail = tuple(extra.values())
            if kind == "postgresql":
                with raw.cursor() as cur:
                    with cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row + tail)
                    if "id" in columns:
                        seq = cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()[0]
                        if seq:
                            cur.execute(f"SELECT setval('{seq}', (SELECT max(id) FROM {table}))")
                raw.commit()
            else:
                convert = _sqlite_converter()
                cur = raw.cursor()
                sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
                batch = []
                for row in rows:
                    batch.append(convert(row + tail))
                    if len(batch) == 50_000:
                        cur.executemany(sql, batch)
                        batch = []
                cur.executemany(sql, batch)
                raw.commit()
            took[table] = time.perf_counter() - started
    finally:
        raw.close()
    if kind == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            started = time.perf_counter()
            conn.execute(sa.text("VACUUM ANALYZE"))
            took["VACUUM ANALYZE"] = time.perf_counter() - started
    return took


def _sqlite_converter():
    """SQLite keeps SQLAlchemy's DateTime as text, 'YYYY-MM-DD HH:MM:SS.ffffff', and booleans as 0/1."""

    def value(v):
        if isinstance(v, datetime):
            return v.strftime("%Y-%m-%d %H:%M:%S.%f")
        return int(v) if isinstance(v, bool) else v

    return lambda row: [value(v) for v in row]


def maintenance(kind: str, engine, statements: list[str]) -> None:
    import sqlalchemy as sa

    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for statement in statements:
            conn.execute(sa.text(statement))


def reset(kind: str, engine, history: int = 0) -> None:
    """Empty the escalation tables, as before the first sweep ever.

    On PostgreSQL, TRUNCATE leaves them as `flask db upgrade` does: never vacuumed or
    analysed (reltuples -1), so the planner sees what it sees before a first sweep. With a
    generated history, only what the sweeps added goes, and the tables are vacuumed.
    """
    import sqlalchemy as sa

    tables = [t for t in ESCALATION_TABLES if sa.inspect(engine).has_table(t)]
    if history:  # keep the generated past: remove what the sweeps added (all of it at or after T0)
        column = {"escalation_steps": "at"}
        with engine.begin() as conn:
            for table in tables:
                conn.execute(sa.text(f"DELETE FROM {table} WHERE {column.get(table, 'created_at')} >= :t"),
                             {"t": naive(T0) if kind == "postgresql" else f"{naive(T0):%Y-%m-%d %H:%M:%S.%f}"})
        settle(kind, engine)
    elif kind == "postgresql":
        maintenance(kind, engine, [f"TRUNCATE {', '.join(tables)} RESTART IDENTITY", "CHECKPOINT"])
    else:
        with engine.begin() as conn:
            for table in tables:
                conn.execute(sa.text(f"DELETE FROM {table}"))
        maintenance(kind, engine, ["PRAGMA wal_checkpoint(TRUNCATE)"])


def settle(kind: str, engine) -> None:
    """What the hour between two sweeps does: autovacuum on PostgreSQL, a WAL checkpoint on SQLite."""
    import sqlalchemy as sa

    tables = [t for t in ESCALATION_TABLES if sa.inspect(engine).has_table(t)]
    if kind == "postgresql":
        maintenance(kind, engine, [f"VACUUM ANALYZE {', '.join(tables)}", "CHECKPOINT"])
    else:
        maintenance(kind, engine, ["PRAGMA wal_checkpoint(TRUNCATE)"])


# ---------------------------------------------------------------------------------------------------------------
# The child processes: one scan or one sweep each


SWEEP_FUNCTIONS = {"open_causes", "resolve_gone", "climb", "notify", "enqueue", "speed_groups", "sweep"}


def _label(statement: str, parameters, kind: str) -> str:
    """Where in the sweep a statement comes from: its function and line, its trigger / risk level and ladder level."""
    frame = sys._getframe(2)
    where = "other"
    while frame is not None:
        code = frame.f_code
        if code.co_name in SWEEP_FUNCTIONS and ("escalation" in code.co_filename or "outbox" in code.co_filename):
            where = f"{code.co_name}:{frame.f_lineno}"
            break
        frame = frame.f_back
    values = parameters.values() if isinstance(parameters, dict) else parameters or ()
    hints = [str(v) for v in values if isinstance(v, str) and v in LEVELS + ("point_overdue", "hazard_overdue",
                                                                             "hazard_unassigned", "rejected_twice")]
    if where.startswith(("climb", "notify", "enqueue")):
        sql = runnable(statement, parameters, kind)
        found = re.search(r"SELECT escalations\.id, '?(\d)|SET level='?(\d)|escalation_steps\.level = '?(\d)|"
                          r"escalation_steps\.level IN \('?(\d)", sql)
        if found and not (where.startswith("enqueue") and " OR " in sql):
            hints.append("L" + next(g for g in found.groups() if g))
        if where.startswith("enqueue"):
            hints.append("push" if "'push'" in sql else "webhook")
    return where + (" " + "/".join(dict.fromkeys(hints)) if hints else "")


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, datetime):
        return f"'{value:%Y-%m-%d %H:%M:%S}'"
    return "'" + str(value).replace("'", "''") + "'"


def runnable(statement: str, parameters, kind: str) -> str:
    """The statement with its parameters written in, to paste into psql or sqlite3."""
    if kind == "postgresql" and isinstance(parameters, dict):
        return re.sub(r"%\((\w+)\)s|%%", lambda m: _literal(parameters[m.group(1)]) if m.group(1) else "%", statement)
    values = iter(parameters or ())
    return re.sub(r"\?", lambda m: _literal(next(values)), statement)


def _status(field: str) -> float:
    """A field of /proc/self/status in MB: VmRSS now, VmHWM the peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def _reset_peak() -> bool:
    """Start the process's peak resident set (VmHWM) again from now (Linux: clear_refs 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def child(config: dict) -> dict:
    sys.path.insert(0, config["root"])
    import sqlalchemy as sa
    from sqlalchemy import event, func, select

    app = make_app(config["url"])
    from app.escalation.models import Escalation, EscalationStep, Notification
    from app.escalation.sweep import sweep
    from app.extensions import db

    kind = config["kind"]
    with app.app_context():
        session = db.session
        session.execute(sa.text("SELECT 1"))
        session.commit()
        if config["mode"] == "floor":
            return write_floor(session, kind, datetime.fromisoformat(config["now"]))
        if config["mode"] == "scan":
            conn = session.connection()
            found = {}
            if kind == "postgresql":
                conn.execute(sa.text("SET max_parallel_workers_per_gather = 0"))
                found["plan"] = conn.execute(sa.text("EXPLAIN " + SCAN)).scalars().all()
                scans = "Seq Scan on risk_points" in "".join(found["plan"])
            else:
                found["plan"] = [r[3] for r in conn.execute(sa.text("EXPLAIN QUERY PLAN " + SCAN))]
                scans = found["plan"] == ["SCAN risk_points"]
            if not scans:
                raise SystemExit("the baseline does not scan the table: " + " / ".join(found["plan"]))
            started = time.perf_counter()
            conn.execute(sa.text(SCAN)).one()
            found["serial"] = time.perf_counter() - started
            if kind == "postgresql":
                conn.execute(sa.text("RESET max_parallel_workers_per_gather"))
                found["parallel_plan"] = conn.execute(sa.text("EXPLAIN " + SCAN)).scalars().all()
                started = time.perf_counter()
                conn.execute(sa.text(SCAN)).one()
                found["parallel"] = time.perf_counter() - started
            session.rollback()
            return found

        now = datetime.fromisoformat(config["now"])
        statements = []
        explain = config["mode"] == "explain"

        @event.listens_for(db.engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):
            entry = {"label": _label(statement, parameters, kind), "sql": statement}
            if explain:
                entry["runnable"] = runnable(statement, parameters, kind)
            if explain and not statement.lstrip().upper().startswith("SET "):  # a setting has no plan
                other = cursor.connection.cursor()
                if kind == "postgresql":
                    other.execute("SAVEPOINT bench_explain")
                    other.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    entry["plan"] = [r[0] for r in other.fetchall()]
                    other.execute("ROLLBACK TO SAVEPOINT bench_explain")
                else:
                    other.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                    entry["plan"] = [" " * (3 * _depth(r, entry)) + r[3] for r in other.fetchall()]
                    entry.pop("_depths", None)
                other.close()
            statements.append(entry)
            entry["started"] = time.perf_counter()

        @event.listens_for(db.engine, "after_cursor_execute")
        def after(conn, cursor, statement, parameters, context, executemany):
            entry = statements[-1]
            entry["seconds"] = time.perf_counter() - entry.pop("started")
            entry["rows"] = cursor.rowcount

        if config.get("warm"):  # a long-running `flask escalate --every`: statements compiled, pages cached
            sweep(now)
            session.rollback()
            statements.clear()
        gc.collect()
        peak_reset = _reset_peak()
        rss_before = _status("VmRSS") if peak_reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if config["tracemalloc"]:
            tracemalloc.start()
        started = time.perf_counter()
        sweep(now)
        session.commit()
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2 ** 20 if config["tracemalloc"] else None
        tracemalloc.stop()
        rss_after = _status("VmHWM") if peak_reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)

        def count(query):
            return session.scalar(query)

        from app.outbox.models import Delivery

        work = {
            "opened": count(select(func.count()).where(Escalation.created_at == now)),
            "resolved": count(select(func.count()).where(Escalation.resolved_at == now)),
            "steps": count(select(func.count()).where(EscalationStep.at == now)),
            "notifications": count(select(func.count()).where(Notification.created_at == now)),
            "deliveries": count(select(func.count()).where(Delivery.created_at == now)),
            "open escalations": count(select(func.count()).where(Escalation.resolved_at.is_(None))),
        }
        session.rollback()
    return {"seconds": seconds, "tracemalloc_mb": peak, "rss_before_mb": rss_before, "peak_reset": peak_reset,
            "rss_growth_mb": rss_after - rss_before, "statements": statements, "work": work}


FLOOR_TABLES = {"escalations": "created_at", "escalation_steps": "at", "notifications": "created_at",
                "deliveries": "created_at"}


def write_floor(session, kind: str, now: datetime) -> dict:
    """Seconds to write again the rows the sweep at `now` wrote, into copies of their tables
    with the same indexes and no foreign keys, each table's INSERT timed apart and the commit
    on its own; the copies are dropped after.

    PostgreSQL copies a table with LIKE ... INCLUDING ALL (indexes and constraints, never
    foreign keys). SQLite has no LIKE: the copy is made from the table's and its indexes'
    own CREATE statements in sqlite_master, renamed, and the connection's foreign keys are
    switched off for the run (they would otherwise be checked against the real tables).
    """
    import re

    import sqlalchemy as sa

    conn = session.connection()
    if kind == "postgresql":
        for table in FLOOR_TABLES:
            conn.execute(sa.text(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)"))
    else:
        session.commit()
        conn = session.connection()
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, or SQLite ignores it
        for table in FLOOR_TABLES:
            found = conn.execute(sa.text("SELECT type, sql FROM sqlite_master WHERE tbl_name = :t AND sql IS NOT NULL"
                                         " ORDER BY type = 'index'"), {"t": table}).all()
            for _type, sql in found:
                sql = re.sub(rf'\bON "?{table}"?\s*\(', f"ON floor_{table} (", sql)
                sql = re.sub(rf'^CREATE TABLE "?{table}"?', f"CREATE TABLE floor_{table}", sql)
                sql = re.sub(r'^CREATE (UNIQUE )?INDEX "?(\w+)"?', r"CREATE \1INDEX floor_\2", sql)
                conn.exec_driver_sql(sql)
    session.commit()
    conn = session.connection()
    timed, rows = {}, {}
    for table, column in FLOOR_TABLES.items():
        # typed, so SQLite compares the text the app stored (with microseconds), not the driver's own
        copy = sa.text(f"INSERT INTO floor_{table} SELECT * FROM {table} WHERE {column} = :now").bindparams(
            sa.bindparam("now", type_=sa.DateTime()))
        started = time.perf_counter()
        rows[table] = conn.execute(copy, {"now": naive(now)}).rowcount
        timed[table] = time.perf_counter() - started
    started = time.perf_counter()
    session.commit()
    timed["commit"] = time.perf_counter() - started
    conn = session.connection()
    for table in FLOOR_TABLES:
        conn.execute(sa.text(f"DROP TABLE floor_{table}"))
    session.commit()
    return {"seconds": sum(timed.values()), "tables": timed, "rows": rows}


def _depth(row, entry) -> int:
    """EXPLAIN QUERY PLAN rows are (id, parent, notused, detail): indent by the parent chain."""
    depths = entry.setdefault("_depths", {0: -1})
    depths[row[0]] = depths.get(row[1], -1) + 1
    return depths[row[0]]


def run_child(config: dict) -> dict:
    env = {**os.environ, "HUXIAO_INSTANCE_PATH": str(WORK / "instance")}
    result = subprocess.run([sys.executable, __file__, "--child", json.dumps(config)], capture_output=True, text=True,
                            check=False, cwd=ROOT, env=env)
    if result.returncode:
        raise SystemExit(f"the {config['mode']} child failed:\n{result.stderr}")
    return json.loads(result.stdout.splitlines()[-1])


# ---------------------------------------------------------------------------------------------------------------
# The parent: prepare each database, run the rounds, report


def prepare(kind: str, args, county_key: dict) -> tuple[str, list[str]]:
    """A database holding the generated county; returns its URL and notes."""
    import sqlalchemy as sa

    sys.path.insert(0, args.root)
    from app.extensions import db

    url = sqlalchemy_url(kind, args.pg_url)
    marker = WORK / f"{kind}.json"
    notes = []
    found = json.loads(marker.read_text()) if marker.exists() else {}
    if args.reuse and {k: v for k, v in found.items() if k != "extra_sql"} == county_key:
        notes.append("reused the database generated earlier with the same options")
        if found.get("extra_sql"):
            notes.append("it still has the extra SQL of earlier runs: " + "; ".join(found["extra_sql"]))
        county_key = found
        engine = sa.create_engine(url)
    else:
        marker.unlink(missing_ok=True)
        started = time.perf_counter()
        create_database(kind, args.pg_url)
        app = make_app(url)
        notes += build_schema(app)
        schema_seconds = time.perf_counter() - started
        with app.app_context():
            engine = db.engine
            county = County(args.points, args.hazards, args.closed, args.overdue, args.seed, args.policy,
                            args.history)
            took = load(kind, engine, db.metadata, county)
            engine.dispose()
        engine = sa.create_engine(url)
        total = sum(took.values())
        print(f"  {kind}: schema {schema_seconds:.1f} s, generated and loaded in {total:.1f} s ("
              + ", ".join(f"{t} {s:.1f}" for t, s in took.items()) + ")", flush=True)
        marker.write_text(json.dumps(county_key))
    if args.extra_sql:
        maintenance(kind, engine, args.extra_sql + (["ANALYZE"] if kind == "postgresql" else []))
        notes.append("extra SQL: " + "; ".join(args.extra_sql))
        marker.write_text(json.dumps({**county_key, "extra_sql": county_key.get("extra_sql", []) + args.extra_sql}))
    with engine.connect() as conn:
        rows = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("risk_points", "hazards", "hazard_events", "users", "grids", "org_units", "webhooks",
                          "push_subscriptions", "escalations", "escalation_steps", "notifications")}
        overdue = conn.execute(sa.text("SELECT count(*) FROM risk_points WHERE active AND due_at <= :t"),
                               {"t": naive(T0)}).scalar()
        if kind == "postgresql":
            size = conn.execute(sa.text("SELECT pg_total_relation_size('risk_points')")).scalar() / 2 ** 20
            notes.append(f"risk_points with its indexes: {size:.0f} MB")
        else:
            notes.append(f"database file: {SQLITE_FILE.stat().st_size / 2 ** 20:.0f} MB")
    notes.append("rows: " + ", ".join(f"{t} {n:,}" for t, n in rows.items()) + f"; points overdue at T0 {overdue:,}")
    engine.dispose()
    return url, notes


def measure(kind: str, url: str, args) -> dict:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    base = {"kind": kind, "url": url, "root": args.root, "tracemalloc": False, "warm": args.warm}
    results = {"scan": [], "scan_parallel": [], "floor": [], **{phase: [] for phase in PHASES}}
    plans = {}
    for round_no in range(args.rounds):
        scan = run_child({**base, "mode": "scan"})
        results["scan"].append(scan["serial"])
        plans = {"serial": scan["plan"]}
        if "parallel" in scan:
            results["scan_parallel"].append(scan["parallel"])
        reset(kind, engine, args.history)
        for phase, moment in PHASES.items():
            results[phase].append(run_child({**base, "mode": "sweep", "now": moment.isoformat()}))
            if phase == "first":
                results["floor"].append(run_child({**base, "mode": "floor", "now": moment.isoformat()}))
            settle(kind, engine)
        print(f"  {kind} round {round_no + 1}: scan {scan['serial']:.2f} s, "
              + ", ".join(f"{p} {results[p][-1]['seconds']:.2f} s" for p in PHASES), flush=True)
    if not args.no_tracemalloc:  # the memory pass: the same three sweeps, traced
        reset(kind, engine, args.history)
        results["traced"] = {}
        for phase, moment in PHASES.items():
            traced = run_child({**base, "tracemalloc": True, "mode": "sweep", "now": moment.isoformat()})
            results["traced"][phase] = traced["tracemalloc_mb"]
            settle(kind, engine)
    if args.explain:
        reset(kind, engine, args.history)
        explained = {}
        for phase, moment in PHASES.items():
            explained[phase] = run_child({**base, "mode": "explain", "now": moment.isoformat()})
            settle(kind, engine)
        results["explain"] = explained
    reset(kind, engine, args.history)
    engine.dispose()
    results["scan_plans"] = plans
    return results


def summarise(kind: str, results: dict, args) -> dict:
    scan = statistics.median(results["scan"])
    summary = {"scan_seconds": scan}
    print(f"\n{'PostgreSQL' if kind == 'postgresql' else 'SQLite'}: {args.points:,} points, {args.hazards:,} open "
          f"hazards; medians of {args.rounds} rounds, each in a fresh process")
    print(f"  {'measurement':<24}{'seconds':>9}{'x scan':>8}{'not SQL':>9}{'tracemalloc':>13}{'peak RSS':>11}   work")
    print(f"  {'scan of risk_points':<24}{scan:9.3f}{1:8.1f}")
    if results["scan_parallel"]:
        parallel = statistics.median(results["scan_parallel"])
        summary["scan_parallel_seconds"] = parallel
        print(f"  {'  (parallel scan)':<24}{parallel:9.3f}{parallel / scan:8.1f}")
    for phase in PHASES:
        runs = results[phase]
        seconds = statistics.median(r["seconds"] for r in runs)
        peak = results.get("traced", {}).get(phase) or 0
        growth = statistics.median(r["rss_growth_mb"] for r in runs)
        work = runs[-1]["work"]
        statements = [statistics.median(r["statements"][i]["seconds"] for r in runs)
                      for i in range(min(len(r["statements"]) for r in runs))]
        in_sql = sum(statements)
        summary[phase] = {"seconds": seconds, "x_scan": seconds / scan, "tracemalloc_peak_mb": peak,
                          "ru_maxrss_growth_mb": growth, "rss_before_mb": runs[-1]["rss_before_mb"], "work": work,
                          "statements": [{"label": runs[0]["statements"][i]["label"], "median_seconds": s,
                                          "rows": runs[-1]["statements"][i]["rows"]}
                                         for i, s in enumerate(statements)]}
        text = ", ".join(f"{v:,} {k}" for k, v in work.items() if v)
        traced = f"{peak:10.1f} MB" if "traced" in results else f"{'-':>13}"
        print(f"  {'sweep ' + phase:<24}{seconds:9.3f}{seconds / scan:8.1f}{seconds - in_sql:9.3f}{traced}"
              f"{growth:+8.1f} MB   {text}")
        summary[phase]["seconds_in_statements"] = in_sql
    if results["floor"]:
        floor = statistics.median(r["seconds"] for r in results["floor"])
        parts = {part: statistics.median(r["tables"][part] for r in results["floor"])
                 for part in results["floor"][0]["tables"]}
        summary["first_write_floor_seconds"] = floor
        summary["first_write_floor_parts"] = parts
        print(f"  {'  floor: its rows alone':<24}{floor:9.3f}{floor / scan:8.1f}"
              "   (the first sweep's rows written again into copies of their tables: same indexes, no keys)")
        rows = results["floor"][-1]["rows"]
        for part, seconds in parts.items():
            print(f"  {'    ' + part:<24}{seconds:9.3f}{seconds / scan:8.1f}"
                  + (f"{'':33}{rows[part]:,} rows" if part in rows else ""))
    last = results["first"][-1]
    print(f"  (not SQL: the sweep's time outside its statements -- building and compiling them, the commit; "
          f"peak RSS: the process's {'VmHWM' if last['peak_reset'] else 'ru_maxrss'} during the sweep over its "
          f"{last['rss_before_mb']:.0f} MB before)")
    for phase in PHASES:
        rows = sorted(summary[phase]["statements"], key=lambda s: -s["median_seconds"])
        total = summary[phase]["seconds"]
        in_sql = summary[phase]["seconds_in_statements"]
        print(f"  slowest statements of sweep {phase} ({len(rows)} statements, {in_sql:.2f} s of {total:.2f} s"
              " in the database):")
        for s in rows[:args.top]:
            print(f"    {s['median_seconds']:7.3f} s {100 * s['median_seconds'] / total:4.0f}%  {s['label']:<40}"
                  f" {s['rows']:>8,} rows")
    if results.get("explain"):
        path = ROOT / "bench" / "results" / f"sweep_explain_{kind}.txt"
        with path.open("w") as out:
            for phase, found in results["explain"].items():
                out.write(f"=== sweep {phase} ({found['seconds']:.2f} s with the explains)\n\n")
                for i, s in enumerate(found["statements"]):
                    out.write(f"--- #{i} {s['label']}: {s['seconds']:.3f} s, {s['rows']} rows\n{s['runnable']};\n\n")
                    out.write("\n".join(s.get("plan", [])) + "\n\n")
        print(f"  every statement's plan: {path.relative_to(ROOT)}")
        for phase, found in results["explain"].items():
            for s in found["statements"]:
                if s["seconds"] >= args.explain_min:
                    print(f"\n  [{phase}] {s['label']}: {s['seconds']:.3f} s, {s['rows']} rows\n    "
                          + "\n    ".join(s.get("plan", [])))
    print("  scan plan: " + " / ".join(p.strip() for p in results["scan_plans"]["serial"]))
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--hazards", type=int, default=100_000, help="open hazards")
    parser.add_argument("--closed", type=int, default=0, help="closed hazards besides the open ones")
    parser.add_argument("--overdue", type=float, default=0.04, help="share of points overdue at T0")
    parser.add_argument("--history", type=int, default=0,
                        help="resolved escalations from the last 200 days (with their steps and notifications)")
    parser.add_argument("--policy", action="store_true", help="the county has speeds of its own (two speed groups)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--reuse", action="store_true", help="keep a database generated with the same options")
    parser.add_argument("--extra-sql", action="append", default=[], help="run after the load, e.g. CREATE INDEX ...")
    parser.add_argument("--root", default=str(ROOT), help="the project copy whose app/ to run")
    parser.add_argument("--explain", action="store_true", help="write every statement's plan to bench/results/")
    parser.add_argument("--explain-min", type=float, default=0.3, help="print the plans of statements this slow")
    parser.add_argument("--top", type=int, default=6, help="slowest statements shown per sweep")
    parser.add_argument("--no-tracemalloc", action="store_true")
    parser.add_argument("--warm", action="store_true",
                        help="sweep once and roll back before the timed sweep, as a long-running process would be")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child)), default=str))
        return
    args.root = str(Path(args.root).resolve())
    WORK.mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    county_key = {"points": args.points, "hazards": args.hazards, "closed": args.closed, "overdue": args.overdue,
                  "seed": args.seed, "policy": args.policy, "history": args.history}
    git = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, check=False,
                         cwd=ROOT).stdout.strip()
    if Path(args.root) != ROOT:
        git = f"the copy in {args.root} (this checkout at {git})"
    summary = {"T0": T0.isoformat(), "git": git, "options": {**county_key, "rounds": args.rounds, "root": args.root,
                                                             "extra_sql": args.extra_sql, "warm": args.warm}}
    for kind in kinds:
        url, notes = prepare(kind, args, county_key)
        for note in notes:
            print(f"  {kind}: {note}", flush=True)
        summary[kind] = summarise(kind, measure(kind, url, args), args)
        summary[kind]["notes"] = notes
    out = ROOT / "bench" / "results" / "sweep_bench.json"
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
