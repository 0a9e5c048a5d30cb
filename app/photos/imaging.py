"""Check and clean an uploaded image: the right kind, not a bomb, upright, with no metadata."""

import io
import logging
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from app.errors import abort
from app.photos.similarity import dhash

log = logging.getLogger(__name__)

#: Pillow format -> the content type we store and serve
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 50_000_000  # a 50-megapixel phone photo; more is a decompression bomb
# A JPEG is decoded at the size it is stored at (libjpeg's draft scaling), whatever it claims;
# a PNG or WebP can only be decoded whole: 49 MP of one cost a worker about a second (2-7 s on a
# busy machine). Phones send photos as JPEG and screenshots well under 12 MP, so a stranger's
# PNG or WebP may have no more (PUBLIC_LOSSLESS_MAX_PIXELS; staff uploads keep MAX_PIXELS).
DECODED_WHOLE = ("PNG", "WEBP")
# Phone photos of 4000x3000 are evidence enough at 2560 px on the long edge, and take a
# third of the disk.
MAX_EDGE = 2560
THUMB_EDGE = 320
_SAVE_OPTIONS = {"JPEG": {"quality": 85}, "PNG": {}, "WEBP": {"quality": 85}}
_GREY_MODES = {"1", "L", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"}


@dataclass(frozen=True)
class CleanImage:
    """An image as stored: re-encoded without metadata, with its thumbnail."""

    content_type: str
    data: bytes
    width: int
    height: int
    thumb: bytes
    dhash: str
    captured_at: datetime | None


def clean_image(data: bytes, zone: tzinfo | None, whole_decode_pixels: int = MAX_PIXELS) -> CleanImage:
    """Check an upload by its content and return it upright, at most MAX_EDGE px, without metadata.

    `zone` is where a capture time without its own offset was taken (None: such a time is not kept).
    `whole_decode_pixels` bounds the formats decoded whole (PNG, WebP): lower for strangers' uploads.
    """
    image = _open_checked(data, whole_decode_pixels)  # of an animated PNG or WebP, only the first frame is kept
    fmt = image.format
    try:
        if fmt == "JPEG":  # let libjpeg decode big photos at 1/2, 1/4 or 1/8 scale: less memory and time
            image.draft(None, stored_size(image.size))
        image.load()
    except Exception:  # noqa: BLE001  Pillow's decoders fail on bad data with OSError, EOFError, SyntaxError...
        log.info("refused an undecodable %s upload", fmt, exc_info=True)
        abort(415, "The image is damaged or incomplete: send it again.", error="not_an_image")
    exif = _exif(image)
    captured_at = capture_time(exif, zone)
    image = _upright(image)
    image = _normalised(image, fmt)
    image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    thumb = _thumbnail(image)
    return CleanImage(
        content_type=ALLOWED_FORMATS[fmt],
        data=_encode(image, fmt, **_SAVE_OPTIONS[fmt]),
        width=image.width,
        height=image.height,
        thumb=_encode(thumb, "JPEG", quality=75),
        dhash=dhash(thumb),
        captured_at=captured_at,
    )


def stored_size(size: tuple[int, int], edge: int = MAX_EDGE) -> tuple[int, int]:
    """The size an image is kept at: its long edge at most `edge` px.

    Asked of JPEG draft decoding as is: asking for an edge x edge box would leave a wide
    panorama (25000x2000) decoded whole, its short side already under the box's.
    """
    scale = min(1.0, edge / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def thumbnail_of(stored: bytes) -> bytes:
    """Return the thumbnail of an image stored earlier (already checked when it was uploaded)."""
    image = Image.open(io.BytesIO(stored), formats=list(ALLOWED_FORMATS))
    fmt = image.format
    if fmt == "JPEG":
        image.draft(None, stored_size(image.size, THUMB_EDGE))
    return _encode(_thumbnail(_normalised(_upright(image), fmt)), "JPEG", quality=75)


def _open_checked(data: bytes, whole_decode_pixels: int) -> Image.Image:
    """Open an image, judging its kind and size from the header, before any pixel is decoded."""
    try:
        # Only the three decoders we accept are tried, never Pillow's others (EPS, ...).
        image = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
        width, height = image.size
        if width * height > MAX_PIXELS:
            abort(413, f"The image is too large ({width}x{height} pixels).", error="image_too_large")
        if image.format in DECODED_WHOLE and width * height > whole_decode_pixels:
            limit = whole_decode_pixels / 1_000_000
            abort(413, f"这张 {image.format} 图片太大（{width}x{height}）：请发照片（JPEG），或不超过 {limit:g} 百万像素的图片。/ "
                       f"This {image.format} image is too large ({width}x{height}): send a photo (JPEG), or an image "
                       f"of at most {limit:g} megapixels.", error="image_too_large")
        image.verify()  # checksums and structure, still without decoding
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        abort(413, "The image is too large (more than 50 million pixels).", error="image_too_large")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        abort(415, "The file is not a JPEG, PNG or WebP image.", error="not_an_image")
    return Image.open(io.BytesIO(data), formats=[image.format])  # verify() leaves an image unusable


def _exif(image: Image.Image) -> Image.Exif | None:
    try:
        return image.getexif()
    except Exception:  # noqa: BLE001  broken metadata must not cost the photo
        return None


def capture_time(exif: Image.Exif | None, zone: tzinfo | None) -> datetime | None:
    """Return when the photo was taken, in UTC, from EXIF DateTimeOriginal (None if absent or unreadable)."""
    if exif is None:
        return None
    try:
        tags = exif.get_ifd(ExifTags.IFD.Exif)
        taken = datetime.strptime(_text(tags[ExifTags.Base.DateTimeOriginal]), "%Y:%m:%d %H:%M:%S")
        offset = tags.get(ExifTags.Base.OffsetTimeOriginal)
        when = taken.replace(tzinfo=datetime.strptime(_text(offset), "%z").tzinfo if offset else zone)
        return when.astimezone(timezone.utc) if when.tzinfo else None
    except Exception:  # noqa: BLE001  no date, or a camera's own idea of one
        return None


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value).strip("\x00 ")


def _upright(image: Image.Image) -> Image.Image:
    """Turn the pixels as EXIF Orientation says, since the stored copy keeps no EXIF to say it."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001  broken metadata must not cost the photo
        return image


def _normalised(image: Image.Image, fmt: str) -> Image.Image:
    """Convert to a mode the format saves and resizes well: L, RGB or RGBA."""
    alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if image.mode.startswith("I"):  # 16-bit grey: scale to 8 bits rather than clip
        image = image.convert("I").point(lambda v: v * (1 / 256))
    if fmt == "JPEG" or not alpha:
        mode = "L" if image.mode in _GREY_MODES and fmt != "WEBP" else "RGB"
    else:
        mode = "RGBA"
    return image if image.mode == mode else image.convert(mode)


def _thumbnail(image: Image.Image) -> Image.Image:
    """Return a small opaque copy for lists, on white where the image is transparent."""
    thumb = image.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    if thumb.mode == "RGBA":
        background = Image.new("RGBA", thumb.size, (255, 255, 255, 255))
        thumb = Image.alpha_composite(background, thumb)
    return thumb.convert("L" if thumb.mode == "L" else "RGB")


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    """Encode with no metadata at all: no EXIF (GPS), XMP, ICC profile or text chunks."""
    image.info = {}
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()
