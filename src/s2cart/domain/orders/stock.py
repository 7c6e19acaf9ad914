"""Stock moves: what an order takes from (or gives back to) each product, in the one lock order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from s2cart.domain.orders.order import OrderLine


@dataclass(frozen=True)
class StockMove:
    store_id: str
    product_id: str
    quantity: int


def stock_moves(lines: Iterable[OrderLine]) -> list[StockMove]:
    """One move per product (variants of a product share its stock), sorted by ``(store_id, product_id)``.

    Every transaction that changes several products' stock must lock their rows in this order (decision
    0023): two checkouts, or a checkout and a cancellation, of the same products then queue on the first
    shared row instead of each holding a row the other waits for (a deadlock)."""
    totals: dict[tuple[str, str], int] = {}
    for line in lines:
        key = (line.store_id, line.product_id)
        totals[key] = totals.get(key, 0) + line.quantity
    return [StockMove(store_id, product_id, quantity) for (store_id, product_id), quantity in sorted(totals.items())]
