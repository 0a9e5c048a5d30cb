"""What the OpenAPI document says beyond a schema's fields: rules across fields, the deployment's risk levels."""

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from marshmallow import fields

from app.fields import Level, LevelMap


class SchemaRulesPlugin(MarshmallowPlugin):
    """apispec's marshmallow plugin, stating two more things a client generating requests needs to know.

    A schema class's `JSON_SCHEMA` (e.g. a `oneOf`) is added to its component: a rule a schema
    checks in `@validates_schema` is part of the contract. And `Level`/`LevelMap` fields list
    this deployment's risk levels (they are configured, so no schema can list them itself).
    A nested schema that may be null is "that schema, or null": apispec writes "or any
    object" for OpenAPI 3.0.
    """

    def __init__(self, level_keys: list[str]):
        super().__init__()
        self.level_keys = level_keys

    def init_spec(self, spec):
        super().init_spec(spec)
        self.converter.add_attribute_function(_risk_levels(self.level_keys))
        self.converter.add_attribute_function(_nested_or_null)

    def schema_helper(self, name, definition, schema=None, **kwargs):
        json_schema = super().schema_helper(name, definition, schema=schema, **kwargs)
        extra = getattr(resolve_schema_cls(schema), "JSON_SCHEMA", None) if schema is not None else None
        return {**json_schema, **extra} if extra else json_schema


def _risk_levels(keys: list[str]):
    def risk_levels(converter, field, ret, **kwargs) -> dict:
        if isinstance(field, Level):
            return {"enum": keys}
        if isinstance(field, LevelMap):
            value = converter.field2property(field.value_field)
            return {"properties": {key: value for key in keys}, "additionalProperties": False}
        return {}

    return risk_levels


def _nested_or_null(converter, field, ret, **kwargs) -> dict:
    if isinstance(field, fields.Nested) and field.allow_none and len(ret.get("anyOf", ())) == 2:
        ref, _any_object = ret["anyOf"]
        return {"anyOf": [ref, {"type": "object", "nullable": True, "enum": [None]}]}
    return {}
