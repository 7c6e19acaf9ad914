"""The schema, as SQLAlchemy Core tables, one module an area. Alembic migrations are the only way it
reaches a database; importing this package registers every table on ``metadata``."""

from s2cart.adapters.persistence.tables import accounts as _accounts  # noqa: F401
from s2cart.adapters.persistence.tables import addresses as _addresses  # noqa: F401
from s2cart.adapters.persistence.tables import carts as _carts  # noqa: F401
from s2cart.adapters.persistence.tables import catalog as _catalog  # noqa: F401
from s2cart.adapters.persistence.tables import invoices as _invoices  # noqa: F401
from s2cart.adapters.persistence.tables import orders as _orders  # noqa: F401
from s2cart.adapters.persistence.tables import outbox as _outbox  # noqa: F401
from s2cart.adapters.persistence.tables import payments as _payments  # noqa: F401
from s2cart.adapters.persistence.tables import search as _search  # noqa: F401
from s2cart.adapters.persistence.tables import support as _support  # noqa: F401
from s2cart.adapters.persistence.tables import users as _users  # noqa: F401
from s2cart.adapters.persistence.tables.metadata import metadata

__all__ = ["metadata"]
