"""Bounded field types: every number and string a stranger can send, limited once, for every schema.

An id past the column's range, a NUL byte or a lone surrogate reaches the database only to
come back as a 500 (PostgreSQL refuses all three; SQLite overflows on integers past 2**63),
so each kind of value has one field type here that refuses it with a 422 naming the field,
and says so in the OpenAPI document (minimum, maximum, maxLength, pattern), on every
backend alike. `tests/test_hostile_input.py` checks that every schema an endpoint reads
uses only these.
"""

import re
from datetime import date, datetime

from flask_smorest.fields import Upload
from marshmallow import ValidationError, fields, validate

from app.points.levels import level_keys
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import FileStorage

#: PostgreSQL's INTEGER, the type of every id column
INT_MAX = 2**31 - 1
#: the days a date may name: the school calendar's range, wide enough for any record
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)

# Characters no text field takes: C0 controls, lone surrogates, and U+FFFE/U+FFFF, which
# neither PostgreSQL, XML (so no spreadsheet) nor a printed label can hold. Free text keeps
# tab and line breaks (CR too, as browsers send them); a single line keeps none. The same
# pattern goes into the OpenAPI document, so a client generating valid values from it sends
# only what is accepted. (Lone surrogates are refused all the same; the document's pattern
# leaves them out because regex engines in Unicode mode, where validators compile it, refuse
# a range of surrogates.)
_SURROGATES = "\\ud800-\\udfff"
_FREE = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff"
_LINE = "\\u0000-\\u001f\\ufffe\\uffff"
_DIGITS = re.compile(r"^[+-]?[0-9]{1,19}$")


def allowed_pattern(refused: str, required_text: bool = False) -> str:
    """The pattern of a text without the `refused` characters; with `required_text`, not blank either."""
    if required_text:
        return f"^[^{refused}]*[^\\s{refused}][^{refused}]*$"
    return f"^[^{refused}]*$"


class Id(fields.Integer):
    """The id of a row: a whole number from 1 to the column's largest (2**31 - 1)."""

    default_error_messages = {"invalid": "Not a valid id: a whole number from 1."}

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Range(1, INT_MAX, error="Not an id: from 1 to {max}."))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return _whole(self, value, data)


class Count(fields.Integer):
    """A whole number within stated bounds (hours, days, a year, a page): `Count(0, 720)`."""

    default_error_messages = {"invalid": "Not a valid whole number."}

    def __init__(self, minimum: int = 0, maximum: int = INT_MAX, **kwargs):
        if not -INT_MAX <= minimum <= maximum <= INT_MAX:
            raise ValueError("a Count's bounds must lie within a database integer")
        kwargs.setdefault("validate", validate.Range(minimum, maximum))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return _whole(self, value, data)


