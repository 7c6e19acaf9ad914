"""/api/docs works on a machine without internet: the page loads Swagger UI from S2Cart itself, never a CDN.

The browser test runs Debian's headless Chromium against a real `s2cart serve` with every request off loopback
refused (a dead proxy for anything but loopback, and no host name resolves except 127.0.0.1), and reads the
rendered DOM for the operations. Without Chromium it is skipped, except in CI (``CI`` set), where it fails."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from s2cart.entrypoints.http.docs_page import ASSETS, ASSETS_PATH
from tests.integration.server_process import serving

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# Nothing may leave loopback: a proxy that is not listening catches every non-loopback URL (Chromium never
# proxies loopback), and no name resolves except 127.0.0.1.
OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--hide-scrollbars",
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--virtual-time-budget=15000",
)
CONTENT_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


def chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: CI must run the docs page's browser test (.ci/run installs it)")
    pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")


async def test_the_docs_page_loads_only_its_own_assets(app: Litestar) -> None:
    async with AsyncTestClient(app=app) as client:
        page = await client.get("/api/docs")
        assert page.status_code == 200
        assert "text/html" in page.headers["content-type"]
        references = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
        assert references, page.text[:500]
        assert all(ref.startswith(f"{ASSETS_PATH}/") for ref in references), references
        assert not re.search(r"https?://(?!testserver)", page.text.split("spec:")[0]), "the page names another host"
        for name in ASSETS:
            asset = await client.get(f"{ASSETS_PATH}/{name}")
            assert asset.status_code == 200, name
            assert CONTENT_TYPES[Path(name).suffix] in asset.headers["content-type"], name
            assert len(asset.content) > 100, name
        # The assets route is not an API operation, and a missing file is a 404, not a 500.
        assert (await client.get(f"{ASSETS_PATH}/no-such-file.js")).status_code == 404
        assert (await client.get(f"{ASSETS_PATH}/../docs_page.py")).status_code == 404
        document = (await client.get("/api/docs/openapi.json")).json()
        assert not any(path.startswith(ASSETS_PATH) for path in document["paths"])


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_docs_page_renders_the_operations_in_chromium_without_network(database_url: str, tmp_path: Path) -> None:
    browser = chromium()
    with serving(database_url, tmp_path / "serve.log") as (_, base):
        dom = subprocess.run(
            [browser, *OFFLINE_FLAGS, "--dump-dom", f"{base}/api/docs"],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
    rendered = set(re.findall(r'class="opblock-summary-path" data-path="([^"]+)"', dom))
    # Swagger UI built the page from the served scripts: every operation's path is in the DOM.
    assert {"/api/auth/register", "/api/auth/jwt", "/api/auth/orders", "/api/auth/live"} <= rendered, dom[:2000]
    assert len(rendered) >= 40, sorted(rendered)
    assert "S2Cart API" in dom
    assert "Failed to load API definition" not in dom
