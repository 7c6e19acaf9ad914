"""Idempotency claims with a lease: the token of the request holding a key, and until when it holds it.

Both columns are nullable: a claim written before them (or by a worker still running the previous release)
has no lease, and counts as lapsed, so a key a dead worker left behind is free again at once.

Revision ID: 0045
Revises: 0040
Create Date: 2026-12-05 23:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import s2cart.adapters.persistence.types

revision = "0045"
down_revision = "0040"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("lease_until", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("claim_token")
