"""A worker killed (SIGKILL) in the middle of an idempotent request does not lock its key: the client's retry
with the same key, after the lease, is served, and the retry after that replays the stored answer.

The first request stalls where a real one does: S2Cart has committed its claim and the PENDING attempt and
waits for a gateway that accepted the connection and never answers. The server runs as an operator runs it
(``s2cart serve``, one worker process, so the process killed is the worker serving the request).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from contextlib import AbstractContextManager
from pathlib import Path
from subprocess import Popen

import httpx
import pytest

from s2cart.entrypoints.container import Container
from s2cart.entrypoints.settings import Settings
from tests.integration.http.accounts import Client
from tests.integration.mailbox import Mailbox
from tests.integration.payments.test_payment_api import new_customer
from tests.integration.payments.vectors import PAYTM_KEY, PAYTM_MID
from tests.integration.server_process import serving as server_process

LEASE_SECONDS = 3
INITIATE = "/api/auth/payments/initiate/"


class SilentGateway:
    """Accepts TCP connections and never answers: a gateway hung mid-request."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._open = True
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.connected = threading.Event()
        self.connected_at = 0.0
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while self._open:
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            self._held.append(connection)
            self.connected_at = time.monotonic()
            self.connected.set()

    def __enter__(self) -> SilentGateway:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._open = False
        self._thread.join(5)
        self._listener.close()
        for connection in self._held:
            connection.close()


def serving(settings: Settings, log: Path, paytm_base_url: str) -> AbstractContextManager[tuple[Popen[bytes], str]]:
    return server_process(
        settings.database_url,
        log,
        public_base_url=settings.public_base_url,
        paytm_mid=PAYTM_MID,
        paytm_merchant_key=PAYTM_KEY,
        paytm_base_url=paytm_base_url,
        idempotency_lease_seconds=str(LEASE_SECONDS),
    )


async def test_a_retry_after_the_worker_was_killed_is_served_then_replayed(
    api: Client,
    container: Container,
    mailbox: Mailbox,
    settings: Settings,
    gateway_url: str,
    control_client: httpx.AsyncClient,
    tmp_path: Path,
) -> None:
    customer = await new_customer(api, container, mailbox)
    order_id = await customer.order()
    headers = {**customer.headers, "Idempotency-Key": "pay-order-once"}
    body = {"order_id": order_id, "payment_method": "PAYTM"}
    log = tmp_path / "serve.log"

    with SilentGateway() as hung, serving(settings, log, hung.url) as (first_worker, base):
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            in_flight = asyncio.create_task(client.post(INITIATE, headers=headers, json=body))
            while not hung.connected.is_set():  # the claim and the PENDING attempt are committed by now
                assert not in_flight.done(), in_flight.result().text
                await asyncio.sleep(0.02)
            meanwhile = await client.post(INITIATE, headers=headers, json=body)  # the first is running
            first_worker.kill()
            assert first_worker.wait(10) == -9
            with pytest.raises(httpx.TransportError):
                await in_flight  # the client never got an answer
        lease_lapses = hung.connected_at + LEASE_SECONDS
    assert (meanwhile.status_code, meanwhile.json()["error_code"]) == (409, "IDEMPOTENCY_002"), meanwhile.text

    with serving(settings, log, gateway_url) as (_, base):  # a new worker; the gateway answers again
        await asyncio.sleep(max(0.0, lease_lapses - time.monotonic()) + 0.5)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            retry = await client.post(INITIATE, headers=headers, json=body)
            replay = await client.post(INITIATE, headers=headers, json=body)
            latest = await client.get(f"/api/auth/payments/status/{order_id}/", headers=customer.headers)
            history = await client.get("/api/auth/payments/history/", headers=customer.headers)

    assert retry.status_code == 201, retry.text  # today's code: 409 IDEMPOTENCY_002, for 24 hours
    assert "idempotent-replayed" not in retry.headers
    assert (replay.status_code, replay.content) == (201, retry.content)
    assert replay.headers["idempotent-replayed"] == "true"
    started = retry.json()["data"]
    assert latest.json()["data"]["transaction_id"] == started["transaction_id"]
    # The dead worker's attempt was committed before it called the gateway; the retry's superseded it.
    attempts = {p["transaction_id"]: p["status"] for p in history.json()["data"]}
    assert len(attempts) == 2 and attempts[started["transaction_id"]] == "PENDING", attempts
    assert 1 <= int(meanwhile.headers["retry-after"]) <= LEASE_SECONDS
