"""Imperative mapping: domain classes stay plain; SQLAlchemy learns their tables here, once."""

from __future__ import annotations

from sqlalchemy.orm import registry

from s2cart.adapters.persistence.tables.accounts import one_time_codes, sessions
from s2cart.adapters.persistence.tables.users import users
from s2cart.domain.sessions.session import Session
from s2cart.domain.users.one_time_code import OneTimeCode
from s2cart.domain.users.user import User

mapper_registry = registry()
_started = False


def start_mappers() -> None:
    global _started
    if _started:
        return
    mapper_registry.map_imperatively(User, users)
    mapper_registry.map_imperatively(OneTimeCode, one_time_codes)
    mapper_registry.map_imperatively(Session, sessions)
    _started = True
