"""Lay out one label as drawing operations in millimetres; the PDF and PNG renderers draw the same ops."""

from dataclasses import dataclass

from app.labels.fonts import text_width_mm
from app.labels.sheets import SheetTemplate
from app.points.levels import RiskLevel

WHITE = (255, 255, 255)
INK = (20, 20, 20)
INSTRUCTION = "微信或手机相机扫码巡检"
QUIET_MODULES = 4  # the QR standard's quiet zone, kept white around every code


@dataclass(frozen=True)
class LabelData:
    """What one label says."""

    school: str
    name: str
    location: str
    category: str
    responsible: str
    frequency: str
    level: RiskLevel
    url: str
    short_code: str

    @property
    def printed_text(self) -> str:
        """Every character the label prints in the CJK font (which must have a glyph for each)."""
        return "".join((self.school, self.name, self.location, self.category, self.responsible, self.frequency,
                        self.level.name_zh))


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    rgb: tuple[int, int, int]


@dataclass(frozen=True)
class Text:
    x: float
    baseline: float
    size_pt: float
    text: str
    rgb: tuple[int, int, int]
    bold: bool = False


@dataclass(frozen=True)
class QR:
    x: float
    y: float
    size: float  # including the quiet zone
    matrix: list[bytes]


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def ink_on(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black or white, whichever reads better on `rgb` (yellow takes black)."""
    luminance = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
    return INK if luminance > 150 else WHITE


def pt_mm(size_pt: float) -> float:
    return size_pt * 25.4 / 72


def fit(font: str, text: str, width_mm: float, size_pt: float, min_pt: float) -> tuple[str, float]:
    """Shrink `text` to fit `width_mm`, down to `min_pt`; past that, cut it with an ellipsis."""
    while size_pt > min_pt and text_width_mm(font, text, size_pt) > width_mm:
        size_pt = max(min_pt, size_pt * 0.92)
    if text_width_mm(font, text, size_pt) <= width_mm:
        return text, size_pt
    while text and text_width_mm(font, text + "…", size_pt) > width_mm:
        text = text[:-1]
    return text + "…", size_pt


class _Column:
    """Lines of text placed top to bottom in a column."""

    def __init__(self, font: str, x: float, top: float, width: float):
        self.font, self.x, self.y, self.width, self.ops = font, x, top, width, []

    def line(self, text: str, size_pt: float, bold: bool = False, rgb=INK, gap: float = 0.35) -> None:
        if not text:
            return
        text, size_pt = fit(self.font, text, self.width, size_pt, size_pt * 0.6)
        self.y += pt_mm(size_pt)
        self.ops.append(Text(self.x, self.y, size_pt, text, rgb, bold))
        self.y += pt_mm(size_pt) * gap


def _details(data: LabelData) -> list[str]:
    return [
        f"位置:{data.location}" if data.location else "",
        f"类别:{data.category}   责任人:{data.responsible or '—'}",
        f"巡检频次:{data.frequency}",
    ]


def layout(data: LabelData, template: SheetTemplate, font: str, matrix: list[bytes]) -> list:
    """Return the drawing operations of one label, origin at its top-left, y downwards."""
    style = template.style
    width, height = template.label_mm
    colour = hex_rgb(data.level.colour)
    f, p = style.frame_mm, style.padding_mm
    ops: list = [Rect(0, 0, width, height, colour), Rect(f, f, width - 2 * f, height - 2 * f, WHITE)]
    if style.band_over_text_only:  # small stickers: the code spans the full height beside the band
        qr_size = height - 2 * f - 0.5 * p
        ops.append(QR(f + 0.25 * p, f + 0.25 * p, qr_size, matrix))
        band_left = f + qr_size + 0.5 * p
        ops.extend(_band(data, font, style, colour, band_left, width - f - band_left))
        column = _Column(font, band_left + p, f + style.band_mm + p, width - f - p - band_left - p)
        return ops + _texts(column, data, style)
    ops.extend(_band(data, font, style, colour, f, width - 2 * f))
    inner_top = f + style.band_mm
    inner_h = height - f - inner_top
    if template.portrait:
        qr_size = min(width - 2 * f - 2 * p, inner_h * 0.58)
        ops.append(QR((width - qr_size) / 2, inner_top + p, qr_size, matrix))
        column = _Column(font, f + 2 * p, inner_top + p + qr_size + p, width - 2 * f - 4 * p)
    else:
        qr_size = inner_h - 0.5 * p
        ops.append(QR(f + 0.25 * p, inner_top + 0.25 * p, qr_size, matrix))
        left = f + qr_size + 0.5 * p
        column = _Column(font, left, inner_top + p, width - f - p - left)
    return ops + _texts(column, data, style)


def _band(data: LabelData, font: str, style, colour, left: float, width: float) -> list:
    """The band: the level's colour and its name, readable in black and white and by the colour-blind."""
    name, size = fit(font, data.level.name_zh, width - 2 * style.padding_mm, style.band_pt, style.band_pt * 0.5)
    baseline = style.frame_mm + style.band_mm / 2 + pt_mm(size) * 0.36
    return [Rect(left, style.frame_mm, width, style.band_mm, colour),
            Text(left + style.padding_mm, baseline, size, name, ink_on(colour), bold=True)]


def _texts(column: _Column, data: LabelData, style) -> list:
    column.line(data.name, style.name_pt, bold=True)
    column.line(data.school, style.text_pt)
    for detail in _details(data):
        column.line(detail, style.text_pt)
    column.line(INSTRUCTION, style.text_pt)
    column.line(f"编码 {data.short_code}", style.code_pt, bold=True)
    return column.ops
