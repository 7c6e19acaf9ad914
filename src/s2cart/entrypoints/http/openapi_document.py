"""The OpenAPI document as client generators read it: stable operation ids, clean component names, the headers
each operation reads. Litestar builds the document once, lazily; ``polish`` finishes it right after.

Naming scheme (docs/contract-notes.md, "The OpenAPI document"):
- operationId: the handler's name in camelCase (``list_orders`` -> ``listOrders``), or a clearer one from
  ``_OPERATION_IDS`` when the handler's name alone is vague or shared (``initiate`` -> ``initiatePayment``);
- components: a view or ``...Out`` body is named after the resource (``OrderView``/``Order``, ``StoreOut`` ->
  ``Store``); ``Success[X]`` is ``XResponse``, ``Success[list[X]]`` is ``XListResponse``, ``Paginated[X]`` is
  ``XPage``. Request bodies keep their ``...In`` names.
"""

from __future__ import annotations

import copy
import re
from dataclasses import fields, is_dataclass
from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.enums import HttpMethod, ParamType
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import (
    Example,
    OpenAPI,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Reference,
    RequestBody,
    Schema,
)

from s2cart.domain.sessions.session import DeviceType
from s2cart.entrypoints.http.answers import answers_of, documented_handlers
from s2cart.entrypoints.http.openapi_examples import EXAMPLES

_OPERATION_IDS = {
    "health": "getHealth",
    "root": "getApiRoot",
    "liveness": "getLiveness",
    "profile": "getProfile",
    "confirm_reset": "confirmPasswordReset",
    "request_reset": "requestPasswordReset",
    "resend": "resendVerification",
    "refresh": "refreshJwt",
    "sessions": "listSessions",
    "sign_in": "signInJwt",
    "verify": "verifyJwt",
    "login": "signInLegacy",
    "add_item": "addCartItem",
    "remove_item": "removeCartItem",
    "update_item": "updateCartItem",
    "store_cart": "getStoreCart",
    "history": "listPayments",
    "initiate": "initiatePayment",
    "retry": "retryPayment",
    "status": "getPaymentStatus",
    "paytm": "paytmCallback",
    "phonepe": "phonepeCallback",
    "cards": "listCards",
    "upi_ids": "listUpiIds",
    "default_card": "setDefaultCard",
    "default_upi": "setDefaultUpi",
    "default_address": "getDefaultAddress",
    "set_default": "setDefaultAddress",
    "group": "groupSearchHistory",
    "list_history": "listSearchHistory",
    "record": "recordSearch",
    "add_message": "addTicketMessage",
}
# Handler names used by two operations: told apart by a word of their path.
_SHARED_NAMES = {
    "logout": ("jwt", "logoutJwt", "logoutLegacy"),
    "clear": ("search-history", "clearSearchHistory", "clearCart"),
}

_ID_HEADERS = {
    "idempotency-key": Parameter(
        name="Idempotency-Key",
        param_in=ParamType.HEADER,
        required=False,
        description="A retry with the same key and body gets the first answer (header Idempotent-Replayed: true); "
        "the same key with another body is a 422. Keys live 24 hours.",
        schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=255),
    ),
    "x-device-type": Parameter(
        name="X-Device-Type",
        param_in=ParamType.HEADER,
        required=False,
        description="The device signing in, any case (a body field of the same name wins); API when absent.",
        schema=Schema(type=OpenAPIType.STRING, enum=[kind.value for kind in DeviceType]),
    ),
    "x-device-id": Parameter(
        name="X-Device-ID",
        param_in=ParamType.HEADER,
        required=False,
        description="The client's own id for the device (a body field of the same name wins).",
        schema=Schema(type=OpenAPIType.STRING, max_length=255),
    ),
}
REQUEST_ID = Parameter(
    name="X-Request-ID",
    param_in=ParamType.HEADER,
    required=False,
    description="Echoed in the answer's X-Request-ID and logs when well formed; otherwise the server mints one.",
    schema=Schema(type=OpenAPIType.STRING, pattern=r"^[A-Za-z0-9._:-]{1,128}$"),
)
# The headers each operation reads, by operationId (idempotent.answer_once, client_address.device_of).
_HEADERS_READ = {
    "placeOrder": ("idempotency-key",),
    "initiatePayment": ("idempotency-key",),
    "signInJwt": ("x-device-type", "x-device-id"),
    "signInLegacy": ("x-device-type", "x-device-id"),
    "register": ("x-device-type", "x-device-id"),
}


def operation_id(handler: HTTPRouteHandler, method: HttpMethod | str, path_components: list[Any]) -> str:
    name = handler.handler_name
    if name in _SHARED_NAMES:
        word, when_in_path, otherwise = _SHARED_NAMES[name]
        return when_in_path if word in [part for part in path_components if isinstance(part, str)] else otherwise
    if len(handler.http_methods) > 1:  # one handler, several methods: the method tells them apart
        return _camel(f"{HttpMethod(method).value.lower()}_{name}")
    return _OPERATION_IDS.get(name) or _camel(name)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


_GENERIC = re.compile(r"^(Success|Paginated)_(list_)?([A-Za-z0-9_.]+)_$")


def component_name(name: str) -> str:
    """The clean component name for one Litestar generated (see the module's docstring)."""
    match = _GENERIC.match(name)
    if match is None:
        return _resource(name)
    envelope, listed, inner = match.groups()
    resource = _resource(inner.rsplit(".", 1)[-1])
    if envelope == "Paginated":
        return f"{resource}Page"
    return f"{resource}{'List' if listed else ''}Response"


