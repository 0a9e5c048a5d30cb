"""The app as gunicorn serves it in the benchmark, plus a trivial JSON endpoint as the baseline."""

from flask import jsonify

from app import create_app

app = create_app()


@app.get("/bench/trivial")
def trivial():
    """The baseline: a JSON answer with no database and no session."""
    return jsonify(status="ok")


@app.post("/bench/bare")
def bare():
    """The issue's reference: a marshmallow load plus one insert, no session or checks."""
    import uuid

    from flask import request
    from sqlalchemy import insert

    from app.db_types import utcnow
    from app.extensions import db
    from app.inspections.models import IdempotencyKey
    from app.inspections.schemas import InspectionIn

    InspectionIn().load(request.get_json())
    db.session.execute(insert(IdempotencyKey).values(
        user_id=1, key=uuid.uuid4().hex, endpoint="bench", request_hash="", status_code=201,
        response_body="", created_at=utcnow()))
    db.session.commit()
    return jsonify(status="ok"), 201
