from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from s2cart.domain.catalog.errors import OutOfStock
from s2cart.domain.catalog.identifiers import (
    count_problem,
    identifier_problem,
    image_url_problem,
    name_problem,
)
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.money import MAX_AMOUNT, to_paise


@dataclass(frozen=True)
class Product:
    """A product as one store sells it; ids are unique within a store, not across stores.

    ``stock`` None means the store does not track stock for it: any quantity is available.
    """

    store_id: str
    id: str
    name: str
    price: Decimal
    stock: int | None = None
    image_url: str | None = None

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}
        for field, problem in (
            ("store_id", identifier_problem(self.store_id)),
            ("id", identifier_problem(self.id)),
            ("name", name_problem(self.name)),
            ("image_url", image_url_problem(self.image_url)),
        ):
            if problem:
                errors[field] = [problem]
        if not isinstance(self.price, Decimal) or not self.price.is_finite():
            errors["price"] = ["must be a Decimal amount"]
        elif not Decimal(0) <= self.price <= MAX_AMOUNT or to_paise(self.price) != self.price:
            errors["price"] = [f"must be from 0.00 to {MAX_AMOUNT} in whole paise"]
        stock_problem = count_problem(self.stock, minimum=0, meaning_of_null="not tracked")
        if stock_problem:
            errors["stock"] = [stock_problem]
        if errors:
            raise ValidationFailed("Invalid product", errors=errors)
        object.__setattr__(self, "price", to_paise(self.price))

    def has_stock_for(self, quantity: int) -> bool:
        return self.stock is None or quantity <= self.stock

    def ensure_stock_for(self, quantity: int) -> None:
        """CART_003 unless ``quantity`` units can be sold."""
        if not self.has_stock_for(quantity):
            raise OutOfStock(self.name, self.stock or 0)
