"""The rectification notice (隐患整改通知书) of one hazard: an A4 page to print, sign and stamp."""

import io
from datetime import datetime, tzinfo
from xml.sax.saxutils import escape

from flask import current_app
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.db_types import utcnow
from app.hazards.ledger import SOURCE_NAMES, local_text, place_text, reporter_text
from app.timezones import school_zone
from app.hazards.models import Hazard
from app.hazards.services import photo_rows
from app.labels.fonts import font_path, pdf_font
from app.labels.layout import hex_rgb
from app.photos.services import photo_path
from app.points.levels import category_name, level, level_name

FOUND_ACTIONS = ("report", "found_again", "merged")  # the photos of the hazard as found
MAX_PHOTOS = 4
PHOTO_EDGE_PX = 1000  # about 300 dpi at the size printed; keeps the PDF small
WIDTH = A4[0] - 36 * mm
LABEL_W = 30 * mm
PAIR = [LABEL_W, (WIDTH - 2 * LABEL_W) / 2] * 2  # label, value, label, value
FULL = [LABEL_W, WIDTH - LABEL_W]  # label, value: long texts, which may split over a page


def _blank(chars: float) -> str:
    """Room to write `chars` characters by hand: no-break spaces (0.3 em each), which paragraphs keep."""
    return "\xa0" * round(chars * 10 / 3)


BLANK_DATE = f"{_blank(4)}年{_blank(2)}月{_blank(2)}日"
INTRO = "经排查，你单位存在下列安全隐患。请按以下要求落实整改，整改完成后及时报请验收。"


def chinese_date(at: datetime | None, zone: tzinfo, with_time: bool = False) -> str:
    """"2026年11月25日" (with_time: "2026年11月25日 18:00") in `zone`; blanks to fill in for none."""
    if at is None:
        return BLANK_DATE + (f"{_blank(2)}时" if with_time else "")
    local = at.astimezone(zone)
    return f"{local.year}年{local.month}月{local.day}日" + (f" {local:%H:%M}" if with_time else "")


class _Styles:
    def __init__(self, font: str):
        base = ParagraphStyle("notice", fontName=font, fontSize=10.5, leading=14.5, wordWrap="CJK")
        self.text = base
        self.label = ParagraphStyle("label", base, alignment=TA_CENTER)
        self.section = ParagraphStyle("section", base, fontSize=11.5, leading=15)
        self.small = ParagraphStyle("small", base, fontSize=9.5, leading=13)
        self.right = ParagraphStyle("right", self.small, alignment=TA_RIGHT)
        self.intro = ParagraphStyle("intro", base, firstLineIndent=2 * base.fontSize)


class _BoldTitle(Flowable):
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


class _Level(Flowable):
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


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of the user's text: escaped, its line breaks kept."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _grid(rows: list[list], widths: list[float], label_cols: tuple[int, ...], heights=None) -> Table:
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


def _texts(fields: list[tuple[str, str, float]], styles: _Styles) -> Table:
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
            rows.append([_p(label, styles.label) if i == 0 else "", chunk])
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


