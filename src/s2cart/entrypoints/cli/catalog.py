"""``s2cart catalog load PATH|--demo``: upsert a catalog file, all of it or nothing."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from importlib import resources
from pathlib import Path

from s2cart.application.catalog.catalog_document import (
    CatalogDocument,
    CatalogDocumentInvalid,
    parse_catalog_document,
)
from s2cart.application.catalog.load_catalog import LoadReport
from s2cart.application.errors import ApplicationError
from s2cart.entrypoints.logs import report_error
from s2cart.entrypoints.settings import Settings

DEMO_CATALOG = "demo_catalog.json"
logger = logging.getLogger("s2cart.catalog")


def add_catalog_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    catalog = sub.add_parser("catalog", help="stores, products and coupons")
    actions = catalog.add_subparsers(dest="action", required=True)
    load = actions.add_parser(
        "load", help="upsert a catalog JSON file; a file with any bad entry is refused as a whole"
    )
    source = load.add_mutually_exclusive_group(required=True)
    source.add_argument("path", nargs="?", type=Path, help="the catalog file")
    source.add_argument("--demo", action="store_true", help="the demo catalog shipped with S2Cart")
    load.set_defaults(handler=load_catalog_command)


def load_catalog_command(args: argparse.Namespace, settings: Settings) -> int:
    name = "the demo catalog" if args.demo else str(args.path)
    try:
        text = _demo_text() if args.demo else Path(args.path).read_text(encoding="utf-8")
        document = parse_catalog_document(json.loads(text))
        started = time.monotonic()
        report = asyncio.run(_load(settings, document))
    except OSError as exc:
        return _fail(f"cannot read {name}: {exc.strerror or exc}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _fail(f"{name} is not valid JSON: {exc}")
    except CatalogDocumentInvalid as exc:
        return _fail(f"{name} rejected, nothing was loaded:\n  " + "\n  ".join(exc.lines()))
    except ApplicationError:
        return _fail("the database is unavailable or not migrated (run 's2cart db upgrade'); nothing was loaded")
    if settings.tax_mode == "gst":
        _warn_unregistered(document)
    took = f" in {time.monotonic() - started:.1f} s" if sys.stdout.isatty() else ""
    print(
        f"catalog loaded from {name}: {report.stores} stores, {report.products} products, {report.coupons} coupons"
        + took
    )
    return 0


async def _load(settings: Settings, document: CatalogDocument) -> LoadReport:
    from s2cart.entrypoints.container import build_container, close_resources

    container = build_container(settings)
    try:
        return await container.load_catalog()(document, _progress if sys.stdout.isatty() else None)
    finally:
        await close_resources(container)


def _warn_unregistered(document: CatalogDocument) -> None:
    """In GST mode a store without a GSTIN (or legal name) sells, but issues no tax invoices; one without a state
    code cannot sell at all."""
    from s2cart.domain.invoices.invoice import cannot_invoice

    for store in document.stores:
        if not store.state_code:
            logger.warning(
                "store %s has no state_code: in GST mode it cannot sell (quote and checkout answer 409 GEN_409: "
                "no place of supply can be called intra- or inter-state) nor issue tax invoices",
                store.id,
            )
            continue
        problem = cannot_invoice(store)
        if problem is not None:
            logger.warning(
                "store %s cannot issue tax invoices: %s; its paid orders get none (GET .../invoice/ answers 409 "
                "INVOICE_003) until the catalog gives it one",
                store.id,
                problem,
            )


def _progress(written: int, total: int) -> None:
    """On a terminal only: a line rewritten in place (a pipe or a log gets the summary alone)."""
    print(f"\rwriting products: {written:,}/{total:,}", end="\n" if written >= total else "", flush=True)


def _demo_text() -> str:
    return resources.files("s2cart").joinpath("data", DEMO_CATALOG).read_text(encoding="utf-8")


def _fail(message: str) -> int:
    report_error(message)
    return 1
