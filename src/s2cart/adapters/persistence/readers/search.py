"""Search history pages and the grouped view, in SQLAlchemy Core."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select

from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.tables.search import search_history
from s2cart.application.search.views import SearchEntryView
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest

_COLUMNS = (
    search_history.c.id,
    search_history.c.query,
    search_history.c.category,
    search_history.c.results_count,
    search_history.c.searched_at,
)
_ORDER_COLUMNS: dict[str, ColumnElement[Any]] = {
    "searched_at": search_history.c.searched_at,
    "query": search_history.c.query,
    "results_count": search_history.c.results_count,
    "id": search_history.c.id,
}
_NEWEST_FIRST = (search_history.c.searched_at.desc(), search_history.c.id.desc())


class SqlAlchemySearchHistoryReader(Reader):
    async def page(
        self, user_id: int, request: PageRequest, ordering: Ordering, category: str | None
    ) -> Page[SearchEntryView]:
        where = [search_history.c.user_id == user_id]
        if category is not None:
            where.append(search_history.c.category == category)
        column = _ORDER_COLUMNS[ordering.field]
        query = (
            select(*_COLUMNS)
            .where(*where)
            .order_by(column.desc() if ordering.descending else column.asc(), search_history.c.id.desc())
            .offset(request.offset)
            .limit(request.limit)
        )
        count = select(func.count()).select_from(search_history).where(*where)
        async with self.connect() as connection:
            total = int((await connection.execute(count)).scalar_one())
            rows = (await connection.execute(query)).all()
        return Page(items=[SearchEntryView(**row._mapping) for row in rows], total_count=total, request=request)

    async def all(self, user_id: int) -> list[SearchEntryView]:
        query = select(*_COLUMNS).where(search_history.c.user_id == user_id).order_by(*_NEWEST_FIRST)
        async with self.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [SearchEntryView(**row._mapping) for row in rows]
