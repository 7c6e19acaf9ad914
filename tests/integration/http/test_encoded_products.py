"""A product page's items are encoded once per page object (storefront/encoded.py, decision 0051): the answer is
byte for byte the whole ``Paginated`` encoded as before, a kept page's bytes are reused, and they go with the page."""

from __future__ import annotations

import gc
from decimal import Decimal

from s2cart.application.catalog.browse import Listing
from s2cart.domain.catalog.product import StockStatus
from s2cart.domain.shared.pagination import Page, PageRequest
from s2cart.entrypoints.http.envelope import Paginated, Pagination
from s2cart.entrypoints.http.storefront.encoded import EncodedItems, encoded_page
from s2cart.entrypoints.http.storefront.schemas import product_out
from s2cart.entrypoints.http.wire import encode


def listing(n: int, price: str = "1250.50") -> Listing:
    return Listing(
        store_id="s1",
        store_name='Store "One" \u20b9',
        id=f"p{n}",
        name=f"Basmati Rice {n}",
        description=None if n % 2 else "Long grain, aged",
        category="Grocery",
        brand=None,
        price=Decimal(price),
        mrp=Decimal("1300.00") if n % 3 else None,
        image_url=None if n % 2 else "https://img.example/p.jpg",
        images=() if n % 2 else ("https://img.example/p.jpg", "https://img.example/q.jpg"),
        unit="5 kg",
        stock_status=StockStatus.LOW_STOCK if n % 2 else StockStatus.IN_STOCK,
        hsn_code="1006",
        gst_rate=Decimal("5"),
    )


PAGINATION = Pagination(
    page=2,
    page_size=3,
    total_pages=4,
    total_count=11,
    has_next=True,
    has_previous=True,
    next_url="/api/auth/products/?q=rice&page=3",
    previous_url=None,
)


def test_the_body_is_what_encoding_the_whole_answer_gives() -> None:
    page = Page(items=tuple(listing(n) for n in range(3)), total_count=11, request=PageRequest(2, 3))
    whole = encode(
        Paginated(data=[product_out(item) for item in page.items], pagination=PAGINATION, message="Found 11 products")
    )
    assert encoded_page(page, EncodedItems(product_out), PAGINATION, "Found 11 products") == whole
    empty: Page[Listing] = Page(items=(), total_count=0, request=PageRequest())
    assert encoded_page(empty, EncodedItems(product_out), PAGINATION, 'Found "0"') == encode(
        Paginated(data=[], pagination=PAGINATION, message='Found "0"')
    )


def test_a_kept_page_is_encoded_once_and_its_bytes_go_with_it() -> None:
    projected: list[str] = []

    def project(item: Listing) -> object:
        projected.append(item.id)
        return product_out(item)

    kept = EncodedItems(project)
    page = Page(items=tuple(listing(n) for n in range(3)), total_count=3, request=PageRequest())
    first = kept.of(page)
    assert kept.of(page) is first
    assert projected == ["p0", "p1", "p2"] and len(kept) == 1

    # The same listings in another page object (another cache entry, another question) are encoded for it.
    other = Page(items=page.items, total_count=3, request=PageRequest())
    assert kept.of(other) == first and len(kept) == 2

    del page, other
    gc.collect()
    assert len(kept) == 0  # let go with the pages: nothing outlives the search cache's entry


def test_a_page_that_is_not_a_cached_one_is_not_kept() -> None:
    kept = EncodedItems(product_out)
    page = Page(items=[listing(1)], total_count=1, request=PageRequest())  # a list: straight from a reader
    assert kept.of(page).startswith(b'[{"store_id":"s1"')
    assert len(kept) == 0
