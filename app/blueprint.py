"""The Blueprint of every API area: flask-smorest's, with bounded page numbers and multipart forms in one schema."""

import functools

from flask import request
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from app.errors import abort
from app.fields import Count

#: no list Huxiao keeps has a millionth page; past it, SQLite's OFFSET would overflow
MAX_PAGE = 1_000_000


class Parser(FlaskParser):
    """webargs' parser, plus location "multipart": a form's fields and its files, read by one schema."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class Blueprint(SmorestBlueprint):
    """flask-smorest's Blueprint, with three changes.

    `paginate` reads `page` and `page_size` with the bounded Count field. `location="multipart"`
    reads a multipart form's fields and files with one schema, documented as one request body
    (flask-smorest documents only one of a "form" and a "files" schema). A JSON body the
    document calls required is required: webargs reads a missing one as `{}`, which a schema
    of optional fields would accept.
    """

    ARGUMENTS_PARSER = Parser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**SmorestBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "multipart": "multipart/form-data"}

    def arguments(self, schema, *, location="json", required=True, **kwargs):
        decorate = super().arguments(schema, location=location, required=required, **kwargs)
        if location != "json" or not required:
            return decorate

        def decorator(func):
            parsed = decorate(func)

            @functools.wraps(parsed)
            def wrapper(*args, **kwargs):
                if not request.get_data(cache=True).strip():
                    abort(422, "请求没有内容：请以 JSON 发送数据。/ The request has no body: send the data as JSON.",
                          error="missing_body")
                return parsed(*args, **kwargs)

            return wrapper

        return decorator

    def paginate(self, pager=None, **kwargs):
        decorate = super().paginate(pager, **kwargs)

        def decorator(func):
            wrapper = decorate(func)
            # flask-smorest makes a schema class per endpoint and parses with that very class,
            # so bounding its fields here bounds both the parsing and the OpenAPI document.
            schema = wrapper._apidoc["pagination"]["parameters"]["schema"]
            page, size = schema._declared_fields["page"], schema._declared_fields["page_size"]
            schema._declared_fields["page"] = Count(1, MAX_PAGE, load_default=page.load_default)
            schema._declared_fields["page_size"] = Count(1, size.validators[0].max, load_default=size.load_default)
            return wrapper

        return decorator