def _whole(field: fields.Integer, value, data) -> int:
    """An int: from JSON a number (5, or 5.0 as JSON Schema allows), from a query string or form its digits."""
    if value is True or value is False:
        raise field.make_error("invalid", input=value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    if isinstance(value, str) and isinstance(data, MultiDictProxy) and _DIGITS.match(value):
        return int(value)  # text is how a query string or a form carries a number; JSON has numbers
    raise field.make_error("invalid", input=value)


class _Bounded(fields.String):
    """A string of at most `max_length` characters, none of them `refused`.

    Length and characters are judged on what was sent; what is kept is trimmed (unless
    `strip=False`), so `required_text=True` refuses a blank value ("   ") as the pattern says.
    """

    refused: str
    what: str

    def __init__(self, max_length: int, *, required_text: bool = False, strip: bool = True, **kwargs):
        self.strip = strip
        self.refused_re = re.compile(f"[{self.refused}{_SURROGATES}]")
        checks = [validate.Length(min=1 if required_text else None, max=max_length),
                  *_as_list(kwargs.pop("validate", None))]
        # The pattern is for the OpenAPI document (and refuses blanks); a field with a pattern of its own (a phone
        # number's) shows that one, which allows no control character either.
        if not any(isinstance(check, validate.Regexp) for check in checks):
            checks.append(validate.Regexp(allowed_pattern(self.refused, required_text), error="This may not be blank."))
        super().__init__(validate=checks, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        found = self.refused_re.search(text)
        if found is not None:
            raise ValidationError(f"This {self.what} may not contain the character U+{ord(found.group()):04X} "
                                  "(a control character, or not text at all).")
        return text

    def deserialize(self, value, attr=None, data=None, **kwargs):
        result = super().deserialize(value, attr, data, **kwargs)
        return result.strip() if self.strip and isinstance(result, str) else result


class Text(_Bounded):
    """Free text (a note, a description): tabs and line breaks allowed, other control characters refused.

    Line breaks are kept as LF, whether sent as LF, CR LF (browsers' forms, Windows) or CR.
    """

    refused, what = _FREE, "text"

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).replace("\r\n", "\n").replace("\r", "\n")


class Line(_Bounded):
    """One line (a name, a place, a filter): no control characters at all, tab and line breaks included."""

    refused, what = _LINE, "line"


class Secret(Line):
    """A password: one line, kept exactly as typed (never trimmed), never shown back."""

    def __init__(self, max_length: int = 256, **kwargs):
        kwargs.setdefault("load_only", True)
        super().__init__(max_length, strip=False, **kwargs)


def _as_list(checks) -> list:
    if checks is None:
        return []
    return list(checks) if isinstance(checks, (list, tuple)) else [checks]


#: the years 2000 to 2100 at the start of a day or time, as the OpenAPI document states them
YEARS_PATTERN = "^(20[0-9]{2}|2100)-"


class Day(fields.Date):
    """A calendar day between 2000-01-01 and 2100-12-31."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Range(FIRST_DAY, LAST_DAY, error="A day from {min} to {max}."))
        kwargs["metadata"] = {"pattern": YEARS_PATTERN, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)


class Moment(fields.AwareDateTime):
    """A moment with its UTC offset, in the years 2000 to 2100 as written (in its own offset).

    A time without an offset would be read in nobody's time zone; one far from now would
    overflow the arithmetic of deadlines and periods. The year is judged as written, so the
    document can state the range as a pattern.
    """

    default_error_messages = {"invalid_awareness": "give the time with its offset, e.g. 2026-11-25T18:00:00+08:00"}

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", _in_years)
        kwargs["metadata"] = {"pattern": YEARS_PATTERN, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)


def _in_years(moment: datetime) -> None:
    if not FIRST_DAY.year <= moment.year <= LAST_DAY.year:
        raise ValidationError(f"A time from {FIRST_DAY.year} to {LAST_DAY.year}.")


class Money(fields.Decimal):
    """An amount of yuan as text with at most two decimals ("1500", "1500.00"), sent and answered as text.

    Text, not a JSON number, so no float rounds a budget; at most ten digits before the point,
    as the column holds.
    """

    PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
    default_error_messages = {"invalid": 'Give the amount in yuan as text, e.g. "1500.00".'}

    def __init__(self, **kwargs):
        metadata = {"type": "string", "format": "decimal", "pattern": self.PATTERN,
                    "example": "1500.00", **kwargs.pop("metadata", {})}
        super().__init__(places=2, as_string=True, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not re.match(self.PATTERN, value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Choice(Line):
    """One of a fixed list of keys (a category, a cadence, a file format), listed in the OpenAPI document."""

    def __init__(self, choices, **kwargs):
        choices = list(choices)
        super().__init__(max(map(len, choices)), validate=validate.OneOf(choices), **kwargs)


class Clock(Line):
    """A time of day as "HH:MM", 00:00 to 24:00 (the day's end), in the school time zone."""

    PATTERN = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"

    def __init__(self, **kwargs):
        metadata = {"pattern": self.PATTERN, "example": "07:00", **kwargs.pop("metadata", {})}
        super().__init__(5, validate=validate.Regexp(self.PATTERN, error="时间应为 HH:MM，00:00 至 24:00。/ "
                                                                        "A time of day as HH:MM, 00:00 to 24:00."),
                         metadata=metadata, **kwargs)


class Level(Line):
    """A risk level's key, one of the deployment's levels (as the OpenAPI document lists them)."""

    def __init__(self, **kwargs):
        super().__init__(32, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        key = super()._deserialize(value, attr, data, **kwargs)
        if key not in (keys := level_keys()):
            raise ValidationError(f"不是风险等级，应为 {', '.join(keys)} 之一。/ Not a risk level: one of {', '.join(keys)}.")
        return key


class LevelMap(fields.Dict):
    """Risk level -> a value; the OpenAPI document names the deployment's levels as its properties."""

    def __init__(self, values: fields.Field, **kwargs):
        kwargs.setdefault("validate", validate.Length(max=16))
        super().__init__(keys=Level(), values=values, **kwargs)


class File(Upload):
    """An uploaded file, not empty; what it holds (an image, a sheet) is judged by whoever reads it."""

    def __init__(self, **kwargs):
        kwargs["metadata"] = {"minLength": 1, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        upload = super()._deserialize(value, attr, data, **kwargs)
        if not isinstance(upload, FileStorage):  # a form's text field of that name
            raise ValidationError("这里要上传文件。/ Send a file here, not text.")
        if not upload.stream.read(1):
            raise ValidationError("文件是空的。/ The file is empty.")
        upload.stream.seek(0)
        return upload
