"""Sessions, one-time codes and sign-in throttling: the tables behind accounts and authentication."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import UtcDateTime

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("scheme", String(8), nullable=False),
    Column("device_type", String(8), nullable=False),
    Column("device_id", String(255), nullable=True),
    Column("user_agent", String(500), nullable=False, server_default=""),
    Column("ip_address", String(45), nullable=True),
    Column("app_version", String(50), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_activity", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("token_digest", String(64), nullable=True, unique=True),
    Column("refresh_jti", String(64), nullable=True),
    Column("previous_refresh_jti", String(64), nullable=True),
    Column("rotated_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("revoked_reason", String(32), nullable=True),
)
Index("ix_sessions_user_alive", sessions.c.user_id, sessions.c.revoked_at)

one_time_codes = Table(
    "one_time_codes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(20), nullable=False),
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("otp_digest", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("token_expires_at", UtcDateTime, nullable=False),
    Column("otp_expires_at", UtcDateTime, nullable=False),
    Column("otp_attempts", Integer, nullable=False, server_default="0"),
    Column("consumed_at", UtcDateTime, nullable=True),
)
Index("ix_one_time_codes_user_purpose", one_time_codes.c.user_id, one_time_codes.c.purpose)

login_throttles = Table(
    "login_throttles",
    metadata,
    Column("throttle_key", String(128), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_started_at", UtcDateTime, nullable=False),
    Column("strikes", Integer, nullable=False, server_default="0"),
    Column("blocked_until", UtcDateTime, nullable=True),
)
