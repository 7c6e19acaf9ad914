"""Saved payment methods: card references (never card numbers) and UPI ids, one default of each kind.

- A card is its brand, last four digits, expiry, holder name, nickname and the gateway's token for it.
  A full card number anywhere (a 12+ digit run in a name, a card-number-shaped token) is refused.
- An expired card is refused; a UPI id is ``name@handle`` and kept lower-case; the same card or UPI id
  twice is refused.
- At most ``MAX_PER_KIND`` of each kind. The first of a kind is the default; adding with
  ``make_default`` or ``set_default`` moves the default; removing the default promotes the newest left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal, TypeVar

from s2cart.domain.payments.errors import CardDataRefused, PaymentMethodLimit, PaymentMethodNotFound
from s2cart.domain.shared.errors import ValidationFailed

MAX_PER_KIND = 10
MethodKind = Literal["card", "upi"]

UPI_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,199}@[a-z][a-z0-9.]{1,49}")
_DIGIT_RUN = re.compile(r"\d(?:[ -]?\d){11,}")
_CARDLIKE = re.compile(r"\d{13,19}")


class CardBrand(StrEnum):
    VISA = "VISA"
    MASTERCARD = "MASTERCARD"
    RUPAY = "RUPAY"
    AMEX = "AMEX"
    DINERS = "DINERS"
    DISCOVER = "DISCOVER"
    MAESTRO = "MAESTRO"
    JCB = "JCB"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def refuse_card_numbers(field_name: str, text: str | None) -> None:
    """Names and nicknames hold no long digit runs: such a run is most likely a card number."""
    if text and _DIGIT_RUN.search(text):
        raise CardDataRefused(field_name)


def refuse_card_shaped_token(token: str) -> None:
    compact = token.replace(" ", "").replace("-", "")
    if _CARDLIKE.fullmatch(compact) and luhn_valid(compact):
        raise CardDataRefused("gateway_token")


def contains_card_number(text: str) -> bool:
    """A run of 13 to 19 digits (spaces or dashes between them allowed) that passes the Luhn check."""
    for match in _DIGIT_RUN.finditer(text):
        digits = match.group().replace(" ", "").replace("-", "")
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            return True
    return False


def normalize_upi_id(value: str) -> str:
    upi = value.strip().lower()
    if not UPI_ID.fullmatch(upi):
        raise ValidationFailed.on("upi_id", "A UPI id looks like name@bank (letters, digits, '.', '_', '-').")
    return upi


@dataclass
class SavedCard:
    user_id: int
    brand: CardBrand
    last_four: str
    expiry_month: int
    expiry_year: int
    holder_name: str
    nickname: str | None
    sealed_token: str  # the gateway's token, sealed at rest
    created_at: datetime
    is_default: bool = False
    id: int | None = None

    def __post_init__(self) -> None:
        if not (len(self.last_four) == 4 and self.last_four.isascii() and self.last_four.isdigit()):
            raise ValidationFailed.on("last_four", "Exactly the last four digits of the card.")
        if not 1 <= self.expiry_month <= 12:
            raise ValidationFailed.on("expiry_month", "A month from 01 to 12.")
        refuse_card_numbers("card_holder_name", self.holder_name)
        refuse_card_numbers("card_nickname", self.nickname)

    def expired(self, now: datetime) -> bool:
        return (self.expiry_year, self.expiry_month) < (now.year, now.month)


@dataclass
class SavedUpi:
    user_id: int
    upi_id: str
    nickname: str | None
    created_at: datetime
    is_default: bool = False
    id: int | None = None

    def __post_init__(self) -> None:
        self.upi_id = normalize_upi_id(self.upi_id)
        refuse_card_numbers("upi_nickname", self.nickname)


M = TypeVar("M", SavedCard, SavedUpi)


@dataclass
class PaymentMethodBook:
    user_id: int
    cards: list[SavedCard] = field(default_factory=list)
    upi_ids: list[SavedUpi] = field(default_factory=list)
    removed: list[tuple[MethodKind, int]] = field(default_factory=list)

    def add_card(self, card: SavedCard, now: datetime, make_default: bool = False) -> SavedCard:
        if card.expired(now):
            raise ValidationFailed.on("expiry_year", "This card has expired.")
        same = (card.brand, card.last_four, card.expiry_month, card.expiry_year)
        if any((c.brand, c.last_four, c.expiry_month, c.expiry_year) == same for c in self.cards):
            raise ValidationFailed.on("last_four", "This card is already saved.")
        return self._add(self.cards, card, make_default, "cards")

    def add_upi(self, upi: SavedUpi, make_default: bool = False) -> SavedUpi:
        if any(u.upi_id == upi.upi_id for u in self.upi_ids):
            raise ValidationFailed.on("upi_id", "This UPI id is already saved.")
        return self._add(self.upi_ids, upi, make_default, "UPI ids")

    def remove(self, kind: MethodKind, method_id: int) -> None:
        if kind == "card":
            _remove(self.cards, method_id)
        else:
            _remove(self.upi_ids, method_id)
        self.removed.append((kind, method_id))

    def set_default(self, kind: MethodKind, method_id: int) -> None:
        if kind == "card":
            _set_default(self.cards, method_id)
        else:
            _set_default(self.upi_ids, method_id)

    @staticmethod
    def _add(methods: list[M], method: M, make_default: bool, label: str) -> M:
        if len(methods) >= MAX_PER_KIND:
            raise PaymentMethodLimit(f"At most {MAX_PER_KIND} saved {label}; remove one first.")
        method.is_default = make_default or not methods
        if method.is_default:
            for other in methods:
                other.is_default = False
        methods.append(method)
        return method


def _find(methods: list[M], method_id: int) -> M:
    found = next((m for m in methods if m.id == method_id), None)
    if found is None:
        raise PaymentMethodNotFound()
    return found


def _remove(methods: list[M], method_id: int) -> None:
    doomed = _find(methods, method_id)
    methods.remove(doomed)
    if doomed.is_default and methods:
        newest = max(methods, key=lambda m: (m.created_at, m.id or 0))
        newest.is_default = True


def _set_default(methods: list[M], method_id: int) -> None:
    chosen = _find(methods, method_id)
    for method in methods:
        method.is_default = method is chosen
