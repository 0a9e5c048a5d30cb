"""The monthly dispatch report (月调度通报) of a county, township or school as A4 pages, from `monthly_report`.

Totals in words and figures, every school ranked, the township subtotals (a county's),
the hazards under listed supervision, the escalations that reached the township or the
county, and the six months' trend as a table and two small charts. Long tables run on
over pages with their header repeated; every page is numbered.
"""

import io
from datetime import date, datetime

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.hazards.pdf_blocks import WIDTH, BoldTitle, Styles, para, section
from app.labels.fonts import font_path, pdf_font
from app.reports.printing import (
    ESCALATIONS,
    RANKING,
    SUPERVISED,
    TOWNSHIPS,
    TREND,
    CellStyles,
    column_table,
    figure_row,
    footer_canvas,
    month_words,
    percent,
    printed_text,
    prose,
    so_far,
)
from app.timezones import school_zone

MARGIN = 18 * mm
NUMERALS = "一二三四五六七八九十"
BAR = colors.Color(0.3, 0.45, 0.7)
BAR_2 = colors.Color(0.85, 0.55, 0.25)


def summary(report: dict) -> str:
    """The month in one sentence, as a 通报 opens."""
    c, h = report["total"]["completion"], report["total"]["hazards"]
    return (f"本月纳入统计学校 {report['total']['schools']} 所，应检 {c['asked']} 次，已检 {c['done']} 次，"
            f"巡查完成率 {percent(c['rate'])}，漏检 {c['missed']} 点次；上报隐患 {h['reported']} 处，"
            f"销号 {h['closed']} 处，月末未销号 {h['open_at_end']} 处，其中逾期 {h['overdue_at_end']} 处，"
            f"按期整改率 {percent(h['on_time_rate'])}。挂牌督办隐患 {len(report['supervised'])} 项，"
            f"升级至乡镇、县督办 {len(report['escalations'])} 次。")


