"""A school's 随手拍 poster: an A4 page for the gate and notice boards with its public code."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.labels.fonts import font_path, pdf_font, text_width_mm
from app.labels.layout import INK, QR, Rect, Text, pt_mm
from app.labels.pdf import draw
from app.labels.qr import qr_matrix

TITLE = "校园安全随手拍"
INSTRUCTIONS = ("用微信或手机相机扫码，拍照上传校园安全隐患。", "无需注册。", "可留电话以便回复。")
ACCENT = (31, 111, 178)  # one blue rule; the poster prints as well in black and white
GREY = (90, 90, 90)
PAGE_W, PAGE_H = 210, 297
MARGIN = 18
QR_MM = 130  # read from two or three metres away on a wall


def wrap(path: str, text: str, width_mm: float, size_pt: float) -> list[str]:
    """Break `text` into lines no wider than `width_mm`, between any two characters (CJK style)."""
    lines, line = [], ""
    for ch in text:
        if line and text_width_mm(path, line + ch, size_pt) > width_mm:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line else lines


def _centred(path: str, lines: list[str], top: float, size_pt: float, rgb=INK, bold=False, gap=0.45):
    """Text ops for lines centred on the page from `top` (mm) down; return them and the y below."""
    ops = []
    for line in lines:
        top += pt_mm(size_pt)
        ops.append(Text((PAGE_W - text_width_mm(path, line, size_pt)) / 2, top, size_pt, line, rgb, bold))
        top += pt_mm(size_pt) * gap
    return ops, top


def poster_ops(path: str, school: str, url: str, matrix: list[bytes]) -> list:
    """The poster's drawing operations in millimetres from the page's top-left."""
    width = PAGE_W - 2 * MARGIN
    size = 26.0
    while size > 18 and text_width_mm(path, school, size) > width:  # a long name shrinks, then wraps
        size -= 1
    ops, y = _centred(path, wrap(path, school, width, size)[:2], MARGIN + 4, size)
    more, y = _centred(path, [TITLE], y + 6, 50, bold=True)
    ops += more
    ops.append(Rect((PAGE_W - 90) / 2, y + 3, 90, 1.6, ACCENT))
    qr_top = y + 10
    ops.append(QR((PAGE_W - QR_MM) / 2, qr_top, QR_MM, matrix))
    y = qr_top + QR_MM + 4
    for sentence in INSTRUCTIONS:
        more, y = _centred(path, wrap(path, sentence, width, 18), y, 18, gap=0.6)
        ops += more
    more, _ = _centred(path, wrap(path, url, width, 9), PAGE_H - MARGIN - 8, 9, GREY)
    return ops + more


def poster_pdf(school: str, url: str) -> bytes:
    """The school's 随手拍 poster as an A4 PDF: its name, what to do, and a big QR code of `url`."""
    path = font_path()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{school} {TITLE}")
    canvas.setAuthor("Huxiao 护校")
    draw(canvas, poster_ops(path, school, url, qr_matrix(url)), (0, 0), pdf_font(path))
    canvas.showPage()
    canvas.save()
    return buf.getvalue()
