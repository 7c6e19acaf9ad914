"""The product search cache (decision 0047): hits within the lifetime, expiry, keys, bounds, off at 0."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from s2cart.application.catalog.browse import Listing, ProductFilter, ProductQuery, SearchProducts, product_filter
from s2cart.application.catalog.search_cache import CachedStorefront, estimated_bytes, search_key
from s2cart.application.search.record_search import RecordSearchCommand
from s2cart.domain.catalog.product import StockStatus
from s2cart.domain.shared.pagination import Page, PageRequest


def _listing(n: int) -> Listing:
    return Listing(
        store_id="store_1",
        store_name="Store One",
        id=f"prod_{n}",
        name=f"Basmati Rice {n}",
        description="Long grain",
        category="Staples",
        brand="India Gate",
        price=Decimal("99.50"),
        mrp=None,
        image_url=None,
        images=(),
        unit="1 kg",
        stock_status=StockStatus.IN_STOCK,
        hsn_code=None,
        gst_rate=None,
    )


class ProductsOnly:
    """A fake reader's stores, store and product: the caches under test must never ask for them."""

    async def stores(self, *args: Any) -> Any:
        raise NotImplementedError

    async def store(self, *args: Any) -> Any:
        raise NotImplementedError

    async def product(self, *args: Any) -> Any:
        raise NotImplementedError


class CountingReader(ProductsOnly):
    """A StorefrontReader whose product pages say how many reads there were."""

    def __init__(self, items: int = 3) -> None:
        self.reads = 0
        self.items = items
        self.during_read: Any = None

    async def products(self, request: PageRequest, found: ProductFilter) -> Page[Listing]:
        self.reads += 1
        if self.during_read is not None:
            self.during_read()
        items = [_listing(n) for n in range(self.items)]
        return Page(items=items, total_count=self.reads, request=request)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _found(**query: Any) -> ProductFilter:
    return product_filter(ProductQuery(**query))


def _cache(seconds: float = 5, **bounds: Any) -> tuple[CachedStorefront, CountingReader, Clock]:
    reader, clock = CountingReader(), Clock()
    return CachedStorefront(reader, seconds, clock=clock, **bounds), reader, clock


async def test_a_repeat_within_the_lifetime_is_the_cached_page() -> None:
    cache, reader, clock = _cache(5)
    first = await cache.products(PageRequest(1, 20), _found(q="rice"))
    clock.now += 4.9
    again = await cache.products(PageRequest(1, 20), _found(q="  RICE "))  # the same words
    assert again is first and reader.reads == 1
    assert (cache.stats.hits, cache.stats.misses) == (1, 1)


async def test_an_expired_entry_is_read_again() -> None:
    cache, reader, clock = _cache(5)
    await cache.products(PageRequest(1, 20), _found(q="rice"))
    clock.now += 5.0
    page = await cache.products(PageRequest(1, 20), _found(q="rice"))
    assert reader.reads == 2 and page.total_count == 2
    clock.now += 1
    assert (await cache.products(PageRequest(1, 20), _found(q="rice"))).total_count == 2  # the new read is kept


async def test_everything_that_shapes_the_answer_is_its_own_entry() -> None:
    cache, reader, _ = _cache(5)
    asked = [
        (PageRequest(1, 20), _found(q="rice")),
        (PageRequest(2, 20), _found(q="rice")),
        (PageRequest(1, 10), _found(q="rice")),
        (PageRequest(1, 20), _found(q="rice basmati")),
        (PageRequest(1, 20), _found(q="rice", ordering="price")),
        (PageRequest(1, 20), _found(q="rice", ordering="-price")),
        (PageRequest(1, 20), _found(q="rice", store_id="store_1")),
        (PageRequest(1, 20), _found(q="rice", category="staples")),
        (PageRequest(1, 20), _found(q="rice", brand="daawat")),
        (PageRequest(1, 20), _found(q="rice", min_price="10")),
        (PageRequest(1, 20), _found(q="rice", max_price="10")),
        (PageRequest(1, 20), _found(q="rice", in_stock=True)),
        (PageRequest(1, 20), _found(q="rice", in_stock=False)),
        (PageRequest(1, 20), _found()),
    ]
    for request, found in asked:
        await cache.products(request, found)
    assert reader.reads == len(asked) == cache.entries
    for request, found in asked:
        await cache.products(request, found)
    assert reader.reads == len(asked)
    # Compared as the database compares them: category and brand in any case, amounts by value.
    assert search_key(PageRequest(1, 20), _found(category="STAPLES")) == search_key(
        PageRequest(1, 20), _found(category="staples")
    )
    assert search_key(PageRequest(1, 20), _found(min_price="10")) == search_key(
        PageRequest(1, 20), _found(min_price="10.00")
    )


async def test_the_entry_bound_drops_the_least_recently_used() -> None:
    cache, reader, _ = _cache(5, max_entries=2)
    for word in ("rice", "dal"):
        await cache.products(PageRequest(1, 20), _found(q=word))
    await cache.products(PageRequest(1, 20), _found(q="rice"))  # used again: dal is now the oldest
    await cache.products(PageRequest(1, 20), _found(q="atta"))
    assert cache.entries == 2 and cache.stats.evictions == 1
    reads = reader.reads
    await cache.products(PageRequest(1, 20), _found(q="rice"))
    assert reader.reads == reads
    await cache.products(PageRequest(1, 20), _found(q="dal"))
    assert reader.reads == reads + 1


