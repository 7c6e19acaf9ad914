"""The real adapters against the simulators, over real HTTP on 127.0.0.1 and ephemeral ports.

One server per test session holds both simulators (in a background thread with its own event loop);
another plays S2Cart's callback endpoint and records what the gateways deliver. Each test starts from
reset simulators and an empty receiver, and drives them through the ``/_sim`` control API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from s2cart.adapters.payments.http import make_client
from s2cart.adapters.payments.paytm import PaytmGateway
from s2cart.adapters.payments.phonepe import PhonePeGateway
from s2cart.adapters.payments.phonepe_v2 import PhonePeV2Gateway
from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.application.ports.payments import PaymentGateway
from s2cart.entrypoints.settings import Settings
from s2cart.simulators.asgi import Request, Response, Router, json_response
from s2cart.simulators.paytm import PaytmSimulator
from s2cart.simulators.phonepe import PhonePeSimulator
from s2cart.simulators.phonepe_v2 import V2Credentials
from s2cart.simulators.server import ThreadedServer, build_app
from tests.fakes import FakeClock
from tests.integration.conftest import make_settings
from tests.integration.mailbox import Mailbox
from tests.integration.payments.bridge import Bridge
from tests.integration.payments.shop import Shop
from tests.integration.payments.vectors import (
    PAYTM_KEY,
    PAYTM_MID,
    PHONEPE_MERCHANT_ID,
    PHONEPE_SALT_INDEX,
    PHONEPE_SALT_KEY,
    PHONEPE_V2_CLIENT_ID,
    PHONEPE_V2_CLIENT_SECRET,
    PHONEPE_V2_CLIENT_VERSION,
    PHONEPE_V2_WEBHOOK_PASSWORD,
    PHONEPE_V2_WEBHOOK_USERNAME,
)

ADAPTER_TIMEOUT = httpx.Timeout(1.0)
HOLD_SECONDS = 2.5  # a "timeout" fault answers well after the adapter has given up


class Receiver:
    """Plays S2Cart's callback endpoint: records every delivery and answers 200."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.base_url = ""
        self.router = Router()
        self.router.add("POST", "/{name}", self._record)

    async def _record(self, request: Request) -> Response:
        self.received.append({"path": request.path, "headers": request.headers, "body": request.body})
        return json_response({"status": "ok"})

    def url(self, name: str = "callback") -> str:
        return f"{self.base_url}/{name}"


