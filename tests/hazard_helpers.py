"""Make hazards over HTTP, in any state of the closed loop."""

import io
import random

from PIL import Image

_SEEDS = iter(range(1_000_000, 2_000_000))


def picture(seed: int, size=(64, 48)) -> Image.Image:
    """A blotchy picture of its own for each seed; the same seed at any size looks alike."""
    rng = random.Random(seed)
    small = Image.new("RGB", (8, 6))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(48)])
    return small.resize(size, Image.Resampling.BILINEAR)


def photo(client, seed: int | None = None, size=(64, 48)) -> int:
    """Upload a small JPEG (a new picture each call unless `seed` is given); return its id."""
    buf = io.BytesIO()
    picture(next(_SEEDS) if seed is None else seed, size).save(buf, "JPEG")
    response = client.post("/api/photos", data={"file": (io.BytesIO(buf.getvalue()), "hazard.jpg")})
    assert response.status_code in (200, 201), response.json
    return response.json["id"]


def report(client, **overrides) -> dict:
    """A teacher's report with one photo; returns the hazard as the API shows it."""
    body = {"place": "教学楼二楼走廊", "category": "building", "urgency": "soon",
            "description": "走廊栏杆松动", "photo_ids": [photo(client)]}
    body.update(overrides)
    response = client.post("/api/hazards", json=body)
    assert response.status_code == 201, response.json
    return response.json


def do(client, hazard_id: int, action: str, **body):
    return client.post(f"/api/hazards/{hazard_id}/{action.replace('_', '-')}", json=body)


def done(client, hazard_id: int, action: str, **body) -> dict:
    response = do(client, hazard_id, action, **body)
    assert response.status_code == 200, (action, response.json)
    return response.json
