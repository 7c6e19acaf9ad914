"""Address book (one default per user), search history, support tickets and their messages.

Revision ID: 0020
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from s2cart.adapters.persistence.types import Coordinate, UtcDateTime

revision = "0020"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "addresses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(100), nullable=False),
        sa.Column("street_address", sa.String(255), nullable=False),
        sa.Column("street_address_2", sa.String(255), nullable=False, server_default=""),
        sa.Column("landmark", sa.String(255), nullable=False, server_default=""),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("state", sa.String(100), nullable=False),
        sa.Column("pin_code", sa.String(6), nullable=False),
        sa.Column("country", sa.String(100), nullable=False, server_default="India"),
        sa.Column("phone_number", sa.String(16), nullable=False),
        sa.Column("address_type", sa.String(8), nullable=False, server_default="HOME"),
        sa.Column("latitude", Coordinate(), nullable=True),
        sa.Column("longitude", Coordinate(), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("is_verified", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_addresses"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_addresses_user_id_users", ondelete="CASCADE"),
    )
    op.create_index("ix_addresses_user_id", "addresses", ["user_id"])
    op.create_index(
        "uq_addresses_one_default",
        "addresses",
        ["user_id"],
        unique=True,
        sqlite_where=sa.text("is_default"),
        postgresql_where=sa.text("is_default"),
    )
    op.create_table(
        "search_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("query", sa.String(255), nullable=False),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("results_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("searched_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_history"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_search_history_user_id_users", ondelete="CASCADE"),
    )
    op.create_index("ix_search_history_user_searched", "search_history", ["user_id", "searched_at"])
    op.create_table(
        "support_tickets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_support_tickets"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_support_tickets_user_id_users", ondelete="CASCADE"),
    )
    op.create_index("ix_support_tickets_user_updated", "support_tickets", ["user_id", "updated_at"])
    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("is_user_message", sa.Boolean(), nullable=False),
        sa.Column("attachment_url", sa.String(500), nullable=True),
        sa.Column("sent_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_messages"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["support_tickets.id"],
            name="fk_ticket_messages_ticket_id_support_tickets",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_ticket_messages_ticket_sent", "ticket_messages", ["ticket_id", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_messages_ticket_sent", table_name="ticket_messages")
    op.drop_table("ticket_messages")
    op.drop_index("ix_support_tickets_user_updated", table_name="support_tickets")
    op.drop_table("support_tickets")
    op.drop_index("ix_search_history_user_searched", table_name="search_history")
    op.drop_table("search_history")
    op.drop_index("uq_addresses_one_default", table_name="addresses")
    op.drop_index("ix_addresses_user_id", table_name="addresses")
    op.drop_table("addresses")
