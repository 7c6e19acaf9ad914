"""Saved cards and UPI ids on the wire. Card numbers and CVVs have no field here and are refused outright."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

import msgspec

from s2cart.application.payments.views import CardView, UpiView
from s2cart.domain.payments.errors import CardDataRefused
from s2cart.domain.payments.methods import CardBrand, contains_card_number

# Field names clients use for what S2Cart must never receive (compared without case, '_' or '-').
CARD_DATA_FIELDS = frozenset(
    {"cardnumber", "number", "pan", "cardno", "fullcardnumber", "cvv", "cvc", "cvv2", "cvc2", "cid", "securitycode"}
)


class CardIn(msgspec.Struct, kw_only=True):
    card_type: CardBrand
    last_four: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4}$")]
    expiry_month: Annotated[str, msgspec.Meta(pattern=r"^(0?[1-9]|1[0-2])$")]
    expiry_year: Annotated[str, msgspec.Meta(pattern=r"^20[0-9]{2}$")]
    card_holder_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    gateway_token: Annotated[str, msgspec.Meta(min_length=8, max_length=512, pattern=r"^[A-Za-z0-9_\-.:=+/]+$")]
    card_nickname: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    is_default: bool = False


class CardOut(msgspec.Struct, kw_only=True):
    id: int
    card_type: str
    last_four: str
    expiry_month: str
    expiry_year: str
    card_holder_name: str
    card_nickname: str | None
    is_default: bool
    is_active: bool
    created_at: datetime


def card_out(view: CardView) -> CardOut:
    return CardOut(
        id=view.id,
        card_type=view.card_type,
        last_four=view.last_four,
        expiry_month=f"{view.expiry_month:02d}",
        expiry_year=str(view.expiry_year),
        card_holder_name=view.card_holder_name,
        card_nickname=view.card_nickname,
        is_default=view.is_default,
        is_active=True,
        created_at=view.created_at,
    )


class UpiIn(msgspec.Struct, kw_only=True):
    upi_id: Annotated[str, msgspec.Meta(min_length=3, max_length=255)]
    upi_nickname: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    is_default: bool = False


class UpiOut(msgspec.Struct, kw_only=True):
    id: int
    upi_id: str
    upi_nickname: str | None
    is_default: bool
    is_active: bool
    created_at: datetime


def upi_out(view: UpiView) -> UpiOut:
    return UpiOut(
        id=view.id,
        upi_id=view.upi_id,
        upi_nickname=view.upi_nickname,
        is_default=view.is_default,
        is_active=True,
        created_at=view.created_at,
    )


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner, path)
    elif isinstance(value, str | int) and not isinstance(value, bool):
        yield path, str(value)


def refuse_card_data(raw_body: bytes) -> None:
    """Refuse (400 PAY_010) a body naming a card-number or CVV field, or carrying a card number anywhere.
    The refusal names the field, never the value."""
    try:
        document = msgspec.json.decode(raw_body)
    except msgspec.DecodeError:
        return  # malformed: the body decoder answers it
    if isinstance(document, dict):
        for key in document:
            if str(key).lower().replace("_", "").replace("-", "") in CARD_DATA_FIELDS:
                raise CardDataRefused(str(key)[:40])
    for path, text in _strings(document):
        if contains_card_number(text):
            raise CardDataRefused(path[:40] or "non_field_errors")
