"""Render a list of labels into a batch folder: labels.pdf, png/, manifest.csv."""

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from app.labels.fonts import font_path, missing_glyphs, pdf_font
from app.labels.layout import LabelData, layout
from app.labels.pdf import draw, new_canvas
from app.labels.png import render_png
from app.labels.qr import qr_matrix
from app.labels.sheets import SheetTemplate
from app.spreadsheets import CsvFile

PNG_THREADS = 2  # Pillow and zlib let go of the GIL: PNGs are drawn beside the PDF
MANIFEST_FIELDS = ["position", "page", "slot", "point_id", "school", "point_name", "level", "token",
                   "short_code", "url", "label_file"]


def label_file(position: int, point_id: int) -> str:
    return f"png/{position + 1:05d}-point{point_id}.png"


def _save_png(ops: list, size_mm: tuple[float, float], font: str, path: Path) -> None:
    # fast zlib: a label PNG is 2-3 MB of pixels, and level 1 compresses it within 10% of level 6
    render_png(ops, size_mm, font).save(path, compress_level=1)


def render_batch(
    folder: Path,
    labels: Iterable[tuple[int, LabelData]],
    template: SheetTemplate,
    title: str,
    pngs: bool = True,
    progress: Callable[[int], None] = lambda done: None,
) -> int:
    """Draw (point id, label) pairs in order; return how many. Pages go out as they fill.

    The PDF holds vector QR codes and the font subset; PNGs are 300 dpi, one per label,
    for print shops. Nothing is held in memory beyond the page being drawn.
    """
    font = font_path()
    font_name = pdf_font(font)
    (folder / "png").mkdir(parents=True, exist_ok=True)
    canvas = new_canvas(str(folder / "labels.pdf"), title)
    count = 0
    pending: deque = deque()
    # utf-8-sig: the byte-order mark makes Excel open the Chinese manifest as UTF-8
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8-sig") as fh, \
            ThreadPoolExecutor(max_workers=PNG_THREADS, thread_name_prefix="label-png") as pool:
        manifest = CsvFile(fh, MANIFEST_FIELDS)
        manifest.writeheader()
        for position, (point_id, data) in enumerate(labels):
            missing = missing_glyphs(font, data.printed_text)
            if missing:
                raise ValueError(f"the label font has no glyph for {''.join(sorted(missing))!r}: "
                                 "set LABEL_FONT_PATH to a fuller CJK font")
            page, slot = divmod(position, template.per_page)
            if slot == 0 and position:
                canvas.showPage()
            ops = layout(data, template, font, qr_matrix(data.url))
            draw(canvas, ops, template.slot_origin(slot), font_name)
            name = label_file(position, point_id)
            if pngs:
                pending.append(pool.submit(_save_png, ops, template.label_mm, font, folder / name))
                while len(pending) > 4 * PNG_THREADS:  # bounded: memory stays flat however long the batch
                    pending.popleft().result()
            manifest.writerow({
                "position": position + 1, "page": page + 1, "slot": slot + 1, "point_id": point_id,
                "school": data.school, "point_name": data.name, "level": data.level.name_zh,
                "token": data.url.rsplit("/", 1)[1], "short_code": data.short_code, "url": data.url,
                "label_file": name if pngs else "",
            })
            count += 1
            progress(count)
        for future in pending:
            future.result()
    canvas.showPage()
    canvas.save()
    return count
