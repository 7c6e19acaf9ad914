"""Storefront: richer stores and products (descriptions, GST facts, active flags) and product search.

PostgreSQL: a weighted tsvector (a stored generated column, GIN-indexed) for words and prefixes, pg_trgm
indexes on the names for typos. SQLite: an FTS5 table over the products kept in step by triggers. Decision 0032.

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-06 03:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from s2cart.adapters.persistence.types import Money

revision = "0047"
down_revision = "0046"
branch_labels = None
depends_on = None

# Copied, not imported: a migration must keep meaning what it meant.
_DOCUMENT = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(brand, '')), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(category, '')), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'C')"
)
_STORE_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("description", sa.Text()),
    ("image_url", sa.String(500)),
    ("city", sa.String(100)),
    ("address", sa.String(500)),
    ("pincode", sa.String(6)),
    ("state_code", sa.String(2)),
    ("legal_name", sa.String(200)),
    ("gstin", sa.String(15)),
)
_PRODUCT_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("description", sa.Text()),
    ("category", sa.String(100)),
    ("brand", sa.String(100)),
    ("mrp", Money()),
    ("unit", sa.String(50)),
    ("hsn_code", sa.String(8)),
    ("gst_rate", Money()),
)
_FTS_COLUMNS = "name, brand, category, description"


def upgrade() -> None:
    for name, type_ in _STORE_COLUMNS:
        op.add_column("stores", sa.Column(name, type_, nullable=True))
    op.add_column("stores", sa.Column("active", sa.Boolean(), nullable=False, server_default="1"))
    for name, type_ in _PRODUCT_COLUMNS:
        op.add_column("products", sa.Column(name, type_, nullable=True))
    op.add_column("products", sa.Column("images", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("products", sa.Column("active", sa.Boolean(), nullable=False, server_default="1"))
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_search()
    else:
        _sqlite_search()


def _postgresql_search() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Stored, so ranking reads each match's document instead of rebuilding it from four columns.
    op.execute(f"ALTER TABLE products ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({_DOCUMENT}) STORED")
    op.execute("CREATE INDEX ix_products_search ON products USING gin (search_document)")
    op.execute("CREATE INDEX ix_products_name_trgm ON products USING gin (name gin_trgm_ops)")
    op.execute("CREATE INDEX ix_stores_name_trgm ON stores USING gin (name gin_trgm_ops)")


def _sqlite_search() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE products_fts USING fts5({_FTS_COLUMNS}, content='products', content_rowid='rowid', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    new = ", ".join(f"new.{c}" for c in _FTS_COLUMNS.split(", "))
    old = ", ".join(f"old.{c}" for c in _FTS_COLUMNS.split(", "))
    op.execute(
        "CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN "  # noqa: S608 (constants only)
        f"INSERT INTO products_fts(rowid, {_FTS_COLUMNS}) VALUES (new.rowid, {new}); END"
    )
    op.execute(
        "CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN "  # noqa: S608 (constants only)
        f"INSERT INTO products_fts(products_fts, rowid, {_FTS_COLUMNS}) VALUES ('delete', old.rowid, {old}); END"
    )
    op.execute(
        "CREATE TRIGGER products_fts_update AFTER UPDATE OF name, brand, category, description ON products BEGIN "  # noqa: S608 (constants only)
        f"INSERT INTO products_fts(products_fts, rowid, {_FTS_COLUMNS}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO products_fts(rowid, {_FTS_COLUMNS}) VALUES (new.rowid, {new}); END"
    )
    op.execute("INSERT INTO products_fts(products_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_stores_name_trgm")
        op.execute("DROP INDEX IF EXISTS ix_products_name_trgm")
        op.execute("DROP INDEX IF EXISTS ix_products_search")
        op.execute("ALTER TABLE products DROP COLUMN IF EXISTS search_document")
        # pg_trgm stays: other databases' objects may use it, and it costs nothing.
    else:
        for trigger in ("products_fts_update", "products_fts_delete", "products_fts_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS products_fts")
    for name in ("active", "images", *(c for c, _ in reversed(_PRODUCT_COLUMNS))):
        op.drop_column("products", name)
    for name in ("active", *(c for c, _ in reversed(_STORE_COLUMNS))):
        op.drop_column("stores", name)
