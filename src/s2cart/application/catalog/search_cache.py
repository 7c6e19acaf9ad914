"""CachedStorefront: a storefront's repeated product searches answered from memory for a few seconds.

Shoppers ask the same things ("rice", page 1, by relevance) many times a second, and each answer costs a ranked,
counted full-text search. Within ``seconds`` of reading a page this process answers the same question with it:

- **The key** is everything that shapes the answer: the normalised words (``SearchTerms.words``, so "Rice " and
  "rice" are one entry), the filters (category and brand in lower case, as they are compared), the ordering, the
  page and the page size. A different filter or page is a different entry.
- **Staleness is bounded** by ``seconds`` from the moment the read began: a listing's price, stock status or
  active flag may be that old (on top of a replica's lag when replicas serve the reads). It never changes what a
  shopper pays: carts, quotes and orders price from the catalog at that moment, not from listings.
- **Nothing per caller** is in a listing (``Listing`` is catalog data only), so one caller's page may be served
  to another; the search history of ``save_search`` is written by the use case on a hit as on a miss.
- **Bounded** by entries and by an estimate of their bytes; the least recently used entry goes first, and expired
  entries at that end go whenever a page is kept.
- ``clear()`` drops everything (a catalog load in this process calls it); a read that began before the clear
  does not put its page back. Other processes (a ``s2cart catalog load`` from a shell, the other workers) are
  bounded by ``seconds`` alone.
- **Concurrent misses are read once**: a caller asking for a page that is being read for another waits for that
  read (a popular page that expires at a busy moment would otherwise be read by every request arriving during
  its read). A failure of that read is theirs too; a cancelled one leaves them to read for themselves.
- ``seconds`` 0 turns it off: every call goes to the reader.

Per process and single-threaded (one event loop): no lock. Stores, a store and a product page pass through.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace

from s2cart.application.catalog.browse import Listing, ProductFilter, ProductSearchDecorator, StorefrontReader
from s2cart.application.ports.metrics import NoSearchCacheMetrics, SearchCacheMetrics
from s2cart.domain.shared.pagination import Page, PageRequest

# At the bench's one-word mix (decision 0047) 4 MiB held the pages that mattered: a simulated hit rate of 0.68 at
# 180 searches a second a worker, against 0.71 unbounded (~15 MiB) and 0.55 with 2 MiB. Since a miss within a
# query's kept ranking is a page read by key (decision 0052), not a ranked search, 2 MiB: what the worker's peak
# RSS can spare (issue 20).
MAX_ENTRIES = 1_000
MAX_BYTES = 2 * 1024 * 1024
# What one listing takes in memory besides its text (the object, its decimals and strings' headers), measured
# with tracemalloc on the bench's listings (1,158 bytes a listing with its text there; decision 0047).
LISTING_BYTES = 900
PAGE_BYTES = 400


@dataclass(frozen=True)
class _Entry:
    page: Page[Listing]
    expires: float
    size: int


@dataclass
class SearchCacheStats:
    hits: int = 0
    joined: int = 0  # callers that waited for the same page being read for another (counted as hits in metrics)
    misses: int = 0
    evictions: int = 0


def _retrieved(reading: asyncio.Future[Page[Listing]]) -> None:
    if not reading.cancelled():
        reading.exception()  # a failure nobody waited for is not "never retrieved"


def search_key(request: PageRequest, found: ProductFilter) -> tuple[Hashable, ...]:
    """Everything that shapes a product page, normalised as the reader normalises it: the page and its size, then
    ``query_key``."""
    return (request.page, request.page_size, *query_key(found))


def query_key(found: ProductFilter) -> tuple[Hashable, ...]:
    """What shapes a product search whatever the page: the normalised words, the filters as compared (category and
    brand in lower case) and the ordering."""
    return (
        None if found.terms is None else found.terms.words,
        found.store_id,
        None if found.category is None else found.category.lower(),
        None if found.brand is None else found.brand.lower(),
        found.min_price,
        found.max_price,
        found.in_stock,
        found.ordering.field,
        found.ordering.descending,
    )


def estimated_bytes(page: Page[Listing]) -> int:
    size = PAGE_BYTES
    for item in page.items:
        size += LISTING_BYTES + len(item.name) + len(item.store_name) + len(item.store_id) + len(item.id)
        size += sum(len(text) for text in (item.description, item.category, item.brand, item.unit) if text)
        size += sum(len(url) + 60 for url in item.images) + (len(item.image_url) if item.image_url else 0)
    return size


class CachedStorefront(ProductSearchDecorator):
    def __init__(
        self,
        inner: StorefrontReader,
        seconds: float,
        *,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
        clock: Callable[[], float] = time.monotonic,
        metrics: SearchCacheMetrics | None = None,
    ) -> None:
        super().__init__(inner)
        self._seconds = seconds
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._clock = clock
        self._metrics = metrics or NoSearchCacheMetrics()
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._bytes = 0
        self._generation = 0
        self._reading: dict[Hashable, asyncio.Future[Page[Listing]]] = {}
        self.stats = SearchCacheStats()

    @property
    def entries(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """The estimated size of what is kept."""
        return self._bytes

    async def products(self, request: PageRequest, found: ProductFilter) -> Page[Listing]:
        if self._seconds <= 0:
            return await self._inner.products(request, found)
        key = search_key(request, found)
        began = self._clock()
        entry = self._entries.get(key)
        if entry is not None:
            if began < entry.expires:
                self._entries.move_to_end(key)
                self.stats.hits += 1
                self._metrics.search_cache_lookup(True)
                return entry.page
            self._drop(key)
        reading = self._reading.get(key)
        if reading is not None:
            # The same page is being read for another caller: wait for it rather than read it again.
            try:
                page = await asyncio.shield(reading)
            except asyncio.CancelledError:
                if not reading.cancelled():
                    raise  # this caller was cancelled
            else:
                self.stats.joined += 1
                self._metrics.search_cache_lookup(True)
                return page
        self.stats.misses += 1
        self._metrics.search_cache_lookup(False)
        return await self._read(key, request, found, began)

    async def _read(self, key: Hashable, request: PageRequest, found: ProductFilter, began: float) -> Page[Listing]:
        reading: asyncio.Future[Page[Listing]] = asyncio.get_running_loop().create_future()
        reading.add_done_callback(_retrieved)
        self._reading[key] = reading
        generation = self._generation
        try:
            read = await self._inner.products(request, found)
        except Exception as exc:
            reading.set_exception(exc)  # those waiting get the same failure
            raise
        except BaseException:
            reading.cancel()  # this read was cancelled: those waiting read for themselves
            raise
        finally:
            if self._reading.get(key) is reading:
                del self._reading[key]
        page = replace(read, items=tuple(read.items))  # one page may go to many callers: nothing to append to
        reading.set_result(page)
        if generation == self._generation:  # no clear() while it was read
            self._keep(key, _Entry(page, began + self._seconds, estimated_bytes(page)), began)
        return page

    def clear(self) -> None:
        self._reading.clear()  # reads under way began before the load: nobody else waits for them
        self._entries.clear()
        self._bytes = 0
        self._generation += 1

    def _keep(self, key: Hashable, entry: _Entry, now: float) -> None:
        if entry.size > self._max_bytes:
            return
        if key in self._entries:
            self._drop(key)
        # The least recently used end holds what nobody asked for within its lifetime: expired, let it go.
        while self._entries and next(iter(self._entries.values())).expires <= now:
            self._drop(next(iter(self._entries)))
        self._entries[key] = entry
        self._bytes += entry.size
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            self._drop(next(iter(self._entries)))
            self.stats.evictions += 1

    def _drop(self, key: Hashable) -> None:
        self._bytes -= self._entries.pop(key).size
