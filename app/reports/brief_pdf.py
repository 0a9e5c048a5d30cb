"""The weekly brief (周研判简报): one A4 page for a school's weekly safety meeting, from `weekly_report`.

Every list is cut to a fixed number of rows, with what was left off counted, so the page
holds whatever the week was; the meeting's own part (opinions, who attended, signatures)
is left blank to fill in by hand.
"""

import io
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, SimpleDocTemplate, Spacer, Table, TableStyle

from app.hazards.pdf_blocks import (
    BLANK_DATE,
    WIDTH,
    BoldTitle,
    Styles,
    blank,
    grid,
    para,
    section,
)
from app.labels.fonts import font_path, pdf_font
from app.points.levels import level_keys
from app.reports.printing import (
    GREY,
    NONE,
    CellStyles,
    figure_row,
    fit,
    footer_canvas,
    percent,
    printed_text,
    ruled,
    so_far,
)
from app.timezones import school_zone

MARGIN = 18 * mm
SPLIT_ROWS = 5  # rows of each hazard table; any more are summed in one row
NOT_INSPECTED = 20  # points named, two to a row; the rest are counted
WEEKDAYS = "一二三四五六日"
SPLIT_FIGURES = ("reported", "closed", "open_at_end", "overdue_at_end")


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def week_words(report: dict) -> str:
    """"2026年第44周（10月26日至11月1日）"."""
    first, last = _day(report["first_day"]), _day(report["last_day"])
    year, week = report["period"].split("-W")
    return f"{year}年第{int(week)}周（{first.month}月{first.day}日至{last.month}月{last.day}日）"


def _hours(value: float | None) -> str:
    return NONE if value is None else f"{value:.1f}".removesuffix(".0") + " 小时"


def _completion(report: dict, cells: CellStyles) -> list:
    c = report["completion"]
    pairs = [("应检次数", str(c["asked"])), ("已检次数", str(c["done"])), ("巡查完成率", percent(c["rate"])),
             ("应检点次", str(c["periods"])), ("按要求完成", str(c["met"])), ("漏检点次", str(c["missed"]))]
    if "flags" in report:  # inspections the patrol-quality checks flagged
        pairs.append(("存疑巡检", str(len(report["flags"]))))
    days = report["days"]
    head = [cells.cell("日期")] + [cells.cell(f"周{WEEKDAYS[i]} {d['date'][5:].replace('-', '/')}")
                                   for i, d in enumerate(days)]
    rows = [head, [cells.cell("巡检次数")] + [cells.cell(str(d["inspections"]), True) for d in days],
            [cells.cell("不合格项")] + [cells.cell(str(d["failed_items"]), True) for d in days]]
    label_w = 22 * mm
    daily = ruled(rows, [label_w] + [(WIDTH - label_w) / len(days)] * len(days))
    daily.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), GREY)]))
    return [figure_row(pairs, cells, WIDTH), Spacer(0, 1.5 * mm), daily]


def _split(title: str, rows: list[dict], cells: CellStyles, width: float) -> Table:
    """Hazards by category or level: the biggest rows, the rest summed in one."""
    shown = rows if len(rows) <= SPLIT_ROWS else rows[:SPLIT_ROWS - 1]
    rest = rows[len(shown):]
    body = [[cells.cell(title)] + [cells.cell(h) for h in ("发现", "销号", "未销号", "逾期")]]
    for row in shown:
        body.append([cells.cell(row["name"])] + [cells.cell(str(row[k]), True) for k in SPLIT_FIGURES])
    if rest:
        body.append([cells.cell(f"其他 {len(rest)} 项")]
                    + [cells.cell(str(sum(r[k] for r in rest)), True) for k in SPLIT_FIGURES])
    if not rows:
        body.append([cells.cell("无")] + [cells.cell("0", True)] * 4)
    figure_w = 12.5 * mm
    return ruled(body, [width - 4 * figure_w] + [figure_w] * 4)


def _hazards(report: dict, cells: CellStyles) -> list:
    h = report["hazards"]
    on_time = f"{h['on_time']}/{h['due']}（{percent(h['on_time_rate'])}）" if h["due"] else NONE
    pairs = [("新发现", str(h["reported"])), ("已交办", str(h["assigned"])), ("已销号", str(h["closed"])),
             ("周末未销号", str(h["open_at_end"])), ("其中逾期", str(h["overdue_at_end"])),
             ("平均销号用时", _hours(h["mean_close_out_hours"])), ("按期整改", on_time)]
    half = (WIDTH - 4 * mm) / 2
    side = Table([[_split("隐患类别", report["by_category"], cells, half), "",
                   _split("风险等级", report["by_level"], cells, half)]],
                 colWidths=[half, 4 * mm, half])
    side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")] + [
        (f"{edge}PADDING", (0, 0), (-1, -1), 0) for edge in ("LEFT", "RIGHT", "TOP", "BOTTOM")]))
    return [figure_row(pairs, cells, WIDTH), Spacer(0, 1.5 * mm), side]


