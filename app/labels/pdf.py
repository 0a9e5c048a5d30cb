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
            _draw_text(canvas, op, ox, oy, page_h, font)
        elif isinstance(op, QR):
            _draw_qr(canvas, op, ox, oy, page_h)


def _draw_text(canvas: Canvas, op: Text, ox: float, oy: float, page_h: float, font: str) -> None:
    # The CJK font has no bold face: bold text strokes its glyphs as well as filling them.
    # The stroke mode is graphics state that outlives the text object, so it is saved and
    # restored around the bold text, or every text after it would be stroked too.
    canvas.saveState()
    canvas.setFillColorRGB(*(c / 255 for c in op.rgb))
    text = canvas.beginText((ox + op.x) * mm, page_h - (oy + op.baseline) * mm)
    text.setFont(font, op.size_pt)
    if op.bold:
        canvas.setStrokeColorRGB(*(c / 255 for c in op.rgb))
        canvas.setLineWidth(op.size_pt * 0.045)
        text.setTextRenderMode(2)
    text.textOut(op.text)
    canvas.drawText(text)
    canvas.restoreState()


def _draw_qr(canvas: Canvas, op: QR, ox: float, oy: float, page_h: float) -> None:
    """Draw the dark modules as one path of rectangles, merging runs along each row.

    The path is written as PDF operators in module units under one transform: for a
    county's 10,000 labels this is most of the drawing, and formatting every rectangle's
    coordinates as floats through reportlab costs several times more.
    """
    n = len(op.matrix)
    module = op.size / (n + 2 * QUIET_MODULES) * mm
    left = (ox + op.x) * mm
    bottom = page_h - (oy + op.y + op.size) * mm
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(left, bottom, op.size * mm, op.size * mm, stroke=0, fill=1)
    runs = []
    for r, row in enumerate(op.matrix):
        y = n - 1 - r  # PDF's y grows upwards
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.append(f"{start} {y} {c - start} 1 re")
            else:
                c += 1
    origin_x = left + QUIET_MODULES * module
    origin_y = bottom + QUIET_MODULES * module
    # a hair of overlap (0.02 module) would need floats again; touching rectangles fill seamlessly
    # in every PDF renderer tested (PDFium, poppler), and print as one area of toner.
    canvas.addLiteral(f"q 0 g {module:.4f} 0 0 {module:.4f} {origin_x:.4f} {origin_y:.4f} cm "
                      + " ".join(runs) + " f Q")
