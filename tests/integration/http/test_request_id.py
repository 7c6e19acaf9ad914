from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]


async def test_a_valid_incoming_request_id_is_echoed(client: Client) -> None:
    response = await client.get("/api/auth/health/", headers={"X-Request-ID": "abc-123.DEF"})
    assert response.headers["x-request-id"] == "abc-123.DEF"


async def test_an_invalid_request_id_is_replaced(client: Client) -> None:
    response = await client.get("/api/auth/health/", headers={"X-Request-ID": "bad id\twith spaces" * 20})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


async def test_errors_outside_any_route_carry_a_request_id(client: Client) -> None:
    missing = await client.get("/api/auth/nope/")
    wrong_method = await client.put("/api/auth/health/")
    assert re.fullmatch(r"[0-9a-f]{32}", missing.headers["x-request-id"])
    assert re.fullmatch(r"[0-9a-f]{32}", wrong_method.headers["x-request-id"])
    assert missing.headers["x-request-id"] != wrong_method.headers["x-request-id"]
