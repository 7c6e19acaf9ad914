"""``s2cart serve`` as an operator runs it: two worker processes on a real port, stopped with SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from s2cart.entrypoints.settings import Settings
from tests.integration.http.test_observability import sample
from tests.integration.server_process import serving


@pytest.fixture
def server(settings: Settings, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    log = tmp_path / "serve.log"
    # A sign-in that takes about a second, so SIGTERM arrives while it is in flight.
    slow_hashing = {"argon2_time_cost": "12", "argon2_memory_kib": "65536"}
    with serving(settings.database_url, log, workers=2, **slow_hashing) as (process, base):
        yield process, base, log


def test_workers_share_metrics_and_drain_in_flight_requests_on_sigterm(
    server: tuple[subprocess.Popen[bytes], str, Path],
) -> None:
    process, base, log = server
    for _ in range(20):  # a connection each, so both workers answer some
        assert httpx.get(f"{base}/api/auth/live/", timeout=5).status_code == 200
    scrapes = [httpx.get(f"{base}/metrics", timeout=5).text for _ in range(4)]
    live = {"method": "GET", "route": "/api/auth/live", "status": "200"}
    # Whichever worker answers a scrape reports every worker's requests (20 plus the readiness polls).
    assert all(sample(text, "s2cart_http_requests_total", **live) >= 20 for text in scrapes)
    assert all("s2cart_outbox_pending" in text for text in scrapes)
    # No websocket route, so the workers load no websocket implementation: an upgrade request is answered as the
    # plain request it also is (with one loaded, its handshake would be refused, 403).
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13"}
    upgrade["Sec-WebSocket-Key"] = "dGhlIHNhbXBsZSBub25jZQ=="
    assert httpx.get(f"{base}/api/auth/live/", headers=upgrade, timeout=5).status_code == 200

    answers: list[httpx.Response] = []
    sign_in = threading.Thread(
        target=lambda: answers.append(
            httpx.post(f"{base}/api/auth/jwt/", json={"email": "a@example.com", "password": "Not-It-123"}, timeout=30)
        )
    )
    sign_in.start()
    time.sleep(0.3)
    process.send_signal(signal.SIGTERM)
    assert process.wait(40) == 0
    sign_in.join(5)

    assert [a.status_code for a in answers] == [400]  # answered in full, not cut off
    text = log.read_text()
    assert text.count("shutdown complete: pools closed") == 2, text
    assert '"route": "/api/auth/jwt", "status": 400' in text
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base}/api/auth/live/", timeout=1)


def test_a_worker_freezes_what_it_built_at_startup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import gc

    from s2cart.entrypoints.http import app as app_module
    from s2cart.entrypoints.http.app import app_from_env, freeze_the_startup_heap

    monkeypatch.setattr(app_module, "configure_logging", lambda *_: None)  # keep the test run's logging as it is
    monkeypatch.setenv("S2CART_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'frozen.db'}")
    app = app_from_env()
    assert freeze_the_startup_heap in app.on_startup
    try:
        freeze_the_startup_heap()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
