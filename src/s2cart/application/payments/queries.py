"""Reading payments: the latest attempt of an order (refreshed when it lags), and the history pages."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from s2cart.application.errors import GatewayError
from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.application.payments.settlement import Settlement
from s2cart.application.payments.views import HistoryFilter, PaymentHistoryView, PaymentStatusView
from s2cart.application.ports.payment_reads import PaymentReader
from s2cart.application.ports.system import Clock
from s2cart.domain.payments.errors import PaymentNotFound
from s2cart.domain.payments.payment import PaymentState
from s2cart.domain.shared.errors import ErrorCollector
from s2cart.domain.shared.ids import is_storable_id
from s2cart.domain.shared.pagination import Page, PageRequest

logger = logging.getLogger("s2cart.payments")

# A PENDING attempt this long unchecked is asked about again when its status is read.
REFRESH_AFTER = timedelta(seconds=5)
PAYMENT_TYPE = re.compile(r"[A-Z_]{1,30}")


class GetPaymentStatus:
    """- The latest attempt of the caller's order; another user's order, or one never paid, is 404.
    - A PENDING attempt unchecked for 5 s is asked about at the gateway first (the status endpoint's
      own rate limit bounds how often); if the gateway cannot answer within the gateway deadline, the
      stored state is returned and the reconciler finishes the work."""

    def __init__(self, reader: PaymentReader, settlement: Settlement, clock: Clock, deadline: GatewayDeadline) -> None:
        self._reader = reader
        self._settlement = settlement
        self._clock = clock
        self._deadline = deadline

    async def __call__(self, user_id: int, order_id: int) -> PaymentStatusView:
        view = await self._reader.latest_of_order(user_id, order_id) if is_storable_id(order_id) else None
        if view is None:
            raise PaymentNotFound("No payment for this order")
        last_news = view.last_checked_at or view.created_at
        if view.status == PaymentState.PENDING and self._clock.now() - last_news >= REFRESH_AFTER:
            try:
                await self._settlement.check(view.payment_id, self._deadline.start())
            except GatewayError as exc:  # a misconfigured gateway must not hide the stored state
                logger.warning("payment %s: refresh failed (%s)", view.payment_id, exc.code)
            view = await self._reader.latest_of_order(user_id, order_id) or view
        return view


def history_filter(
    status: str | None, payment_type: str | None, from_date: str | None, to_date: str | None
) -> HistoryFilter:
    """Dates are YYYY-MM-DD (UTC days, both ends included); anything malformed is a 400 naming it."""
    problems = ErrorCollector()
    if status is not None and status not in PaymentState.__members__:
        problems.add("status", f"Unknown status. Allowed: {', '.join(PaymentState.__members__)}.")
    kind = payment_type.strip().upper() if payment_type is not None else None
    if kind is not None and not PAYMENT_TYPE.fullmatch(kind):
        problems.add("payment_type", "A payment type like UPI, CC, DC or NB.")
    dates: dict[str, date | None] = {}
    for name, raw in (("from_date", from_date), ("to_date", to_date)):
        dates[name] = None
        if raw is None:
            continue
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError(raw)
            dates[name] = date.fromisoformat(raw)
        except ValueError:
            problems.add(name, "A date as YYYY-MM-DD.")
    start, end = dates["from_date"], dates["to_date"]
    if start and end and start > end:
        problems.add("from_date", "from_date must not be after to_date.")
    problems.raise_if_any("Invalid filters")
    return HistoryFilter(status=status, payment_type=kind, from_date=start, to_date=end)


class ListPayments:
    """- The caller's attempts, newest first, each with its order's address and its records.
    - Filters: status, payment_type, from_date and to_date (inclusive); bad values are a 400."""

    def __init__(self, reader: PaymentReader) -> None:
        self._reader = reader

    async def __call__(
        self,
        user_id: int,
        request: PageRequest,
        status: str | None = None,
        payment_type: str | None = None,
        from_date: str | None = None,
        to_date: str | None = None,
    ) -> Page[PaymentHistoryView]:
        return await self._reader.page(user_id, request, history_filter(status, payment_type, from_date, to_date))
