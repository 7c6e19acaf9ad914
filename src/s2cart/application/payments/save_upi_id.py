"""SaveUpiId: keep one of the caller's UPI ids for quicker checkouts."""

from __future__ import annotations

from s2cart.application.payments.views import UpiView
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.payments.methods import SavedUpi


def upi_view(upi: SavedUpi) -> UpiView:
    assert upi.id is not None
    return UpiView(
        id=upi.id,
        upi_id=upi.upi_id,
        upi_nickname=upi.nickname,
        is_default=upi.is_default,
        created_at=upi.created_at,
    )


class SaveUpiId:
    """- ``name@handle``, stored lower-case; the same id twice and an 11th id are refused.
    - The first UPI id is the default; ``is_default`` moves the default to the new one."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self, user_id: int, upi_id: str, nickname: str | None = None, is_default: bool = False
    ) -> UpiView:
        upi = SavedUpi(
            user_id=user_id, upi_id=upi_id, nickname=(nickname or "").strip() or None, created_at=self._clock.now()
        )
        async with self._uow() as uow:
            book = await uow.payment_methods.get(user_id)
            book.add_upi(upi, make_default=is_default)
            await uow.payment_methods.save(book)
            await uow.commit()
        return upi_view(upi)
