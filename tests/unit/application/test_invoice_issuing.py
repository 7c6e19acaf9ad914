"""Invoices issued by Settlement in the paying transaction, credit notes by the cancellations, with the fakes:
one invoice however often the success is reported, none for a cancelled order paid late, and a payment whose
transaction rolls back takes its serial back with it (decision 0037)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from s2cart.application.addresses.add_address import AddAddress
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.invoices.issuing import invoice_paid_order
from s2cart.application.orders.place_order import PlaceOrder, PlaceOrderCommand
from s2cart.domain.catalog.product import Product
from s2cart.domain.invoices.numbering import Series
from s2cart.domain.orders.order import Order
from s2cart.domain.orders.pricing import PricingPolicy
from s2cart.domain.payments.facts import GatewayState
from s2cart.domain.tax.gst import TaxMode
from tests.unit.application.test_cancel_and_set_order_status import ALICE, HOME, World
from tests.unit.application.test_cancel_and_set_order_status import world as contract_world  # noqa: F401
from tests.unit.domain.invoice_builders import STORE


@pytest.fixture
def world(contract_world: World) -> World:  # noqa: F811
    contract_world.uow.catalog.stores["store_123"] = STORE
    contract_world.uow.catalog.products[("store_123", "prod_001")] = Product(
        "store_123", "prod_001", "Wireless Headphones", Decimal("500.00"), 100, hsn_code="8518", gst_rate=Decimal(18)
    )
    return contract_world


async def place(world: World, mode: TaxMode = TaxMode.GST) -> Order:
    await AddItemToCart(world.uow, world.clock, 99)(ALICE, AddItemToCartCommand("store_123", "prod_001", quantity=2))
    [cart] = world.uow.carts.books[ALICE].carts
    address = await AddAddress(world.uow, world.clock)(ALICE, HOME)
    assert cart.id is not None and address.id is not None
    placing = PlaceOrder(world.uow, world.clock, PricingPolicy(tax_mode=mode), delivery_days=5)
    return await placing(ALICE, PlaceOrderCommand(cart.id, address.id))


def documents(world: World, series: Series) -> list[str]:
    return [d.number for d in world.uow.invoices.documents if d.series is series]


async def test_the_payment_issues_one_invoice_however_often_it_is_reported(world: World) -> None:
    order = await place(world)
    assert documents(world, Series.INVOICE) == []
    await world.pay(order)
    assert documents(world, Series.INVOICE) == ["S123/2526/000001"]  # FakeClock: January 2025
    [invoice] = world.uow.invoices.documents
    assert invoice.order_id == order.id and invoice.totals.total_amount == world.stored(order).totals.total_amount
    assert invoice.place_of_supply.state_code == "27" and invoice.totals.igst > 0  # Mumbai from Bengaluru
    payment = (await world.uow.payments.of_order(order.id or 0))[0]
    await world.callback("PAYTM", _success(world, payment.gateway_order_id))  # reported again
    assert documents(world, Series.INVOICE) == ["S123/2526/000001"]


async def test_cancelling_after_the_invoice_issues_a_credit_note_once(world: World) -> None:
    order = await place(world)
    await world.pay(order)
    await world.cancel(ALICE, order.id or 0, "Ordered twice")
    assert documents(world, Series.CREDIT_NOTE) == ["S123/C2526/00001"]
    [invoice, note] = world.uow.invoices.documents
    assert note.refers_to_number == invoice.number and note.totals == invoice.totals


async def test_an_unpaid_or_contract_mode_cancellation_issues_nothing(world: World) -> None:
    unpaid = await place(world)
    await world.cancel(ALICE, unpaid.id or 0, "")
    contract = await place(world, TaxMode.CONTRACT)
    await world.pay(contract)
    assert world.uow.invoices.documents == []
    await world.cancel(ALICE, contract.id or 0, "")
    assert world.uow.invoices.documents == []


async def test_a_rolled_back_payment_takes_its_serial_back(world: World) -> None:
    order = await place(world)
    paid = copy.deepcopy(world.stored(order))
    paid.mark_paid(world.clock.now())
    async with world.uow as uow:
        issued = await invoice_paid_order(uow, paid, world.clock.now())
        assert issued is not None and issued.serial == 1
        # no commit: the paying transaction failed after the invoice was drafted
    assert world.uow.invoices.documents == [] and world.uow.invoices.counters == {}
    await world.pay(order)
    assert documents(world, Series.INVOICE) == ["S123/2526/000001"]  # no gap


def _success(world: World, gateway_order_id: str):  # type: ignore[no-untyped-def]
    from tests.payment_fakes import callback

    world.paytm.states[gateway_order_id] = GatewayState.SUCCESS
    return callback(gateway_order_id)


async def test_a_late_payment_of_a_cancelled_order_is_refunded_without_an_invoice(world: World) -> None:
    order = await place(world)
    started = await world.initiate(ALICE, order.id or 0, "PAYTM")
    await world.cancel(ALICE, order.id or 0, "changed my mind")
    await world.callback("PAYTM", _success(world, started.payment_data.gateway_order_id))
    assert world.stored(order).paid_at is not None and world.stored(order).refund_due
    assert world.uow.invoices.documents == []
