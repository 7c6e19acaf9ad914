"""``s2cart simulator paytm|phonepe|all``: serve the local gateway simulators.

They read the same S2CART_PAYTM_* / S2CART_PHONEPE_* credentials as the API, so pointing a base URL at
the simulator is the only change needed; with none configured they use public test credentials.
"""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING, Any

from s2cart.entrypoints.settings import Settings

if TYPE_CHECKING:
    from s2cart.simulators.base import GatewaySimulator

DEFAULT_PORT = 9100
logger = logging.getLogger("s2cart.gateways.simulate")


def add_simulator_command(sub: Any) -> None:
    parser = sub.add_parser("simulator", help="serve a local Paytm/PhonePe simulator (development and tests)")
    parser.add_argument("gateway", choices=["paytm", "phonepe", "all"], help="'all' serves both on one port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.set_defaults(handler=_simulator)


def build_simulators(which: str, settings: Settings) -> list[GatewaySimulator]:
    from s2cart.entrypoints.http.routes import BASE_PATH
    from s2cart.simulators import server
    from s2cart.simulators.paytm import PaytmSimulator
    from s2cart.simulators.phonepe import PhonePeSimulator
    from s2cart.simulators.phonepe_v2 import V2Credentials

    simulators: list[GatewaySimulator] = []
    if which in ("paytm", "all"):
        simulators.append(
            PaytmSimulator(
                mid=settings.paytm_mid or server.TEST_PAYTM_MID,
                merchant_key=settings.paytm_merchant_key or server.TEST_PAYTM_KEY,
                website=settings.paytm_website,
            )
        )
    if which in ("phonepe", "all"):
        simulators.append(
            PhonePeSimulator(
                merchant_id=settings.phonepe_merchant_id or server.TEST_PHONEPE_MERCHANT_ID,
                salt_key=settings.phonepe_salt_key or server.TEST_PHONEPE_SALT_KEY,
                salt_index=settings.phonepe_salt_index if settings.phonepe_salt_key else server.TEST_PHONEPE_SALT_INDEX,
                # v2 too, on the same port: the webhook goes where the merchant would point it on the dashboard.
                v2=V2Credentials(
                    client_id=settings.phonepe_client_id or server.TEST_PHONEPE_CLIENT_ID,
                    client_secret=settings.phonepe_client_secret or server.TEST_PHONEPE_CLIENT_SECRET,
                    client_version=settings.phonepe_client_version
                    if settings.phonepe_client_id
                    else server.TEST_PHONEPE_CLIENT_VERSION,
                    webhook_username=settings.phonepe_webhook_username or server.TEST_PHONEPE_WEBHOOK_USERNAME,
                    webhook_password=settings.phonepe_webhook_password or server.TEST_PHONEPE_WEBHOOK_PASSWORD,
                    webhook_url=f"{settings.public_base_url.rstrip('/')}{BASE_PATH}/payments/phonepe/callback/",
                ),
            )
        )
    return simulators


def _simulator(args: argparse.Namespace, settings: Settings) -> int:
    from s2cart.simulators.server import build_app, serve

    simulators = build_simulators(args.gateway, settings)
    url = f"http://{args.host}:{args.port}"
    for simulator in simulators:
        # The merchant id only: keys are never logged.
        variable = f"S2CART_{simulator.name.upper()}_BASE_URL"
        logger.info(
            "%s simulator for merchant %s: set %s=%s",
            simulator.name,
            simulator.merchant,
            variable,
            url,
            extra={"gateway": simulator.name, "merchant": simulator.merchant, "url": url},
        )
    serve(build_app(*simulators), args.host, args.port, settings.log_level.lower())
    return 0
