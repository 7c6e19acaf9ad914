"""The product search cache through the app (decision 0047): repeats read nothing, a catalog load in the process
shows at once, a saved search is written on a hit, 0 turns it off; on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import event

from s2cart.application.catalog.catalog_document import parse_catalog_document
from s2cart.entrypoints.container import Container, build_container, close_resources
from s2cart.entrypoints.http.app import create_app
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import Client
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.customers import signed_in
from tests.integration.mailbox import Mailbox

PRODUCTS = "/api/auth/products/"


@contextmanager
def statements(container: Container) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block (raw-driver reads included)."""
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = container.engine().sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def _search(client: Client, **params: Any) -> Any:
    response = await client.get(PRODUCTS, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_repeated_search_reads_nothing_and_another_page_or_filter_does(
    client: Client, container: Container
) -> None:
    await load_demo_catalog(container)
    with statements(container) as first:
        page = await _search(client, q="rice")
    assert first and page["data"]
    with statements(container) as repeated:
        again = await _search(client, q=" Rice ", page_size=20)
    assert repeated == [] and again == page
    for other in (
        {"q": "rice", "page": 2, "page_size": 1},
        {"q": "rice", "ordering": "price"},
        {"q": "rice", "in_stock": "true"},
    ):
        with statements(container) as read:
            await _search(client, **other)
        assert read, other
    scraped = (await client.get("/metrics")).text
    assert 's2cart_search_cache_lookups_total{result="hit"} 1.0' in scraped
    assert 's2cart_search_cache_lookups_total{result="miss"} 4.0' in scraped


async def test_a_catalog_load_in_the_process_shows_at_once(client: Client, container: Container) -> None:
    await load_demo_catalog(container)
    before = {p["id"]: p["price"] for p in (await _search(client, q="basmati"))["data"]}
    assert before["prod_101"] != 77.0
    changed = {"store_id": "store_789", "id": "prod_101", "name": "Basmati Rice 5 kg", "price": "77.00"}
    await container.load_catalog()(parse_catalog_document({"products": [changed]}))
    after = {p["id"]: p["price"] for p in (await _search(client, q="basmati"))["data"]}
    assert after["prod_101"] == 77.0


async def test_a_saved_search_is_written_on_a_hit(client: Client, container: Container, mailbox: Mailbox) -> None:
    await load_demo_catalog(container)
    headers = await signed_in(client, mailbox)
    await _search(client, q="basmati")  # anonymous: now cached
    with statements(container) as hit:
        response = await client.get(PRODUCTS, headers=headers, params={"q": "basmati", "save_search": "true"})
    assert response.status_code == 200
    assert not any("products" in s for s in hit)  # the page came from the cache, the history was written
    history = (await client.get("/api/auth/search-history/", headers=headers)).json()["data"]
    assert [(h["query"], h["results_count"]) for h in history] == [("basmati", 2)]


async def test_zero_seconds_reads_every_search(database_url: str) -> None:
    container = build_container(make_settings(database_url, search_cache_seconds=0))
    try:
        await load_demo_catalog(container)
        async with AsyncTestClient(app=create_app(container=container)) as client:
            for _ in range(3):
                with statements(container) as read:
                    assert (await client.get(PRODUCTS, params={"q": "rice"})).status_code == 200
                assert read
    finally:
        await close_resources(container)


async def test_a_catalog_load_in_another_process_shows_in_the_next_search_read(database_url: str) -> None:
    """Two app instances on one database (decision 0052): the first keeps "basmati"'s ranking, the second loads a
    catalog that renames and reprices a product; the first's next search (its page cache off) shows the change."""
    shop = build_container(make_settings(database_url, search_cache_seconds=0))
    loader = build_container(make_settings(database_url, search_cache_seconds=0))
    try:
        await load_demo_catalog(loader)
        async with AsyncTestClient(app=create_app(container=shop)) as client:
            params = {"q": "basmati", "ordering": "price"}
            before = (await _search(client, **params))["data"]
            assert len(before) == 2 and before[0]["id"] != "prod_101"
            with statements(shop) as read:
                assert (await _search(client, **params))["data"] == before
            searched = [s for s in read if "products" in s]
            assert len(searched) == 1 and "ts_rank" not in searched[0] and "bm25" not in searched[0]  # by key
            changed = {"store_id": "store_789", "id": "prod_101", "name": "Basmati Rice Value", "price": "1.00"}
            await loader.load_catalog()(parse_catalog_document({"products": [changed]}))
            after = (await _search(client, **params))["data"]
            assert (after[0]["id"], after[0]["name"], after[0]["price"]) == ("prod_101", "Basmati Rice Value", 1.0)
            scraped = (await client.get("/metrics")).text
            assert 's2cart_search_rankings_lookups_total{result="stale"} 1.0' in scraped
    finally:
        await close_resources(shop)
        await close_resources(loader)
