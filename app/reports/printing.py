"""What the printed and exported reports share: the tables' columns, how a figure reads, a ruled table, the footer.

A column says what it shows once; the PDFs print its value as text, the workbook keeps
it a number (a rate as a fraction with a percentage format, a time as a local time).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from app.hazards.ledger import STATE_NAMES, local_text
from app.hazards.models import State
from app.hazards.pdf_blocks import wrap_lines
from app.outbox.messages import LEVEL_NAMES, TRIGGER_TEXTS
from app.reports.periods import period_holding

GREY = colors.Color(0.92, 0.92, 0.92)
NONE = "—"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[dict], object]
    kind: str = "int"  # int, rate (0..1 or None), text, wide (text that wraps), time (aware datetime or None)
    width: float = 9  # in the workbook, in characters
    printed: float = 14  # on paper, in mm; a table shares its page width out in these proportions


def _completion(key: str) -> Callable[[dict], object]:
    return lambda row: row["completion"][key]


def _hazards(key: str) -> Callable[[dict], object]:
    return lambda row: row["hazards"][key]


FIGURES = (
    Column("应检次数", _completion("asked")), Column("已检次数", _completion("done")),
    Column("完成率", _completion("rate"), "rate"), Column("漏检", _completion("missed"), width=7, printed=10),
    Column("上报隐患", _hazards("reported")), Column("已销号", _hazards("closed"), width=7, printed=12),
    Column("未销号", _hazards("open_at_end"), width=7, printed=12),
    Column("逾期", _hazards("overdue_at_end"), width=7, printed=10),
    Column("按期整改率", _hazards("on_time_rate"), "rate", 11, 17),
)
RANKING = (Column("排名", lambda r: r["rank"], width=6, printed=10),
           Column("乡镇", lambda r: r["township"], "text", 12, 16),
           Column("学校", lambda r: r["name"], "text", 22, 24), *FIGURES)
TOWNSHIPS = (Column("乡镇", lambda r: r["name"], "text", 14, 26),
             Column("学校数", lambda r: r["schools"], width=7, printed=13), *FIGURES)
TREND = (Column("月份", lambda r: month_words(r["period"]), "text", 12, 24), *FIGURES)
SUPERVISED = (
    Column("编号", lambda h: h["number"], "text", 18, 22), Column("学校", lambda h: h["school"], "text", 16, 24),
    Column("类别", lambda h: h["category_name"], "text", 10, 15),
    Column("风险等级", lambda h: h["risk_level_name"], "text", 9, 15),
    Column("隐患描述", lambda h: h["description"], "wide", 40, 45),
    Column("状态", lambda h: STATE_NAMES.get(State(h["state"]), h["state"]), "text", 8, 13),
    Column("整改时限", lambda h: h["deadline"], "time", 17, 20),
    Column("销号时间", lambda h: h["closed_at"], "time", 17, 20),
)
ESCALATIONS = (
    Column("升级时间", lambda e: e["at"], "time", 17, 20), Column("学校", lambda e: e["school"], "text", 16, 24),
    Column("事项", lambda e: e["title"], "wide", 30, 45),
    Column("原因", lambda e: TRIGGER_TEXTS.get(e["trigger"], e["trigger"]), "text", 16, 24),
    Column("升级至", lambda e: LEVEL_NAMES.get(e["level"], str(e["level"])), "text", 12, 21),
    Column("签收时间", lambda e: e["acknowledged_at"], "time", 17, 20),
    Column("解除时间", lambda e: e["resolved_at"], "time", 17, 20),
)


def percent(rate: float | None) -> str:
    """0.375 as "37.5%", 0.75 as "75%"; a dash when nothing was asked."""
    if rate is None:
        return NONE
    return f"{rate * 100:.1f}".removesuffix(".0") + "%"


def month_words(label: str) -> str:
    """"2026-10" as "2026年10月"."""
    year, month = label.split("-")
    return f"{year}年{int(month)}月"


def text_of(column: Column, row: dict, zone: tzinfo) -> str:
    """The column's value of the row as printed."""
    value = column.value(row)
    if column.kind == "rate":
        return percent(value)
    if column.kind == "time":
        return local_text(value, zone) or NONE
    return "" if value is None else str(value)


