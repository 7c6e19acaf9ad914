"""RemovePaymentMethod: forget one of the caller's saved cards or UPI ids."""

from __future__ import annotations

from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.payments.methods import MethodKind


class RemovePaymentMethod:
    """- Only the caller's own (another user's id is 404); the card's sealed token goes with it.
    - Removing the default makes the newest remaining one of that kind the default."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, user_id: int, kind: MethodKind, method_id: int) -> None:
        async with self._uow() as uow:
            book = await uow.payment_methods.get(user_id)
            book.remove(kind, method_id)
            await uow.payment_methods.save(book)
            await uow.commit()
