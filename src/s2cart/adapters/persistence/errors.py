"""Translate driver failures into application errors; no database text reaches a client."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from s2cart.application.errors import StorageUnavailable


def is_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def translate(exc: BaseException) -> BaseException:
    if is_unavailable(exc):
        return StorageUnavailable()
    return exc
