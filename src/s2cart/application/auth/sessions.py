"""ListSessions and EndSession: the caller's devices, and ending one of them."""

from __future__ import annotations

from collections.abc import Sequence

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.sessions.session import Session
from s2cart.domain.shared.errors import NotFound


class ListSessions:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int) -> Sequence[Session]:
        async with self._uow() as uow:
            return await uow.sessions.alive_for(user_id, self._clock.now())


class EndSession:
    """Another user's session id, a dead one and an unknown one all answer 404."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int, session_id: str) -> Session:
        now = self._clock.now()
        async with self._uow() as uow:
            session = await uow.sessions.get(session_id)
            if session is None or session.user_id != user_id or not session.is_alive(now):
                raise NotFound("Session not found")
            session.revoke(now, "terminated_by_user")
            await uow.commit()
        return session
