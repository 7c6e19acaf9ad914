from __future__ import annotations

from dataclasses import dataclass

from s2cart.domain.catalog.gst import gstin_problem, pincode_problem, state_code_problem
from s2cart.domain.catalog.identifiers import (
    identifier_problem,
    image_url_problem,
    name_problem,
    optional_text_problem,
)
from s2cart.domain.shared.errors import ValidationFailed


@dataclass(frozen=True)
class Store:
    """A store of the catalog. Only ``id`` and ``name`` are required; an inactive store is hidden from browsing
    and takes no new cart lines, while carts already holding its products keep showing them."""

    id: str
    name: str
    description: str | None = None
    image_url: str | None = None
    city: str | None = None
    address: str | None = None
    pincode: str | None = None
    state_code: str | None = None
    legal_name: str | None = None
    gstin: str | None = None
    active: bool = True

    def __post_init__(self) -> None:
        problems = {
            "id": identifier_problem(self.id),
            "name": name_problem(self.name),
            "description": optional_text_problem(self.description, 2000),
            "image_url": image_url_problem(self.image_url),
            "city": optional_text_problem(self.city, 100),
            "address": optional_text_problem(self.address, 500),
            "pincode": pincode_problem(self.pincode),
            "state_code": state_code_problem(self.state_code),
            "legal_name": optional_text_problem(self.legal_name, 200),
            "active": None if isinstance(self.active, bool) else "must be true or false",
        }
        if self.gstin is not None:
            state = self.state_code if problems["state_code"] is None else None
            problems["gstin"] = gstin_problem(self.gstin, state)
        errors = {field: [problem] for field, problem in problems.items() if problem}
        if errors:
            raise ValidationFailed("Invalid store", errors=errors)
