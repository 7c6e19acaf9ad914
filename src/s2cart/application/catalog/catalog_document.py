"""The catalog file format (``s2cart catalog load``), decoded and checked as a whole.

    {"stores":   [{"id": "store_123", "name": "SuperMart", "city": "Bengaluru", "state_code": "29",
                   "gstin": "29AAGCB7383J1Z4", ...}],
     "products": [{"store_id": "store_123", "id": "prod_001", "name": "Wireless Headphones",
                   "price": "500.00", "mrp": "699.00", "stock": 100, "image_url": "https://...",
                   "category": "Electronics", "brand": "boAt", "gst_rate": "18", "hsn_code": "8518", ...}],
     "coupons":  [{"code": "SAVE10", "kind": "PERCENT", "value": "10"}]}

Amounts and GST rates are strings (never floats); ``stock`` null or absent means not tracked; coupon times are
ISO 8601 with a zone. Every store and product field but the ids, name and price is optional (``active``
defaults to true). Unknown keys are refused, so a misspelt optional field cannot be ignored silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from s2cart.domain.catalog.coupon import Coupon, CouponKind, normalize_code
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.money import parse_amount

_SECTIONS = ("stores", "products", "coupons")
_STORE_FIELDS = {"id": True, "name": True} | dict.fromkeys(
    ("description", "image_url", "city", "address", "pincode", "state_code", "legal_name", "gstin", "active"), False
)
_PRODUCT_FIELDS = {
    "store_id": True,
    "id": True,
    "name": True,
    "price": True,
    "stock": False,
    "image_url": False,
} | dict.fromkeys(
    ("description", "category", "brand", "mrp", "images", "unit", "hsn_code", "gst_rate", "active"), False
)
_COUPON_FIELDS = {
    "code": True,
    "kind": True,
    "value": True,
    "min_subtotal": False,
    "max_discount": False,
    "valid_from": False,
    "valid_until": False,
    "usage_limit": False,
    "per_user_limit": False,
    "active": False,
}
MAX_REPORTED = 20

T = TypeVar("T")


class CatalogDocumentInvalid(ValidationFailed):
    """The document is refused as a whole; ``errors`` maps each bad entry to what is wrong with it."""

    code = "CATALOG_001"

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        first_entry, first_problems = next(iter(errors.items()))
        super().__init__(f"Catalog rejected: {first_entry}: {first_problems[0]}", errors=errors)

    def lines(self) -> list[str]:
        return [f"{entry}: {problem}" for entry, problems in self.errors.items() for problem in problems]


@dataclass(frozen=True)
class CatalogDocument:
    stores: tuple[Store, ...] = ()
    products: tuple[Product, ...] = ()
    coupons: tuple[Coupon, ...] = ()


def parse_catalog_document(raw: object) -> CatalogDocument:
    """Every entry is checked; any problem refuses the whole document, naming each bad entry."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, dict):
        raise CatalogDocumentInvalid({"document": ["must be a JSON object with stores, products, coupons"]})
    for key in raw:
        if key not in _SECTIONS:
            errors.setdefault("document", []).append(f"unknown section '{key}'")
    sections: dict[str, list[Any]] = {}
    for name in _SECTIONS:
        section = raw.get(name, [])
        if not isinstance(section, list):
            errors.setdefault(name, []).append("must be a list")
            section = []
        sections[name] = section

    stores = _entries(sections["stores"], "stores", _STORE_FIELDS, _store, lambda s: s.id, errors)
    products = _entries(
        sections["products"], "products", _PRODUCT_FIELDS, _product, lambda p: (p.store_id, p.id), errors
    )
    coupons = _entries(sections["coupons"], "coupons", _COUPON_FIELDS, _coupon, lambda c: c.code, errors)
    if errors:
        raise CatalogDocumentInvalid(_first(errors))
    return CatalogDocument(tuple(stores), tuple(products), tuple(coupons))