def _failed_items(report: dict, cells: CellStyles, styles: Styles) -> list:
    items = report["top_failed_items"]
    if not items:
        return [para("本周巡检未发现不合格检查项。", styles.small)]
    figure_w, number_w = 22 * mm, 10 * mm
    text_w = WIDTH - number_w - 2 * figure_w - 6
    body = [[cells.cell(t) for t in ("序号", "检查项", "不合格次数", "涉及点位")]]
    for i, item in enumerate(items, 1):
        body.append([cells.cell(str(i), True), cells.cell(fit(item["item"], cells.font, cells.size, text_w)),
                     cells.cell(str(item["failures"]), True), cells.cell(str(item["points"]), True)])
    return [ruled(body, [number_w, WIDTH - number_w - 2 * figure_w, figure_w, figure_w])]


def _not_inspected(report: dict, cells: CellStyles, styles: Styles, zone) -> list:
    """The points nobody inspected, most severe first, two to a row; "等 N 处" for the rest."""
    points = report["not_inspected"]
    if not points:
        return [para("无：本周每个风险点位都已巡查。", styles.small)]
    order = {key: i for i, key in enumerate(level_keys())}
    points = sorted(points, key=lambda p: (order.get(p["risk_level"], len(order)), p["name"]))
    shown = points if len(points) <= NOT_INSPECTED else points[:NOT_INSPECTED - 2]
    level_w, last_w = 16 * mm, 24 * mm
    name_w = WIDTH / 2 - level_w - last_w
    entries = []
    for p in shown:
        where = f"{p['name']}（{p['location']}）" if p.get("location") else p["name"]
        last = p["last_inspected_at"]
        entries.append([cells.cell(fit(where, cells.font, cells.size, name_w - 6)), cells.cell(p["risk_level_name"]),
                        cells.cell(f"上次 {last.astimezone(zone):%m-%d}" if last else "从未巡查")])
    if len(shown) < len(points):
        entries.append([cells.cell(f"……等 {len(points)} 处，其余 {len(points) - len(shown)} 处见系统“周研判”页面"),
                        "", ""])
    if len(entries) % 2:
        entries.append(["", "", ""])
    body = [[cells.cell(h) for h in ("点位（位置）", "风险等级", "上次巡查")] * 2]
    body += [entries[i] + entries[i + 1] for i in range(0, len(entries), 2)]
    table = ruled(body, [name_w, level_w, last_w] * 2)
    if len(shown) < len(points):  # the count spans its half of the row
        row, col = (len(entries) - 1) // 2 + 1, 0 if len(shown) % 2 == 0 else 3
        table.setStyle(TableStyle([("SPAN", (col, row), (col + 2, row))]))
    return [table]


def _meeting(styles: Styles) -> list:
    lab = styles.label
    signed = para(f"主持人（签字）：{blank(10)}记录人（签字）：{blank(10)}日期：{BLANK_DATE}", styles.right)
    table = grid([[para("研判意见及整改部署", lab), ""], [para("参会人员", lab), ""], [signed, ""]],
                 [30 * mm, WIDTH - 30 * mm], (0,), heights=[26 * mm, 14 * mm, 8 * mm])
    table.setStyle(TableStyle([("SPAN", (0, 2), (1, 2)), ("BACKGROUND", (0, 2), (0, 2), colors.white)]))
    return [table]


def brief_pdf(report: dict, now: datetime) -> bytes:
    """The week's brief as one A4 page, the CJK font's subset embedded."""
    font = pdf_font(font_path())
    zone = school_zone()
    styles, cells = Styles(font), CellStyles(font)
    school = report["unit"]["name"]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=12 * mm,
                            bottomMargin=14 * mm, title=f"周研判简报 {school} {report['period']}", author="Huxiao 护校")
    heading = f"学校：{school}　　时间：{week_words(report)}{so_far(report, 'week', _day(report['first_day']), zone)}"
    body = [
        BoldTitle("校园安全周研判简报", font, 20, None), Spacer(0, 1 * mm), para(heading, styles.small),
        Spacer(0, 2 * mm),
        section("一、巡查完成情况", styles), Spacer(0, 1 * mm), *_completion(report, cells), Spacer(0, 2 * mm),
        section("二、隐患排查整改情况", styles), Spacer(0, 1 * mm), *_hazards(report, cells), Spacer(0, 2 * mm),
        section("三、不合格较多的检查项", styles), Spacer(0, 1 * mm), *_failed_items(report, cells, styles),
        Spacer(0, 2 * mm),
        section(f"四、本周未巡查点位（共 {len(report['not_inspected'])} 处）", styles), Spacer(0, 1 * mm),
        *_not_inspected(report, cells, styles, zone), Spacer(0, 2 * mm),
        section("五、研判意见", styles), Spacer(0, 1 * mm), *_meeting(styles),
    ]
    # the lists are cut to fit; should a font or a setting make them taller, the page shrinks, never spills
    doc.build([KeepInFrame(0, 0, body, mode="shrink")],
              canvasmaker=footer_canvas(font, printed_text(now, zone), MARGIN, numbered=False))
    return buf.getvalue()
