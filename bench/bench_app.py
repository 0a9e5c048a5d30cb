"""The app as gunicorn serves it in the benchmark, plus a trivial JSON endpoint as the baseline."""

from flask import jsonify

from app import create_app

app = create_app()


@app.get("/bench/trivial")
def trivial():
    """The baseline: a JSON answer with no database and no session."""
    return jsonify(status="ok")
