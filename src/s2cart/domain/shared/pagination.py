"""Page arithmetic and ordering allow-lists shared by every list."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from s2cart.domain.shared.errors import ValidationFailed

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# A page number past this is refused rather than turned into an absurd OFFSET.
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}
        if not 1 <= self.page <= MAX_PAGE:
            errors["page"] = [f"Page must be an integer from 1 to {MAX_PAGE}."]
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            errors["page_size"] = [f"Page size must be an integer from 1 to {MAX_PAGE_SIZE}."]
        if errors:
            raise ValidationFailed("Invalid pagination parameters", errors=errors)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def limit(self) -> int:
        return self.page_size


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total_count: int
    request: PageRequest

    @property
    def total_pages(self) -> int:
        # An empty list still has one (empty) page, so page=1 is always valid.
        return max(1, math.ceil(self.total_count / self.request.page_size))

    @property
    def has_next(self) -> bool:
        return self.request.page < self.total_pages

    @property
    def has_previous(self) -> bool:
        return self.request.page > 1


@dataclass(frozen=True)
class Ordering:
    """A validated sort: a public field name and a direction."""

    field: str
    descending: bool

    @classmethod
    def parse(cls, raw: str | None, allowed: Sequence[str] | Mapping[str, object], default: str) -> Ordering:
        """Parse ``field`` or ``-field``; anything outside ``allowed`` is a 400, never passed to SQL."""
        value = (raw or default).strip()
        descending = value.startswith("-")
        name = value[1:] if descending else value
        if name not in allowed:
            options = ", ".join(sorted(allowed))
            raise ValidationFailed.on("ordering", f"Unknown ordering '{value[:50]}'. Allowed: {options}.")
        return cls(field=name, descending=descending)

    def __str__(self) -> str:
        return f"-{self.field}" if self.descending else self.field
