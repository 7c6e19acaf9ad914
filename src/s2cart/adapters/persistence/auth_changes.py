"""Which commits change authentication: the unit of work fences the AuthEpoch around those (decision 0022).

A commit that revokes a session or changes what a Principal carries (tier, verification, activity) must
reach every worker's session cache. Rather than trusting each use case to say so, writes are noticed
where they happen: the sessions repository marks its revocations, and a flush of a User or Session
whose watched attributes changed marks itself.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession

from s2cart.domain.sessions.session import Session
from s2cart.domain.users.user import User

AUTH_CHANGED = "s2cart.auth_changed"
WATCHED: dict[type, tuple[str, ...]] = {
    Session: ("revoked_at", "expires_at", "user_id"),
    User: ("tier", "is_verified", "is_active"),
}


class S2CartOrmSession(OrmSession):
    """The ORM session of every unit of work: notices writes that change authentication."""


def mark_auth_changed(session: Any) -> None:
    """``session``: an ORM Session or an AsyncSession (whose ``info`` is the ORM session's)."""
    session.info[AUTH_CHANGED] = True


def take_auth_changed(session: Any) -> bool:
    return bool(session.info.pop(AUTH_CHANGED, False))


@event.listens_for(S2CartOrmSession, "before_flush")
def _notice(session: OrmSession, _context: Any, _instances: Any) -> None:
    for instance in chain(session.deleted, session.dirty):
        names = WATCHED.get(type(instance))
        if names is None:
            continue
        attributes = inspect(instance).attrs
        if instance in session.deleted or any(attributes[name].history.has_changes() for name in names):
            mark_auth_changed(session)
            return
