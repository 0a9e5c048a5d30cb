"""Reading printed labels back as a person's phone would: rasterise, decode, extract text."""

import csv
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, ImageFilter


def pdf_pages(path: Path, dpi: int) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in pdf]
    finally:
        pdf.close()


def pdf_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


def pdf_page_sizes_pt(path: Path) -> list[tuple[float, float]]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [tuple(page.get_size()) for page in pdf]
    finally:
        pdf.close()


def decode_all(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def like_a_phone_photo(image: Image.Image) -> Image.Image:
    """Rotate about 10 degrees, blur slightly and scale down, as a hurried phone photo would."""
    rotated = image.convert("L").rotate(10, expand=True, fillcolor=255, resample=Image.BICUBIC)
    blurred = rotated.filter(ImageFilter.GaussianBlur(1.2))
    return blurred.resize((blurred.width * 2 // 5, blurred.height * 2 // 5), Image.BILINEAR)


def manifest(folder: Path) -> list[dict]:
    with open(folder / "manifest.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))
