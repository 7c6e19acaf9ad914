"""Search history over HTTP: the contract's shapes, repeats merged, the cap, filters, clearing, ownership."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from dependency_injector import providers
from sqlalchemy import insert

from s2cart.adapters.persistence.engine import make_engine
from s2cart.adapters.persistence.tables.search import search_history
from s2cart.entrypoints.container import Container
from s2cart.entrypoints.settings import Settings
from tests.fakes import FakeClock
from tests.integration.http.accounts import Client, jwt_login, verified
from tests.integration.http.customers import signed_in
from tests.integration.mailbox import Mailbox

HISTORY = "/api/auth/search-history/"
GROUP = "/api/auth/search-history-group/"
ENTRY_FIELDS = {"id", "query", "category", "results_count", "searched_at"}


async def _search(client: Client, headers: dict[str, str], query: str, **extra: Any) -> dict[str, Any]:
    response = await client.post(HISTORY, headers=headers, json={"query": query, **extra})
    assert response.status_code == 201, response.text
    return dict(response.json()["data"])


async def _history(client: Client, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    response = await client.get(HISTORY, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["data"])


async def test_a_search_is_recorded_in_the_contracts_shape(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    response = await client.post(
        HISTORY,
        headers=headers,
        json={"query": "  smartphone   cases ", "category": "accessories", "results_count": 42},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["message"]) == (201, "Search query added to history")
    data = body["data"]
    assert set(data) == ENTRY_FIELDS
    assert (data["query"], data["category"], data["results_count"]) == ("smartphone cases", "accessories", 42)
    assert data["searched_at"].endswith("Z")
    minimal = await _search(client, headers, "bluetooth speaker")
    assert (minimal["category"], minimal["results_count"]) == (None, 0)


async def test_the_list_is_newest_first_and_paginated_by_limit(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    for query in ("one", "two", "three"):
        await _search(client, headers, query, category="electronics")
    await _search(client, headers, "four", category="books")

    assert [e["query"] for e in await _history(client, headers)] == ["four", "three", "two", "one"]
    response = await client.get(HISTORY, headers=headers, params={"limit": 2, "category": "electronics"})
    body = response.json()
    assert [e["query"] for e in body["data"]] == ["three", "two"]
    assert set(body["data"][0]) == ENTRY_FIELDS
    assert body["pagination"]["page_size"] == 2
    assert body["pagination"]["total_count"] == 3
    assert body["pagination"]["next_url"] == "/api/auth/search-history/?category=electronics&limit=2&page=2"
    page_two = await client.get(body["pagination"]["next_url"], headers=headers)
    assert [e["query"] for e in page_two.json()["data"]] == ["one"]
    by_query = await _history(client, headers, ordering="query")
    assert [e["query"] for e in by_query] == ["four", "one", "three", "two"]
    assert len(await _history(client, headers, category="nothing")) == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"ordering": "user_id"}, "ordering"),
        ({"page": 0}, "page"),
        ({"category": "x" * 101}, "category"),
    ],
)
async def test_bad_list_parameters_are_400(
    client: Client, mailbox: Mailbox, params: dict[str, Any], field: str
) -> None:
    headers = await signed_in(client, mailbox)
    response = await client.get(HISTORY, headers=headers, params=params)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()


async def test_repeating_the_latest_search_within_a_minute_refreshes_it(
    client: Client, container: Container, mailbox: Mailbox
) -> None:
    clock = FakeClock(datetime.now(UTC))
    container.clock.override(providers.Object(clock))
    headers = await signed_in(client, mailbox)
    first = await _search(client, headers, "Wireless Headphones", category="electronics", results_count=25)
    clock.advance(seconds=30)
    again = await _search(client, headers, "wireless headphones", category="electronics", results_count=27)
    assert again["id"] == first["id"]
    assert again["results_count"] == 27
    assert again["searched_at"] > first["searched_at"]
    assert [(e["id"], e["results_count"]) for e in await _history(client, headers)] == [(first["id"], 27)]

    clock.advance(seconds=59)  # within a minute of the refreshed entry
    assert (await _search(client, headers, "wireless headphones", category="electronics"))["id"] == first["id"]
    clock.advance(seconds=61)
    later = await _search(client, headers, "wireless headphones", category="electronics")
    assert later["id"] != first["id"]
    other_category = await _search(client, headers, "wireless headphones", category="audio")
    assert other_category["id"] != later["id"]
    await _search(client, headers, "speaker")
    back = await _search(client, headers, "wireless headphones", category="audio")  # not the latest any more
    assert back["id"] != other_category["id"]
    assert len(await _history(client, headers)) == 5


async def test_each_user_keeps_at_most_500_entries(client: Client, settings: Settings, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    headers = {"Authorization": f"Bearer {(await jwt_login(client, account))['access']}"}
    start = datetime.now(UTC) - timedelta(days=30)
    rows = [
        {
            "user_id": account.user_id,
            "query": f"old {n}",
            "results_count": n,
            "searched_at": start + timedelta(minutes=n),
        }
        for n in range(500)
    ]
    engine = make_engine(settings.database_url)  # its own pool: the app's belongs to the test client's loop
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(search_history), rows)
    finally:
        await engine.dispose()

    newest = await _search(client, headers, "newest")

    group = (await client.get(GROUP, headers=headers)).json()["data"]
    assert group["search_count"] == 500
    queries = [s["query"] for s in group["searches"]]
    assert queries[0] == "newest" and newest["id"] == group["searches"][0]["id"]
    assert "old 0" not in queries and "old 1" in queries
    await _search(client, headers, "newer still")
    queries = [s["query"] for s in (await client.get(GROUP, headers=headers)).json()["data"]["searches"]]
    assert len(queries) == 500 and "old 1" not in queries and "old 2" in queries


async def test_the_group_has_the_contracts_shape(client: Client, container: Container, mailbox: Mailbox) -> None:
    clock = FakeClock(datetime.now(UTC))
    container.clock.override(providers.Object(clock))
    headers = await signed_in(client, mailbox)
    empty = await client.get(GROUP, headers=headers)
    assert empty.status_code == 200
    assert {k: v for k, v in empty.json()["data"].items() if k != "id"} == {
        "search_count": 0,
        "created_at": None,
        "updated_at": None,
        "recent_searches": [],
        "searches": [],
    }
    for n in range(12):
        await _search(client, headers, f"query {n}", category="books", results_count=n)
        clock.advance(minutes=1)

    response = await client.get(GROUP, headers=headers)
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"id", "search_count", "created_at", "updated_at", "recent_searches", "searches"}
    assert data["search_count"] == 12
    assert [r["query"] for r in data["recent_searches"]] == [f"query {n}" for n in range(11, 1, -1)]
    assert set(data["recent_searches"][0]) == {"query", "searched_at"}
    assert len(data["searches"]) == 12 and set(data["searches"][0]) == ENTRY_FIELDS
    assert data["created_at"] == data["searches"][-1]["searched_at"]
    assert data["updated_at"] == data["searches"][0]["searched_at"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"query": ""}, "query"),
        ({"query": "   "}, "query"),
        ({"query": "x" * 256}, "query"),
        ({"query": "tab\x00null"}, "query"),
        ({}, "query"),
        ({"query": "ok", "results_count": -1}, "results_count"),
        ({"query": "ok", "results_count": "many"}, "results_count"),
        ({"query": "ok", "category": "x" * 101}, "category"),
    ],
)
async def test_bad_searches_are_400_and_store_nothing(
    client: Client, mailbox: Mailbox, body: dict[str, Any], field: str
) -> None:
    headers = await signed_in(client, mailbox)
    response = await client.post(HISTORY, headers=headers, json=body)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert await _history(client, headers) == []


async def test_clearing_forgets_only_the_callers_history(client: Client, mailbox: Mailbox) -> None:
    mine = await signed_in(client, mailbox)
    theirs = await signed_in(client, mailbox)
    await _search(client, mine, "laptop")
    await _search(client, mine, "mouse")
    kept = await _search(client, theirs, "keyboard")

    response = await client.delete(f"{HISTORY}clear/", headers=mine)
    assert response.status_code == 200
    assert response.json() == {"status": "success", "code": 200, "message": "Search history cleared successfully"}
    assert await _history(client, mine) == []
    assert await _history(client, theirs) == [kept]
    assert (await client.delete(f"{HISTORY}clear/", headers=mine)).status_code == 200


async def test_nobody_sees_anyone_elses_searches(client: Client, mailbox: Mailbox) -> None:
    mine = await signed_in(client, mailbox)
    theirs = await signed_in(client, mailbox)
    await _search(client, mine, "private query")
    assert await _history(client, theirs) == []
    group = (await client.get(GROUP, headers=theirs)).json()["data"]
    assert (group["search_count"], group["searches"]) == (0, [])
    assert (await client.get(HISTORY)).status_code == 401
    assert (await client.post(HISTORY, json={"query": "x"})).status_code == 401
    assert (await client.delete(f"{HISTORY}clear/")).status_code == 401
    assert (await client.get(GROUP)).status_code == 401
