"""The CJK font labels are drawn with: found once, embedded (as a subset) in every PDF."""

from functools import lru_cache
from pathlib import Path

from flask import current_app
from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# TrueType-outline CJK fonts that reportlab can embed and Pillow can draw (Debian's
# fonts-wqy-zenhei / fonts-wqy-microhei). Noto CJK's CFF outlines cannot be embedded.
DEFAULT_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
PDF_FONT = "HuxiaoCJK"


class LabelFontMissing(RuntimeError):
    """No usable CJK font: labels would print empty boxes instead of Chinese."""


def font_path() -> str:
    """Return the configured CJK font, or the first of Debian's that is installed."""
    configured = current_app.config.get("LABEL_FONT_PATH")
    candidates = (configured,) if configured else DEFAULT_FONT_PATHS
    for path in candidates:
        if path and Path(path).is_file():
            return path
    raise LabelFontMissing(
        f"no CJK font at {', '.join(c for c in candidates if c)}: install fonts-wqy-zenhei "
        "(`make setup` does) or set LABEL_FONT_PATH to a TrueType CJK font"
    )


@lru_cache(maxsize=4)
def pdf_font(path: str) -> str:
    """Register the font with reportlab once; return its name."""
    name = f"{PDF_FONT}-{abs(hash(path))}"
    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    return name


@lru_cache(maxsize=64)
def image_font(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    """Return the font for Pillow at one pixel size."""
    return ImageFont.truetype(path, size_px, index=0)


def missing_glyphs(path: str, text: str) -> set[str]:
    """Return the characters of `text` the font has no glyph for (they would print as boxes)."""
    face = pdfmetrics.getFont(pdf_font(path)).face
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in face.charToGlyph}


def text_width_mm(path: str, text: str, size_pt: float) -> float:
    """Return how wide `text` prints at `size_pt`, in millimetres."""
    return pdfmetrics.stringWidth(text, pdf_font(path), size_pt) * 25.4 / 72
