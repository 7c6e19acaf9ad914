"""A product page's items as JSON, encoded once per page the search cache keeps (decision 0051).

The search cache (``application/catalog/search_cache.py``) hands the same ``Page`` object to every caller that
asks the same question within its lifetime. Turning its 20 listings into ``ProductOut`` and then into JSON
(``wire.encode``: builtins, Decimals as numbers) was most of what a cache hit still cost, and it gives the same
bytes every time for the same page. So the encoded items are kept beside the page, for exactly as long as the
page lives: keyed by the page object, through a weak reference whose callback drops the bytes when the page is
let go (expired, evicted, the cache cleared). Nothing here decides what is fresh; the cache does.

The envelope around them is still built per request: the message, and the pagination block whose next and
previous URLs are written from the request's own query string. The body is byte for byte what encoding the
whole ``Paginated`` answer gives (``tests/unit/entrypoints/test_encoded_items.py``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import msgspec

from s2cart.application.catalog.browse import Listing
from s2cart.domain.shared.pagination import Page
from s2cart.entrypoints.http.envelope import Pagination
from s2cart.entrypoints.http.wire import encode

_OPEN = b'{"status":"success","code":200,"message":'


class EncodedItems:
    """The JSON array of a page's items, per page object; single-threaded (one event loop), no lock."""

    def __init__(self, project: Callable[[Listing], Any]) -> None:
        self._project = project
        self._kept: dict[int, tuple[weakref.ref[Page[Listing]], bytes]] = {}

    def __len__(self) -> int:
        return len(self._kept)

    def of(self, page: Page[Listing]) -> bytes:
        key = id(page)
        found = self._kept.get(key)
        if found is not None and found[0]() is page:
            return found[1]
        items = encode([self._project(listing) for listing in page.items])
        if isinstance(page.items, tuple):  # a page that may be handed out again (the cache's are tuples)
            self._kept[key] = (weakref.ref(page, self._forget(key)), items)
        return items

    def _forget(self, key: int) -> Callable[[weakref.ref[Page[Listing]]], None]:
        def forget(ref: weakref.ref[Page[Listing]]) -> None:
            found = self._kept.get(key)
            if found is not None and found[0] is ref:
                del self._kept[key]

        return forget


def paginated_body(items: bytes, pagination: Pagination, message: str) -> bytes:
    """The bytes of ``Paginated(data=..., pagination=..., message=...)`` with ``data`` already encoded."""
    return b"".join(
        (_OPEN, msgspec.json.encode(message), b',"data":', items, b',"pagination":', encode(pagination), b"}")
    )


def encoded_page(page: Page[Listing], kept: EncodedItems, pagination: Pagination, message: str) -> bytes:
    return paginated_body(kept.of(page), pagination, message)


__all__ = ["EncodedItems", "encoded_page", "paginated_body"]
