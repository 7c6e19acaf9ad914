"""ClearSearchHistory: forget every search of the caller."""

from __future__ import annotations

from s2cart.application.ports.uow import UnitOfWorkFactory


class ClearSearchHistory:
    """Deletes the caller's entries only; clearing an empty history is not an error. Returns how many went."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, user_id: int) -> int:
        async with self._uow() as uow:
            count = await uow.search_history.clear(user_id)
            await uow.commit()
        return count
