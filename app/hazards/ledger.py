"""The hazard rectification ledger (隐患整改工作台账): one row per hazard, as XLSX or CSV.

Also how a hazard reads in Chinese (state, source, place, times in the school's time
zone), which the rectification notice shares.
"""

import io
import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import joinedload

from app.accounts.scope import visible_school
from app.accounts.session_user import SessionUser
from app.extensions import db
from app.spreadsheets import append_row, csv_bytes
from app.timezones import school_zone
from app.hazards.models import Hazard, Source, State
from app.hazards.queries import hazards_in_scope
from app.orgs.models import OrgUnit
from app.points.levels import category_name, level_name

STATE_NAMES = {State.REPORTED: "待交办", State.ASSIGNED: "整改中", State.RECTIFIED: "待验收",
               State.CLOSED: "已销号", State.VOIDED: "已作废"}
SOURCE_NAMES = {Source.INSPECTION: "巡检发现", Source.STAFF: "教职工上报", Source.PUBLIC: "随手拍"}
PUBLIC_REPORTER = "随手拍（群众上报）"
TITLE = "隐患整改工作台账"

#: (header, column width in characters); descriptions and measures wrap
COLUMNS = (
    ("编号", 18), ("学校", 16), ("乡镇", 10), ("发现时间", 17), ("发现人", 10), ("来源", 10), ("位置", 20),
    ("类别", 10), ("风险等级", 9), ("隐患描述", 36), ("整改责任人", 10), ("责任", 12), ("整改措施", 30),
    ("资金（元）", 11), ("整改时限", 17), ("整改完成时间", 17), ("验收时间", 17), ("验收人", 10),
    ("逾期天数", 9), ("退回次数", 9), ("挂牌督办", 9), ("当前状态", 9), ("承办单位", 14),
)
WRAPPED = frozenset({"位置", "隐患描述", "责任", "整改措施"})
NUMERIC = frozenset({"资金（元）", "逾期天数", "退回次数"})


def local_text(at: datetime | None, zone: tzinfo) -> str:
    """A time as "2026-11-24 09:30" in `zone`; "" for none."""
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""


def place_text(hazard: Hazard) -> str:
    """Where the hazard is: the point's name and location, or the place named in the report."""
    if hazard.point is None:
        return hazard.place
    where = f"{hazard.point.name}（{hazard.point.location}）" if hazard.point.location else hazard.point.name
    return f"{where}，{hazard.place}" if hazard.place else where


def reporter_text(hazard: Hazard) -> str:
    return hazard.reporter.display_name if hazard.reporter else PUBLIC_REPORTER


def overdue_days(hazard: Hazard, now: datetime) -> int:
    """Whole days past the deadline, a part of a day counting as one (不足一日按一日计).

    The clock stops when the rectifier reports the work done (`rectified_at`, which a
    rejection clears), so waiting for verification is not counted against them; an
    assigned hazard counts to `now`; a voided one, or one without a deadline, is never
    overdue.
    """
    if hazard.deadline is None or hazard.state in (State.REPORTED, State.VOIDED):
        return 0
    end = hazard.rectified_at or hazard.closed_at or now
    late = end - hazard.deadline
    return math.ceil(late / timedelta(days=1)) if late > timedelta(0) else 0


def ledger_rows(hazards: list[Hazard], now: datetime, zone: tzinfo | None = None) -> list[list]:
    """One row per hazard, in the order of COLUMNS; times as text in `zone` (default: TIME_ZONE)."""
    zone = zone or school_zone()
    rows = []
    for h in hazards:
        assigned = h.rectifier is not None
        rows.append([
            h.number, h.school.name, h.school.parent.name if h.school.parent else "",
            local_text(h.reported_at, zone), reporter_text(h), SOURCE_NAMES.get(h.source, str(h.source)),
            place_text(h), category_name(h.category), level_name(h.risk_level), h.description,
            # a hazard passed up keeps its old measures and funds until it is assigned again: not shown
            h.rectifier.display_name if assigned else "", h.responsibility if assigned else "",
            h.measures if assigned else "", h.funds_yuan if assigned and h.funds_yuan is not None else "",
            local_text(h.deadline, zone),
            local_text(h.rectified_at, zone), local_text(h.closed_at, zone),
            h.verified_by.display_name if h.verified_by else "", overdue_days(h, now), h.rejections,
            "是" if h.supervised else "否", STATE_NAMES.get(h.state, str(h.state)), h.holder.name,
        ])
    return rows


def ledger_hazards(user: SessionUser, filters: dict) -> list[Hazard]:
    """The hazards of the caller's area that match `filters`, oldest first, in one query (no events)."""
    stmt = (hazards_in_scope(user, filters)
            .options(joinedload(Hazard.school).joinedload(OrgUnit.parent), joinedload(Hazard.verified_by))
            .order_by(None).order_by(Hazard.reported_at, Hazard.id))
    return list(db.session.scalars(stmt).unique())


