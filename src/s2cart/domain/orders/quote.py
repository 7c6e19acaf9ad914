"""What checkout would refuse in a cart, line by line: the quote lists it, the order raises the first of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from s2cart.domain.carts.cart import CartItem
from s2cart.domain.catalog.errors import ItemUnavailable, OutOfStock, ProductNotFound
from s2cart.domain.catalog.product import Product


@dataclass(frozen=True)
class LineProblem:
    """One cart line checkout would refuse: ``code`` is the error checkout gives, ``available`` the units
    left (0 for a product the store no longer sells)."""

    product_id: str
    code: str
    message: str
    available: int


def line_problems(
    store_id: str, items: Sequence[CartItem], products: Mapping[str, Product | None], *, store_active: bool = True
) -> list[LineProblem]:
    """- A product the catalog does not have (any more) is the not-found checkout answers.
    - A product no longer sold, or any product of a store that stopped taking orders, is CART_004 with 0 left.
    - Stock is counted per product, over its variants, as checkout takes it: every line of a product
      whose lines together want more than its stock is listed, with the stock left.
    - Products whose stock is not tracked are never short."""
    wanted: dict[str, int] = {}
    for item in items:
        wanted[item.product_id] = wanted.get(item.product_id, 0) + item.quantity
    problems: list[LineProblem] = []
    for item in items:
        product = products.get(item.product_id)
        if product is None:
            missing = ProductNotFound(store_id, item.product_id)
            problems.append(LineProblem(item.product_id, missing.code, missing.errors["product_id"][0], 0))
        elif not product.active or not store_active:
            gone = ItemUnavailable(product.name, product.id, store_closed=product.active)
            problems.append(LineProblem(item.product_id, gone.code, gone.errors["items"][0], 0))
        elif product.stock is not None and wanted[item.product_id] > product.stock:
            short = OutOfStock(product.name, product.stock)
            problems.append(LineProblem(item.product_id, short.code, short.errors["quantity"][0], product.stock))
    return problems
