"""Sign-in throttling per address and account with escalating blocks (login_throttles replaces login_failures).

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-05 23:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from s2cart.adapters.persistence.types import UtcDateTime

revision = "0046"
down_revision = "0045"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("throttle_key", sa.String(128), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UtcDateTime(), nullable=False),
        sa.Column("strikes", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("blocked_until", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("throttle_key", name="pk_login_throttles"),
    )
    # Counts of at most 15 minutes: nothing worth carrying over.
    op.drop_table("login_failures")


def downgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("ip_address", sa.String(45), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ip_address", name="pk_login_failures"),
    )
    op.drop_table("login_throttles")
