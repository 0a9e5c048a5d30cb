"""Path converters for ids and tokens: a path segment out of their range matches no route (404)."""

from werkzeug.routing import BaseConverter, IntegerConverter

from app.fields import INT_MAX


class IdConverter(IntegerConverter):
    """`<id:point_id>`: a row's id, 1 to 2**31 - 1; at most ten digits, so no huge number is ever parsed."""

    regex = r"\d{1,10}"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


class TokenConverter(BaseConverter):
    """`<token:token>`: a QR token or a typed short code: letters, digits, `_`, `-` and spaces, 1 to 64."""

    regex = r"[A-Za-z0-9_\- ]{1,64}"


def id_param_schema(converter: IdConverter) -> dict:
    return {"type": "integer", "minimum": converter.min, "maximum": converter.max}


def token_param_schema(_converter: TokenConverter) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9_\\- ]{1,64}$"}


CONVERTERS = {"id": (IdConverter, id_param_schema), "token": (TokenConverter, token_param_schema)}
