from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from s2cart.domain.catalog.errors import OutOfStock
from s2cart.domain.catalog.gst import gst_rate_problem, hsn_code_problem
from s2cart.domain.catalog.identifiers import (
    count_problem,
    identifier_problem,
    image_list_problem,
    image_url_problem,
    name_problem,
    optional_text_problem,
)
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.money import MAX_AMOUNT, to_paise

# At this many units or fewer a product is LOW_STOCK.
LOW_STOCK_AT = 5


class StockStatus(StrEnum):
    IN_STOCK = "IN_STOCK"
    LOW_STOCK = "LOW_STOCK"
    OUT_OF_STOCK = "OUT_OF_STOCK"


def stock_status_of(stock: int | None) -> StockStatus:
    """What a shopper is told instead of the count: untracked stock (None) is always in stock."""
    if stock is None or stock > LOW_STOCK_AT:
        return StockStatus.IN_STOCK
    return StockStatus.LOW_STOCK if stock > 0 else StockStatus.OUT_OF_STOCK


def cover_image_of(image_url: str | None, images: tuple[str, ...] | list[str]) -> str | None:
    """The picture a listing shows: the product's own image, else the first of its gallery."""
    return image_url or (images[0] if images else None)


@dataclass(frozen=True)
class Product:
    """A product as one store sells it; ids are unique within a store, not across stores.

    ``stock`` None means the store does not track stock for it: any quantity is available. ``mrp`` (the
    printed maximum retail price) is never below ``price``; ``gst_rate`` is one of the GST slabs. An inactive
    product is hidden from browsing, cannot be added to a cart, and checkout refuses a line holding it.
    """

    store_id: str
    id: str
    name: str
    price: Decimal
    stock: int | None = None
    image_url: str | None = None
    description: str | None = None
    category: str | None = None
    brand: str | None = None
    mrp: Decimal | None = None
    images: tuple[str, ...] = ()
    unit: str | None = None
    hsn_code: str | None = None
    gst_rate: Decimal | None = None
    active: bool = True

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}
        for field, problem in (
            ("store_id", identifier_problem(self.store_id)),
            ("id", identifier_problem(self.id)),
            ("name", name_problem(self.name)),
            ("image_url", image_url_problem(self.image_url)),
            ("description", optional_text_problem(self.description, 2000)),
            ("category", optional_text_problem(self.category, 100)),
            ("brand", optional_text_problem(self.brand, 100)),
            ("images", image_list_problem(self.images)),
            ("unit", optional_text_problem(self.unit, 50)),
            ("hsn_code", hsn_code_problem(self.hsn_code)),
            ("gst_rate", gst_rate_problem(self.gst_rate)),
            ("active", None if isinstance(self.active, bool) else "must be true or false"),
        ):
            if problem:
                errors[field] = [problem]
        if not isinstance(self.price, Decimal) or not self.price.is_finite():
            errors["price"] = ["must be a Decimal amount"]
        elif not Decimal(0) <= self.price <= MAX_AMOUNT or to_paise(self.price) != self.price:
            errors["price"] = [f"must be from 0.00 to {MAX_AMOUNT} in whole paise"]
        if self.mrp is not None:
            if not isinstance(self.mrp, Decimal) or not self.mrp.is_finite() or to_paise(self.mrp) != self.mrp:
                errors["mrp"] = ["must be a Decimal amount in whole paise"]
            elif not self.mrp <= MAX_AMOUNT or ("price" not in errors and self.mrp < self.price):
                errors["mrp"] = [f"must be at least the price ({self.price}) and at most {MAX_AMOUNT}"]
        stock_problem = count_problem(self.stock, minimum=0, meaning_of_null="not tracked")
        if stock_problem:
            errors["stock"] = [stock_problem]
        if errors:
            raise ValidationFailed("Invalid product", errors=errors)
        object.__setattr__(self, "price", to_paise(self.price))
        if self.mrp is not None:
            object.__setattr__(self, "mrp", to_paise(self.mrp))

    @property
    def stock_status(self) -> StockStatus:
        return stock_status_of(self.stock)

    @property
    def cover_image(self) -> str | None:
        return cover_image_of(self.image_url, self.images)

    def has_stock_for(self, quantity: int) -> bool:
        return self.stock is None or quantity <= self.stock

    def ensure_stock_for(self, quantity: int) -> None:
        """CART_003 unless ``quantity`` units can be sold."""
        if not self.has_stock_for(quantity):
            raise OutOfStock(self.name, self.stock or 0)
