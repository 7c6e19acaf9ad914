"""SqlAlchemyUnitOfWork: one AsyncSession, one transaction, committed only when told."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.auth_changes import take_auth_changed
from s2cart.adapters.persistence.errors import translate
from s2cart.adapters.persistence.mappers import start_mappers
from s2cart.adapters.persistence.repositories.addresses import SqlAlchemyAddressBookRepository
from s2cart.adapters.persistence.repositories.carts import SqlAlchemyCartBookRepository
from s2cart.adapters.persistence.repositories.catalog import SqlAlchemyCatalog
from s2cart.adapters.persistence.repositories.codes import SqlAlchemyOneTimeCodeRepository
from s2cart.adapters.persistence.repositories.invoices import SqlAlchemyTaxDocumentRepository
from s2cart.adapters.persistence.repositories.orders import SqlAlchemyOrderRepository
from s2cart.adapters.persistence.repositories.outbox import SqlAlchemyOutboxRepository
from s2cart.adapters.persistence.repositories.payment_methods import SqlAlchemyPaymentMethodRepository
from s2cart.adapters.persistence.repositories.payments import SqlAlchemyPaymentRepository
from s2cart.adapters.persistence.repositories.search import SqlAlchemySearchHistoryRepository
from s2cart.adapters.persistence.repositories.sessions import SqlAlchemySessionRepository
from s2cart.adapters.persistence.repositories.support import SqlAlchemySupportTicketRepository
from s2cart.adapters.persistence.repositories.throttle import SqlAlchemyLoginThrottleRepository
from s2cart.adapters.persistence.repositories.users import SqlAlchemyUserRepository
from s2cart.adapters.persistence.session_factory import AsyncSessionFactory
from s2cart.application.conflict_retry import transaction_committed, transaction_opened
from s2cart.application.ports.auth import AuthEpoch


class CommitMarks(Protocol):
    async def committed(self) -> None: ...


class SqlAlchemyUnitOfWork:
    def __init__(
        self, session_factory: AsyncSessionFactory, epoch: AuthEpoch | None = None, marks: CommitMarks | None = None
    ) -> None:
        start_mappers()
        self._session_factory = session_factory
        self._epoch = epoch
        self._marks = marks  # with read replicas: the user's last commit, for read-your-writes (decision 0042)
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._session

    async def __aenter__(self) -> Self:
        transaction_opened()  # the conflict retry re-runs only a call's first transaction (decision 0023)
        self._session = self._session_factory()
        self.outbox = SqlAlchemyOutboxRepository(self._session)
        self.users = SqlAlchemyUserRepository(self._session)
        self.codes = SqlAlchemyOneTimeCodeRepository(self._session)
        self.sessions = SqlAlchemySessionRepository(self._session)
        self.login_throttle = SqlAlchemyLoginThrottleRepository(self._session)
        self.catalog = SqlAlchemyCatalog(self._session)
        self.carts = SqlAlchemyCartBookRepository(self._session)
        self.addresses = SqlAlchemyAddressBookRepository(self._session)
        self.search_history = SqlAlchemySearchHistoryRepository(self._session)
        self.tickets = SqlAlchemySupportTicketRepository(self._session)
        self.orders = SqlAlchemyOrderRepository(self._session)
        self.payments = SqlAlchemyPaymentRepository(self._session)
        self.payment_methods = SqlAlchemyPaymentMethodRepository(self._session)
        self.invoices = SqlAlchemyTaxDocumentRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        self._session = None
        try:
            # Detach first: objects read in this unit stay usable after it (a rollback would expire them),
            # and nothing uncommitted can reach the database any more.
            session.expunge_all()
            await session.rollback()
        except Exception:  # noqa: S110 - the connection is already gone; closing below is what matters
            pass
        finally:
            await session.close()
        if exc is not None:
            translated = translate(exc)
            if translated is not exc:
                raise translated from exc

    async def commit(self) -> None:
        session = self.session
        await session.flush()  # so that an ORM change of a watched attribute has marked itself by now
        if not take_auth_changed(session) or self._epoch is None:
            await session.commit()
            transaction_committed()
            await self._committed()
            return
        # Fails closed (decision 0022): every worker's cache is fenced off before the change commits, so a
        # Redis that does not answer now refuses the change (StorageUnavailable, nothing committed), and one
        # that fails after the commit leaves the fence up until it expires: no cache trusts an ended session.
        fence = await self._epoch.begin_change()
        try:
            await session.commit()
            transaction_committed()
        finally:
            await self._epoch.end_change(fence)
        await self._committed()

    async def _committed(self) -> None:
        if self._marks is not None:
            await self._marks.committed()

    async def rollback(self) -> None:
        await self.session.rollback()
