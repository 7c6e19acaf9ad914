"""``s2cart catalog load`` end to end: file in, rows out, all or nothing."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Select, select

from s2cart.adapters.persistence.engine import make_engine
from s2cart.adapters.persistence.tables.catalog import coupons, products, stores
from s2cart.domain.catalog.coupon import Coupon, CouponKind
from s2cart.entrypoints.cli.main import main

ISSUE_FILE: dict[str, Any] = {
    "stores": [{"id": "store_123", "name": "SuperMart"}],
    "products": [
        {
            "store_id": "store_123",
            "id": "prod_001",
            "name": "Wireless Headphones",
            "price": "500.00",
            "stock": 100,
            "image_url": "https://cdn.example.com/p/prod_001.jpg",
        }
    ],
    "coupons": [
        {"code": "SAVE10", "kind": "PERCENT", "value": "10"},
        {"code": "FLAT50", "kind": "FLAT", "value": "50.00", "min_subtotal": "200.00"},
        {"code": "OLD5", "kind": "PERCENT", "value": "5", "valid_until": "2020-01-01T00:00:00Z"},
    ],
}


@pytest.fixture
def env_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("S2CART_DATABASE_URL", database_url)
    return database_url


def _rows(url: str, query: Select[Any]) -> list[Any]:
    async def read() -> list[Any]:
        engine = make_engine(url)
        try:
            async with engine.connect() as connection:
                return list((await connection.execute(query)).all())
        finally:
            await engine.dispose()

    return asyncio.run(read())


def _write(tmp_path: Path, document: object, name: str = "catalog.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_loading_the_issue_example_twice_is_idempotent(
    env_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, ISSUE_FILE)
    assert main(["catalog", "load", path]) == 0
    first = _rows(env_database, select(products)), _rows(env_database, select(coupons))
    assert main(["catalog", "load", path]) == 0

    assert (_rows(env_database, select(products)), _rows(env_database, select(coupons))) == first
    assert "1 stores, 1 products, 3 coupons" in capsys.readouterr().out
    [product] = first[0]
    assert (product.price, product.stock) == (Decimal("500.00"), 100)
    old5 = next(row for row in first[1] if row.code == "OLD5")
    assert old5.valid_until == datetime(2020, 1, 1, tzinfo=UTC)


def test_reloading_updates_price_and_stock(env_database: str, tmp_path: Path) -> None:
    assert main(["catalog", "load", _write(tmp_path, ISSUE_FILE)]) == 0
    changed = json.loads(json.dumps(ISSUE_FILE))
    changed["products"][0].update(price="449.50", stock=7)
    assert main(["catalog", "load", _write(tmp_path, changed, "v2.json")]) == 0
    [product] = _rows(env_database, select(products))
    assert (product.price, product.stock) == (Decimal("449.50"), 7)


def test_a_file_with_one_bad_entry_loads_nothing_and_names_it(
    env_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(json.dumps(ISSUE_FILE))
    document["products"].append({"store_id": "store_123", "id": "prod_009", "name": "Bad", "price": "1.005"})

    assert main(["catalog", "load", _write(tmp_path, document)]) == 1

    err = capsys.readouterr().err
    assert "nothing was loaded" in err
    assert "products[1] (store_123/prod_009): price: must have at most 2 decimal places" in err
    assert _rows(env_database, select(stores)) == []
    assert _rows(env_database, select(coupons)) == []


def test_a_product_of_an_unknown_store_loads_nothing(
    env_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(json.dumps(ISSUE_FILE))
    document["products"].append({"store_id": "store_000", "id": "p", "name": "Orphan", "price": "1.00"})
    assert main(["catalog", "load", _write(tmp_path, document)]) == 1
    assert "products (store_000/p): store_id: no store 'store_000'" in capsys.readouterr().err
    assert _rows(env_database, select(stores)) == []


def test_a_file_that_is_not_json_is_refused(
    env_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"stores": [', encoding="utf-8")
    assert main(["catalog", "load", str(path)]) == 1
    assert "is not valid JSON" in capsys.readouterr().err


def test_the_demo_catalog_walks_the_contract_examples(env_database: str) -> None:
    assert main(["catalog", "load", "--demo"]) == 0

    store_names = dict(_rows(env_database, select(stores.c.id, stores.c.name)))
    assert (store_names["store_123"], store_names["store_456"]) == ("SuperMart", "TechMart")
    assert len(store_names) > 5  # enough stores to meet the five-cart limit
    by_key = {(p.store_id, p.id): p for p in _rows(env_database, select(products))}
    assert (by_key["store_123", "prod_001"].name, by_key["store_123", "prod_001"].price) == (
        "Wireless Headphones",
        Decimal("500.00"),
    )
    assert (by_key["store_456", "prod_002"].name, by_key["store_456", "prod_002"].price) == (
        "Bluetooth Speaker",
        Decimal("750.00"),
    )
    assert any(p.stock is None for p in by_key.values())
    assert any(p.stock is not None and 0 < p.stock <= 3 for p in by_key.values())

    loaded = {row.code: row for row in _rows(env_database, select(coupons))}
    now = datetime.now(UTC)
    save10 = Coupon(loaded["SAVE10"].code, CouponKind(loaded["SAVE10"].kind), loaded["SAVE10"].value)
    assert save10.apply(now=now, subtotal=Decimal("1000.00")) == Decimal("100.00")
    assert (loaded["FLAT50"].value, loaded["FLAT50"].min_subtotal) == (Decimal("50.00"), Decimal("200.00"))
    assert loaded["OLD5"].valid_until < now
