from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]


async def test_first_page_block(client: Client) -> None:
    response = await client.get("/api/auth/widgets/", params={"page_size": 10})
    body = response.json()
    assert response.status_code == 200
    assert [w["id"] for w in body["data"]] == list(range(1, 11))
    assert body["pagination"] == {
        "page": 1,
        "page_size": 10,
        "total_pages": 5,
        "total_count": 45,
        "has_next": True,
        "has_previous": False,
        "next_url": "/api/auth/widgets/?page_size=10&page=2",
        "previous_url": None,
    }


async def test_last_partial_page_keeps_other_parameters(client: Client) -> None:
    response = await client.get("/api/auth/widgets/", params={"page": 5, "page_size": 10, "ordering": "-id"})
    body = response.json()
    assert [w["id"] for w in body["data"]] == [5, 4, 3, 2, 1]
    pagination = body["pagination"]
    assert (pagination["has_next"], pagination["has_previous"]) == (False, True)
    assert pagination["next_url"] is None
    assert pagination["previous_url"] == "/api/auth/widgets/?ordering=-id&page_size=10&page=4"


async def test_defaults_are_page_one_of_twenty(client: Client) -> None:
    pagination = (await client.get("/api/auth/widgets/")).json()["pagination"]
    assert (pagination["page"], pagination["page_size"], pagination["total_pages"]) == (1, 20, 3)


async def test_a_page_past_the_end_is_empty_not_an_error(client: Client) -> None:
    body = (await client.get("/api/auth/widgets/", params={"page": 9})).json()
    assert body["data"] == []
    assert body["pagination"]["has_next"] is False
    assert body["pagination"]["previous_url"] == "/api/auth/widgets/?page=3"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": -1}, "page"),
        ({"page": 0}, "page"),
        ({"page": 10**12}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"ordering": "password"}, "ordering"),
        ({"ordering": "-id; DROP TABLE outbox"}, "ordering"),
    ],
)
async def test_bad_parameters_are_400_naming_the_field(client: Client, params: dict[str, object], field: str) -> None:
    response = await client.get("/api/auth/widgets/", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "error"
    assert field in body["errors"], body