def ledger_csv(rows: list[list]) -> bytes:
    """The ledger as CSV in UTF-8 with a BOM, which Excel needs to read Chinese."""
    return csv_bytes([[header for header, _ in COLUMNS], *rows])


_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def ledger_xlsx(rows: list[list], subtitle: str) -> bytes:
    """The ledger as a workbook: title, period and scope, a frozen header with filters, set to print landscape."""
    book = Workbook()
    sheet = book.active
    sheet.title = "隐患整改台账"
    last_col = get_column_letter(len(COLUMNS))
    append_row(sheet, [TITLE])
    append_row(sheet, [subtitle])
    append_row(sheet, [header for header, _ in COLUMNS])
    for row in rows:
        append_row(sheet, row)
    sheet.merge_cells(f"A1:{last_col}1")
    sheet.merge_cells(f"A2:{last_col}2")
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet["A2"].alignment = Alignment(horizontal="left", vertical="center")
    header_fill = PatternFill("solid", fgColor="E7E6E6")
    for col, (header, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = width
        cell = sheet.cell(row=3, column=col)
        cell.font, cell.fill, cell.border = Font(bold=True), header_fill, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        wrap = Alignment(vertical="top", wrap_text=header in WRAPPED,
                         horizontal="right" if header in NUMERIC else None)
        for (cell,) in sheet.iter_rows(min_row=4, min_col=col, max_col=col):
            cell.alignment, cell.border = wrap, _BOX
            if header == "资金（元）" and cell.value != "":
                cell.number_format = "#,##0.00"
    sheet.freeze_panes = "B4"  # the title, period and header stay, and so does each row's number
    sheet.auto_filter.ref = f"A3:{last_col}{max(3, len(rows) + 3)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "3:3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _day(at: datetime) -> str:
    return f"{at.year}年{at.month}月{at.day}日"


def period_text(since: datetime | None, until: datetime | None, zone: tzinfo) -> str:
    """The reporting period in words; `until` is exclusive, so a midnight end prints as the day before."""
    start = end = ""
    if since is not None:
        local = since.astimezone(zone)
        start = _day(local) if local.time() == time(0) else f"{local:%Y-%m-%d %H:%M}"
    if until is not None:
        local = until.astimezone(zone)
        end = _day(local - timedelta(days=1)) if local.time() == time(0) else f"{local:%Y-%m-%d %H:%M}前"
    if start and end:
        return f"{start}至{end}"
    return f"{start}起" if start else f"截至{end}" if end else "全部"


def filter_text(filters: dict) -> str:
    """The filters other than the period and school, in words, for the sheet's second row."""
    said = []
    if filters.get("state") is not None:
        said.append(f"状态：{STATE_NAMES[filters['state']]}")
    if filters.get("open"):
        said.append("仅未销号")
    if filters.get("category"):
        said.append(f"类别：{category_name(filters['category'])}")
    if filters.get("risk_level"):
        said.append(f"风险等级：{level_name(filters['risk_level'])}")
    if filters.get("source") is not None:
        said.append(f"来源：{SOURCE_NAMES[filters['source']]}")
    if filters.get("supervised") is not None:
        said.append("仅挂牌督办" if filters["supervised"] else "未挂牌督办")
    if filters.get("point_id") is not None:
        said.append("指定风险点")
    return "　".join(said)


@dataclass(frozen=True)
class LedgerFile:
    data: bytes
    mimetype: str
    filename: str  # Chinese, for filename*
    fallback: str  # ASCII, for browsers that ignore filename*


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8"}


def export_ledger(user: SessionUser, filters: dict, fmt: str, now: datetime) -> LedgerFile:
    """The caller's ledger as a file, named by its period (the first and last day it covers)."""
    zone = school_zone()
    filters = dict(filters)
    scope = user.org_unit.name
    if filters.get("school_id") is not None:
        scope = visible_school(user, filters["school_id"]).name
    since, until = filters.get("reported_from"), filters.get("reported_to")
    described = filter_text(filters)
    hazards = ledger_hazards(user, filters)
    rows = ledger_rows(hazards, now, zone)
    first = since or (hazards[0].reported_at if hazards else now)
    last = until - timedelta(microseconds=1) if until is not None else now
    span = f"{first.astimezone(zone):%Y%m%d}-{last.astimezone(zone):%Y%m%d}"
    if fmt == "csv":
        data = ledger_csv(rows)
    else:
        subtitle = "　".join(filter(None, [f"单位：{scope}", f"发现时间：{period_text(since, until, zone)}", described,
                                           f"共 {len(rows)} 条", f"导出时间：{local_text(now, zone)}"]))
        data = ledger_xlsx(rows, subtitle)
    return LedgerFile(data, FORMATS[fmt], f"{TITLE}-{scope}-{span}.{fmt}", f"hazard-ledger-{span}.{fmt}")
