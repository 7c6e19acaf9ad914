"""The type of the ORM session factory that units of work open (``engine.make_session_factory`` builds it).

Not to be confused with ``repositories/sessions.py``, which stores the users' device sessions."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

AsyncSessionFactory = async_sessionmaker[AsyncSession]
