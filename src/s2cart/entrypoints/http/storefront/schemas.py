"""Stores and products on the wire, as a shopper sees them: stock as a status, never a count."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from s2cart.application.catalog.browse import Listing
from s2cart.domain.catalog.store import Store


class StoreOut(msgspec.Struct, kw_only=True):
    id: str
    name: str
    description: str | None
    image_url: str | None
    city: str | None
    address: str | None
    pincode: str | None
    state_code: str | None
    legal_name: str | None
    gstin: str | None


class ProductOut(msgspec.Struct, kw_only=True):
    store_id: str
    store_name: str
    id: str
    name: str
    description: str | None
    category: str | None
    brand: str | None
    price: Decimal
    mrp: Decimal | None
    image_url: str | None
    images: list[str]
    unit: str | None
    in_stock: bool
    stock_status: str


class ProductDetailOut(ProductOut, kw_only=True):
    hsn_code: str | None
    gst_rate: Decimal | None


def store_out(store: Store) -> StoreOut:
    return StoreOut(
        id=store.id,
        name=store.name,
        description=store.description,
        image_url=store.image_url,
        city=store.city,
        address=store.address,
        pincode=store.pincode,
        state_code=store.state_code,
        legal_name=store.legal_name,
        gstin=store.gstin,
    )


def _listed(listing: Listing) -> dict[str, Any]:
    """The fields a product answer shares with its detail page."""
    return {
        "store_id": listing.store_id,
        "store_name": listing.store_name,
        "id": listing.id,
        "name": listing.name,
        "description": listing.description,
        "category": listing.category,
        "brand": listing.brand,
        "price": listing.price,
        "mrp": listing.mrp,
        "image_url": listing.image_url,
        "images": list(listing.images),
        "unit": listing.unit,
        "in_stock": listing.in_stock,
        "stock_status": listing.stock_status.value,
    }


def product_out(listing: Listing) -> ProductOut:
    return ProductOut(**_listed(listing))


def product_detail_out(listing: Listing) -> ProductDetailOut:
    return ProductDetailOut(**_listed(listing), hsn_code=listing.hsn_code, gst_rate=listing.gst_rate)