def _chart(title: str, months: list[str], series: list[list[float]], names: list[str], font: str,
           width: float, percent_axis: bool) -> Drawing:
    """A small bar chart of the months, titled, with a legend when it has more than one series."""
    drawing = Drawing(width, 52 * mm)
    drawing.add(String(width / 2, 52 * mm - 10, title, fontName=font, fontSize=9, textAnchor="middle"))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 28, 22, width - 40, 52 * mm - 46
    chart.data = series
    chart.categoryAxis.categoryNames = months
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    if percent_axis:
        chart.valueAxis.valueMax, chart.valueAxis.valueStep = 100, 25
        chart.valueAxis.labelTextFormat = "%d%%"
    else:
        top = max([1, *(v for s in series for v in s if v is not None)])
        chart.valueAxis.valueMax = top + (-top % 4 or 0)
        chart.valueAxis.valueStep = max(1, chart.valueAxis.valueMax // 4)
    for i, colour in enumerate((BAR, BAR_2)[:len(series)]):
        chart.bars[i].fillColor, chart.bars[i].strokeColor = colour, colour
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 6.5
    # a month with nothing asked has no bar and no label; no hazards is a bare axis, not a row of zeros
    chart.barLabelFormat = (lambda v: "" if v is None else f"{v:.0f}%") if percent_axis else (lambda v: str(v) if v else "")
    chart.barLabels.nudge = 5
    drawing.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = 40, 52 * mm - 18
        legend.fontName, legend.fontSize, legend.alignment = font, 7, "right"
        legend.colorNamePairs = list(zip((BAR, BAR_2), names))
        legend.boxAnchor, legend.columnMaximum, legend.dx, legend.dy, legend.deltax = "nw", 1, 6, 6, 40
        drawing.add(legend)
    return drawing


def _trend(report: dict, cells: CellStyles, font: str, zone) -> list:
    trend = report["trend"]
    months = [f"{int(m['period'][5:])}月" for m in trend]
    half = WIDTH / 2
    rates = [[None if m["completion"]["rate"] is None else m["completion"]["rate"] * 100 for m in trend]]
    hazards = [[m["hazards"]["reported"] for m in trend], [m["hazards"]["closed"] for m in trend]]
    charts = Table([[_chart("巡查完成率", months, rates, [], font, half, True),
                     _chart("隐患上报与销号", months, hazards, ["上报", "销号"], font, half, False)]],
                   colWidths=[half, half])
    charts.setStyle(TableStyle([(f"{edge}PADDING", (0, 0), (-1, -1), 0)
                                for edge in ("LEFT", "RIGHT", "TOP", "BOTTOM")]))
    return [KeepTogether([column_table(TREND, trend, cells, WIDTH, zone), Spacer(0, 2 * mm), charts])]


def _listed(rows: list[dict], none: str, table, styles: Styles) -> list:
    return [table] if rows else [para(none, styles.small)]


def monthly_pdf(report: dict, now: datetime) -> bytes:
    """The month's dispatch report as A4 pages, numbered, the CJK font's subset embedded."""
    font = pdf_font(font_path())
    zone = school_zone()
    styles, cells = Styles(font), CellStyles(font)
    unit, month = report["unit"]["name"], month_words(report["period"])
    first = date.fromisoformat(report["period"] + "-01")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=13 * mm,
                            bottomMargin=15 * mm, title=f"月调度通报 {unit} {report['period']}", author="Huxiao 护校")
    total = report["total"]
    totals = [{"rank": None, "township": "", "name": "合计", "completion": total["completion"],
               "hazards": total["hazards"]}]
    c, h = total["completion"], total["hazards"]
    parts = [
        ("总体情况", [prose(summary(report), styles.text, WIDTH - 12), Spacer(0, 1.5 * mm), figure_row([
            ("学校", str(total["schools"])), ("应检次数", str(c["asked"])), ("已检次数", str(c["done"])),
            ("巡查完成率", percent(c["rate"])), ("漏检点次", str(c["missed"])), ("上报隐患", str(h["reported"])),
            ("已销号", str(h["closed"])), ("未销号", str(h["open_at_end"])), ("逾期", str(h["overdue_at_end"])),
            ("按期整改率", percent(h["on_time_rate"]))], cells, WIDTH)]),
        ("学校巡查排名", [column_table(RANKING, report["schools"], cells, WIDTH, zone, totals),
                       Spacer(0, 1 * mm), para("排名依次按巡查完成率、漏检点次（少者在前）、按期整改率。", styles.small)]),
    ]
    if report["townships"]:
        parts.append(("乡镇汇总", [column_table(TOWNSHIPS, report["townships"], cells, WIDTH, zone)]))
    parts += [
        (f"挂牌督办隐患（{len(report['supervised'])} 项）", _listed(
            report["supervised"], "本月无挂牌督办隐患。",
            column_table(SUPERVISED, report["supervised"], cells, WIDTH, zone), styles)),
        (f"升级至乡镇、县的督办事项（{len(report['escalations'])} 次）", _listed(
            report["escalations"], "本月无升级至乡镇、县的督办事项。",
            column_table(ESCALATIONS, report["escalations"], cells, WIDTH, zone), styles)),
        ("近六个月趋势", _trend(report, cells, font, zone)),
    ]
    story = [BoldTitle("校园安全月调度通报", font, 20, None), Spacer(0, 1 * mm),
             para(f"单位：{unit}　　月份：{month}{so_far(report, 'month', first, zone)}", styles.small)]
    for i, (title, flowables) in enumerate(parts):
        # a heading never ends a page: it keeps with the first part of what follows
        story += [Spacer(0, 3 * mm), KeepTogether([section(f"{NUMERALS[i]}、{title}", styles), Spacer(0, 1.5 * mm),
                                                   flowables[0]]), *flowables[1:]]
    doc.build(story, canvasmaker=footer_canvas(font, f"{unit}{month}月调度通报　{printed_text(now, zone)}", MARGIN,
                                               numbered=True))
    return buf.getvalue()
