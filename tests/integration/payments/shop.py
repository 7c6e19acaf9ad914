"""The payment use cases wired as the container wires them, on a real database, against real gateways
(the adapters talking to the simulators). Orders are inserted directly: placing them is the orders area's job."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.readers.orders import SqlAlchemyOrderReader
from s2cart.adapters.persistence.readers.payments import SqlAlchemyPaymentReader
from s2cart.adapters.persistence.session_factory import AsyncSessionFactory
from s2cart.adapters.persistence.tables.payments import payment_notifications
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.application.errors import ApplicationError, InvalidCallback, InvalidSignature
from s2cart.application.orders.cancel_order import CancelOrder
from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.application.payments.gateways import Gateways, PaymentLinks
from s2cart.application.payments.handle_callback import HandleGatewayCallback
from s2cart.application.payments.initiate_payment import InitiatePayment
from s2cart.application.payments.queries import GetPaymentStatus
from s2cart.application.payments.reconcile_payments import ReconcilePayments
from s2cart.application.payments.refund_cancelled_order import RefundCancelledOrder
from s2cart.application.payments.refunds import Refunds
from s2cart.application.payments.retry_payment import RetryPayment
from s2cart.application.payments.settlement import Settlement
from s2cart.application.payments.starter import AttemptStarter
from s2cart.application.ports.payments import InboundCallback, PaymentGateway
from s2cart.domain.orders.order import Order, OrderLine
from s2cart.domain.orders.pricing import OrderTotals
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.payment import Payment
from s2cart.domain.shared.errors import DomainError
from tests.fakes import FakeClock
from tests.integration.rows import insert_user

TOTAL = Decimal("1130.00")


@dataclass
class Shop:
    engine: AsyncEngine
    session_factory: AsyncSessionFactory
    clock: FakeClock
    gateways: Mapping[str, PaymentGateway]
    api_base_url: str
    deadline: GatewayDeadline = field(default_factory=lambda: GatewayDeadline(5.0))

    def uow(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.session_factory)

    # --- the use cases, wired as in the container -------------------------------------------------------

    @property
    def _gateways(self) -> Gateways:
        return Gateways(self.gateways)

    def _starter(self) -> AttemptStarter:
        return AttemptStarter(self.uow, self.clock, PaymentLinks(self.api_base_url), self.deadline)

    def settlement(self) -> Settlement:
        return Settlement(self.uow, self._gateways, self.clock)

    def refunds(self) -> Refunds:
        return Refunds(self.uow, self._gateways, self.clock)

    def initiate(self) -> InitiatePayment:
        return InitiatePayment(self.uow, self._gateways, self.clock, self._starter())

    def retry(self) -> RetryPayment:
        return RetryPayment(self.uow, self._gateways, self.clock, self._starter())

    def callback(self) -> HandleGatewayCallback:
        return HandleGatewayCallback(
            self.uow, self._gateways, self.clock, self.settlement(), self.refunds(), self.deadline
        )

    def reconcile(self) -> ReconcilePayments:
        return ReconcilePayments(self.uow, self.settlement(), self.refunds(), self.clock)

    def status(self) -> GetPaymentStatus:
        return GetPaymentStatus(SqlAlchemyPaymentReader(self.engine), self.settlement(), self.clock, self.deadline)

    def order_reader(self) -> SqlAlchemyOrderReader:
        return SqlAlchemyOrderReader(self.engine)

    async def cancel(self, user_id: int, order_id: int) -> list[Payment]:
        """The customer cancels (the refund is asked for after the commit); the order's attempts after it."""
        refund = RefundCancelledOrder(self.uow, self.refunds(), self.deadline)
        await CancelOrder(self.uow, self.clock, refund)(user_id, order_id, "changed my mind")
        return await self.payments(order_id)

    async def deliver(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        """What S2Cart's callback endpoint would answer, through the use case (a bridge target)."""
        gateway = "PAYTM" if "/paytm/" in path else "PHONEPE"
        try:
            result = await self.callback()(gateway, InboundCallback(body, headers))
        except InvalidSignature:
            return 401, b'{"error_code":"PAY_401"}'
        except InvalidCallback:
            return 400, b'{"error_code":"PAY_400"}'
        except DomainError as exc:
            return 400, f'{{"error_code":"{exc.code}"}}'.encode()
        except ApplicationError as exc:
            return 503, f'{{"error_code":"{exc.code}"}}'.encode()
        return 200, f'{{"result":"{result.result}"}}'.encode()

    # --- data -------------------------------------------------------------------------------------------

    async def add_user(self, name: str) -> int:
        return await insert_user(self.engine, name)

    async def add_order(self, user_id: int, total: Decimal = TOTAL, number: int = 1) -> int:
        now = self.clock.now()
        order = Order(
            user_id=user_id,
            order_number=f"ORD-{now:%Y%m%d}-{user_id:03d}{number}",
            status=OrderStatus.PLACED,
            order_date=now,
            source_cart_id=number,
            store_id="store_123",
            lines=[OrderLine("store_123", "prod_001", "Wireless Headphones", None, None, 2, Decimal("500.00"))],
            totals=OrderTotals(Decimal("1000.00"), Decimal("180.00"), Decimal("50.00"), Decimal("100.00"), total),
            coupon_code=None,
            shipping_address={"contact_name": "John Doe", "city": "Mumbai", "pin_code": "400001"},
            estimated_delivery_date=now,
            updated_at=now,
        )
        async with self.uow() as uow:
            await uow.orders.add(order)
            await uow.commit()
        assert order.id is not None
        return order.id

    async def payments(self, order_id: int) -> list[Payment]:
        async with self.uow() as uow:
            return await uow.payments.of_order(order_id)

    async def order(self, user_id: int, order_id: int) -> Order:
        async with self.uow() as uow:
            found = await uow.orders.get(user_id, order_id)
        assert found is not None
        return found

    async def notifications(self) -> list[Any]:
        async with self.engine.connect() as connection:
            query = select(payment_notifications).order_by(payment_notifications.c.id)
            return list((await connection.execute(query)).all())
