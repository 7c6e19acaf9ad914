"""Shared pagination for every list: query parameters in, the contract's ``pagination`` block out."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from litestar import Request
from litestar.params import QueryParameter

from s2cart.domain.shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest
from s2cart.entrypoints.http.envelope import DEFAULT_MESSAGE, Paginated, Pagination

T = TypeVar("T")


def provide_page_request(
    page: Annotated[int, QueryParameter(description="1-based page number")] = 1,
    page_size: Annotated[
        int,
        QueryParameter(
            description=f"Items per page, at least 1; above {MAX_PAGE_SIZE} is served as {MAX_PAGE_SIZE} "
            "(the pagination block says so); below 1 or not a number is a 400"
        ),
    ] = DEFAULT_PAGE_SIZE,
) -> PageRequest:
    # The predecessor clamped, and existing clients send larger values: the answer's block shows the size used.
    return PageRequest(page=page, page_size=min(page_size, MAX_PAGE_SIZE))


def _page_url(request: Request[Any, Any, Any], page: int) -> str:
    # Sorted, so the same page always has the same URL whatever order the client wrote.
    params = sorted((k, v) for k, v in request.query_params.multi_items() if k != "page")
    params.append(("page", str(page)))
    # Litestar matches routes without the trailing slash; the contract's URLs always carry it.
    path = request.url.path if request.url.path.endswith("/") else f"{request.url.path}/"
    return f"{path}?{urlencode(params)}"


def pagination_block(request: Request[Any, Any, Any], page: Page[Any]) -> Pagination:
    current = page.request.page
    return Pagination(
        page=current,
        page_size=page.request.page_size,
        total_pages=page.total_pages,
        total_count=page.total_count,
        has_next=page.has_next,
        has_previous=page.has_previous,
        next_url=_page_url(request, current + 1) if page.has_next else None,
        previous_url=_page_url(request, min(current - 1, page.total_pages)) if page.has_previous else None,
    )


def paginated(request: Request[Any, Any, Any], page: Page[T], message: str = DEFAULT_MESSAGE) -> Paginated[T]:
    """The page's items as they are (the application's views), with the contract's pagination block."""
    return Paginated(data=list(page.items), pagination=pagination_block(request, page), message=message)
