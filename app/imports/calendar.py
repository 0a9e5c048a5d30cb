"""Import a county's school calendar (校历): holidays, make-up working days (调休) and vacations.

The rules are those of the calendar API (`entry_problems`), with the reasons in Chinese. A row
identical to an entry already there is unchanged, so importing a sheet again changes nothing; a
row with the same type and dates but another name renames the entry.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from app.accounts.permissions import require
from app.accounts.session_user import SessionUser
from app.extensions import db
from app.imports.plans import RowPlan, missing_cells
from app.imports.sheets import Column
from app.orgs.management import COUNTY_ONLY
from app.schedules.calendar import DayKind, Entry
from app.schedules.management import (
    MAX_DAYS, MAX_WORKDAY_DAYS, NAME_LENGTH, Problem, county_entries, enter, entry_problems, my_county, range_problems,
    rename,
)
from app.schedules.models import CalendarEntry
from app.schedules.services import refresh_county

COLUMNS = (
    Column("kind", "类型", True, "放假"),
    Column("start", "开始日期", True, "2027-10-01"),
    Column("end", "结束日期", False, "2027-10-07"),  # blank: one day
    Column("name", "名称", False, "国庆节"),
)
#: types as people write them; the first is the one messages use
KIND_WORDS = {
    DayKind.HOLIDAY: ("放假", "节假日", "假日", "休息", "holiday"),
    DayKind.WORKDAY: ("调休上班", "上班", "补班", "调休", "workday"),
    DayKind.VACATION: ("假期", "寒暑假", "学校假期", "vacation"),
}
#: 2027-10-01, 2027/10/1, 2027.10.1, 2027年10月1日; an Excel date cell reads "2027-10-01 00:00:00"
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                       r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
#: day 0 of Excel's serial dates, for a date cell formatted as a plain number (2000 to 2099)
EXCEL_EPOCH, EXCEL_SERIALS = date(1899, 12, 30), range(36526, 73051)
REASONS = {
    "end_before_start": lambda p: "结束日期早于开始日期",
    "too_long": lambda p: f"日期范围过长(最多 {MAX_DAYS} 天,请检查年份)",
    "workday_too_long": lambda p: f"调休上班最多连续 {MAX_WORKDAY_DAYS} 天",
    "name_needed": lambda p: "假期需填写名称(如 寒假、暑假)",
    "name_too_long": lambda p: f"名称过长(最多 {NAME_LENGTH} 字)",
    "overlap": lambda p: _clash(p.other),
}


@dataclass(frozen=True)
class _SheetEntry:
    """A row planned earlier in the same sheet: later rows must not collide with it either."""

    kind: DayKind
    start: date
    end: date
    name: str
    row: int


def kind_of(text: str) -> DayKind | None:
    """A type from its Chinese word (放假, 调休上班, 假期) or its key."""
    text = text.strip().lower()
    return next((kind for kind, words in KIND_WORDS.items() if text in words), None)


def day_of(text: str) -> date | None:
    """A day from a date cell or the ways people type one; None if it is not one."""
    text = text.strip()
    found = DATE_TEXT.match(text)
    if found:
        try:
            return date(*map(int, found.groups()))
        except ValueError:
            return None
    if text.isdigit() and int(text) in EXCEL_SERIALS:
        return EXCEL_EPOCH + timedelta(days=int(text))
    return None


def _clash(other) -> str:
    if isinstance(other, _SheetEntry):
        return f"与第 {other.row} 行的日期重叠"
    named = f"“{other.name}”" if other.name else ""
    return f"与已有的{KIND_WORDS[other.kind][0]}{named}({other.start.isoformat()}至{other.end.isoformat()})重叠"


def _read(cells: dict[str, str], p: RowPlan) -> Entry | None:
    """The entry a row describes, or None with a reason for each cell not understood."""
    kind = kind_of(cells["kind"]) if cells.get("kind") else None
    if cells.get("kind") and kind is None:
        p.reasons.append(f"类型“{cells['kind']}”无法识别(应为 放假、调休上班 或 假期)")
    days = {}
    for key, header in (("start", "开始日期"), ("end", "结束日期")):
        days[key] = day_of(cells[key]) if cells.get(key) else None
        if cells.get(key) and days[key] is None:
            p.reasons.append(f"{header}“{cells[key]}”无法识别(应为日期,如 2027-10-01、2027/10/1 或 2027年10月1日)")
    if kind is None or days["start"] is None or (cells.get("end") and days["end"] is None):
        return None
    return Entry(kind, days["start"], days["end"] or days["start"], cells.get("name", ""))


def plan(user: SessionUser, rows: list[tuple[int, dict[str, str]]]) -> list[RowPlan]:
    """Decide, row by row, what importing would do; only a county admin may import the calendar (403)."""
    require(user, COUNTY_ONLY, "import the school calendar")
    existing = county_entries(my_county(user))
    earlier: list[_SheetEntry] = []
    plans = []
    for number, cells in rows:
        label = cells.get("name") or " ".join(filter(None, (cells.get("kind"), cells.get("start"))))
        p = RowPlan(number, name=label, reasons=missing_cells(cells, COLUMNS))
        plans.append(p)
        entry = _read(cells, p)
        if entry is None:
            p.settle()
            continue
        same = next((e for e in existing if (e.kind, e.start, e.end) == (entry.kind, entry.start, entry.end)), None)
        others = [e for e in existing if e is not same]
        for problem in entry_problems(entry, [*others, *earlier]):
            p.reasons.append(_reason(problem, entry))
        if same is not None:
            p.target_id = same.id
            p.action = "unchanged" if same.name == entry.name else "update"
        p.values = {"entry": entry}
        if not range_problems(entry):  # a row with impossible dates collides with no other row
            earlier.append(_SheetEntry(entry.kind, entry.start, entry.end, entry.name, number))
        p.settle()
    return plans


def _reason(problem: Problem, entry: Entry) -> str:
    other = problem.other
    if isinstance(other, _SheetEntry) and (other.kind, other.start, other.end) == (entry.kind, entry.start, entry.end):
        return f"与第 {other.row} 行重复"
    return REASONS[problem.code](problem)


def apply(user: SessionUser, plans: list[RowPlan]) -> None:
    """Enter and rename the entries of a plan with no refused row, then recompute due times; flush (the route commits)."""
    county_id = my_county(user)
    changed = False
    for p in plans:
        if p.action == "create":
            enter(user, county_id, p.values["entry"])
        elif p.action == "update":
            rename(user, db.session.get(CalendarEntry, p.target_id), p.values["entry"].name)
        changed = changed or p.action in ("create", "update")
    if changed:
        refresh_county(county_id)
