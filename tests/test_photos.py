"""Photo upload: images only, by content; a size limit; scoped download."""

import io

from PIL import Image

from tests.test_scan_submit import jpeg_bytes


def upload(client, data: bytes, name="photo.jpg"):
    return client.post("/api/photos", data={"file": (io.BytesIO(data), name)})


def test_upload_and_download_a_jpeg(world, login):
    client = login("patroller")
    data = jpeg_bytes(size=(120, 90))
    response = upload(client, data)
    assert response.status_code == 201
    assert response.json["content_type"] == "image/jpeg"
    assert (response.json["width"], response.json["height"]) == (120, 90)
    download = client.get(f"/api/photos/{response.json['id']}")
    assert download.status_code == 200
    assert download.mimetype == "image/jpeg"
    assert "private" in download.cache_control and "public" not in download.cache_control
    with Image.open(io.BytesIO(download.get_data())) as stored:  # a cleaned copy, not the bytes sent
        assert (stored.format, stored.size) == ("JPEG", (120, 90))


def test_png_and_webp_are_accepted(world, login):
    client = login("patroller")
    for fmt in ("PNG", "WEBP"):
        buf = io.BytesIO()
        Image.new("RGB", (10, 10), (0, 120, 0)).save(buf, fmt)
        response = upload(client, buf.getvalue(), name="photo.bin")
        assert response.status_code == 201, fmt
        assert response.json["content_type"] == f"image/{fmt.lower()}"


def test_same_photo_sent_twice_is_stored_once(world, login):
    client = login("patroller")
    data = jpeg_bytes()
    first, again = upload(client, data), upload(client, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"]


def test_non_images_are_refused_whatever_their_name(world, login):
    client = login("patroller")
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    for data, name in (
        (b"MZ\x90\x00 this is a program", "photo.jpg"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "photo.png"),
        (jpeg_bytes()[:200], "truncated.jpg"),
        (gif.getvalue(), "photo.gif"),
    ):
        response = upload(client, data, name)
        assert response.status_code == 415, name
        assert response.json["error"] == "not_an_image"


def test_empty_missing_and_oversize_files_are_refused(app, world, login):
    client = login("patroller")
    empty = upload(client, b"")
    assert empty.status_code == 422 and "empty" in empty.json["errors"]["file"][0]
    missing = client.post("/api/photos", data={})
    assert missing.status_code == 422 and "file" in missing.json["errors"]
    too_big = upload(client, b"\xff" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert too_big.status_code == 413


def test_photo_over_the_photo_limit_is_refused(app, world, login):
    client = login("patroller")
    old = app.config["PHOTO_MAX_BYTES"]
    app.config["PHOTO_MAX_BYTES"] = 1000
    try:
        response = upload(client, jpeg_bytes(size=(400, 400)))
    finally:
        app.config["PHOTO_MAX_BYTES"] = old
    assert response.status_code == 413 and response.json["error"] == "photo_too_large"


def test_unknown_photo_is_404(world, login):
    assert login("county").get("/api/photos/424242").status_code == 404
