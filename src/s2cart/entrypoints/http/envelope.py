"""The contract's envelopes: every body S2Cart sends is one of these."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")

DEFAULT_MESSAGE = "Operation completed successfully"


class Success(msgspec.Struct, Generic[T], kw_only=True):
    status: str = "success"
    code: int = 200
    message: str = DEFAULT_MESSAGE
    data: T


class Done(msgspec.Struct, kw_only=True):
    """A success with nothing to return (logout, delete)."""

    status: str = "success"
    code: int = 200
    message: str = DEFAULT_MESSAGE


class Pagination(msgspec.Struct):
    page: int
    page_size: int
    total_pages: int
    total_count: int
    has_next: bool
    has_previous: bool
    next_url: str | None
    previous_url: str | None


class Paginated(msgspec.Struct, Generic[T], kw_only=True):
    status: str = "success"
    code: int = 200
    message: str = DEFAULT_MESSAGE
    data: list[T]
    pagination: Pagination


class ErrorBody(msgspec.Struct, kw_only=True):
    status: str = "error"
    code: int
    message: str
    errors: dict[str, list[str]]
    timestamp: datetime
    error_code: str


def success(data: T, message: str = DEFAULT_MESSAGE, code: int = 200) -> Success[T]:
    return Success(data=data, code=code, message=message)


def done(message: str = DEFAULT_MESSAGE, code: int = 200) -> Done:
    return Done(code=code, message=message)
