"""The contract's envelopes: every body S2Cart sends is one of these."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, Literal, TypeVar

import msgspec

T = TypeVar("T")

DEFAULT_MESSAGE = "Operation completed successfully"
ERROR_CODE_PATTERN = "^[A-Z]+_[0-9]{3}$"


class Success(msgspec.Struct, Generic[T], kw_only=True):
    status: Literal["success"] = "success"
    code: int = 200
    message: str = DEFAULT_MESSAGE
    data: T


class Done(msgspec.Struct, kw_only=True):
    """A success with nothing to return (logout, delete)."""

    status: Literal["success"] = "success"
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
    status: Literal["success"] = "success"
    code: int = 200
    message: str = DEFAULT_MESSAGE
    data: list[T]
    pagination: Pagination


class ErrorBody(msgspec.Struct, kw_only=True):
    status: Literal["error"] = "error"
    code: int
    message: str
    errors: dict[str, list[str]]
    timestamp: datetime
    # AREA_NNN: AUTH_004, CART_001, VAL_001 ... (docs/contract-notes.md lists them with their statuses)
    error_code: Annotated[str, msgspec.Meta(pattern=ERROR_CODE_PATTERN)]


def success(data: T, message: str = DEFAULT_MESSAGE, code: int = 200) -> Success[T]:
    return Success(data=data, code=code, message=message)


def done(message: str = DEFAULT_MESSAGE, code: int = 200) -> Done:
    return Done(code=code, message=message)
