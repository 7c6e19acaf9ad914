from __future__ import annotations

from decimal import Decimal

from s2cart.adapters.persistence.readers.carts import SqlAlchemyCartReader
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.carts.cart_coupon import ApplyCartCoupon
from s2cart.application.carts.create_cart import CreateCart
from s2cart.application.catalog.catalog_document import CatalogDocument
from s2cart.application.catalog.load_catalog import LoadCatalog
from s2cart.domain.catalog.coupon import Coupon, CouponKind
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from tests.integration.carts.conftest import Db


async def test_carts_come_with_lines_totals_and_the_contract_fields(db: Db) -> None:
    alice = await db.add_user("alice")
    add = AddItemToCart(db.uow, db.clock)
    await add(alice, AddItemToCartCommand("store_123", "prod_001", 2))
    await add(alice, AddItemToCartCommand("store_123", "prod_003", 1, {"length": "2m"}))
    await CreateCart(db.uow, db.clock)(alice, "store_456")

    supermart, techmart = await db.reader().carts_of(alice)

    assert (supermart.store_name, supermart.total_price, supermart.item_count) == (
        "SuperMart",
        Decimal("1250.50"),
        3,
    )
    assert (supermart.applied_coupon, supermart.coupon_discount) == (None, Decimal("0.00"))
    headphones, cable = supermart.items
    assert (headphones.product_id, headphones.total_price, headphones.product_variant) == (
        "prod_001",
        Decimal("1000.00"),
        None,
    )
    assert (cable.product_variant, cable.unit_price) == ({"length": "2m"}, Decimal("250.50"))
    assert (techmart.store_id, techmart.items, techmart.total_price) == ("store_456", (), Decimal("0.00"))
    only = await db.reader().cart_for_store(alice, "store_456")
    assert only is not None
    assert only.id == techmart.id


async def test_listing_takes_one_statement_however_many_carts_and_lines(db: Db) -> None:
    small, big = await db.add_user("small"), await db.add_user("big")
    stores = [Store(f"bulk_{n}", f"Bulk {n}") for n in range(5)]
    await db.load(stores, [Product(s.id, f"p{i}", f"Product {i}", Decimal("1.25")) for s in stores for i in range(20)])
    add = AddItemToCart(db.uow, db.clock)
    await add(small, AddItemToCartCommand("bulk_0", "p0"))
    for store in stores:
        for i in range(20):
            await add(big, AddItemToCartCommand(store.id, f"p{i}"))
    reader = db.reader()

    counted = db.count_statements()
    one = await reader.carts_of(small)
    after_small = counted()
    many = await reader.carts_of(big)
    after_big = counted()

    assert (len(one), sum(len(c.items) for c in one)) == (1, 1)
    assert (len(many), sum(len(c.items) for c in many)) == (5, 100)
    assert after_small == after_big - after_small == 1
    assert all(c.total_price == Decimal("25.00") for c in many)


async def test_a_held_coupon_is_read_in_the_same_statement_and_priced_as_of_now(db: Db) -> None:
    alice = await db.add_user("alice")
    welcome = Coupon(
        "WELCOME20", CouponKind.PERCENT, Decimal("20"), min_subtotal=Decimal("500.00"), valid_until=db.clock.now()
    )
    await LoadCatalog(db.uow)(CatalogDocument(coupons=(welcome,)))
    db.clock.advance(hours=-1)
    await AddItemToCart(db.uow, db.clock)(alice, AddItemToCartCommand("store_123", "prod_001", 2))
    held = await ApplyCartCoupon(db.uow, db.clock)(alice, "store_123", "welcome20")
    assert (held.applied_coupon, held.coupon_discount) == ("WELCOME20", Decimal("200.00"))
    reader = SqlAlchemyCartReader(db.engine, db.clock)

    counted = db.count_statements()
    [cart] = await reader.carts_of(alice)
    assert counted() == 1
    assert (cart.applied_coupon, cart.coupon_discount) == ("WELCOME20", Decimal("200.00"))

    db.clock.advance(hours=1)  # the coupon's end: the code stays on the cart, the discount is gone
    [cart] = await reader.carts_of(alice)
    assert (cart.applied_coupon, cart.coupon_discount) == ("WELCOME20", Decimal("0"))
