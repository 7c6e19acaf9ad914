from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]
JSON = {"content-type": "application/json"}


def assert_error_envelope(body: dict[str, Any], status: int) -> None:
    assert body["status"] == "error"
    assert body["code"] == status
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["errors"], dict)
    assert body["timestamp"].endswith(("Z", "+00:00"))
    datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00"))
    assert isinstance(body["error_code"], str)


async def test_success_envelope(client: Client) -> None:
    response = await client.post("/api/auth/widgets/", json={"name": "gear", "quantity": 2})
    assert response.status_code == 201
    assert response.json() == {
        "status": "success",
        "code": 201,
        "message": "Widget created",
        "data": {"id": 46, "name": "gear"},
    }


async def test_unknown_route_is_404_in_the_envelope(client: Client) -> None:
    response = await client.get("/api/auth/nothing-here/")
    assert response.status_code == 404
    assert_error_envelope(response.json(), 404)
    assert response.json()["error_code"] == "GEN_404"


async def test_domain_not_found_is_404_with_its_message(client: Client) -> None:
    response = await client.get("/api/auth/widgets/7/")
    assert response.status_code == 404
    assert response.json()["message"] == "Widget not found"


async def test_wrong_method_is_405_in_the_envelope(client: Client) -> None:
    response = await client.delete("/api/auth/health/")
    assert response.status_code == 405
    assert_error_envelope(response.json(), 405)


async def test_malformed_json_is_400(client: Client) -> None:
    response = await client.post("/api/auth/widgets/", content=b'{"name": "gear", ', headers=JSON)
    assert response.status_code == 400
    body = response.json()
    assert_error_envelope(body, 400)
    assert "non_field_errors" in body["errors"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "gear", "quantity": "two"}, "quantity"),
        ({"name": "gear"}, "quantity"),
        ({"name": "gear", "quantity": 1, "colour": "GREEN"}, "colour"),
        ({"name": "", "quantity": 1}, "name"),
        ({"name": "gear", "quantity": 10**30}, "quantity"),
        ({"name": "gear", "quantity": -1}, "quantity"),
    ],
)
async def test_validation_failures_name_the_field(client: Client, payload: dict[str, Any], field: str) -> None:
    response = await client.post("/api/auth/widgets/", json=payload)
    assert response.status_code == 400
    body = response.json()
    assert_error_envelope(body, 400)
    assert field in body["errors"], body


async def test_a_body_that_is_not_an_object_is_400(client: Client) -> None:
    response = await client.post("/api/auth/widgets/", json=[1, 2, 3])
    assert response.status_code == 400
    assert_error_envelope(response.json(), 400)


async def test_body_over_the_limit_is_413(client: Client) -> None:
    big = b'{"name": "' + b"x" * (1024 * 1024 + 10) + b'", "quantity": 1}'
    response = await client.post("/api/auth/widgets/", content=big, headers=JSON)
    assert response.status_code == 413
    assert_error_envelope(response.json(), 413)


async def test_unexpected_exception_is_a_500_without_internals(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="s2cart.http"):
        response = await client.get("/api/auth/boom/", headers={"X-Request-ID": "req-boom-1"})
    assert response.status_code == 500
    body = response.json()
    assert_error_envelope(body, 500)
    assert "hunter2" not in response.text
    assert "postgresql" not in response.text
    assert "req-boom-1" in body["message"]
    assert any("req-boom-1" in record.getMessage() for record in caplog.records)
