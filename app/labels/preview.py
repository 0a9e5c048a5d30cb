"""One label drawn as a PNG for the screen, before anything is printed."""

import io

from app.labels.fonts import font_path
from app.labels.layout import LabelData, layout
from app.labels.png import render_png
from app.labels.qr import qr_matrix
from app.labels.sheets import SheetTemplate

PREVIEW_DPI = 150  # sharp on a phone or an office screen, a tenth of the print file's bytes


def preview_png(data: LabelData, template: SheetTemplate, dpi: int = PREVIEW_DPI) -> bytes:
    """Return the label exactly as the batch would print it, at screen resolution."""
    font = font_path()
    image = render_png(layout(data, template, font, qr_matrix(data.url)), template.label_mm, font, dpi)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()
