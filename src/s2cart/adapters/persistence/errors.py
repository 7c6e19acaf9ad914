"""Translate driver failures into application errors; no database text reaches a client."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from s2cart.application.errors import StorageUnavailable, TransactionConflict


class ConnectionLost(StorageUnavailable):
    """A pooled connection the database had dropped (a restart, ``pg_terminate_backend``, an idle timeout) failed
    its statement. The connection is discarded and the pool's older ones are suspect; a read, being idempotent,
    may run once more on a fresh connection (decision 0044). Anywhere else it is the StorageUnavailable it is."""


# The SQLSTATEs by which PostgreSQL aborts a transaction to resolve a conflict with another one: running the
# same work again is the documented remedy (decision 0023).
CONFLICT_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected


def conflict_sqlstate(exc: BaseException) -> str | None:
    if not isinstance(exc, DBAPIError):
        return None
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate if sqlstate in CONFLICT_SQLSTATES else None


def is_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def translate(exc: BaseException) -> BaseException:
    sqlstate = conflict_sqlstate(exc)
    if sqlstate is not None:
        return TransactionConflict(sqlstate)
    if is_unavailable(exc):
        return StorageUnavailable()
    return exc
