"""Load the demo catalog into a test's database, as `make run` does."""

from __future__ import annotations

import json
from importlib import resources

from s2cart.application.catalog.catalog_document import parse_catalog_document
from s2cart.entrypoints.container import Container


async def load_demo_catalog(container: Container) -> None:
    text = resources.files("s2cart").joinpath("data", "demo_catalog.json").read_text(encoding="utf-8")
    await container.load_catalog()(parse_catalog_document(json.loads(text)))
