"""Print batches from the terminal and over HTTP; reissue and retire put labels out of use."""

import io
import time
from pathlib import Path

import pytest
from PIL import Image
import sqlalchemy as sa
from sqlalchemy import select

from app.extensions import db
from app.labels.models import PrintBatch
from app.points.models import RiskPoint
from app.points.services import retire_point
from tests.labels_helpers import decode_all, manifest, pdf_pages


def run_cli(runner, *args):
    return runner.invoke(args=["qr", "print", *args])


def test_cli_prints_a_school_and_ends_with_the_folder(app, world, runner, tmp_path):
    result = run_cli(runner, "--school", str(world.school_a_id), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    folder = Path(result.output.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "out" and folder.name.endswith(f"-school{world.school_a_id}-1")
    assert {int(r["point_id"]) for r in manifest(folder)} == {world.fire_a.id, world.water_a.id}
    assert all((folder / r["label_file"]).is_file() for r in manifest(folder))
    again = run_cli(runner, "--school", str(world.school_a_id), "--out", str(tmp_path / "out"))
    assert again.output.strip().splitlines()[-1].endswith("-2")


@pytest.mark.parametrize("args,message", [
    (["--school", "999"], "no school with id 999"),
    (["--grid", "999"], "no grid with id 999"),
    (["--points", "1,x"], "--points takes point ids"),
    (["--points", "999"], "points not found"),
    (["--level", "purple"], "no active point matches"),
    (["--template", "5x5"], "Invalid value for '--template'"),
])
def test_cli_refuses_bad_choices_clearly(app, world, runner, args, message):
    result = run_cli(runner, *args)
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(PrintBatch)) is None


def test_cli_prints_by_level_grid_and_hand_picked_list(app, world, runner, tmp_path):
    def printed(*args):
        result = run_cli(runner, *args, "--out", str(tmp_path), "--no-png")
        assert result.exit_code == 0, result.output
        return [int(r["point_id"]) for r in manifest(Path(result.output.strip().splitlines()[-1]))]

    assert printed("--level", "red") == [world.water_a.id, world.dorm_b.id]
    with app.app_context():
        grid_b = db.session.get(RiskPoint, world.dorm_b.id).grid_id
    assert printed("--grid", str(grid_b)) == [world.dorm_b.id]
    assert printed("--points", f"{world.dorm_b.id},{world.fire_a.id}") == [world.fire_a.id, world.dorm_b.id]


def test_reissued_label_goes_into_the_next_new_batch_and_the_old_code_is_replaced(app, world, runner, login, tmp_path):
    assert run_cli(runner, "--out", str(tmp_path), "--no-png").exit_code == 0  # everything printed once
    nothing = run_cli(runner, "--new", "--out", str(tmp_path))
    assert nothing.exit_code != 0 and "no active point matches" in nothing.output

    safety = login("safety")
    reissued = safety.post(f"/api/points/{world.fire_a.id}/reissue")
    assert reissued.status_code == 200
    new_token = reissued.json["token"]
    assert new_token != world.fire_a.token and reissued.json["token_version"] == 2

    result = run_cli(runner, "--new", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = Path(result.output.strip().splitlines()[-1])
    rows = manifest(folder)
    assert [(int(r["point_id"]), r["token"]) for r in rows] == [(world.fire_a.id, new_token)]
    assert decode_all(pdf_pages(folder / "labels.pdf", 150)[0]) == [f"https://huxiao.example.cn/p/{new_token}"]
    old = app.test_client().get(f"/p/{world.fire_a.token}")
    assert old.status_code == 410 and "此二维码已更换" in old.get_data(as_text=True)


def test_reissue_is_for_managers_within_scope(world, login):
    assert login("patroller").post(f"/api/points/{world.fire_a.id}/reissue").status_code == 403
    assert login("township").post(f"/api/points/{world.dorm_b.id}/reissue").status_code == 404
    assert login("county").post(f"/api/points/{world.dorm_b.id}/reissue").status_code == 200


def test_retired_point_is_not_printed_and_cannot_be_reissued(app, world, runner, login, tmp_path):
    with app.app_context():
        retire_point(db.session.get(RiskPoint, world.water_a.id))
        db.session.commit()
    result = run_cli(runner, "--school", str(world.school_a_id), "--out", str(tmp_path), "--no-png")
    assert [int(r["point_id"]) for r in manifest(Path(result.output.strip().splitlines()[-1]))] == [world.fire_a.id]
    response = login("safety").post(f"/api/points/{world.water_a.id}/reissue")
    assert response.status_code == 409 and response.json["error"] == "point_retired"


def wait_done(client, batch_id, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        batch = client.get(f"/api/qr-batches/{batch_id}").json
        if batch["status"] in ("done", "failed"):
            return batch
        time.sleep(0.1)
    raise AssertionError("the batch did not finish")


def test_api_starts_a_batch_in_the_background_and_serves_its_pdf(app, world, login):
    client = login("safety")
    started = client.post("/api/qr-batches", json={"template": "3x8"})
    assert started.status_code == 202
    assert started.json["status"] in ("queued", "running", "done") and started.json["total"] == 2
    batch = wait_done(client, started.json["id"])
    assert batch["status"] == "done" and batch["done"] == 2 and batch["progress"] == 1.0
    pdf = client.get(batch["pdf_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    csv = client.get(batch["manifest_url"])
    assert csv.status_code == 200 and "教学楼灭火器" in csv.get_data(as_text=True)
    assert [b["id"] for b in client.get("/api/qr-batches").json] == [batch["id"]]
    # the township above the school sees it; the other township's people do not
    assert login("township").get(f"/api/qr-batches/{batch['id']}").status_code == 200
    assert login("patroller_b").get(f"/api/qr-batches/{batch['id']}").status_code == 403


def test_api_refuses_what_it_cannot_print(world, login):
    assert login("patroller").post("/api/qr-batches", json={}).status_code == 403
    township = login("township")
    outside = township.post("/api/qr-batches", json={"school_id": world.school_b_id})
    assert outside.status_code == 422 and "no active point" in outside.json["message"]
    bad = township.post("/api/qr-batches", json={"template": "poster"})
    assert bad.status_code == 422 and "template" in bad.json["errors"]
    other = login("county").post("/api/qr-batches", json={"point_ids": [world.dorm_b.id]}).json["id"]
    assert township.get(f"/api/qr-batches/{other}").status_code == 404


def test_pdf_of_an_unfinished_batch_is_409(app, world, login):
    from app.labels.batches import Selection, create_batch
    from app.orgs.models import OrgUnit

    with app.app_context():
        queued = create_batch(db.session.get(OrgUnit, world.county_id), Selection()).id
        db.session.commit()
    response = login("county").get(f"/api/qr-batches/{queued}/pdf")
    assert response.status_code == 409 and response.json["error"] == "batch_not_done"


@pytest.mark.parametrize("template,size_px", [("2x4", (561, 390)), ("single", (1063, 1518))])
def test_a_label_preview_is_the_point_s_own_label(world, login, template, size_px):
    response = login("safety").get(f"/api/points/{world.fire_a.id}/label?template={template}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert image.size == size_px  # 150 dpi
    assert decode_all(image) == [f"https://huxiao.example.cn/p/{world.fire_a.token}"]


def test_label_previews_are_for_printers_in_scope(world, login):
    assert login("patroller").get(f"/api/points/{world.fire_a.id}/label").status_code == 403
    assert login("safety").get(f"/api/points/{world.dorm_b.id}/label").status_code == 404
    bad = login("safety").get(f"/api/points/{world.fire_a.id}/label?template=a0")
    assert bad.status_code == 422 and "template" in bad.json["errors"]
    templates = login("safety").get("/api/label-templates").json
    assert [t["key"] for t in templates] == ["2x4", "single", "3x8"] and templates[0]["per_page"] == 8


def test_a_selection_with_nothing_to_print_is_told_apart_from_a_wrong_one(world, login):
    safety = login("safety")
    no_blue = safety.post("/api/qr-batches", json={"school_id": world.school_a_id, "risk_level": "blue"})
    assert no_blue.status_code == 422 and no_blue.json["error"] == "nothing_to_print"
    foreign = safety.post("/api/qr-batches", json={"point_ids": [world.dorm_b.id]})
    assert foreign.status_code == 422 and foreign.json["error"] == "bad_selection"


def test_a_batch_with_a_character_the_font_cannot_draw_is_refused_at_once(app, world, login):
    with app.app_context():
        db.session.get(RiskPoint, world.fire_a.id).location = "教学楼\U0002A6D6层"
        db.session.commit()
    county = login("county")
    refused = county.post("/api/qr-batches", json={"school_id": world.school_a_id})
    assert refused.status_code == 422 and refused.json["error"] == "undrawable_text"
    assert refused.json["errors"]["point_ids"] == {str(world.fire_a.id): ["no glyph for \U0002A6D6"]}
    assert county.get("/api/qr-batches").json == []  # nothing was recorded, nothing fails later


def _interrupted(app, world, attempts: int) -> int:
    """A batch whose process died while rendering it: still `running`, its lease run out long ago."""
    from datetime import timedelta

    from app.db_types import utcnow
    from app.labels.batches import Selection, create_batch
    from app.orgs.models import OrgUnit

    with app.app_context():
        batch = create_batch(db.session.get(OrgUnit, world.county_id), Selection())
        batch.status, batch.done, batch.attempts = "running", 1, attempts
        batch.worker, batch.lease_until = "gone-host:4242:dead", utcnow() - timedelta(minutes=5)
        db.session.commit()
        return batch.id


def test_a_batch_whose_worker_died_is_taken_up_by_whoever_looks_and_finishes(app, world, login, tmp_path):
    batch_id = _interrupted(app, world, attempts=1)
    county = login("county")
    first_look = county.get(f"/api/qr-batches/{batch_id}").json
    assert first_look["status"] in ("queued", "running", "done")
    done = wait_done(county, batch_id)
    assert done["status"] == "done" and done["done"] == done["total"] == 3
    with app.app_context():
        batch = db.session.get(PrintBatch, batch_id)
        assert batch.attempts == 2 and batch.worker != "gone-host:4242:dead"
    (tmp_path / "labels.pdf").write_bytes(county.get(f"/api/qr-batches/{batch_id}/pdf").data)
    assert len(pdf_pages(tmp_path / "labels.pdf", 30)) == 1


def test_a_batch_interrupted_again_and_again_is_failed_with_the_reason(app, world, login):
    batch_id = _interrupted(app, world, attempts=3)
    county = login("county")
    [listed] = county.get("/api/qr-batches").json
    assert listed["id"] == batch_id and listed["status"] == "failed"
    assert "中断" in listed["error"] and "stopped 3 times" in listed["error"]


def test_a_process_whose_batch_was_taken_up_by_another_stops_and_leaves_it_to_that_one(app, world):
    """Its lease ran out (a long pause) and another process took the batch: the first must not finish it."""
    from app.labels.batches import Selection, create_batch, worker_id
    from app.labels.runner import run_batch
    from app.orgs.models import OrgUnit

    with app.app_context():
        batch = create_batch(db.session.get(OrgUnit, world.county_id), Selection())
        batch.worker = worker_id()
        db.session.commit()
        batch_id = batch.id

        def taken_over(done, total):  # while this process draws, another takes the batch up
            db.session.execute(sa.update(PrintBatch).where(PrintBatch.id == batch_id).values(worker="other:1:x"))

        assert run_batch(batch_id, pngs=False, on_label=taken_over) is None
        db.session.expire_all()
        kept = db.session.get(PrintBatch, batch_id)
        assert kept.worker == "other:1:x" and kept.status.value == "running" and kept.finished_at is None