def prose(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A paragraph broken as Chinese is (no line starts with "，"), across `width` points."""
    return Paragraph("<br/>".join(escape(line) for line in wrap_lines(text, style.fontName, style.fontSize, width)),
                     style)


def fit(text: str, font: str, size: float, width: float) -> str:
    """The text cut to one line of `width` points, with "…" where it was cut."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


class CellStyles:
    """Small print for tables: text left, figures right, headers centred."""

    def __init__(self, font: str, size: float = 8.5):
        self.font, self.size = font, size
        self.text = ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * 1.25, wordWrap="CJK")
        self.number = ParagraphStyle("number", self.text, alignment=TA_RIGHT)
        self.head = ParagraphStyle("head", self.text, alignment=TA_CENTER)

    def cell(self, text: str, numeric: bool = False) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), self.number if numeric else self.text)

    def centred(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.head)


def ruled(rows: list[list], widths: list[float], header_rows: int = 1, total_rows: int = 0, pad: float = 1.5,
          repeat: bool = False) -> Table:
    """A ruled table with its header (and total) rows shaded; `repeat`: the header again on every page."""
    table = Table(rows, colWidths=widths, repeatRows=header_rows if repeat else 0)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 0.5),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
             ("BACKGROUND", (0, 0), (-1, header_rows - 1), GREY)]
    if total_rows:
        style.append(("BACKGROUND", (0, -total_rows), (-1, -1), GREY))
    table.setStyle(TableStyle(style))
    return table


def figure_row(pairs: list[tuple[str, str]], cells: CellStyles, width: float) -> Table:
    """Labels over their figures, across `width` points."""
    rows = [[cells.centred(label) for label, _ in pairs], [cells.centred(value) for _, value in pairs]]
    return ruled(rows, [width / len(pairs)] * len(pairs))


def column_table(columns: tuple[Column, ...], rows: list[dict], cells: CellStyles, width: float, zone: tzinfo,
                 totals: list[dict] = ()) -> Table:
    """The rows under the columns' headers, across `width` points, the header repeated on each page."""
    share = width / sum(c.printed for c in columns)
    body = [[cells.centred(c.header) for c in columns]]
    for row in [*rows, *totals]:
        body.append([cells.cell(text_of(c, row, zone), c.kind in ("int", "rate")) for c in columns])
    return ruled(body, [c.printed * share for c in columns], total_rows=len(totals), repeat=True)


def footer_canvas(font: str, left: str, margin: float, numbered: bool) -> type[Canvas]:
    """A canvas that prints `left` at the foot of each page and, if `numbered`, "第 n 页 共 m 页" at the right."""

    class FooterCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # held back until the page count is known
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for page in self._pages:
                self.__dict__.update(page)
                self.saveState()
                self.setFont(font, 8)
                self.setFillColor(colors.Color(0.35, 0.35, 0.35))
                self.drawString(margin, 9 * mm, left)
                if numbered:
                    width = self._pagesize[0]
                    self.drawRightString(width - margin, 9 * mm, f"第 {self._pageNumber} 页 共 {len(self._pages)} 页")
                self.restoreState()
                super().showPage()
            super().save()

    return FooterCanvas


def so_far(report: dict, kind: str, first: date, zone: tzinfo) -> str:
    """"　　统计至 2026-11-03 12:00" while the report's period runs on; nothing once it has ended."""
    as_of = report["as_of"]
    return f"　　统计至 {local_text(as_of, zone)}" if as_of < period_holding(kind, first).ends else ""


def printed_text(now: datetime, zone: tzinfo) -> str:
    return f"打印于 {local_text(now, zone)}　护校 Huxiao"
