"""Kept search rankings (decision 0052) with a fake reader: a kept ranking serves later pages by key, a changed
catalog version drops them all, stock filters and deep pages bypass, the byte bound holds, odd keys are not kept."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from decimal import Decimal

from s2cart.application.catalog.browse import Listing, ProductFilter, ProductQuery, product_filter
from s2cart.application.catalog.search_rankings import Key, Ranked, RankedStorefront
from s2cart.domain.catalog.product import StockStatus
from s2cart.domain.shared.pagination import Page, PageRequest
from tests.unit.application.test_search_cache import ProductsOnly


def _listing(key: Key) -> Listing:
    return Listing(
        store_id=key[0], store_name="Store", id=key[1], name=f"Rice {key[1]}", description=None, category=None,
        brand=None, price=Decimal("10.00"), mrp=None, image_url=None, images=(), unit=None,
        stock_status=StockStatus.IN_STOCK, hsn_code=None, gst_rate=None,
    )  # fmt: skip


class FakeReader(ProductsOnly):
    """``total`` matches ranked store_1/p0, store_1/p1, ...; the catalog at ``version``."""

    def __init__(self, total: int = 250, version: int = 7, store: str = "store_1") -> None:
        self.keys = [(store, f"p{n}") for n in range(total)]
        self.version = version
        self.full = 0
        self.ranked = 0
        self.by_key: list[list[Key]] = []

    async def products(self, request: PageRequest, found: ProductFilter) -> Page[Listing]:
        self.full += 1
        chosen = self.keys[request.offset : request.offset + request.limit]
        return Page(items=[_listing(k) for k in chosen], total_count=len(self.keys), request=request)

    async def ranked_products(self, request: PageRequest, found: ProductFilter, keep: int) -> Ranked:
        self.ranked += 1
        page = await self.products(request, found)
        self.full -= 1
        return Ranked(page, self.keys[:keep], self.version)

    async def products_at(self, keys: Sequence[Key], version: int) -> list[Listing] | None:
        self.by_key.append(list(keys))
        return None if version != self.version else [_listing(k) for k in keys]


class Lookups:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def search_ranking_lookup(self, result: str) -> None:
        self.seen.append(result)


RICE = product_filter(ProductQuery(q="rice"))


async def test_a_kept_ranking_serves_later_pages_by_key() -> None:
    reader, metrics = FakeReader(), Lookups()
    ranked = RankedStorefront(reader, metrics=metrics)
    first = await ranked.products(PageRequest(1, 20), RICE)
    assert [i.id for i in first.items] == [f"p{n}" for n in range(20)] and reader.ranked == 1
    third = await ranked.products(PageRequest(3, 20), product_filter(ProductQuery(q=" Rice ")))
    assert [i.id for i in third.items] == [f"p{n}" for n in range(40, 60)] and third.total_count == 250
    assert reader.ranked == 1 and reader.by_key == [[("store_1", f"p{n}") for n in range(40, 60)]]
    assert metrics.seen == ["miss", "hit"]
    other = await ranked.products(PageRequest(1, 20), product_filter(ProductQuery(q="rice", ordering="price")))
    assert other.items and reader.ranked == 2  # another ordering is another ranking


async def test_a_changed_version_drops_every_ranking_and_reads_the_full_query() -> None:
    reader, metrics = FakeReader(), Lookups()
    ranked = RankedStorefront(reader, metrics=metrics)
    await ranked.products(PageRequest(1, 20), RICE)
    await ranked.products(PageRequest(1, 20), product_filter(ProductQuery(q="dal")))
    assert ranked.entries == 2
    reader.version = 8  # a catalog load somewhere
    page = await ranked.products(PageRequest(2, 20), RICE)
    assert [i.id for i in page.items] == [f"p{n}" for n in range(20, 40)]
    assert metrics.seen == ["miss", "miss", "stale"] and reader.ranked == 3 and ranked.entries == 1
    await ranked.products(PageRequest(2, 20), RICE)
    assert metrics.seen[-1] == "hit"


async def test_stock_filters_and_pages_beyond_the_kept_positions_read_the_full_query() -> None:
    reader, metrics = FakeReader(), Lookups()
    ranked = RankedStorefront(reader, metrics=metrics)
    await ranked.products(PageRequest(1, 20), RICE)
    in_stock = product_filter(ProductQuery(q="rice", in_stock=True))
    for request, found in ((PageRequest(1, 20), in_stock), (PageRequest(6, 20), RICE), (PageRequest(2, 60), RICE)):
        page = await ranked.products(request, found)
        assert [i.id for i in page.items] == [f"p{n}" for n in range(request.offset, request.offset + request.limit)]
    assert reader.full == 3 and metrics.seen == ["miss", "bypass", "bypass", "bypass"]


async def test_a_short_ranking_answers_every_page_it_holds() -> None:
    reader = FakeReader(total=30)
    ranked = RankedStorefront(reader)
    await ranked.products(PageRequest(1, 20), RICE)
    last = await ranked.products(PageRequest(2, 20), RICE)
    assert [i.id for i in last.items] == [f"p{n}" for n in range(20, 30)] and last.total_count == 30
    assert reader.ranked == 1 and reader.by_key[-1] == [("store_1", f"p{n}") for n in range(20, 30)]
    past = await ranked.products(PageRequest(3, 20), RICE)  # nothing kept there: the query says so
    assert past.items == [] and reader.ranked == 2


async def test_the_byte_bound_lets_the_least_recently_used_go() -> None:
    reader = FakeReader()
    ranked = RankedStorefront(reader, max_bytes=3_500)
    for word in ("rice", "dal", "tea", "ghee"):
        await ranked.products(PageRequest(1, 20), product_filter(ProductQuery(q=word)))
    assert ranked.bytes <= 3_500 and ranked.entries == 2 and ranked.stats.evictions == 2
    await ranked.products(PageRequest(2, 20), product_filter(ProductQuery(q="ghee")))
    assert ranked.stats.hits == 1


async def test_off_at_zero_bytes_and_odd_keys_are_not_kept() -> None:
    reader = FakeReader()
    off = RankedStorefront(reader, max_bytes=0)
    for _ in range(2):
        await off.products(PageRequest(1, 20), RICE)
    assert reader.full == 2 and off.entries == 0
    odd = RankedStorefront(FakeReader(store="store 1"))
    await odd.products(PageRequest(1, 20), RICE)
    assert odd.entries == 0


async def test_a_ranking_let_go_during_its_read_by_key_is_no_error() -> None:
    """Another search keeps its ranking while this one's page is read, and the bound lets this one go."""
    reader = FakeReader()
    ranked = RankedStorefront(reader, max_bytes=2_000)  # room for one ranking
    await ranked.products(PageRequest(1, 20), RICE)
    gate = asyncio.Event()
    real = reader.products_at

    async def slow(keys: Sequence[Key], version: int) -> list[Listing] | None:
        await gate.wait()
        return await real(keys, version)

    reader.products_at = slow  # type: ignore[method-assign]
    reading = asyncio.create_task(ranked.products(PageRequest(2, 20), RICE))
    await asyncio.sleep(0)
    await ranked.products(PageRequest(1, 20), product_filter(ProductQuery(q="dal")))  # evicts rice's ranking
    gate.set()
    page = await reading
    assert [i.id for i in page.items] == [f"p{n}" for n in range(20, 40)] and ranked.entries == 1
