"""CORS in a real browser: Debian's headless Chromium (/usr/bin/chromium) driven by playwright's Python package
(never `playwright install`: nothing is downloaded). A page served from another origin signs in with fetch and
lists the carts; a page from an origin the setting does not name is blocked by the browser.

Without Chromium the test is skipped locally, and fails under CI=true (.ci/run installs it)."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from s2cart.entrypoints.container import Container
from s2cart.entrypoints.settings import Settings
from tests.integration.http.accounts import Client, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.mailbox import Mailbox
from tests.integration.server_process import serving

CHROMIUM = "/usr/bin/chromium"
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>shop</title></head><body>
<script>
// What a storefront does: sign in, add to the cart, list the carts; all cross-origin, all with preflights.
window.shop = async (api, email, password) => {
  try {
    const json = {"Content-Type": "application/json", "X-Device-Type": "web", "X-Request-ID": "browser-test-1"};
    const signIn = await fetch(api + "/api/auth/jwt/", {method: "POST", headers: json,
                                                        body: JSON.stringify({email, password})});
    const token = (await signIn.json()).data.access;
    const auth = {...json, "Authorization": "Bearer " + token};
    const added = await fetch(api + "/api/auth/cart/items/", {method: "POST", headers: auth,
      body: JSON.stringify({store_id: "store_123", product_id: "prod_001", quantity: 2})});
    const carts = await fetch(api + "/api/auth/carts/", {headers: {"Authorization": "Bearer " + token}});
    const body = await carts.json();
    return {signIn: signIn.status, added: added.status, carts: carts.status,
            stores: body.data.map(c => c.store_id), items: body.data.map(c => c.item_count),
            remaining: carts.headers.get("X-RateLimit-Remaining"), requestId: signIn.headers.get("X-Request-ID")};
  } catch (error) {
    return {error: String(error)};
  }
};
</script></body></html>
"""


@pytest.fixture
def chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("playwright is missing in CI: it is in the dev extras (make install)")
        pytest.skip("playwright is not installed (make install)")
    return CHROMIUM


@contextmanager
def static_site(root: Path) -> Iterator[int]:
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


async def test_a_page_on_an_allowed_origin_signs_in_and_lists_carts_and_another_is_blocked(
    chromium: str, client: Client, container: Container, mailbox: Mailbox, settings: Settings, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright

    await load_demo_catalog(container)
    account = await verified(client, mailbox)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(PAGE, encoding="utf-8")
    env = {"cors_allowed_origins": "http://localhost:*", "rate_limit_enabled": "true"}
    with (
        serving(settings.database_url, tmp_path / "serve.log", **env) as (_, api),
        static_site(tmp_path / "site") as port,
    ):
        async with async_playwright() as driver:
            browser = await driver.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
            try:
                allowed = await _shop(browser, f"http://localhost:{port}/", api, account.email, account.password)
                blocked = await _shop(browser, f"http://127.0.0.1:{port}/", api, account.email, account.password)
            finally:
                await browser.close()

    assert "error" not in allowed, allowed
    assert (allowed["signIn"], allowed["added"], allowed["carts"]) == (200, 201, 200)
    assert (allowed["stores"], allowed["items"]) == (["store_123"], [2])
    assert allowed["remaining"] is not None and int(allowed["remaining"]) >= 0  # an exposed header is readable
    assert allowed["requestId"] == "browser-test-1"
    # 127.0.0.1 is another origin than localhost, and not named: the browser refuses the page the answer.
    assert blocked == {"error": "TypeError: Failed to fetch"}


async def _shop(browser: Any, page_url: str, api: str, email: str, password: str) -> dict[str, Any]:
    page = await browser.new_page()
    try:
        await page.goto(page_url)
        return dict(await page.evaluate("([a, e, p]) => window.shop(a, e, p)", [api, email, password]))
    finally:
        await page.close()
