"""``s2cart payments reconcile|list|refund`` and ``s2cart gateways simulate|settle|env``: payments, for operators.

``gateways`` wraps the local simulators (``s2cart simulator``) for development and staging: serve both,
settle a simulated payment as the customer would, and print the settings that point S2Cart at them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import shlex
import signal
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import msgspec

from s2cart.entrypoints.cli.lists import add_payments_list
from s2cart.entrypoints.cli.running import run_in_container
from s2cart.entrypoints.cli.simulator import DEFAULT_PORT
from s2cart.entrypoints.logs import report_error
from s2cart.entrypoints.settings import Settings

if TYPE_CHECKING:
    from s2cart.application.payments.reconcile_payments import ReconcileReport
    from s2cart.entrypoints.container import Container

logger = logging.getLogger("s2cart.payments.reconcile")
logger_simulate = logging.getLogger("s2cart.gateways.simulate")


def add_payment_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    payments = sub.add_parser("payments", help="payments").add_subparsers(dest="action", required=True)
    reconcile = payments.add_parser(
        "reconcile", help="ask the gateways about unsettled payments, expire abandoned ones, send due refunds"
    )
    reconcile.add_argument(
        "--every", type=float, default=0, metavar="SECONDS", help="keep running, one round every SECONDS"
    )
    reconcile.add_argument(
        "--metrics-port",
        type=int,
        default=0,
        metavar="PORT",
        help="serve this process's metrics (rounds, last run, settlements, gateway latency) at :PORT/metrics",
    )
    reconcile.add_argument("--metrics-host", default="127.0.0.1", help="the address --metrics-port binds")
    reconcile.set_defaults(handler=_reconcile)
    add_payments_list(payments)
    refund = payments.add_parser(
        "refund", help="give back all or part of a COMPLETED payment through its gateway (once a payment)"
    )
    refund.add_argument("payment_id", type=int, metavar="PAYMENT_ID")
    refund.add_argument("--amount", type=_amount, default=None, metavar="A", help="rupees, e.g. 120.50 (default: all)")
    refund.set_defaults(handler=_refund)

    gateways = sub.add_parser("gateways", help="local gateway simulators").add_subparsers(dest="action", required=True)
    simulate = gateways.add_parser("simulate", help="serve the Paytm and PhonePe simulators on one port")
    simulate.add_argument("--host", default="127.0.0.1")
    simulate.add_argument("--port", type=int, default=DEFAULT_PORT)
    simulate.set_defaults(handler=_simulate)
    settle = gateways.add_parser("settle", help="settle a simulated payment as the customer would")
    settle.add_argument(
        "--url",
        default=None,
        help="the simulator's base URL (default: S2CART_PAYTM_BASE_URL or S2CART_PHONEPE_BASE_URL for --gateway, "
        f"as `gateways env` sets it, else http://127.0.0.1:{DEFAULT_PORT})",
    )
    settle.add_argument("--gateway", choices=["paytm", "phonepe"], required=True)
    settle.add_argument("--order", required=True, metavar="GATEWAY_ORDER_ID", help="payment_data.order_id")
    settle.add_argument("--outcome", choices=["success", "failure", "pending"], required=True)
    settle.add_argument("--no-callback", action="store_true", help="record the outcome without notifying S2Cart")
    settle.set_defaults(handler=_settle)
    env = gateways.add_parser("env", help="print the settings that point S2Cart at a simulator (for eval)")
    env.add_argument("--url", default=f"http://127.0.0.1:{DEFAULT_PORT}")
    env.set_defaults(handler=_env)


def _reconcile(args: argparse.Namespace, settings: Settings) -> int:
    from s2cart.entrypoints.container import build_container, close_resources

    async def main() -> int:
        container = build_container(settings)
        if args.metrics_port:
            container.metrics().serve(args.metrics_host, args.metrics_port)
        stop = asyncio.Event()  # SIGTERM (systemd stop) or SIGINT: finish the round in progress, then exit
        for signum in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        try:
            while True:
                report = await container.reconcile_payments()()
                log_round(report)
                if args.every <= 0:
                    return 0
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), args.every)
                if stop.is_set():
                    return 0
        finally:
            await close_resources(container)

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:
        return 0


def _amount(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not an amount: {text!r}") from None
    if not amount.is_finite():
        raise argparse.ArgumentTypeError(f"not an amount: {text!r}")
    return amount


def _refund(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 once the gateway took the request (REFUNDED, or REFUND_PENDING for the reconciler to follow);
    1 when the payment's rules refuse it, or the gateway refused it (the payment is COMPLETED again)."""

    async def work(container: Container) -> int:
        payment = await container.refund_payment()(args.payment_id, args.amount)
        if payment.refund_refused:
            report_error(f"{payment.gateway} refused the refund of payment {payment.id} ({payment.gateway_code})")
            return 1
        print(
            f"refund of payment {payment.id}: {payment.refund_amount} of {payment.amount} via {payment.gateway}, "
            f"{payment.status.value} (refund id {payment.refund_id})"
        )
        return 0

    return run_in_container(settings, work)


