from __future__ import annotations

from decimal import Decimal

import pytest

from s2cart.application.catalog.catalog_document import CatalogDocumentInvalid, parse_catalog_document
from s2cart.application.catalog.load_catalog import LoadCatalog
from tests.fakes import FakeUnitOfWork

DOCUMENT = {
    "stores": [{"id": "store_123", "name": "SuperMart"}],
    "products": [{"store_id": "store_123", "id": "prod_001", "name": "Headphones", "price": "500.00", "stock": 5}],
    "coupons": [{"code": "SAVE10", "kind": "PERCENT", "value": "10"}],
}


async def test_loading_twice_is_the_same_as_loading_once() -> None:
    uow = FakeUnitOfWork()
    load = LoadCatalog(uow)
    report = await load(parse_catalog_document(DOCUMENT))
    await load(parse_catalog_document(DOCUMENT))
    assert (report.stores, report.products, report.coupons) == (1, 1, 1)
    assert (len(uow.catalog.stores), len(uow.catalog.products), len(uow.catalog.coupons)) == (1, 1, 1)


async def test_reloading_updates_price_and_stock_and_keeps_unlisted_entries() -> None:
    uow = FakeUnitOfWork()
    load = LoadCatalog(uow)
    await load(parse_catalog_document(DOCUMENT))
    await load(
        parse_catalog_document(
            {"products": [{"store_id": "store_123", "id": "prod_001", "name": "Headphones", "price": "450.00"}]}
        )
    )
    product = await uow.catalog.product("store_123", "prod_001")
    assert product is not None
    assert (product.price, product.stock) == (Decimal("450.00"), None)
    assert await uow.catalog.coupon("SAVE10") is not None


async def test_a_product_of_an_unknown_store_refuses_the_whole_document() -> None:
    uow = FakeUnitOfWork()
    document = parse_catalog_document(
        {
            "stores": [{"id": "store_456", "name": "TechMart"}],
            "products": [{"store_id": "store_999", "id": "p", "name": "P", "price": "1.00"}],
        }
    )
    with pytest.raises(CatalogDocumentInvalid) as caught:
        await LoadCatalog(uow)(document)
    assert list(caught.value.errors) == ["products (store_999/p)"]
    assert uow.catalog.stores == {}


async def test_a_product_may_join_a_store_loaded_earlier() -> None:
    uow = FakeUnitOfWork()
    await LoadCatalog(uow)(parse_catalog_document({"stores": DOCUMENT["stores"]}))
    await LoadCatalog(uow)(parse_catalog_document({"products": DOCUMENT["products"]}))
    assert await uow.catalog.product("store_123", "prod_001") is not None
