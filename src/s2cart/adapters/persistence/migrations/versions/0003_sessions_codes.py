"""Device sessions, one-time codes (verification, password reset) and per-address sign-in failures.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from s2cart.adapters.persistence.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(8), nullable=False),
        sa.Column("device_type", sa.String(8), nullable=False),
        sa.Column("device_id", sa.String(255), nullable=True),
        sa.Column("user_agent", sa.String(500), nullable=False, server_default=""),
        sa.Column("ip_address", sa.String(45), nullable=True),
        sa.Column("app_version", sa.String(50), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("last_activity", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=True),
        sa.Column("refresh_jti", sa.String(64), nullable=True),
        sa.Column("previous_refresh_jti", sa.String(64), nullable=True),
        sa.Column("rotated_at", UtcDateTime(), nullable=True),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.Column("revoked_reason", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_sessions_user_id_users", ondelete="CASCADE"),
        sa.UniqueConstraint("token_digest", name="uq_sessions_token_digest"),
    )
    op.create_index("ix_sessions_user_alive", "sessions", ["user_id", "revoked_at"])
    op.create_table(
        "one_time_codes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False),
        sa.Column("otp_digest", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("token_expires_at", UtcDateTime(), nullable=False),
        sa.Column("otp_expires_at", UtcDateTime(), nullable=False),
        sa.Column("otp_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("consumed_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_one_time_codes"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_one_time_codes_user_id_users", ondelete="CASCADE"),
        sa.UniqueConstraint("token_digest", name="uq_one_time_codes_token_digest"),
    )
    op.create_index("ix_one_time_codes_user_purpose", "one_time_codes", ["user_id", "purpose"])
    op.create_table(
        "login_failures",
        sa.Column("ip_address", sa.String(45), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ip_address", name="pk_login_failures"),
    )


def downgrade() -> None:
    op.drop_table("login_failures")
    op.drop_index("ix_one_time_codes_user_purpose", table_name="one_time_codes")
    op.drop_table("one_time_codes")
    op.drop_index("ix_sessions_user_alive", table_name="sessions")
    op.drop_table("sessions")
