"""The wire format, in one place: how every answer S2Cart sends writes money and time.

Handlers return the application's views (dataclasses carrying Decimal and full datetimes) or the domain's
objects projected onto them; nothing converts field by field. Two rules apply to every JSON answer here:
- amounts are Decimal everywhere inside and JSON numbers on the wire (1250.5: the float whose shortest form
  is the amount's digits, exact for two-decimal amounts below 10^13);
- times are UTC in whole seconds (2025-01-20T10:30:00Z).
msgspec writes a Decimal as a string and a datetime with its microseconds natively (its ``enc_hook`` is never
asked about them), so the answer is first turned into builtins with those two types left as they are, then
both are converted. ``DecimalAsNumber`` makes the OpenAPI document say "number" for the same fields.
"""

from __future__ import annotations

from dataclasses import is_dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec
from litestar import Response
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import KwargDefinition
from litestar.plugins import OpenAPISchemaPlugin, OpenAPISchemaPluginProtocol
from litestar.serialization import default_serializer
from litestar.types import Serializer
from litestar.typing import FieldDefinition

_KEPT = (Decimal, datetime)
# What to_builtins hands back that is already JSON as it is: the walk below does not call itself for these (a cart
# page is ~185 values, most of them strings and integers; decision 0051).
_AS_IS = frozenset((str, int, bool, float, type(None)))


def _as_wire(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in _AS_IS else _as_wire(item) for key, item in value.items()}
    if kind is list or kind is tuple:  # to_builtins keeps a tuple a tuple
        return [item if type(item) in _AS_IS else _as_wire(item) for item in value]
    if kind is Decimal:
        return float(value)
    if kind is datetime:
        return value.replace(microsecond=0)
    return value


def to_wire(content: Any, enc_hook: Serializer = default_serializer) -> Any:
    """``content`` as JSON-ready builtins, written by the two rules above."""
    return _as_wire(msgspec.to_builtins(content, builtin_types=_KEPT, enc_hook=enc_hook))


def encode(content: Any, enc_hook: Serializer = default_serializer) -> bytes:
    return msgspec.json.encode(to_wire(content, enc_hook), enc_hook=enc_hook)


class WireResponse(Response[Any]):
    """The app's response class: JSON bodies follow the wire rules; any other body renders as Litestar's."""

    def render(self, content: Any, media_type: str, enc_hook: Serializer = default_serializer) -> bytes:
        if isinstance(content, (bytes, str)) or not media_type.startswith("application/json"):
            return super().render(content, media_type, enc_hook)
        return encode(content, enc_hook)


class DecimalAsNumber(OpenAPISchemaPluginProtocol):
    """Litestar documents Decimal as a string; S2Cart writes it (and reads it) as a JSON number."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value is Decimal

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        return Schema(type=OpenAPIType.NUMBER)


class ViewsByContractName(OpenAPISchemaPlugin):
    """The application's views are documented under the contract's model names: ``OrderView`` is the component
    ``Order``, ``CartItemView`` is ``CartItem``. Readers of the document (and schemathesis, which links an
    answer's ``id`` to a ``cart_id`` or ``order_id`` by the schema's name) see resources, not layers."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        annotation = field_definition.annotation
        return (
            is_dataclass(annotation)
            and isinstance(annotation, type)
            and annotation.__module__.startswith("s2cart.application.")
            and annotation.__name__.endswith("View")
            and not (
                isinstance(field_definition.kwarg_definition, KwargDefinition)
                and field_definition.kwarg_definition.schema_component_key
            )
        )

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Any:
        name = field_definition.annotation.__name__.removesuffix("View")
        named = FieldDefinition.from_annotation(
            field_definition.annotation, kwarg_definition=KwargDefinition(schema_component_key=name)
        )
        return schema_creator.for_field_definition(named)
