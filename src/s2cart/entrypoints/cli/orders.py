"""``s2cart orders show|set-status|list``: the operator's side of orders."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from s2cart.entrypoints.cli.lists import add_orders_list
from s2cart.entrypoints.logs import report_error
from s2cart.entrypoints.settings import Settings

if TYPE_CHECKING:
    from s2cart.domain.orders.order import Order


def add_order_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from s2cart.domain.orders.status import OrderStatus

    orders = sub.add_parser("orders", help="orders").add_subparsers(dest="action", required=True)
    show = orders.add_parser("show", help="print an order (ORDER is its id or order number)")
    show.add_argument("order")
    show.set_defaults(handler=_show)
    move = orders.add_parser("set-status", help="move an order through its states")
    move.add_argument("order")
    move.add_argument("status", choices=[s.value for s in OrderStatus])
    move.add_argument("--tracking-number", default=None)
    move.add_argument("--carrier", default=None)
    move.set_defaults(handler=_set_status)
    add_orders_list(orders)


def _describe(order: Order) -> str:
    lines = [
        f"{order.order_number} (id {order.id}) user={order.user_id} status={order.status.value}",
        f"  total={order.totals.total_amount} (subtotal {order.totals.subtotal}, tax {order.totals.tax_amount}, "
        f"shipping {order.totals.shipping_cost}, discount {order.totals.discount_amount}) coupon={order.coupon_code}",
        f"  tracking={order.tracking_number or '-'} carrier={order.carrier_name or '-'} paid={order.paid_at or '-'}",
    ]
    lines += [f"  {line.quantity} x {line.product_name} @ {line.unit_price}" for line in order.lines]
    return "\n".join(lines)


def _run(settings: Settings, reference: str, status: str | None, tracking: str | None, carrier: str | None) -> int:
    from s2cart.domain.orders.status import OrderStatus
    from s2cart.domain.shared.errors import DomainError
    from s2cart.entrypoints.container import build_container, close_resources

    async def main() -> int:
        container = build_container(settings)
        try:
            if status is None:
                order = await container.show_order()(reference)
            else:
                order = await container.set_order_status()(reference, OrderStatus(status), tracking, carrier)
            print(_describe(order))
            return 0
        except DomainError as exc:
            details = "; ".join(m for messages in exc.errors.values() for m in messages)
            report_error(f"{exc.message}{': ' + details if details else ''}")
            return 1
        finally:
            await close_resources(container)

    return asyncio.run(main())


def _show(args: argparse.Namespace, settings: Settings) -> int:
    return _run(settings, args.order, None, None, None)


def _set_status(args: argparse.Namespace, settings: Settings) -> int:
    return _run(settings, args.order, args.status, args.tracking_number, args.carrier)