def log_round(report: ReconcileReport) -> None:
    """One log line a round: the counts as structured fields (JSON mode), the same counts in words (text mode)."""
    fields = {
        "checked": report.checked,
        "captured": report.captured,
        "failed": report.failed,
        "expired": report.expired,
        "refunds_requested": report.refunds_requested,
        "refunds_completed": report.refunds_completed,
    }
    logger.info(
        "checked %d: captured %d, failed %d, expired %d; refunds requested %d, completed %d",
        *fields.values(),
        extra=fields,
    )


def _simulate(args: argparse.Namespace, settings: Settings) -> int:
    from s2cart.entrypoints.cli.simulator import build_simulators
    from s2cart.simulators.server import build_app, serve

    simulators = build_simulators("all", settings)
    url = f"http://{args.host}:{args.port}"
    for simulator in simulators:  # the merchant id only: keys are never logged
        logger_simulate.info(
            "%s simulator for merchant %s at %s",
            simulator.name,
            simulator.merchant,
            url,
            extra={"gateway": simulator.name, "merchant": simulator.merchant, "url": url},
        )
    serve(build_app(*simulators), args.host, args.port, settings.log_level.lower())
    return 0


def _simulator_url(gateway: str, settings: Settings) -> str:
    """The gateway's configured base URL, where ``make run`` (``gateways env``) pointed it at the simulator.

    The built-in default is the real gateway's sandbox, which has no ``/_sim/`` routes: then the simulator's
    default port is the best guess.
    """
    configured: str = getattr(settings, f"{gateway}_base_url")
    built_in = next(f.default for f in msgspec.structs.fields(Settings) if f.name == f"{gateway}_base_url")
    return configured if configured != built_in else f"http://127.0.0.1:{DEFAULT_PORT}"


def _settle(args: argparse.Namespace, settings: Settings) -> int:
    import httpx

    url = args.url or _simulator_url(args.gateway, settings)
    body = {"outcome": args.outcome, "deliver": "none" if args.no_callback else "callback"}
    target = f"{url.rstrip('/')}/_sim/{args.gateway}/orders/{args.order}/pay"
    try:
        reply = httpx.post(target, json=body, timeout=30)
    except httpx.HTTPError as exc:
        report_error(f"the simulator at {url} did not answer ({type(exc).__name__})")
        return 1
    if reply.status_code != 200:
        report_error(f"{args.gateway} simulator: {reply.text[:200]}")
        return 1
    result: dict[str, Any] = reply.json()
    order = result["order"]
    print(f"{args.gateway} {order['order_id']}: {order['state']} (amount {order['amount']}, txn {order['txn_id']})")
    for note in result.get("notifications", []):
        print(f"  notified {note['url']}: {note.get('status_code') or note.get('error')}")
    return 0


def _env(args: argparse.Namespace, settings: Settings) -> int:
    """The simulator's public test credentials where S2Cart has none, and base URLs at the simulator."""
    from s2cart.simulators import server

    values = {
        "S2CART_PAYTM_BASE_URL": args.url,
        "S2CART_PHONEPE_BASE_URL": args.url,
    }
    if not settings.paytm_enabled:
        values.update({"S2CART_PAYTM_MID": server.TEST_PAYTM_MID, "S2CART_PAYTM_MERCHANT_KEY": server.TEST_PAYTM_KEY})
    if not settings.phonepe_enabled:  # Standard Checkout v2, what PhonePe gives new merchants
        values.update(
            {
                "S2CART_PHONEPE_MERCHANT_ID": server.TEST_PHONEPE_MERCHANT_ID,
                "S2CART_PHONEPE_CLIENT_ID": server.TEST_PHONEPE_CLIENT_ID,
                "S2CART_PHONEPE_CLIENT_SECRET": server.TEST_PHONEPE_CLIENT_SECRET,
                "S2CART_PHONEPE_CLIENT_VERSION": server.TEST_PHONEPE_CLIENT_VERSION,
                "S2CART_PHONEPE_WEBHOOK_USERNAME": server.TEST_PHONEPE_WEBHOOK_USERNAME,
                "S2CART_PHONEPE_WEBHOOK_PASSWORD": server.TEST_PHONEPE_WEBHOOK_PASSWORD,
            }
        )
    for name, value in values.items():
        print(f"export {name}={shlex.quote(value)}")
    return 0
