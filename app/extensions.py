"""Flask extensions, created unbound; the app factory binds them."""

from flask import current_app, request
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from app.errors import HuxiaoApi

# Stable constraint names, so migrations can alter and drop them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)  # SQLite alters tables by copying them
api = HuxiaoApi()
login = LoginManager()
class HeaderCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF check, taking the token from the X-CSRF-Token header only.

    The API takes no token in forms, and Flask-WTF's search of a form's field names fails
    (a 500) on a multipart part whose name werkzeug could not read.
    """

    def _get_csrf_token(self):
        return next(filter(None, map(request.headers.get, current_app.config["WTF_CSRF_HEADERS"])), None)


csrf = HeaderCSRFProtect()
limiter = Limiter(key_func=lambda: request.remote_addr or "unknown")