def _entries(
    section: list[Any],
    name: str,
    fields: Mapping[str, bool],
    build: Callable[[Mapping[str, Any]], T],
    key: Callable[[T], object],
    errors: dict[str, list[str]],
) -> list[T]:
    built: list[T] = []
    seen: dict[object, int] = {}
    for index, entry in enumerate(section):
        label = f"{name}[{index}]{_describe(entry)}"
        problems = _shape_problems(entry, fields)
        if problems:
            errors[label] = problems
            continue
        try:
            value = build(entry)
        except ValidationFailed as exc:
            errors[label] = [f"{field}: {message}" for field, messages in exc.errors.items() for message in messages]
            continue
        except ValueError as exc:
            errors[label] = [str(exc)]
            continue
        identity = key(value)
        if identity in seen:
            errors[label] = [f"duplicate of {name}[{seen[identity]}]"]
            continue
        seen[identity] = index
        built.append(value)
    return built


def _describe(entry: object) -> str:
    if not isinstance(entry, dict):
        return ""
    parts = [entry.get(k) for k in ("store_id", "id", "code")]
    words = [p for p in parts if isinstance(p, str) and p][:2]
    return f" ({'/'.join(w[:64] for w in words)})" if words else ""


def _shape_problems(entry: object, fields: Mapping[str, bool]) -> list[str]:
    if not isinstance(entry, dict):
        return ["must be an object"]
    problems = [f"{field}: is required" for field, required in fields.items() if required and field not in entry]
    problems += [f"{field}: unknown field" for field in entry if field not in fields]
    return problems


def _store(entry: Mapping[str, Any]) -> Store:
    optional = ("description", "image_url", "city", "address", "pincode", "state_code", "legal_name", "gstin")
    return Store(
        id=entry["id"],
        name=entry["name"],
        active=entry.get("active", True),
        **{field: entry.get(field) for field in optional},
    )


def _product(entry: Mapping[str, Any]) -> Product:
    return Product(
        store_id=entry["store_id"],
        id=entry["id"],
        name=entry["name"],
        price=_amount(entry, "price"),
        stock=entry.get("stock"),
        image_url=entry.get("image_url"),
        description=entry.get("description"),
        category=entry.get("category"),
        brand=entry.get("brand"),
        mrp=_optional(entry, "mrp", _amount),
        images=_images(entry),
        unit=entry.get("unit"),
        hsn_code=entry.get("hsn_code"),
        gst_rate=_optional(entry, "gst_rate", _amount),
        active=entry.get("active", True),
    )


def _images(entry: Mapping[str, Any]) -> tuple[str, ...]:
    images = entry.get("images")
    if images is None:
        return ()
    if not isinstance(images, list):
        raise ValueError("images: must be a list of https URLs")
    return tuple(images)


def _coupon(entry: Mapping[str, Any]) -> Coupon:
    code = entry["code"]
    if not isinstance(code, str):
        raise ValueError("code: must be a string")
    kind = entry["kind"]
    if kind not in {k.value for k in CouponKind}:
        raise ValueError("kind: must be PERCENT or FLAT")
    return Coupon(
        code=normalize_code(code),
        kind=CouponKind(kind),
        value=_amount(entry, "value"),
        min_subtotal=_optional(entry, "min_subtotal", _amount),
        max_discount=_optional(entry, "max_discount", _amount),
        valid_from=_optional(entry, "valid_from", _moment),
        valid_until=_optional(entry, "valid_until", _moment),
        usage_limit=entry.get("usage_limit"),
        per_user_limit=entry.get("per_user_limit"),
        active=entry.get("active", True),
    )


def _optional(entry: Mapping[str, Any], field: str, parse: Callable[[Mapping[str, Any], str], T]) -> T | None:
    return None if entry.get(field) is None else parse(entry, field)


def _amount(entry: Mapping[str, Any], field: str) -> Decimal:
    value = entry[field]
    if not isinstance(value, str):
        raise ValueError(f'{field}: must be a string such as "500.00" (amounts are never floats)')
    try:
        return parse_amount(value)
    except ValueError as exc:
        raise ValueError(f"{field}: {exc}") from None


def _moment(entry: Mapping[str, Any], field: str) -> datetime:
    value = entry[field]
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueError(f'{field}: must be an ISO 8601 time with a zone, such as "2026-01-01T00:00:00Z"')
    return moment


def _first(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """A file with thousands of bad lines reports the first few, in document order."""
    return dict(list(errors.items())[:MAX_REPORTED])
