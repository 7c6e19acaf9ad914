"""RankedStorefront: a product search's ranked order kept per process, its pages read by primary key.

A search's costly part is ranking: every match's document is read and scored, then counted (decision 0032),
~7-8 ms of PostgreSQL for a one-word prefix search at 100,000 products. The order it finds depends only on the
catalog's text, prices and active flags, which change only through writes the database counts in its catalog
version (``catalog_version``: triggers move it on in the writing transaction; stock is not watched, decision 0052).
So this process keeps, per query (words, filters and ordering, without the page), the keys of its first ``keep``
positions, its total and the version it was read at; a later page within those positions is one statement that
reads the page's rows by primary key (price, stock status and active flag as they are now) together with the
current version:

- **Same version**: the kept order and total are what the full query would give on that snapshot: the page.
- **Another version** (a catalog load, anywhere): every kept ranking is dropped and the full query runs.
- **Not kept**: a query filtered on stock (``in_stock`` changes with every sale), a page beyond the kept positions,
  and a search that found nothing (the typo fallback): the full query, as before. A query with no ranking yet
  reads its first ``keep`` positions with the page, and keeps them.

Nothing expires by time: freshness comes from the version, read in the same statement (the same snapshot, on the
primary or a replica) as the rows. Bounded by an estimate of bytes, least recently used first; the keys of a
ranking are one string ("store/id" pairs, one space apart: catalog identifiers hold neither character).
``max_bytes`` 0 turns it off. Per process and single-threaded (one event loop): no lock.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Protocol

from s2cart.application.catalog.browse import Listing, ProductFilter, ProductSearchDecorator, StorefrontReader
from s2cart.application.catalog.search_cache import query_key
from s2cart.application.ports.metrics import NoSearchRankingMetrics, SearchRankingMetrics
from s2cart.domain.shared.pagination import Page, PageRequest

# Pages 1 to 5 at the default 20 a page.
KEEP = 100
# The bench's one- and two-word mixes keep ~870 queries (~2.3 MB): 2 MiB let the two-word run evict one-word
# rankings, which then missed in the next run; 4 MiB held them all at the same peak RSS (decision 0052).
MAX_BYTES = 4 * 1024 * 1024
# A ranking's own objects besides its keys' text: the entry, its key tuple and the LRU's node (tracemalloc).
RANKING_BYTES = 400
Key = tuple[str, str]  # (store_id, product_id)


@dataclass(frozen=True, slots=True)
class Ranked:
    """The reader's answer to a query read with its ranking: the page asked for, and the first positions."""

    page: Page[Listing]
    keys: Sequence[Key]  # the first positions, best first (at most ``keep``)
    version: int | None  # the catalog's version on the snapshot read; None: not to be kept


class RankingReader(StorefrontReader, Protocol):
    async def ranked_products(self, request: PageRequest, found: ProductFilter, keep: int) -> Ranked:
        """The page of ``products`` and the keys of the query's first ``keep`` positions with the catalog version
        on the same snapshot (``request`` lies within them). A search that needed the typo fallback has no
        version."""
        ...

    async def products_at(self, keys: Sequence[Key], version: int) -> list[Listing] | None:
        """The listings of ``keys`` in that order, read now, if the catalog is still at ``version`` and all of them
        are there; else None."""
        ...


@dataclass(frozen=True, slots=True)
class _Ranking:
    version: int
    total: int
    keys: str  # "store/id store/id ..."
    kept: int  # how many keys
    size: int

    def page_keys(self, request: PageRequest) -> list[Key] | None:
        """The keys of the page asked for, when the kept positions hold all of it."""
        end = request.offset + request.limit
        if request.offset >= self.kept or (end > self.kept and self.kept < self.total):
            return None
        return [tuple(pair.split("/", 1)) for pair in self.keys.split(" ")[request.offset : end]]  # type: ignore[misc]


def _encoded(keys: Sequence[Key]) -> str | None:
    joined = " ".join(f"{store_id}/{product_id}" for store_id, product_id in keys)
    if joined.count(" ") != len(keys) - 1 or joined.count("/") != len(keys):
        return None  # an identifier with a separator in it (not from a catalog file): not kept
    return joined


@dataclass
class SearchRankingStats:
    hits: int = 0
    misses: int = 0
    stale: int = 0
    bypassed: int = 0
    evictions: int = 0


class RankedStorefront(ProductSearchDecorator):
    def __init__(
        self,
        inner: RankingReader,
        max_bytes: int = MAX_BYTES,
        *,
        keep: int = KEEP,
        metrics: SearchRankingMetrics | None = None,
    ) -> None:
        super().__init__(inner)
        self._ranker = inner
        self._max_bytes = max_bytes
        self._keep = keep
        self._metrics = metrics or NoSearchRankingMetrics()
        self._rankings: OrderedDict[Hashable, _Ranking] = OrderedDict()
        self._bytes = 0
        self.stats = SearchRankingStats()

    @property
    def entries(self) -> int:
        return len(self._rankings)

    @property
    def bytes(self) -> int:
        """The estimated size of what is kept."""
        return self._bytes

    async def products(self, request: PageRequest, found: ProductFilter) -> Page[Listing]:
        if self._max_bytes <= 0 or found.in_stock is not None or request.offset + request.limit > self._keep:
            self.stats.bypassed += 1
            self._metrics.search_ranking_lookup("bypass")
            return await self._inner.products(request, found)
        key = query_key(found)
        ranking = self._rankings.get(key)
        if ranking is not None:
            keys = ranking.page_keys(request)
            if keys is not None:
                items = await self._ranker.products_at(keys, ranking.version)
                if items is not None:
                    if self._rankings.get(key) is ranking:  # others may have let it go during the read
                        self._rankings.move_to_end(key)
                    self.stats.hits += 1
                    self._metrics.search_ranking_lookup("hit")
                    return Page(items=items, total_count=ranking.total, request=request)
                self.stats.stale += 1
                self._metrics.search_ranking_lookup("stale")
                self.clear()  # the catalog moved on: every ranking kept was read before
            else:
                self.stats.misses += 1
                self._metrics.search_ranking_lookup("miss")
        else:
            self.stats.misses += 1
            self._metrics.search_ranking_lookup("miss")
        ranked = await self._ranker.ranked_products(request, found, self._keep)
        if ranked.version is not None and ranked.keys:
            self._keep_ranking(key, ranked)
        return ranked.page

    def _keep_ranking(self, key: Hashable, ranked: Ranked) -> None:
        joined = _encoded(ranked.keys)
        if joined is None:
            return
        size = RANKING_BYTES + sys.getsizeof(joined)
        if size > self._max_bytes:
            return
        assert ranked.version is not None
        if key in self._rankings:
            self._drop(key)
        self._rankings[key] = _Ranking(ranked.version, ranked.page.total_count, joined, len(ranked.keys), size)
        self._bytes += size
        while self._bytes > self._max_bytes:
            self._drop(next(iter(self._rankings)))
            self.stats.evictions += 1

    def _drop(self, key: Hashable) -> None:
        self._bytes -= self._rankings.pop(key).size

    def clear(self) -> None:
        self._rankings.clear()
        self._bytes = 0
