"""The schema holds the payment rules on its own, whatever code writes (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from s2cart.adapters.persistence.tables.payments import payment_transactions, payments, saved_cards
from s2cart.domain.payments.payment import Payment
from tests.integration.payments.shop import TOTAL, Shop

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)


async def an_attempt(shop: Shop, n: int = 1) -> Payment:
    user = await shop.add_user(f"user{n}")
    order_id = await shop.add_order(user, number=n)
    payment = Payment.start(
        user_id=user,
        order_id=order_id,
        gateway="PAYTM",
        transaction_id=f"TXN_PAYTM_{order_id}_{n}",
        gateway_order_id=f"ORD_PAYTM_{order_id}_{n}",
        amount=TOTAL,
        now=NOW,
    )
    async with shop.uow() as uow:
        await uow.payments.add(payment)
        await uow.commit()
    return payment


async def refused(shop: Shop, statement: object) -> None:
    async with shop.engine.connect() as connection:
        with pytest.raises(IntegrityError):
            await connection.execute(statement)  # type: ignore[call-overload]
        await connection.rollback()


async def test_an_attempt_has_one_capture_record(shop: Shop) -> None:
    payment = await an_attempt(shop)
    capture = {"payment_id": payment.id, "action": "capture", "status": "success", "amount": TOTAL, "created_at": NOW}
    async with shop.engine.begin() as connection:
        await connection.execute(insert(payment_transactions).values(**capture))
        await connection.execute(insert(payment_transactions).values(**{**capture, "action": "refund"}))
    await refused(shop, insert(payment_transactions).values(**capture))


async def test_a_captured_status_needs_its_capture_time(shop: Shop) -> None:
    payment = await an_attempt(shop)
    await refused(shop, update(payments).where(payments.c.id == payment.id).values(status="COMPLETED"))


async def test_retries_are_numbered_one_to_three_once_each(shop: Shop) -> None:
    payment = await an_attempt(shop)
    base = {
        "user_id": payment.user_id,
        "order_id": payment.order_id,
        "gateway": "PAYTM",
        "amount": TOTAL,
        "currency": "INR",
        "status": "PENDING",
        "created_at": NOW,
        "updated_at": NOW,
    }

    def retry(n: int, of: int | None) -> object:
        return insert(payments).values(
            **base, transaction_id=f"TXN_RETRY_{n}", gateway_order_id=f"ORD_R_{n}", retry_of=of, retry_number=n
        )

    async with shop.engine.begin() as connection:
        await connection.execute(retry(1, payment.id))  # type: ignore[call-overload]
    await refused(shop, retry(1, None))  # the order's first retry exists
    await refused(shop, retry(2, payment.id))  # that attempt was retried already
    await refused(shop, retry(4, None))  # past the cap


async def test_one_default_card_a_user(shop: Shop) -> None:
    user = await shop.add_user("cards")
    card = {
        "user_id": user,
        "card_type": "VISA",
        "last_four": "1234",
        "expiry_month": 12,
        "expiry_year": 2030,
        "holder_name": "John Doe",
        "sealed_token": "sealed",
        "is_default": True,
        "created_at": NOW,
    }
    async with shop.engine.begin() as connection:
        await connection.execute(insert(saved_cards).values(**card))
        await connection.execute(insert(saved_cards).values(**{**card, "last_four": "5678", "is_default": False}))
    await refused(shop, insert(saved_cards).values(**{**card, "last_four": "9999"}))
