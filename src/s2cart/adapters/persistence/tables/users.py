from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, String, Table, UniqueConstraint

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import UtcDateTime

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(150), nullable=False),
    # Lower-cased copies carry the case-insensitive uniqueness on both SQLite and PostgreSQL.
    Column("username_key", String(150), nullable=False),
    Column("email", String(254), nullable=False),
    Column("email_key", String(254), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("first_name", String(150), nullable=False, server_default=""),
    Column("last_name", String(150), nullable=False, server_default=""),
    Column("phone_number", String(16), nullable=True),
    Column("profile_image", String(500), nullable=True),
    Column("date_of_birth", Date, nullable=True),
    Column("gender", String(20), nullable=True),
    Column("preferred_language", String(2), nullable=False, server_default="EN"),
    Column("email_notifications", Boolean, nullable=False, server_default="1"),
    Column("sms_notifications", Boolean, nullable=False, server_default="1"),
    Column("push_notifications", Boolean, nullable=False, server_default="1"),
    Column("is_verified", Boolean, nullable=False, server_default="0"),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("tier", String(16), nullable=False, server_default="standard"),
    Column("failed_login_attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("date_joined", UtcDateTime, nullable=False),
    Column("last_login", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("username_key", name="uq_users_username_key"),
    UniqueConstraint("email_key", name="uq_users_email_key"),
)
