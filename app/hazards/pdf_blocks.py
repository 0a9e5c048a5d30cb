"""The building blocks of a printed A4 form: CJK line wrapping, styles, title, grids and boxed texts."""

from datetime import datetime, tzinfo
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from app.labels.layout import hex_rgb

WIDTH = A4[0] - 36 * mm
LABEL_W = 30 * mm
PAIR = [LABEL_W, (WIDTH - 2 * LABEL_W) / 2] * 2  # label, value, label, value
FULL = [LABEL_W, WIDTH - LABEL_W]  # label, value: long texts, which may split over a page


def blank(chars: float) -> str:
    """Room to write `chars` characters by hand: no-break spaces (0.3 em each), which paragraphs keep."""
    return "\xa0" * round(chars * 10 / 3)


BLANK_DATE = f"{blank(4)}年{blank(2)}月{blank(2)}日"


def chinese_date(at: datetime | None, zone: tzinfo, with_time: bool = False) -> str:
    """"2026年11月25日" (with_time: "2026年11月25日 18:00") in `zone`; blanks to fill in for none."""
    if at is None:
        return BLANK_DATE + (f"{blank(2)}时" if with_time else "")
    local = at.astimezone(zone)
    return f"{local.year}年{local.month}月{local.day}日" + (f" {local:%H:%M}" if with_time else "")


class Styles:
    """The paragraph styles of the form, all in its one CJK font."""

    def __init__(self, font: str):
        base = ParagraphStyle("notice", fontName=font, fontSize=10.5, leading=14.5, wordWrap="CJK")
        self.text = base
        self.label = ParagraphStyle("label", base, alignment=TA_CENTER)
        self.section = ParagraphStyle("section", base, fontSize=11.5, leading=15)
        self.small = ParagraphStyle("small", base, fontSize=9.5, leading=13)
        self.right = ParagraphStyle("right", self.small, alignment=TA_RIGHT)
        self.intro = ParagraphStyle("intro", base, firstLineIndent=2 * base.fontSize)


class BoldTitle(Flowable):
    """The title, centred; the CJK font has no bold face, so its glyphs are stroked as well as filled."""

    def __init__(self, text: str, font: str, size: float, stamp: str | None):
        super().__init__()
        self.text, self.font, self.size, self.stamp = text, font, size, stamp
        self.height = size * 1.5

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.setFont(self.font, self.size)
        c.setLineWidth(self.size * 0.04)
        text = c.beginText()
        text.setTextRenderMode(2)
        text.setFont(self.font, self.size)
        text.setCharSpace(self.size * 0.15)
        spread = c.stringWidth(self.text, self.font, self.size) + self.size * 0.15 * (len(self.text) - 1)
        text.setTextOrigin((self.width - spread) / 2, self.size * 0.45)
        text.textOut(self.text)
        c.drawText(text)
        if self.stamp:  # 挂牌督办: a boxed mark at the right, as a stamp would be
            size = 12
            w = c.stringWidth(self.stamp, self.font, size) + 4 * mm
            x, y = self.width - w, self.size * 0.2
            c.setLineWidth(1.4)
            c.rect(x, y, w, size + 3.5 * mm, stroke=1, fill=0)
            c.rect(x + 0.8 * mm, y + 0.8 * mm, w - 1.6 * mm, size + 1.9 * mm, stroke=1, fill=0)
            c.setLineWidth(0.4)
            mark = c.beginText()
            mark.setTextRenderMode(2)
            mark.setFont(self.font, size)
            mark.setCharSpace(0)  # the title's spacing is text state, which outlives its text object
            mark.setTextOrigin(x + 2 * mm, y + 1.75 * mm + size * 0.12)
            mark.textOut(self.stamp)
            c.drawText(mark)
        c.restoreState()


class LevelMark(Flowable):
    """The risk level's name beside a square of its colour: the one touch of colour on the page."""

    def __init__(self, name: str, colour: str | None, font: str):
        super().__init__()
        self.name, self.colour, self.font = name, colour, font

    def wrap(self, available_width, available_height):
        return available_width, 14.5

    def draw(self):
        c = self.canv
        x = 0
        if self.colour:
            c.setFillColorRGB(*(v / 255 for v in hex_rgb(self.colour)))
            c.setStrokeColor(colors.black)
            c.setLineWidth(0.5)
            c.rect(0, 1.2, 9, 9, stroke=1, fill=1)
            x = 13
        c.setFillColor(colors.black)
        c.setFont(self.font, 10.5)
        c.drawString(x, 2.6, self.name)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of the user's text: escaped, its line breaks kept."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def grid(rows: list[list], widths: list[float], label_cols: tuple[int, ...], heights=None) -> Table:
    """A ruled table with the `label_cols` shaded grey."""
    table = Table(rows, colWidths=widths, rowHeights=heights)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for col in label_cols:
        style.append(("BACKGROUND", (col, 0), (col, -1), colors.Color(0.92, 0.92, 0.92)))
    table.setStyle(TableStyle(style))
    return table


#: punctuation that never starts a line: the character before it moves down with it (禁则)
NO_LINE_START = frozenset("，。、；：？！）》」』”’…—,.;:?!)")


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Break `text` into lines no wider than `width` points, between any two characters (CJK style)."""
    lines = []
    for paragraph in (text or "").split("\n"):
        line = ""
        for ch in paragraph:
            if line and pdfmetrics.stringWidth(line + ch, font, size) > width:
                if ch in NO_LINE_START and len(line) > 1:
                    lines.append(line[:-1])
                    line = line[-1]
                else:
                    lines.append(line)
                    line = ""
            line += ch
        lines.append(line)
    return lines


def _lines(text: str, style: ParagraphStyle, width: float, per_row: int = 8) -> list[Paragraph]:
    """The text as paragraphs of at most `per_row` lines, so a table splits it between pages at any of them."""
    lines = [escape(line) or "\xa0" for line in wrap_lines(text, style.fontName, style.fontSize, width)]
    return [Paragraph("<br/>".join(lines[i:i + per_row]), style) for i in range(0, len(lines), per_row)]


def texts(fields: list[tuple[str, str, float]], styles: Styles) -> Table:
    """Label and long text, one field after another: (label, text, least height for writing by hand)."""
    rows, heights, style = [], [], [("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                                    ("LINEAFTER", (0, 0), (0, -1), 0.6, colors.black),
                                    ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.92, 0.92, 0.92)),
                                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    for label, text, least in fields:
        first = len(rows)
        chunks = _lines(text, styles.text, FULL[1] - 8) if text else [""]
        for i, chunk in enumerate(chunks):
            rows.append([para(label, styles.label) if i == 0 else "", chunk])
            heights.append(least if not text else None)
        last = len(rows) - 1
        style += [("TOPPADDING", (0, first), (-1, first), 3), ("BOTTOMPADDING", (0, last), (-1, last), 4),
                  ("LINEBELOW", (0, last), (-1, last), 0.6, colors.black)]
        if last > first:  # one field's rows read as one cell
            style += [("TOPPADDING", (0, first + 1), (-1, last), 0), ("BOTTOMPADDING", (0, first), (-1, last - 1), 0)]
        if not text:
            style.append(("VALIGN", (0, first), (-1, last), "MIDDLE"))
    table = Table(rows, colWidths=FULL, rowHeights=heights)
    table.setStyle(TableStyle(style))
    return table


def section(text: str, styles: Styles) -> Table:
    """A section's heading: a shaded bar across the page."""
    table = Table([[para(text, styles.section)]], colWidths=[WIDTH])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                               ("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.82, 0.82, 0.82)),
                               ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return table
