"""Routes that exist only in tests, to drive the shared HTTP machinery (envelopes, pagination, errors)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from s2cart.domain.shared.errors import NotFound
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest
from s2cart.entrypoints.http.envelope import Paginated, Success, success
from s2cart.entrypoints.http.pagination import paginated

WIDGETS = [{"id": i, "name": f"widget-{i:03d}"} for i in range(1, 46)]
ORDERINGS = {"id": "id", "name": "name"}


class Colour(StrEnum):
    RED = "RED"
    BLUE = "BLUE"


class WidgetIn(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    quantity: Annotated[int, msgspec.Meta(ge=1, le=99)]
    colour: Colour = Colour.RED


class Widget(msgspec.Struct):
    id: int
    name: str


@post("/widgets/", status_code=201)
async def create_widget(data: JSONBody[WidgetIn]) -> Success[Widget]:
    return success(Widget(id=46, name=data.name), "Widget created", code=201)


@get("/widgets/")
async def list_widgets(
    request: Request[Any, Any, Any],
    page_request: NamedDependency[PageRequest],
    ordering: FromQuery[str | None] = None,
) -> Paginated[Widget]:
    order = Ordering.parse(ordering, ORDERINGS, "id")
    rows = sorted(WIDGETS, key=lambda w: w[order.field], reverse=order.descending)  # type: ignore[index]
    window = [Widget(**w) for w in rows[page_request.offset : page_request.offset + page_request.limit]]
    page = Page(items=window, total_count=len(rows), request=page_request)
    return paginated(request, page)


@get("/widgets/{widget_id:int}/")
async def get_widget(widget_id: FromPath[int]) -> Success[Widget]:
    raise NotFound("Widget not found")


@get("/boom/")
async def boom() -> None:
    raise RuntimeError("secret internals: postgresql://user:hunter2@db/prod")


PROBE_ROUTES = [create_widget, list_widgets, get_widget, boom]
