"""Draw label operations onto A4 pages with reportlab: vector QR codes, embedded font subset."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.labels.layout import QR, QUIET_MODULES, Rect, Text


def new_canvas(path: str, title: str) -> Canvas:
    """Open an A4 PDF for writing."""
    canvas = Canvas(path, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("Huxiao 护校")
    return canvas


def draw(canvas: Canvas, ops: list, origin_mm: tuple[float, float], font: str) -> None:
    """Draw one label's operations with its top-left corner at `origin_mm` on the page."""
    page_h = A4[1]
    ox, oy = origin_mm
    for op in ops:
        if isinstance(op, Rect):
            canvas.setFillColorRGB(*(c / 255 for c in op.rgb))
            canvas.rect((ox + op.x) * mm, page_h - (oy + op.y + op.h) * mm, op.w * mm, op.h * mm, stroke=0, fill=1)
        elif isinstance(op, Text):
            canvas.setFillColorRGB(*(c / 255 for c in op.rgb))
            text = canvas.beginText((ox + op.x) * mm, page_h - (oy + op.baseline) * mm)
            text.setFont(font, op.size_pt)
            # The CJK font has no bold face: bold text strokes its glyphs as well as filling them.
            # The render mode outlives the text object in PDF, so every text sets its own.
            if op.bold:
                canvas.setStrokeColorRGB(*(c / 255 for c in op.rgb))
                canvas.setLineWidth(op.size_pt * 0.045)
            text.setTextRenderMode(2 if op.bold else 0)
            text.textOut(op.text)
            canvas.drawText(text)
        elif isinstance(op, QR):
            _draw_qr(canvas, op, ox, oy, page_h)


def _draw_qr(canvas: Canvas, op: QR, ox: float, oy: float, page_h: float) -> None:
    """Draw the dark modules as one path of rectangles, merging runs along each row."""
    n = len(op.matrix)
    module = op.size / (n + 2 * QUIET_MODULES) * mm
    x0 = (ox + op.x) * mm + QUIET_MODULES * module
    top = page_h - (oy + op.y) * mm - QUIET_MODULES * module
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect((ox + op.x) * mm, page_h - (oy + op.y + op.size) * mm, op.size * mm, op.size * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for r, row in enumerate(op.matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                # a hair of overlap so no white seam shows between touching modules
                path.rect(x0 + start * module, top - (r + 1) * module, (c - start) * module + 0.01, module + 0.01)
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)
