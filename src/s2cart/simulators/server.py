"""Serving simulators: one ASGI app for one or several, in the foreground (CLI) or in a thread (tests)."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn

from s2cart.simulators.asgi import Request, Response, Router, json_response
from s2cart.simulators.base import GatewaySimulator

# Public test credentials (the protocol note's fake Paytm key, PhonePe's published UAT sample), used when
# S2Cart has none configured, so a developer can start a simulator with no setup at all.
TEST_PAYTM_MID = "S2CTEST0000000000001"
TEST_PAYTM_KEY = "S2CartTestKey#01"
TEST_PHONEPE_MERCHANT_ID = "PGTESTPAYUAT"
TEST_PHONEPE_SALT_KEY = "099eb0cd-02cf-4e2a-8aca-3e6c6aff0399"
TEST_PHONEPE_SALT_INDEX = 1
# Standard Checkout v2 (made up: PhonePe publishes no shared v2 sandbox client).
TEST_PHONEPE_CLIENT_ID = "S2CARTSIMCLIENT"
TEST_PHONEPE_CLIENT_SECRET = "s2cart-sim-client-secret-01"
TEST_PHONEPE_CLIENT_VERSION = "1"
TEST_PHONEPE_WEBHOOK_USERNAME = "s2cart_sim"
TEST_PHONEPE_WEBHOOK_PASSWORD = "simhook2026"


def build_app(*simulators: GatewaySimulator) -> Router:
    router = Router()
    for simulator in simulators:
        router.include(simulator.router())

    async def reset_all(request: Request) -> Response:
        for simulator in simulators:
            simulator.ledger.reset()
        return json_response({"status": "reset"})

    router.add("POST", "/_sim/reset", reset_all)
    return router


def serve(app: Router, host: str, port: int, log_level: str = "info") -> None:
    # log_config=None: uvicorn's lines (startup, access) go through the process's handler, JSON in JSON mode,
    # instead of uvicorn's own plain-text formatters.
    uvicorn.run(app, host=host, port=port, log_level=log_level, log_config=None, lifespan="on", server_header=False)


class ThreadedServer:
    """``with ThreadedServer(app) as base_url:`` serves over real HTTP on 127.0.0.1 and an ephemeral port."""

    def __init__(self, app: Router, host: str = "127.0.0.1", port: int = 0) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()[:2]
        config = uvicorn.Config(
            app,
            log_level="warning",
            lifespan="off",
            access_log=False,
            timeout_graceful_shutdown=1,
            loop="asyncio",
            http="h11",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="gateway-simulator", daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the simulator did not start")
            time.sleep(0.01)
        return self.base_url

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
