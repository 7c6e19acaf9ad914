"""The unit of work: one transaction, owning the repositories that take part in it."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from s2cart.application.ports.accounts import (
    LoginThrottleRepository,
    OneTimeCodeRepository,
    SessionRepository,
    UserRepository,
)
from s2cart.application.ports.addresses import AddressBookRepository
from s2cart.application.ports.carts import CartBookRepository
from s2cart.application.ports.catalog import Catalog
from s2cart.application.ports.invoices import TaxDocumentRepository
from s2cart.application.ports.orders import OrderRepository
from s2cart.application.ports.outbox import OutboxRepository
from s2cart.application.ports.payment_records import PaymentMethodRepository, PaymentRepository
from s2cart.application.ports.search import SearchHistoryRepository
from s2cart.application.ports.support import SupportTicketRepository


class UnitOfWork(Protocol):
    """An async context manager; leaving it without ``commit()`` rolls everything back."""

    outbox: OutboxRepository
    users: UserRepository
    codes: OneTimeCodeRepository
    sessions: SessionRepository
    login_throttle: LoginThrottleRepository
    catalog: Catalog
    carts: CartBookRepository
    addresses: AddressBookRepository
    search_history: SearchHistoryRepository
    tickets: SupportTicketRepository
    orders: OrderRepository
    payments: PaymentRepository
    payment_methods: PaymentMethodRepository
    invoices: TaxDocumentRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...
