"""The OpenAPI document is fit for client generators: every operation has a stable, unique operationId, a summary
and a description; every component name is a plain identifier; the headers operations read are documented."""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs  # schemathesis's own validator
import pytest

from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.http.openapi_document import component_name
from s2cart.entrypoints.http.openapi_examples import EXAMPLES
from tests.integration.conftest import make_settings

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
    assert checked >= 9


def _validate(document: dict[str, Any], schema: dict[str, Any], value: Any) -> None:
    root = {"$ref": schema["$ref"], "components": document["components"]}
    jsonschema_rs.Draft202012Validator(root, validate_formats=True).validate(value)


def test_anonymous_operations_that_authenticate_no_one_document_no_401_or_403(document: dict[str, Any]) -> None:
    by_id = {operation["operationId"]: operation for operation in _operations(document).values()}
    for operation_id in ("register", "requestPasswordReset", "verifyByOtp", "getHealth", "getBrowserReturn"):
        assert not {"401", "403"} & set(by_id[operation_id]["responses"]), operation_id
    for operation_id in ("signInJwt", "refreshJwt", "placeOrder", "listCarts"):
        assert {"401", "403"} <= set(by_id[operation_id]["responses"]), operation_id


def test_statuses_with_few_error_codes_list_them(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    by_id = {operation["operationId"]: operation for operation in _operations(document).values()}

    def codes(operation_id: str, status: str) -> list[str]:
        ref = by_id[operation_id]["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        return list(schemas[ref.rsplit("/", 1)[-1]]["properties"]["error_code"]["enum"])

    assert codes("placeOrder", "401") == ["AUTH_004", "AUTH_005"]
    assert "PAY_401" in codes("paytmCallback", "401")
    assert codes("listCarts", "403") == ["AUTH_002", "AUTH_003", "GEN_403"]
    assert codes("register", "413") == ["GEN_413"]


def test_descriptions_say_who_may_call_and_the_rate_limit(document: dict[str, Any]) -> None:
    by_id = {operation["operationId"]: operation for operation in _operations(document).values()}
    assert "Signed-in callers only" in by_id["placeOrder"]["description"]
    assert "10 per minute per user" in by_id["placeOrder"]["description"]
    assert "No sign-in needed" in by_id["register"]["description"]
    assert "5 per hour per ip" in by_id["register"]["description"]
    assert "Not rate limited." in by_id["getLiveness"]["description"]
