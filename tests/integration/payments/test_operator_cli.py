"""``s2cart orders|support|users|payments list`` and ``payments refund``, run as an operator would.

Rows are made the way the shop makes them (orders, attempts paid at the Paytm simulator); the console script
reads them back as tables and as one JSON document, and refunds through the simulator.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from s2cart.adapters.persistence.tables.support import support_tickets
from s2cart.adapters.persistence.tables.users import users
from s2cart.domain.payments.payment import PaymentState
from s2cart.domain.support.ticket import SupportTicket, TicketCategory, TicketPriority
from tests.integration.payments.conftest import SimControl
from tests.integration.payments.shop import TOTAL, Shop
from tests.integration.payments.test_payment_cli import s2cart
from tests.integration.payments.vectors import PAYTM_KEY, PAYTM_MID


def _json(database_url: str, *args: str) -> dict[str, Any]:
    result = s2cart(*args, "--json", S2CART_DATABASE_URL=database_url)
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)  # exactly one document: anything else fails here
    return document


async def _paid(shop: Shop, sim: SimControl, user: int, number: int) -> tuple[int, int]:
    order_id = await shop.add_order(user, number=number)
    started = await shop.initiate()(user, order_id, "PAYTM")
    await sim.pay(started.payment_data.gateway_order_id)  # the callback reaches the shop
    [payment] = await shop.payments(order_id)
    assert payment.status is PaymentState.COMPLETED and payment.id is not None
    return order_id, payment.id


async def test_lists_find_orders_tickets_users_and_payments(
    shop: Shop, database_url: str, paytm_sim_control: SimControl
) -> None:
    asha, ravi = await shop.add_user("asha"), await shop.add_user("ravi")
    locked_until = datetime.now(UTC) + timedelta(hours=1)
    async with shop.engine.begin() as connection:
        await connection.execute(update(users).where(users.c.id == asha).values(is_verified=True))
        await connection.execute(update(users).where(users.c.id == ravi).values(locked_until=locked_until))
    paid_order, paid_payment = await _paid(shop, paytm_sim_control, asha, 1)
    pending_order = await shop.add_order(ravi, number=2)
    await shop.initiate()(ravi, pending_order, "PHONEPE")
    async with shop.uow() as uow:
        for subject in ("Late delivery", "Wrong size"):
            ticket = SupportTicket.open(
                ravi, subject, "Please help", TicketCategory("order"), TicketPriority("HIGH"), shop.clock.now()
            )
            await uow.tickets.add(ticket)
        await uow.commit()
    async with shop.engine.begin() as connection:
        await connection.execute(
            update(support_tickets).where(support_tickets.c.subject == "Wrong size").values(status="CLOSED")
        )

    every = _json(database_url, "orders", "list")
    assert [(o["id"], o["email"]) for o in every["orders"]] == [
        (pending_order, "ravi@example.com"),
        (paid_order, "asha@example.com"),
    ]  # newest first
    assert every["count"] == 2 and every["orders"][1]["total_amount"] == str(TOTAL)  # amounts are strings
    assert every["orders"][1]["paid_at"].endswith("Z") and every["orders"][0]["paid_at"] is None
    mine = _json(database_url, "orders", "list", "--user", " ASHA@example.com")
    assert [o["id"] for o in mine["orders"]] == [paid_order]
    later = (shop.clock.now() + timedelta(days=1)).date().isoformat()
    assert _json(database_url, "orders", "list", "--since", later) == {"orders": [], "count": 0}
    assert _json(database_url, "orders", "list", "--status", "placed", "--limit", "1")["count"] == 1

    tickets = _json(database_url, "support", "list", "--status", "OPEN")["tickets"]
    assert [(t["subject"], t["email"], t["messages"]) for t in tickets] == [("Late delivery", "ravi@example.com", 1)]
    assert _json(database_url, "support", "list")["count"] == 2

    assert [u["email"] for u in _json(database_url, "users", "list", "--unverified")["users"]] == ["ravi@example.com"]
    [locked] = _json(database_url, "users", "list", "--locked")["users"]
    assert (locked["email"], locked["is_verified"], locked["locked_until"][-1]) == ("ravi@example.com", False, "Z")
    assert _json(database_url, "users", "list")["count"] == 2

    pending = _json(database_url, "payments", "list", "--status", "PENDING")["payments"]
    assert [(p["gateway"], p["email"], p["amount"]) for p in pending] == [("PHONEPE", "ravi@example.com", "1130.00")]
    [paytm] = _json(database_url, "payments", "list", "--gateway", "paytm")["payments"]
    assert (paytm["id"], paytm["status"], paytm["refunded_amount"]) == (paid_payment, "COMPLETED", None)

    table = s2cart("payments", "list", process=True, S2CART_DATABASE_URL=database_url)
    assert table.returncode == 0, table.stderr
    header, *rows, footer = table.stdout.splitlines()
    assert header.split()[:4] == ["ID", "ORDER_NUMBER", "EMAIL", "GATEWAY"]
    assert len(rows) == 2 and footer == "(2 payments)" and "1130.00" in table.stdout
    none = s2cart("support", "list", "--status", "RESOLVED", S2CART_DATABASE_URL=database_url)
    assert (none.returncode, none.stdout) == (0, "no tickets\n")

    for bad in (("orders", "list", "--since", "yesterday"), ("payments", "list", "--status", "PAID")):
        assert s2cart(*bad, S2CART_DATABASE_URL=database_url).returncode == 2  # argparse names the option
    for limit in ("0", "1001", "ten"):
        refused = s2cart("users", "list", "--limit", limit, S2CART_DATABASE_URL=database_url)
        assert refused.returncode == 2 and "must be a whole number from 1 to 1000" in refused.stderr


async def test_refund_goes_through_the_gateway_within_what_was_paid(
    shop: Shop, database_url: str, gateway_url: str, paytm_sim_control: SimControl
) -> None:
    asha = await shop.add_user("asha")
    order_id, payment_id = await _paid(shop, paytm_sim_control, asha, 1)
    pending_order = await shop.add_order(asha, number=2)
    await shop.initiate()(asha, pending_order, "PAYTM")
    [pending] = await shop.payments(pending_order)
    paytm = {
        "S2CART_DATABASE_URL": database_url,
        "S2CART_PAYTM_MID": PAYTM_MID,
        "S2CART_PAYTM_MERCHANT_KEY": PAYTM_KEY,
        "S2CART_PAYTM_BASE_URL": gateway_url,
    }

    refusals = {
        ("--amount", "1130.01"): "1130.01 is more than the 1130.00 paid",
        ("--amount", "0.001"): "0.001 is not an amount above zero in whole paise",
        ("--amount", "-5"): "-5 is not an amount above zero in whole paise",
    }
    for extra, message in refusals.items():
        refused = s2cart("payments", "refund", str(payment_id), *extra, **paytm)
        assert (refused.returncode, refused.stdout) == (1, ""), refused.stderr
        assert message in refused.stderr and "Traceback" not in refused.stderr
    not_paid = s2cart("payments", "refund", str(pending.id), **paytm)
    assert not_paid.returncode == 1 and "is PENDING: only a COMPLETED payment can be refunded" in not_paid.stderr
    missing = s2cart("payments", "refund", "999999", **paytm)
    assert missing.returncode == 1 and "No payment 999999" in missing.stderr
    gateway_off = s2cart("payments", "refund", str(payment_id), S2CART_DATABASE_URL=database_url)
    assert gateway_off.returncode == 1 and "the PAYTM gateway is not configured here" in gateway_off.stderr
    assert s2cart("payments", "refund", str(payment_id), "--amount", "abc", **paytm).returncode == 2
    assert await paytm_sim_control.requests("refund") == []  # nothing refused reached the gateway
    assert (await shop.payments(order_id))[0].status is PaymentState.COMPLETED

    refunded = s2cart("payments", "refund", str(payment_id), "--amount", "130.50", **paytm)
    assert refunded.returncode == 0, refunded.stderr
    assert f"refund of payment {payment_id}: 130.50 of 1130.00 via PAYTM, REFUND_PENDING" in refunded.stdout
    [asked] = await paytm_sim_control.requests("refund")
    assert json.loads(asked["body"])["body"]["refundAmount"] == "130.50"
    assert PAYTM_KEY not in refunded.stdout + refunded.stderr

    again = s2cart("payments", "refund", str(payment_id), **paytm)
    assert again.returncode == 1 and "already has a refund pending" in again.stderr
    assert (await shop.reconcile()()).refunds_completed == 1  # the reconciler follows it up
    [row] = _json(database_url, "payments", "list", "--status", "REFUNDED")["payments"]
    assert (row["id"], row["amount"], row["refunded_amount"]) == (payment_id, "1130.00", "130.50")
    after = s2cart("payments", "refund", str(payment_id), **paytm)
    assert after.returncode == 1 and "is REFUNDED" in after.stderr
    assert len(await paytm_sim_control.requests("refund")) == 1