class SimControl:
    """The simulator's test controls, as a test would use them."""

    def __init__(self, client: httpx.AsyncClient, gateway: str) -> None:
        self._client = client
        self._prefix = f"/_sim/{gateway}"

    async def _post(self, path: str, body: dict[str, Any]) -> Any:
        reply = await self._client.post(self._prefix + path, json=body)
        assert reply.status_code == 200, reply.text
        return reply.json()

    async def scenario(self, order_id: str = "*", **fields: Any) -> None:
        await self._post("/scenario", {"order_id": order_id, **fields})

    async def fault(self, endpoint: str, mode: str, count: int = 1) -> None:
        await self._post("/faults", {"endpoint": endpoint, "mode": mode, "count": count})

    async def pay(self, order_id: str, **overrides: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._post(f"/orders/{order_id}/pay", overrides)
        return result

    async def notify(self, order_id: str, url: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = await self._post(f"/orders/{order_id}/notify", {"url": url})
        return result

    async def requests(self, endpoint: str | None = None) -> list[dict[str, Any]]:
        logged: list[dict[str, Any]] = (await self._client.get(f"{self._prefix}/requests")).json()
        return [r for r in logged if endpoint is None or r["endpoint"] == endpoint]


@pytest.fixture(scope="session")
def paytm_sim() -> PaytmSimulator:
    return PaytmSimulator(mid=PAYTM_MID, merchant_key=PAYTM_KEY, hold_seconds=HOLD_SECONDS)


# Where PhonePe v2 sends webhooks: configured on its dashboard, here S2Cart's callback path behind the bridge.
PHONEPE_WEBHOOK_PATH = "/api/auth/payments/phonepe/callback/"


@pytest.fixture(scope="session")
def phonepe_sim(bridge_server: Bridge) -> PhonePeSimulator:
    return PhonePeSimulator(
        merchant_id=PHONEPE_MERCHANT_ID,
        salt_key=PHONEPE_SALT_KEY,
        salt_index=PHONEPE_SALT_INDEX,
        hold_seconds=HOLD_SECONDS,
        v2=V2Credentials(
            client_id=PHONEPE_V2_CLIENT_ID,
            client_secret=PHONEPE_V2_CLIENT_SECRET,
            client_version=PHONEPE_V2_CLIENT_VERSION,
            webhook_username=PHONEPE_V2_WEBHOOK_USERNAME,
            webhook_password=PHONEPE_V2_WEBHOOK_PASSWORD,
            webhook_url=f"{bridge_server.base_url}{PHONEPE_WEBHOOK_PATH}",
        ),
    )


@pytest.fixture(scope="session")
def gateway_url(paytm_sim: PaytmSimulator, phonepe_sim: PhonePeSimulator) -> Iterator[str]:
    with ThreadedServer(build_app(paytm_sim, phonepe_sim)) as url:
        yield url


@pytest.fixture(scope="session")
def receiver_server() -> Iterator[Receiver]:
    receiver = Receiver()
    with ThreadedServer(receiver.router) as url:
        receiver.base_url = url
        yield receiver


@pytest.fixture
def receiver(receiver_server: Receiver) -> Receiver:
    receiver_server.received.clear()
    return receiver_server


@pytest.fixture
async def control_client(gateway_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """Resets both simulators: every gateway fixture depends on it, so no test sees another's orders."""
    async with httpx.AsyncClient(base_url=gateway_url, timeout=10) as client:
        assert (await client.post("/_sim/reset")).status_code == 200
        yield client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def paytm(gateway_url: str, clock: FakeClock, control_client: httpx.AsyncClient) -> AsyncIterator[PaytmGateway]:
    async with make_client(gateway_url, ADAPTER_TIMEOUT) as http:
        yield PaytmGateway(http, mid=PAYTM_MID, merchant_key=PAYTM_KEY, website="WEBSTAGING")


@pytest.fixture
def paytm_sim_control(control_client: httpx.AsyncClient) -> SimControl:
    return SimControl(control_client, "paytm")


@pytest.fixture
async def phonepe(
    gateway_url: str, clock: FakeClock, control_client: httpx.AsyncClient
) -> AsyncIterator[PhonePeGateway]:
    async with make_client(gateway_url, ADAPTER_TIMEOUT) as http:
        yield PhonePeGateway(
            http,
            merchant_id=PHONEPE_MERCHANT_ID,
            salt_key=PHONEPE_SALT_KEY,
            salt_index=PHONEPE_SALT_INDEX,
        )


@pytest.fixture
async def phonepe_v2(
    gateway_url: str, clock: FakeClock, control_client: httpx.AsyncClient
) -> AsyncIterator[PhonePeV2Gateway]:
    async with make_client(gateway_url, ADAPTER_TIMEOUT) as http:
        yield PhonePeV2Gateway(http, clock=clock, merchant_id=PHONEPE_MERCHANT_ID, **PHONEPE_V2_CREDENTIALS)


PHONEPE_V2_CREDENTIALS = {
    "client_id": PHONEPE_V2_CLIENT_ID,
    "client_secret": PHONEPE_V2_CLIENT_SECRET,
    "client_version": PHONEPE_V2_CLIENT_VERSION,
    "webhook_username": PHONEPE_V2_WEBHOOK_USERNAME,
    "webhook_password": PHONEPE_V2_WEBHOOK_PASSWORD,
}


@pytest.fixture
def phonepe_sim_control(control_client: httpx.AsyncClient) -> SimControl:
    return SimControl(control_client, "phonepe")


# --- the payment flows on a real database, against the simulators (issue 7) --------------------------------


@pytest.fixture(scope="session")
def bridge_server() -> Iterator[Bridge]:
    bridge = Bridge()
    with ThreadedServer(bridge) as url:  # type: ignore[arg-type]
        bridge.base_url = url
        yield bridge


@pytest.fixture
def bridge(bridge_server: Bridge) -> Iterator[Bridge]:
    bridge_server.reset()
    yield bridge_server
    bridge_server.reset()


@asynccontextmanager
async def open_shop(
    database_url: str, clock: FakeClock, gateways: Mapping[str, PaymentGateway], bridge: Bridge
) -> AsyncIterator[Shop]:
    engine = make_engine(database_url, pool_size=10, max_overflow=15)
    world = Shop(
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=clock,
        gateways=gateways,
        api_base_url=f"{bridge.base_url}/api/auth",
    )
    bridge.forward_to(world.deliver)
    yield world
    await engine.dispose()


@pytest.fixture
async def shop(
    database_url: str, clock: FakeClock, paytm: PaytmGateway, phonepe: PhonePeGateway, bridge: Bridge
) -> AsyncIterator[Shop]:
    async with open_shop(database_url, clock, {"PAYTM": paytm, "PHONEPE": phonepe}, bridge) as world:
        yield world


@pytest.fixture
async def shop_v2(
    database_url: str, clock: FakeClock, phonepe_v2: PhonePeV2Gateway, bridge: Bridge
) -> AsyncIterator[Shop]:
    """The shop with PhonePe on Standard Checkout v2 only (what a new merchant has)."""
    async with open_shop(database_url, clock, {"PHONEPE": phonepe_v2}, bridge) as world:
        yield world


# --- the HTTP API with both gateways enabled against the simulators ----------------------------------------


# Standard Checkout v2 only (gateway_settings(**PHONEPE_V2_SETTINGS)): client credentials, no salt key at all.
PHONEPE_V2_SETTINGS: dict[str, object] = {
    "phonepe_salt_key": None,
    **{f"phonepe_{k}": v for k, v in PHONEPE_V2_CREDENTIALS.items()},
}


def gateway_settings(
    database_url: str, smtp_server: Mailbox, bridge_server: Bridge, gateway_url: str, **overrides: object
) -> Settings:
    """Both gateways enabled at ``gateway_url``, callbacks via the bridge; ``overrides`` replace any value."""
    values: dict[str, object] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_server.port,
        "public_base_url": bridge_server.base_url,
        "paytm_mid": PAYTM_MID,
        "paytm_merchant_key": PAYTM_KEY,
        "paytm_base_url": gateway_url,
        "phonepe_merchant_id": PHONEPE_MERCHANT_ID,
        "phonepe_salt_key": PHONEPE_SALT_KEY,
        "phonepe_salt_index": PHONEPE_SALT_INDEX,
        "phonepe_base_url": gateway_url,
    }
    return make_settings(database_url, **{**values, **overrides})


@pytest.fixture
def settings(database_url: str, smtp_server: Mailbox, gateway_url: str, bridge_server: Bridge) -> Settings:
    """The app's settings for this directory: both gateways at the simulators, callbacks via the bridge."""
    return gateway_settings(database_url, smtp_server, bridge_server, gateway_url)


@pytest.fixture
async def api(
    client: AsyncTestClient[Litestar], bridge: Bridge, control_client: httpx.AsyncClient
) -> AsyncTestClient[Litestar]:
    """The test client, with the simulators' callbacks delivered to it through the bridge."""

    async def deliver(path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        kept = {k: v for k, v in headers.items() if k.lower() in ("content-type", "x-verify", "authorization")}
        response = await client.post(path, content=body, headers=kept)
        return response.status_code, response.content

    bridge.forward_to(deliver)
    return client