def _resource(name: str) -> str:
    for suffix in ("View", "Out"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    return name


Codes = dict[tuple[str, str], dict[int, list[str]]]  # (path, method) -> status -> error codes


def polish(document: OpenAPI, codes: Codes | None = None) -> OpenAPI:
    schemas = document.components.schemas or {}
    renamed = {name: component_name(name) for name in schemas}
    if len(set(renamed.values())) != len(renamed):
        raise ValueError(f"two components would share a name: {sorted(renamed.items(), key=lambda kv: kv[1])}")
    document.components.schemas = {renamed[name]: schema for name, schema in schemas.items()}
    refs = {f"#/components/schemas/{old}": f"#/components/schemas/{new}" for old, new in renamed.items()}
    _rewrite_refs(document, refs, set())
    for name, schema in document.components.schemas.items():
        if isinstance(schema, Schema) and schema.title:
            schema.title = name  # generators (openapi-python-client) name classes by the title
        _const_as_enum(schema)
    for path, path_item in (document.paths or {}).items():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(path_item, method, None)
            if isinstance(operation, Operation):
                _add_headers(operation)
                _add_examples(operation)
                _narrow_error_codes(operation, (codes or {}).get((path, method), {}))
    return document


def _narrow_error_codes(operation: Operation, codes: dict[int, list[str]]) -> None:
    """Each error response's ``error_code`` as the enum of the codes this operation gives with that status:
    the envelope's schema, and the enum on top (``allOf``)."""
    for status, listed in codes.items():
        answer = (operation.responses or {}).get(str(status))
        media = (
            answer.content.get("application/json") if isinstance(answer, OpenAPIResponse) and answer.content else None
        )
        if media is None or not isinstance(media.schema, Reference):
            continue  # the route documents this status with a body of its own (health's 503)
        narrowed = Schema(
            type=OpenAPIType.OBJECT,
            properties={"error_code": Schema(type=OpenAPIType.STRING, enum=list(listed))},
            required=["error_code"],
        )
        media.schema = Schema(all_of=[media.schema, narrowed])


def _const_as_enum(schema: Schema | Reference) -> None:
    """An envelope's ``status`` (and a 429's ``error_code``) is one value: written ``const`` by Litestar, also
    given as a one-value ``enum``, which every client generator reads."""
    for prop in (schema.properties or {}).values() if isinstance(schema, Schema) else ():
        if isinstance(prop, Schema) and prop.const is not None and prop.enum is None:
            prop.enum = [prop.const]


class ContractExample(Example):
    """An example written as given: Litestar's serialisation drops every null, and the contract's examples have
    them (a new cart's ``applied_coupon``, an order not yet shipped)."""

    def to_schema(self) -> dict[str, Any]:
        return {"summary": self.summary, "value": copy.deepcopy(self.value)}


def _add_examples(operation: Operation) -> None:
    request, response = EXAMPLES.get(operation.operation_id or "", (None, None))
    body = operation.request_body
    if request is not None and isinstance(body, RequestBody) and "application/json" in body.content:
        body.content["application/json"].examples = {
            "contract": ContractExample(summary="From the contract", value=request)
        }
    if response is not None and operation.responses is not None:
        answer = operation.responses.get(str(response[0]))
        if isinstance(answer, OpenAPIResponse) and answer.content and "application/json" in answer.content:
            answer.content["application/json"].examples = {
                "contract": ContractExample(summary="From the contract", value=response[1])
            }


def _add_headers(operation: Operation) -> None:
    params = list(operation.parameters or [])
    for key in _HEADERS_READ.get(operation.operation_id or "", ()):
        params.append(_ID_HEADERS[key])
    params.append(REQUEST_ID)
    operation.parameters = params


def _rewrite_refs(node: Any, refs: dict[str, str], seen: set[int]) -> None:
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, Reference):
        node.ref = refs.get(node.ref, node.ref)
    elif isinstance(node, dict):
        for value in node.values():
            _rewrite_refs(value, refs, seen)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _rewrite_refs(value, refs, seen)
    elif is_dataclass(node) and not isinstance(node, type):
        for field in fields(node):
            _rewrite_refs(getattr(node, field.name), refs, seen)


class PolishedOpenAPIPlugin(OpenAPIPlugin):
    __slots__ = ()

    def _build_openapi(self) -> OpenAPI:
        return polish(super()._build_openapi(), error_codes(self.app))

    def provide_openapi_schema(self) -> dict[str, Any]:
        """The document the docs routes serve, as a dict, kept; the spec objects it was made from are let go
        (decision 0053). Litestar kept both: the objects are ~4.6 MiB, the dict ~1.3 MiB, for as long as the
        worker that served the document once lives. ``app.openapi_schema`` builds the objects again if asked."""
        if not self._openapi_schema:
            self._openapi_schema = self.provide_openapi().to_schema()
            self._openapi = None
        return self._openapi_schema


def error_codes(app: Litestar) -> Codes:
    """Per operation, the error codes of each status it can answer with (entrypoints/http/answers.py)."""
    return {
        (path, method.lower()): {status: [a.code for a in group] for status, group in answers_of(handler).items()}
        for method, path, handler in documented_handlers(app)
    }


def polish_document(app: Litestar) -> None:
    """Litestar creates its own OpenAPIPlugin (private: Litestar 2 has no public hook on the finished document);
    this one differs only by finishing the document it builds."""
    plugin = app.plugins.get(OpenAPIPlugin)
    plugin.__class__ = PolishedOpenAPIPlugin
