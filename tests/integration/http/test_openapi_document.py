"""The OpenAPI document is fit for client generators: every operation has a stable, unique operationId, a summary
and a description; every component name is a plain identifier; the headers operations read are documented."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema_rs  # schemathesis's own validator
import pytest
from litestar import get
from litestar.params import FromPath
from litestar.testing import TestClient

from s2cart.entrypoints.http.answers import routes_missing_docs
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.http.docs_page import DOCS_PATH
from s2cart.entrypoints.http.openapi_document import component_name
from s2cart.entrypoints.http.openapi_examples import EXAMPLES
from tests.integration.conftest import make_settings
from tests.integration.documented import undocumented

METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return dict(create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi_schema.to_schema())


def _operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_every_operation_has_a_unique_camel_case_id_a_summary_and_a_description(document: dict[str, Any]) -> None:
    operations = _operations(document)
    ids = [operation["operationId"] for operation in operations.values()]
    assert len(ids) == len(set(ids)) >= 60
    for label, operation in operations.items():
        assert re.fullmatch(r"[a-z][A-Za-z0-9]*", operation["operationId"]), label
        assert operation["summary"], label
        assert operation["description"], label
    assert {"listCarts", "placeOrder", "initiatePayment", "register", "signInJwt", "logoutJwt", "logoutLegacy"} <= set(
        ids
    )


def test_the_ids_are_stable(document: dict[str, Any]) -> None:
    """Clients are generated from these names: changing one breaks their code, so they are pinned here."""
    operations = _operations(document)
    assert operations["POST /api/auth/orders"]["operationId"] == "placeOrder"
    assert operations["GET /api/auth/payments/return"]["operationId"] == "getBrowserReturn"
    assert operations["DELETE /api/auth/search-history/clear"]["operationId"] == "clearSearchHistory"
    assert operations["POST /api/auth/cart/clear"]["operationId"] == "clearCart"


def test_every_component_name_is_a_plain_identifier(document: dict[str, Any]) -> None:
    names = list(document["components"]["schemas"])
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name) for name in names), names
    assert {"Address", "AddressPage", "Order", "OrderResponse", "CartListResponse", "Store", "ErrorBody"} <= set(names)
    refs = re.findall(r'"#/components/schemas/([^"]+)"', str(document).replace("'", '"'))
    assert refs and set(refs) <= set(names)


@pytest.mark.parametrize(
    ("generated", "clean"),
    [
        ("Paginated_s2cart.application.addresses.views.AddressView_", "AddressPage"),
        ("Success_s2cart.application.orders.views.OrderView_", "OrderResponse"),
        ("Success_list_s2cart.entrypoints.http.payments.method_schemas.CardOut_", "CardListResponse"),
        ("StoreOut", "Store"),
        ("AddressIn", "AddressIn"),
    ],
)
def test_the_naming_scheme(generated: str, clean: str) -> None:
    assert component_name(generated) == clean


def _headers(operation: dict[str, Any]) -> set[str]:
    return {parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "header"}


def test_the_headers_an_operation_reads_are_documented(document: dict[str, Any]) -> None:
    operations = _operations(document)
    assert all("X-Request-ID" in _headers(operation) for operation in operations.values())
    with_key = {label for label, operation in operations.items() if "Idempotency-Key" in _headers(operation)}
    assert with_key == {"POST /api/auth/orders", "POST /api/auth/payments/initiate"}
    for label in ("POST /api/auth/jwt", "POST /api/auth/login", "POST /api/auth/register"):
        assert {"X-Device-Type", "X-Device-ID"} <= _headers(operations[label]), label


def test_the_envelopes_status_is_an_enum_and_error_codes_have_their_shape(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["ErrorBody"]["properties"]["status"]["enum"] == ["error"]
    assert schemas["OrderResponse"]["properties"]["status"]["enum"] == ["success"]
    assert schemas["AddressPage"]["properties"]["status"]["enum"] == ["success"]
    pattern = schemas["ErrorBody"]["properties"]["error_code"]["pattern"]
    for code in ("AUTH_004", "VAL_001", "GEN_404", "RATE_001"):
        assert re.fullmatch(pattern, code)


def test_the_contract_examples_fit_the_schemas_they_illustrate(document: dict[str, Any]) -> None:
    operations = {operation["operationId"]: operation for operation in _operations(document).values()}
    checked = 0
    for operation_id, (request, response) in EXAMPLES.items():
        operation = operations[operation_id]
        if request is not None:
            media = operation["requestBody"]["content"]["application/json"]
            assert media["examples"]["contract"]["value"] == request
            _validate(document, media["schema"], request)
            checked += 1
        if response is not None:
            media = operation["responses"][str(response[0])]["content"]["application/json"]
            assert media["examples"]["contract"]["value"] == response[1]
            _validate(document, media["schema"], response[1])
            checked += 1
    assert checked >= 13
    for operation_id in ("createCart", "listCarts", "placeOrder", "signInJwt", "register"):
        assert EXAMPLES[operation_id][1] is not None, operation_id


def test_the_served_document_carries_the_contract_examples_with_their_nulls() -> None:
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    with TestClient(app) as client:
        served = client.get(f"{DOCS_PATH}/openapi.json").json()
    created = served["paths"]["/api/auth/carts"]["post"]["responses"]["201"]["content"]["application/json"]
    cart = created["examples"]["contract"]["value"]["data"]
    assert cart["applied_coupon"] is None and cart["total_price"] == 0 and cart["store_id"] == "store_456"
    placed = served["paths"]["/api/auth/orders"]["post"]["responses"]["201"]["content"]["application/json"]
    order = placed["examples"]["contract"]["value"]["data"]
    assert (order["order_number"], order["total_amount"], order["tracking_number"]) == (
        "ORD-20250120-5678",
        1130.0,
        None,
    )
    listed = served["paths"]["/api/auth/carts"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["examples"]["contract"]["value"]["data"][0]["total_price"] == 1250.50


def _validate(document: dict[str, Any], schema: dict[str, Any], value: Any) -> None:
    root = {"$ref": schema["$ref"], "components": document["components"]}
    jsonschema_rs.Draft202012Validator(root, validate_formats=True).validate(value)


def test_anonymous_operations_that_authenticate_no_one_document_no_401_or_403(document: dict[str, Any]) -> None:
    by_id = {operation["operationId"]: operation for operation in _operations(document).values()}
    for operation_id in ("register", "requestPasswordReset", "verifyByOtp", "getHealth", "getBrowserReturn"):
        assert not {"401", "403"} & set(by_id[operation_id]["responses"]), operation_id
    assert "403" in by_id["signInJwt"]["responses"] and "401" not in by_id["signInJwt"]["responses"]
    for operation_id in ("refreshJwt", "placeOrder", "listCarts"):
        assert "401" in by_id[operation_id]["responses"], operation_id


def _codes(document: dict[str, Any], operation_id: str) -> dict[str, list[str]]:
    """Each error status of the operation with its error_code enum (None: a body of its own, e.g. health's 503)."""
    by_id = {operation["operationId"]: operation for operation in _operations(document).values()}
    found: dict[str, list[str]] = {}
    for status, response in by_id[operation_id]["responses"].items():
        if int(status) >= 400:
            schema = response["content"]["application/json"]["schema"]
            found[status] = schema["allOf"][1]["properties"]["error_code"]["enum"] if "allOf" in schema else None
    return found


def test_each_operation_lists_the_errors_it_can_give_with_their_codes(document: dict[str, Any]) -> None:
    place = _codes(document, "placeOrder")
    assert place["400"] == ["CART_003", "CART_004", "COUPON_001", "ORDER_001", "VAL_001", "VAL_002"]
    assert place["401"] == ["AUTH_004", "AUTH_005"] and place["403"] == ["AUTH_002"]
    assert place["409"] == ["GEN_409", "IDEMPOTENCY_002", "ORDER_002"] and place["422"] == ["IDEMPOTENCY_001"]
    assert set(place) == {"400", "401", "403", "404", "409", "413", "422", "429", "500", "503"}
    assert _codes(document, "register") == {
        "400": ["VAL_001", "VAL_002"],
        "413": ["GEN_413"],
        "429": ["RATE_001"],
        "500": ["SYS_500"],
        "503": ["SYS_503"],
    }
    sign_in = _codes(document, "signInJwt")
    assert sign_in["400"] == ["AUTH_001", "VAL_001", "VAL_002"] and sign_in["403"] == ["AUTH_002", "AUTH_003"]
    assert sign_in["429"] == ["AUTH_006", "RATE_001"]
    assert _codes(document, "createCart")["404"] == ["CART_002"]
    assert _codes(document, "paytmCallback")["401"] == ["PAY_401"]
    assert _codes(document, "initiatePayment")["503"] == ["PAY_503", "SYS_503"]
    assert _codes(document, "getLiveness") == {"400": ["VAL_001"], "500": ["SYS_500"]}  # no limit, no storage
    assert _codes(document, "getHealth")["503"] is None  # its own HealthBody
    assert "409" not in _codes(document, "listCarts") and "404" not in _codes(document, "listCarts")


def test_every_route_has_a_docstring_and_declares_its_errors() -> None:
    """How a new route without a description or an errors declaration is caught: this test names it."""
    assert routes_missing_docs(create_app(make_settings("sqlite+aiosqlite:///:memory:"))) == []


def test_an_undocumented_route_is_named(document: dict[str, Any]) -> None:
    @get("/invoice-like/{order_id:int}/", summary="A route someone forgot to document")
    async def invoice_like(order_id: FromPath[int]) -> dict[str, int]:
        return {"order_id": order_id}

    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"), extra_route_handlers=[invoice_like])
    assert routes_missing_docs(app) == [
        "GET /api/auth/invoice-like/{order_id} (test_an_undocumented_route_is_named.<locals>.invoice_like): "
        "no docstring (the operation's description)",
        "GET /api/auth/invoice-like/{order_id} (test_an_undocumented_route_is_named.<locals>.invoice_like): "
        "no opt=errors(...) naming the errors it can raise (entrypoints/http/answers.py)",
    ]


def test_every_description_is_the_handlers_docstring(document: dict[str, Any]) -> None:
    by_id = {operation["operationId"]: operation for operation in _operations(document).values()}
    assert by_id["placeOrder"]["description"].startswith("Place an order from one of the caller's carts")
    assert "409 ORDER_002" in by_id["placeOrder"]["description"]
    assert by_id["listProducts"]["description"].startswith("Browse and search the products of active stores")


def test_descriptions_say_who_may_call_and_the_rate_limit(document: dict[str, Any]) -> None:
    by_id = {operation["operationId"]: operation for operation in _operations(document).values()}
    assert "Signed-in callers only" in by_id["placeOrder"]["description"]
    assert "10 per minute per user" in by_id["placeOrder"]["description"]
    assert "No sign-in needed" in by_id["register"]["description"]
    assert "No sign-in needed; a credential that is sent must be valid" in by_id["listStores"]["description"]
    assert "5 per hour per ip" in by_id["register"]["description"]
    assert "Not rate limited." in by_id["getLiveness"]["description"]


def test_the_ledger_finds_an_answer_the_document_does_not_list() -> None:
    """The check every integration test's client runs (tests/integration/documented.py) can fail."""
    assert undocumented("POST", "/api/auth/orders/", 409, {"error_code": "ORDER_002"}) is None
    assert undocumented("POST", "/api/auth/orders/", 409, {"error_code": "ORDER_999"}) == (
        "POST /api/auth/orders/ (placeOrder): 409 ORDER_999 is not documented "
        "(documented for 409: ['GEN_409', 'IDEMPOTENCY_002', 'ORDER_002'])"
    )
    assert "status 401 is not documented" in str(undocumented("POST", "/api/auth/register/", 401, {}))
    assert undocumented("GET", "/api/auth/addresses/default/", 404, {"error_code": "GEN_404"}) is None
    assert undocumented("GET", "/api/auth/widgets/", 418, {}) is None  # not in the document: a probe route


def test_a_worker_that_served_the_document_keeps_the_document_not_the_objects_it_was_built_from() -> None:
    # decision 0053: Litestar kept the spec objects (~4.6 MiB) beside the served dict (~1.3 MiB) for the life of
    # every worker that served the document once; what stays now is the dict, and the document served is the same.
    import gc
    import tracemalloc

    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    with TestClient(app) as client:
        client.get("/api/auth/live/")
        gc.collect()
        tracemalloc.start()
        try:
            first = client.get(f"{DOCS_PATH}/openapi.json").content
            second = client.get(f"{DOCS_PATH}/openapi.json").content
            gc.collect()
            kept = tracemalloc.get_traced_memory()[0] - len(first) - len(second)
        finally:
            tracemalloc.stop()
    assert first == second and len(first) > 100_000
    assert kept < 5 * 1024 * 1024, kept  # 3.1-3.3 MiB kept; 7.6 MiB with the spec objects kept too
    assert json.loads(first) == dict(app.openapi_schema.to_schema())  # asked for, the objects are built again