async def test_the_byte_bound_is_kept() -> None:
    reader, clock = CountingReader(items=20), Clock()
    one_page = estimated_bytes(await reader.products(PageRequest(1, 20), _found(q="x")))
    cache = CachedStorefront(reader, 5, clock=clock, max_bytes=3 * one_page + 10)
    for n in range(10):
        await cache.products(PageRequest(n + 1, 20), _found(q="rice"))
        assert cache.bytes <= 3 * one_page + 10
    assert cache.entries == 3
    # A page larger than the whole bound is not kept at all.
    tiny = CachedStorefront(CountingReader(items=20), 5, clock=clock, max_bytes=one_page - 1)
    await tiny.products(PageRequest(1, 20), _found(q="rice"))
    assert (tiny.entries, tiny.bytes) == (0, 0)


async def test_zero_seconds_turns_it_off() -> None:
    cache, reader, _ = _cache(0)
    for _ in range(3):
        await cache.products(PageRequest(1, 20), _found(q="rice"))
    assert reader.reads == 3 and cache.entries == 0 and cache.stats.hits == 0


async def test_clear_empties_it_and_a_read_under_way_is_not_kept() -> None:
    cache, reader, _ = _cache(5)
    await cache.products(PageRequest(1, 20), _found(q="rice"))
    cache.clear()
    reader.during_read = cache.clear  # a catalog load commits while this read runs
    await cache.products(PageRequest(1, 20), _found(q="rice"))
    reader.during_read = None
    assert reader.reads == 2 and cache.entries == 0
    await cache.products(PageRequest(1, 20), _found(q="rice"))
    assert reader.reads == 3 and cache.entries == 1


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, RecordSearchCommand]] = []

    async def __call__(self, user_id: int, command: RecordSearchCommand) -> None:
        self.calls.append((user_id, command))


async def test_a_saved_search_is_written_on_a_hit_too() -> None:
    cache, reader, _ = _cache(5)
    recorder = Recorder()
    search = SearchProducts(cache, recorder)  # type: ignore[arg-type]
    await search(PageRequest(1, 20), ProductQuery(q="rice"), user_id=7)
    await search(PageRequest(1, 20), ProductQuery(q="Rice", save_search=True), user_id=8)
    assert reader.reads == 1
    assert [(user, c.query, c.results_count) for user, c in recorder.calls] == [(8, "Rice", 1)]


async def test_expired_entries_make_way_when_a_page_is_kept() -> None:
    cache, reader, clock = _cache(5)
    for word in ("rice", "dal", "atta"):
        await cache.products(PageRequest(1, 20), _found(q=word))
    clock.now += 3
    await cache.products(PageRequest(1, 20), _found(q="rice"))  # a hit: rice is now the most recently used
    clock.now += 2.5  # dal and atta expired, rice (kept at 1000) too
    await cache.products(PageRequest(1, 20), _found(q="ghee"))
    assert cache.entries == 1 and cache.stats.evictions == 0
    assert cache.bytes == estimated_bytes(await reader.products(PageRequest(1, 20), _found(q="ghee")))


class SlowReader(CountingReader):
    """Holds every read until ``release`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.fail: Exception | None = None

    async def products(self, request: PageRequest, found: ProductFilter) -> Page[Listing]:
        self.reads += 1
        await self.release.wait()
        if self.fail is not None:
            raise self.fail
        return Page(items=[_listing(1)], total_count=self.reads, request=request)


async def test_concurrent_misses_of_one_page_are_read_once() -> None:
    reader = SlowReader()
    cache = CachedStorefront(reader, 5, clock=Clock())
    asks = [asyncio.create_task(cache.products(PageRequest(1, 20), _found(q="rice"))) for _ in range(5)]
    other = asyncio.create_task(cache.products(PageRequest(2, 20), _found(q="rice")))
    await asyncio.sleep(0)
    reader.release.set()
    pages = await asyncio.gather(*asks)
    await other
    assert reader.reads == 2  # page 1 once for five callers, page 2 once
    assert all(page is pages[0] for page in pages)
    assert (cache.stats.misses, cache.stats.joined) == (2, 4)


async def test_a_failed_read_fails_its_waiters_and_a_cancelled_one_lets_them_read() -> None:
    reader = SlowReader()
    cache = CachedStorefront(reader, 5, clock=Clock())
    reader.fail = RuntimeError("database away")
    asks = [asyncio.create_task(cache.products(PageRequest(1, 20), _found(q="rice"))) for _ in range(3)]
    await asyncio.sleep(0)
    reader.release.set()
    results = await asyncio.gather(*asks, return_exceptions=True)
    assert reader.reads == 1 and all(isinstance(r, RuntimeError) for r in results)
    assert cache.entries == 0

    reader.fail, reader.release = None, asyncio.Event()
    leader = asyncio.create_task(cache.products(PageRequest(1, 20), _found(q="rice")))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(cache.products(PageRequest(1, 20), _found(q="rice")))
    await asyncio.sleep(0)
    leader.cancel()
    await asyncio.sleep(0)
    reader.release.set()
    page = await waiter
    assert leader.cancelled() and page.items and reader.reads == 3  # the waiter read for itself
