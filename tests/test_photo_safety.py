"""Photo uploads are safe: images only by content, no bombs, no metadata kept, scoped, idempotent."""

import hashlib
import io
import struct
import zlib
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from PIL import ExifTags, Image, ImageCms, ImageDraw, ImageFile
from PIL.PngImagePlugin import PngInfo
from sqlalchemy import func, select

from app.extensions import db
from app.photos import services
from app.photos.imaging import capture_time
from app.photos.models import Photo
from app.photos.similarity import dhash, hamming
from tests.test_scan_submit import jpeg_bytes


# -- helpers ------------------------------------------------------------------------------

def upload(client, data: bytes, name="photo.jpg", **kw):
    return client.post("/api/photos", data={"file": (io.BytesIO(data), name)}, **kw)


def multipart(data: bytes, boundary: str, name="photo.jpg") -> tuple[bytes, str]:
    """A multipart body with a chosen boundary, as a browser makes anew for each attempt."""
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A 1-bit PNG of zeros: a few kB on the wire, width x height pixels once decoded."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer, row = zlib.compressobj(9), b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def phone_photo() -> bytes:
    """A sideways phone JPEG (Orientation 6) with a capture time, GPS, XMP and an ICC profile."""
    image = Image.new("RGB", (120, 80), (220, 20, 20))
    image.paste((20, 20, 220), (60, 0, 120, 80))  # left red, right blue; upright: red on top
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2024:05:06 07:08:09"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (30.0, 15.0, 7.5)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (120.0, 9.0, 3.25)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encoded(image, "JPEG", exif=exif, xmp=b"<x:xmpmeta>30.2521N 120.1509E</x:xmpmeta>", icc_profile=icc)


def stored_files(app) -> set[Path]:
    return {p for p in Path(app.config["PHOTO_DIR"]).rglob("*") if p.is_file()}


def photo_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Photo))


def assert_nothing_stored(app, before: set[Path]):
    assert photo_count(app) == 0
    assert stored_files(app) == before


def stored_file(app, uploaded: bytes, thumb=False) -> bytes:
    digest = hashlib.sha256(uploaded).hexdigest()
    return (Path(app.config["PHOTO_DIR"]) / digest[:2] / (digest + (".thumb.jpg" if thumb else ""))).read_bytes()


def scene(variant: int) -> Image.Image:
    image = Image.linear_gradient("L").resize((640, 480)).convert("RGB")
    draw = ImageDraw.Draw(image)
    if variant == 0:
        draw.rectangle((60, 80, 300, 400), fill=(200, 40, 40))
        draw.ellipse((350, 60, 600, 300), fill=(30, 160, 60))
    else:
        draw.ellipse((40, 200, 260, 460), fill=(240, 220, 30))
        draw.rectangle((380, 40, 620, 200), fill=(20, 40, 200))
        draw.line((0, 0, 640, 480), fill=(0, 0, 0), width=30)
    return image


# -- refused ------------------------------------------------------------------------------

def test_a_text_file_named_jpg_is_refused_and_nothing_is_stored(app, world, login):
    before = stored_files(app)
    response = upload(login("patroller"), b"just some text, honestly a photo\n" * 20, "evil.jpg")
    assert response.status_code == 415 and response.json["error"] == "not_an_image"
    assert_nothing_stored(app, before)


def test_a_gif_is_refused_by_its_content(app, world, login):
    gif = encoded(Image.new("RGB", (8, 8), (1, 2, 3)), "GIF")
    response = upload(login("patroller"), gif, "photo.jpg")
    assert response.status_code == 415 and response.json["error"] == "not_an_image"


