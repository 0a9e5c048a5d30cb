"""Draw one label's operations into a PNG with Pillow, at print resolution."""

from PIL import Image, ImageDraw

from app.labels.fonts import image_font
from app.labels.layout import QR, QUIET_MODULES, Rect, Text


def render_png(ops: list, size_mm: tuple[float, float], font_path: str, dpi: int = 300) -> Image.Image:
    """Return the label as an RGB image at `dpi`."""
    scale = dpi / 25.4
    image = Image.new("RGB", (round(size_mm[0] * scale), round(size_mm[1] * scale)), "white")
    draw = ImageDraw.Draw(image)
    for op in ops:
        if isinstance(op, Rect):
            draw.rectangle([op.x * scale, op.y * scale, (op.x + op.w) * scale - 1, (op.y + op.h) * scale - 1],
                           fill=op.rgb)
        elif isinstance(op, Text):
            font = image_font(font_path, max(1, round(op.size_pt / 72 * dpi)))
            stroke = max(1, round(op.size_pt / 72 * dpi * 0.03)) if op.bold else 0
            draw.text((op.x * scale, op.baseline * scale), op.text, font=font, fill=op.rgb, anchor="ls",
                      stroke_width=stroke, stroke_fill=op.rgb)
        elif isinstance(op, QR):
            _paste_qr(image, op, scale)
    return image


def _paste_qr(image: Image.Image, op: QR, scale: float) -> None:
    n = len(op.matrix)
    side = round(op.size * scale)
    # one pixel per module, then scaled up without smoothing: sharp module edges
    modules = Image.frombytes("L", (n, n), b"".join(op.matrix).translate(bytes([255, 0] + [0] * 254)))
    with_quiet = Image.new("L", (n + 2 * QUIET_MODULES, n + 2 * QUIET_MODULES), 255)
    with_quiet.paste(modules, (QUIET_MODULES, QUIET_MODULES))
    image.paste(with_quiet.resize((side, side), Image.NEAREST).convert("RGB"),
                (round(op.x * scale), round(op.y * scale)))
