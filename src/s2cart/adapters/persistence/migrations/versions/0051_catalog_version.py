"""The catalog's version: one row that triggers move on whenever a change could alter a product search's ranked
order, its filters or its count (decision 0052). A search's kept ranking is trusted only at the version it was read
at, checked in the same statement that reads a page's rows.

PostgreSQL: statement-level triggers, and at most one bump a transaction (a catalog load of 100,000 rows writes
the row once). SQLite: row-level triggers (the only kind it has). Stock is not watched: checkout's stock updates
never move it.

Revision ID: 0051
Revises: 0050
Create Date: 2026-12-06 15:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0051"
down_revision = "0050"
branch_labels = None
depends_on = None

# Copied, not imported: a migration must keep meaning what it meant.
_PRODUCT_COLUMNS = "store_id, id, name, description, category, brand, price, active"
_STORE_COLUMNS = "id, active"


def upgrade() -> None:
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.CheckConstraint("id = 1", name="one_row"),
    )
    op.execute("INSERT INTO catalog_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        _postgresql()
    else:
        _sqlite()


def _postgresql() -> None:
    # A transaction-local flag keeps it to one write a transaction: a statement-level trigger still fires once
    # per statement, and a load sends one statement a row.
    op.execute(
        """
        CREATE FUNCTION s2cart_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF coalesce(current_setting('s2cart.catalog_changed', true), '') <> '1' THEN
                UPDATE catalog_version SET version = version + 1 WHERE id = 1;
                PERFORM set_config('s2cart.catalog_changed', '1', true);
            END IF;
            RETURN NULL;
        END
        $$
        """
    )
    for table, columns in (("products", _PRODUCT_COLUMNS), ("stores", _STORE_COLUMNS)):
        op.execute(
            f"CREATE TRIGGER {table}_catalog_version AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF {columns} "
            f"ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION s2cart_catalog_changed()"
        )


def _sqlite() -> None:
    bump = "UPDATE catalog_version SET version = version + 1 WHERE id = 1;"
    for table, columns in (("products", _PRODUCT_COLUMNS), ("stores", _STORE_COLUMNS)):
        for event, name in (("INSERT", "insert"), ("DELETE", "delete"), (f"UPDATE OF {columns}", "update")):
            op.execute(f"CREATE TRIGGER {table}_catalog_version_{name} AFTER {event} ON {table} BEGIN {bump} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("products", "stores"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_catalog_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS s2cart_catalog_changed()")
    else:
        for table in ("products", "stores"):
            for name in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_catalog_version_{name}")
    op.drop_table("catalog_version")
