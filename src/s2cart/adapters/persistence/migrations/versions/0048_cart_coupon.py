"""A coupon held on a cart: carts.coupon_code (POST /carts/store/{store_id}/coupon/).

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-06 02:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0048"
down_revision = "0047"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("carts") as batch:
        batch.add_column(sa.Column("coupon_code", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("carts") as batch:
        batch.drop_column("coupon_code")