def _section(text: str, styles: _Styles) -> Table:
    table = Table([[_p(text, styles.section)]], colWidths=[WIDTH])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                               ("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.82, 0.82, 0.82)),
                               ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return table


def _photos(hazard: Hazard) -> list:
    """Up to four photos of the hazard as found, scaled to fit side by side, their aspect kept."""
    ids = list(dict.fromkeys(hazard.photo_ids(*FOUND_ACTIONS)))[:MAX_PHOTOS]
    found = {p.id: p for p in photo_rows(ids)}
    images = []
    for pid in ids:
        try:
            with PILImage.open(photo_path(found[pid])) as image:
                image = image.convert("RGB")
                image.thumbnail((PHOTO_EDGE_PX, PHOTO_EDGE_PX))
                buf = io.BytesIO()
                image.save(buf, "JPEG", quality=82)
                images.append((buf, image.width, image.height))
        except (KeyError, OSError) as exc:  # a lost file must not stop the notice from printing
            current_app.logger.warning("hazard %s: photo %s left off the notice (%s)", hazard.id, pid, exc)
    if not images:
        return []
    gap = 2 * mm
    box_w = (WIDTH - LABEL_W - 8 - gap * (len(images) - 1)) / len(images)
    box_h = 40 * mm if len(images) <= 2 else 32 * mm
    cells = []
    for buf, w, h in images:
        scale = min(box_w / w, box_h / h)
        buf.seek(0)
        cells.append(Image(buf, width=w * scale, height=h * scale))
    row = Table([cells], colWidths=[box_w + (gap if i < len(cells) - 1 else 0) for i in range(len(cells))])
    row.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                             ("ALIGN", (0, 0), (-1, -1), "LEFT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [row]


def _found(hazard: Hazard, styles: _Styles, zone: tzinfo, font: str) -> list:
    s, lab = styles.text, styles.label
    found = level(hazard.risk_level)
    pairs = _grid([
        [_p("类别", lab), _p(category_name(hazard.category), s),
         _p("风险等级", lab), _Level(level_name(hazard.risk_level), found.colour if found else None, font)],
        [_p("发现时间", lab), _p(local_text(hazard.reported_at, zone), s),
         _p("发现人", lab), _p(reporter_text(hazard), s)],
        [_p("来源", lab), _p(SOURCE_NAMES.get(hazard.source, str(hazard.source)), s),
         _p("承办单位", lab), _p(hazard.holder.name, s)],
    ], PAIR, (0, 2))
    full = [[_p("学校", lab), _p(hazard.school.name, s)], [_p("位置", lab), _p(place_text(hazard), s)]]
    story = [_grid(full, FULL, (0,)), pairs, _texts([("隐患描述", hazard.description, 9 * mm)], styles)]
    photos = _photos(hazard)
    if photos:
        story.append(_grid([[_p("隐患照片", lab), photos[0]]], FULL, (0,)))
    return story


def _requirements(hazard: Hazard, styles: _Styles, zone: tzinfo) -> list:
    """整改要求: blank boxes to fill in by hand while the hazard is not assigned."""
    s, lab = styles.text, styles.label
    assigned = hazard.rectifier is not None
    funds = ((f"{hazard.funds_yuan:,.2f} 元" if hazard.funds_yuan is not None else "—") if assigned else "")
    pairs = _grid([
        [_p("整改责任人", lab), _p(hazard.rectifier.display_name if assigned else "", s),
         _p("整改时限", lab), _p(chinese_date(hazard.deadline if assigned else None, zone, with_time=True), s)],
        [_p("资金", lab), _p(funds, s),
         _p("下发人", lab), _p(hazard.assigned_by.display_name if assigned and hazard.assigned_by else "", s)],
    ], PAIR, (0, 2), heights=None if assigned else [8 * mm, 8 * mm])  # room to write in, when blank
    return [pairs, _texts([("责任", hazard.responsibility if assigned else "", 8 * mm),
                           ("整改措施", hazard.measures if assigned else "", 12 * mm)], styles)]


def _signatures(styles: _Styles) -> list:
    s, lab = styles.text, styles.label
    date = _p(BLANK_DATE, s)
    signed = _grid([
        [_p("整改责任人签字", lab), "", _p("学校负责人签字（盖章）", lab), ""],
        [_p("日期", lab), date, _p("日期", lab), date],
    ], PAIR, (0, 2), heights=[13 * mm, 8 * mm])
    signer = _p(f"验收人签字：{_blank(9)}日期：{BLANK_DATE}", styles.right)
    done = _p(f"整改责任人签字：{_blank(9)}日期：{BLANK_DATE}", styles.right)
    boxes = Table([[_p("整改完成情况", lab), ""], ["", done], [_p("验收意见", lab), ""], ["", signer]],
                  colWidths=FULL, rowHeights=[20 * mm, 7 * mm, 20 * mm, 7 * mm])
    boxes.setStyle(TableStyle([
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (0, 2), (0, 3)),
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, 1), 0.6, colors.black),
        ("LINEAFTER", (0, 0), (0, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.92, 0.92, 0.92)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]))
    return [KeepTogether([signed, _section("三、整改完成情况及验收意见", styles), boxes])]


def notice_pdf(hazard: Hazard, now: datetime | None = None) -> bytes:
    """The hazard's rectification notice as an A4 PDF, with the CJK font's subset embedded."""
    font = pdf_font(font_path())
    zone = school_zone()
    styles = _Styles(font)
    printed = local_text(now or utcnow(), zone)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=13 * mm,
                            bottomMargin=15 * mm, title=f"隐患整改通知书 {hazard.number}", author="Huxiao 护校")
    issued = chinese_date(hazard.assigned_at if hazard.rectifier is not None else None, zone)
    heading = Table([[_p(f"编号：{hazard.number}", styles.small), _p(f"下发日期：{issued}", styles.right)]],
                    colWidths=[WIDTH / 2] * 2,
                    style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    story = [
        _BoldTitle("隐患整改通知书", font, 22, "挂牌督办" if hazard.supervised else None),
        Spacer(0, 2 * mm), heading, Spacer(0, 2 * mm),
        _p(f"{hazard.school.name}：", styles.text), _p(INTRO, styles.intro), Spacer(0, 1.5 * mm),
        _section("一、隐患情况", styles), *_found(hazard, styles, zone, font),
        _section("二、整改要求", styles), *_requirements(hazard, styles, zone), *_signatures(styles),
    ]

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
        canvas.drawString(18 * mm, 9 * mm, f"{hazard.number}　打印于 {printed}　护校 Huxiao")
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