def test_a_damaged_jpeg_is_refused(app, world, login):
    noisy = Image.frombytes("RGB", (200, 200), bytes(range(256)) * 468 + bytes(192))
    data = encoded(noisy, "JPEG")
    before = stored_files(app)
    response = upload(login("patroller"), data[: len(data) // 2])
    assert response.status_code == 415 and response.json["error"] == "not_an_image"
    assert_nothing_stored(app, before)


@pytest.mark.parametrize("width, height", [(20_000, 20_000), (8_000, 8_000)])
def test_a_png_bomb_is_refused_from_its_header_without_decoding(app, world, login, monkeypatch, width, height):
    # 20000x20000 trips Pillow's own bomb guard; 8000x8000 (64 Mpx) only ours.
    bomb = png_bomb(width, height)
    assert len(bomb) < 100_000
    client = login("patroller")
    before = stored_files(app)

    def no_decoding(image):
        raise AssertionError("a bomb's pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    response = upload(client, bomb, "bomb.png")
    assert response.status_code == 413 and response.json["error"] == "image_too_large"
    assert_nothing_stored(app, before)


def test_a_photo_over_the_photo_limit_is_refused(app, world, login, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 1000)
    before = stored_files(app)
    response = upload(login("patroller"), encoded(scene(0), "PNG"))
    assert response.status_code == 413 and response.json["error"] == "photo_too_large"
    assert_nothing_stored(app, before)


@pytest.mark.parametrize("key", [None, "oversize-attempt-1"])
def test_a_request_over_the_body_limit_is_refused(app, world, login, monkeypatch, key):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 5000)
    headers = {"Idempotency-Key": key} if key else {}
    before = stored_files(app)
    response = upload(login("patroller"), encoded(scene(0), "PNG"), headers=headers)
    assert response.status_code == 413 and response.json["code"] == 413
    assert_nothing_stored(app, before)


# -- cleaned ------------------------------------------------------------------------------

def test_a_stored_photo_is_upright_with_no_gps_nor_any_metadata_but_keeps_its_capture_time(app, world, login):
    client = login("patroller")
    sent = phone_photo()
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test means it
    response = upload(client, sent)
    assert response.status_code == 201
    assert (response.json["width"], response.json["height"]) == (80, 120)  # turned upright
    # 07:08:09 on a phone clock in China (no offset given) is 23:08:09 UTC the day before
    assert datetime.fromisoformat(response.json["captured_at"]) == datetime(2024, 5, 5, 23, 8, 9, tzinfo=timezone.utc)
    served = client.get(response.json["url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    on_disk = stored_file(app, sent)
    assert served.get_data() == on_disk
    assert len(on_disk) == response.json["size"]
    for raw in (on_disk, served.get_data()):
        image = Image.open(io.BytesIO(raw))
        assert not image.getexif() and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not {"exif", "xmp", "icc_profile"} & image.info.keys()
        assert b"Exif" not in raw and b"xmpmeta" not in raw and b"PhoneCo" not in raw
        assert image.size == (80, 120)
        top, bottom = image.convert("RGB").getpixel((40, 10)), image.convert("RGB").getpixel((40, 110))
        assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # red above blue: rotated clockwise
    with app.app_context():
        photo = db.session.get(Photo, response.json["id"])
        assert photo.sha256 == hashlib.sha256(sent).hexdigest()  # of the upload: a retry finds it
        assert len(photo.dhash) == 16


def test_the_thumbnail_is_a_small_jpeg(app, world, login):
    client = login("patroller")
    response = upload(client, encoded(scene(0).resize((1600, 1200)), "PNG"), "big.png")
    assert response.status_code == 201
    thumb = client.get(response.json["thumb_url"])
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert "private" in thumb.headers["Cache-Control"] and "public" not in thumb.headers["Cache-Control"]
    image = Image.open(io.BytesIO(thumb.get_data()))
    assert image.format == "JPEG" and max(image.size) <= 320 and image.size == (320, 240)
    assert client.get(f"/api/photos/{response.json['id']}?size=huge").status_code == 422


def test_a_photo_stored_before_thumbnails_gets_one_when_asked(app, world, login):
    client = login("patroller")
    data = jpeg_bytes(colour=(250, 128, 6), size=(400, 300))
    response = upload(client, data)
    digest = hashlib.sha256(data).hexdigest()
    (Path(app.config["PHOTO_DIR"]) / digest[:2] / f"{digest}.thumb.jpg").unlink()
    thumb = client.get(response.json["thumb_url"])
    assert thumb.status_code == 200
    assert Image.open(io.BytesIO(thumb.get_data())).size == (320, 240)


def test_a_big_photo_is_stored_at_most_2560_px(app, world, login):
    response = upload(login("patroller"), encoded(scene(1).resize((3200, 2400)), "JPEG", quality=70))
    assert response.status_code == 201
    assert (response.json["width"], response.json["height"]) == (2560, 1920)


def test_png_and_webp_are_accepted_and_stay_in_their_format(app, world, login):
    client = login("patroller")
    transparent = Image.new("RGBA", (40, 30), (0, 120, 0, 128))
    sources = {
        "PNG": encoded(transparent, "PNG", pnginfo=_png_text("GPS", "30.25N 120.15E")),
        "WEBP": encoded(scene(0), "WEBP", exif=_gps_exif()),
    }
    for fmt, data in sources.items():
        response = upload(client, data, name="photo.bin")
        assert response.status_code == 201, fmt
        assert response.json["content_type"] == f"image/{fmt.lower()}"
        served = client.get(response.json["url"])
        assert served.mimetype == f"image/{fmt.lower()}"
        image = Image.open(io.BytesIO(served.get_data()))
        assert image.format == fmt and not image.getexif() and not getattr(image, "text", {}), fmt
        assert b"30.25N" not in served.get_data()
        thumb = Image.open(io.BytesIO(client.get(response.json["thumb_url"]).get_data()))
        assert thumb.format == "JPEG"
    assert Image.open(io.BytesIO(stored_file(app, sources["PNG"]))).mode == "RGBA"  # transparency kept


def _png_text(key: str, value: str) -> PngInfo:
    info = PngInfo()
    info.add_text(key, value)
    return info


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (30.0, 15.0, 7.5)
    return exif


# -- retries and scope --------------------------------------------------------------------

def test_a_retry_with_the_same_key_and_a_new_boundary_replays_and_stores_once(app, world, login):
    client = login("patroller")
    data = jpeg_bytes(colour=(17, 171, 71), size=(90, 60))  # sent by no other test: its files are new
    before = stored_files(app)
    answers = []
    for boundary in ("----WebKitFormBoundaryAAAA1111", "----WebKitFormBoundaryZZZZ9999"):
        body, content_type = multipart(data, boundary)
        answers.append(client.post("/api/photos", data=body, content_type=content_type,
                                   headers={"Idempotency-Key": "photo-5b0c7f0e-retry"}))
    first, again = answers
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json
    assert photo_count(app) == 1
    digest = hashlib.sha256(data).hexdigest()
    folder = Path(app.config["PHOTO_DIR"]) / digest[:2]
    assert stored_files(app) - before == {folder / digest, folder / f"{digest}.thumb.jpg"}
    other, content_type = multipart(jpeg_bytes(), "----WebKitFormBoundaryBBBB")
    reused = client.post("/api/photos", data=other, content_type=content_type,
                         headers={"Idempotency-Key": "photo-5b0c7f0e-retry"})
    assert reused.status_code == 409 and reused.json["error"] == "idempotency_key_reused"


def test_a_photo_is_seen_only_within_scope(app, world, login):
    response = upload(login("patroller"), jpeg_bytes())
    photo_id = response.json["id"]
    for name in ("safety", "township", "county"):
        assert login(name).get(f"/api/photos/{photo_id}?size=thumb").status_code == 200, name
    other_school = login("patroller_b")
    assert other_school.get(f"/api/photos/{photo_id}").status_code == 404
    thumb = other_school.get(f"/api/photos/{photo_id}?size=thumb")
    assert thumb.status_code == 404 and thumb.json["error"] == "unknown_photo"


# -- services -----------------------------------------------------------------------------

def test_public_photos_have_no_uploader_and_are_flushed_not_committed(app, world, ctx):
    data = jpeg_bytes(colour=(9, 99, 199))
    first, created = services.store_image(data, None, world.school_a_id)
    second, created_again = services.store_image(data, None, world.school_a_id)
    assert created and created_again and first.id != second.id  # each report keeps its own
    assert first.uploader_id is None and first.filename == second.filename
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 0


def test_two_uploads_of_one_photo_at_once_store_it_once(app, world, ctx, monkeypatch):
    user = SimpleNamespace(id=world.user_ids["patroller"], org_unit_id=world.school_a_id)
    data = jpeg_bytes(colour=(1, 2, 3))
    stored, created = services.store_photo(user, data)
    db.session.commit()
    real_find = services._find_own
    calls = []

    def not_yet_committed(uploader_id, digest):  # the other request's row is not visible yet
        calls.append(digest)
        return None if len(calls) == 1 else real_find(uploader_id, digest)

    monkeypatch.setattr(services, "_find_own", not_yet_committed)
    again, created_again = services.store_photo(user, data)
    assert created and not created_again and again.id == stored.id


def test_capture_time_reads_the_offset_and_falls_back_to_the_zone():
    def exif(taken, offset=None):
        tags = Image.Exif()
        ifd = tags.get_ifd(ExifTags.IFD.Exif)
        ifd[ExifTags.Base.DateTimeOriginal] = taken
        if offset:
            ifd[ExifTags.Base.OffsetTimeOriginal] = offset
        return tags

    shanghai = ZoneInfo("Asia/Shanghai")
    utc = timezone.utc
    assert capture_time(exif("2024:01:02 03:04:05", "-05:00"), shanghai) == datetime(2024, 1, 2, 8, 4, 5, tzinfo=utc)
    assert capture_time(exif("2024:01:02 03:04:05"), shanghai) == datetime(2024, 1, 1, 19, 4, 5, tzinfo=utc)
    assert capture_time(exif("2024:01:02 03:04:05"), None) is None
    assert capture_time(exif("0000:00:00 00:00:00"), shanghai) is None
    assert capture_time(Image.Exif(), shanghai) is None


def test_the_difference_hash_sees_the_same_photo_through_resizing_and_reencoding():
    original, other = scene(0), scene(1)
    reference = dhash(original)
    assert len(reference) == 16 and int(reference, 16) >= 0
    for size, quality in (((640, 480), 95), ((320, 240), 60), ((1280, 960), 40), ((200, 150), 30)):
        copy = Image.open(io.BytesIO(encoded(original.resize(size), "JPEG", quality=quality)))
        assert hamming(reference, dhash(copy)) <= 6, (size, quality)
    assert hamming(reference, dhash(other)) >= 20
    assert hamming(reference, reference) == 0 and hamming("0" * 16, "f" * 16) == 64


def _snap(app, login, world, data: bytes, name: str):
    token = login("safety").get(f"/api/schools/{world.school_a_id}/snap-code").json["token"]
    return app.test_client().post(f"/api/public/snap/{token}", data={
        "description": "护栏坏了", "photos": [(io.BytesIO(data), name)]})


def test_a_strangers_big_png_is_refused_from_its_header_before_any_decoding(app, world, login):
    """A 143 KB 7000x7000 PNG cost a worker seconds; over 12 MP from the public page it costs nothing."""
    before = stored_files(app)
    answer = _snap(app, login, world, png_bomb(4000, 3001), "big.png")
    assert answer.status_code == 413 and answer.json["error"] == "image_too_large"
    assert "JPEG" in answer.json["message"] and "12 百万像素" in answer.json["message"]
    assert_nothing_stored(app, before)


def test_the_lower_limit_is_for_strangers_png_and_webp_not_for_jpegs_or_staff(app, world, login, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_LOSSLESS_MAX_PIXELS", 10_000)
    image = scene(1).resize((200, 100))
    for fmt, name in (("PNG", "a.png"), ("WEBP", "a.webp")):
        assert _snap(app, login, world, encoded(image, fmt), name).status_code == 413
    assert _snap(app, login, world, encoded(image, "JPEG"), "a.jpg").status_code == 201
    assert upload(login("patroller"), encoded(image, "PNG"), "a.png").status_code == 201


def test_a_wide_jpeg_is_decoded_at_the_size_it_is_kept_at_not_whole(app, world, login, monkeypatch):
    """A 25000x2000 JPEG's short side is under any square box: draft decoding must be asked for 2560x205."""
    from PIL.JpegImagePlugin import JpegImageFile

    asked, draft = [], JpegImageFile.draft
    monkeypatch.setattr(JpegImageFile, "draft", lambda self, mode, size: asked.append(size) or draft(self, mode, size))
    wide = encoded(Image.new("RGB", (25000, 2000), (10, 200, 30)), "JPEG", quality=80)
    answer = upload(login("patroller"), wide)
    assert answer.status_code == 201 and (answer.json["width"], answer.json["height"]) == (2560, 205)
    assert asked[0] == (2560, 205)
