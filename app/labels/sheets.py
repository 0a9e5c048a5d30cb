"""Label sheet templates, millimetre-exact on A4, with margins office printers can print."""

from dataclasses import dataclass

A4_MM = (210.0, 297.0)


@dataclass(frozen=True)
class LabelStyle:
    """Sizes inside one label, in mm and points."""

    frame_mm: float  # the thick frame in the level's colour
    band_mm: float  # the band carrying the level's name
    band_pt: float
    name_pt: float
    text_pt: float
    code_pt: float
    padding_mm: float
    band_over_text_only: bool = False  # small stickers: the code takes the label's full height


@dataclass(frozen=True)
class SheetTemplate:
    """Where labels sit on an A4 page, and how each is laid out."""

    key: str
    name_zh: str
    columns: int
    rows: int
    label_mm: tuple[float, float]  # width, height
    margin_mm: tuple[float, float]  # left, top
    gap_mm: tuple[float, float]  # between columns, between rows
    portrait: bool  # QR above the text (big wall labels) or beside it (sheets)
    style: LabelStyle

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def slot_origin(self, slot: int) -> tuple[float, float]:
        """Return the top-left corner (mm from the page's top-left) of a slot on the page."""
        row, col = divmod(slot, self.columns)
        return (self.margin_mm[0] + col * (self.label_mm[0] + self.gap_mm[0]),
                self.margin_mm[1] + row * (self.label_mm[1] + self.gap_mm[1]))


TEMPLATES = {
    t.key: t
    for t in (
        SheetTemplate("single", "单张大标签(墙面、水域)", 1, 1, (180.0, 257.0), (15.0, 20.0), (0.0, 0.0), True,
                      LabelStyle(frame_mm=7, band_mm=26, band_pt=44, name_pt=32, text_pt=18, code_pt=26,
                                 padding_mm=8)),
        SheetTemplate("2x4", "A4 八联标签", 2, 4, (95.0, 66.0), (7.5, 12.0), (5.0, 3.0), False,
                      LabelStyle(frame_mm=2.8, band_mm=9, band_pt=15, name_pt=12, text_pt=7.4, code_pt=10,
                                 padding_mm=2)),
        SheetTemplate("3x8", "A4 二十四联小贴纸", 3, 8, (62.0, 32.5), (9.0, 11.5), (3.0, 2.0), False,
                      LabelStyle(frame_mm=1.4, band_mm=5.2, band_pt=8, name_pt=7, text_pt=4.6, code_pt=6.2,
                                 padding_mm=1, band_over_text_only=True)),
    )
}
DEFAULT_TEMPLATE = "2x4"


def check_fits_a4(template: SheetTemplate, printable_margin_mm: float = 5.0) -> None:
    """Raise if the template's labels leave A4 or its printable area."""
    right = template.margin_mm[0] + template.columns * template.label_mm[0] + (template.columns - 1) * template.gap_mm[0]
    bottom = template.margin_mm[1] + template.rows * template.label_mm[1] + (template.rows - 1) * template.gap_mm[1]
    if min(template.margin_mm) < printable_margin_mm or right > A4_MM[0] - printable_margin_mm \
            or bottom > A4_MM[1] - printable_margin_mm:
        raise ValueError(f"template {template.key} leaves the printable area of A4")
