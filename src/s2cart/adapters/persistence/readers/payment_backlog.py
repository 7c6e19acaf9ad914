"""The reconciler's backlog in two counts, each on the ``next_check_at`` index.

A PENDING attempt always has a next check planned no later than its horizon, so one past its horizon
is also due (``next_check_at <= now``): that bound lets both counts use the index, not scan the table.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.tables.payments import payments
from s2cart.application.ports.payment_backlog import PaymentBacklog
from s2cart.domain.payments.payment import WATCHED_STATES, PaymentState


class SqlAlchemyPaymentBacklogReader(Reader):
    async def backlog(self, now: datetime, expired_before: datetime, overdue_before: datetime) -> PaymentBacklog:
        expired = (
            select(func.count())
            .select_from(payments)
            .where(
                payments.c.next_check_at <= now,
                payments.c.status == PaymentState.PENDING.value,
                payments.c.created_at <= expired_before,
            )
            .scalar_subquery()
        )
        overdue = (
            select(func.count())
            .select_from(payments)
            .where(
                payments.c.next_check_at <= overdue_before,
                payments.c.status.in_([s.value for s in WATCHED_STATES]),
            )
            .scalar_subquery()
        )
        async with self.connect() as connection:
            row = (await connection.execute(select(expired, overdue))).one()
        return PaymentBacklog(pending_past_expiry=int(row[0]), checks_overdue=int(row[1]))
