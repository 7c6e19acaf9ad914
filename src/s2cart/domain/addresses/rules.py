"""Input rules for addresses: Indian PIN codes and mobiles, coordinates, sensible lengths."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import MISSING, fields
from decimal import Decimal
from typing import Any

from s2cart.domain.addresses.address import EDITABLE_ADDRESS_FIELDS, AddressFields, AddressType
from s2cart.domain.shared.errors import ErrorCollector, ValidationFailed
from s2cart.domain.users import rules as account_rules

PIN_CODE_RE = re.compile(r"^[1-9]\d{5}$", re.ASCII)
COUNTRY = "India"
# Six decimal places is about 11 cm: finer than any doorstep needs.
COORDINATE_PLACES = Decimal("0.000001")

# Declared once, on the fields themselves (``AddressFields``); the edge bounds its input by the same numbers.
MAX_LENGTHS: Mapping[str, int] = {f.name: f.metadata["max_length"] for f in fields(AddressFields) if f.metadata}
# A text field with no default must be given and must not be blank; one with a default may be left out or null.
REQUIRED_TEXT = frozenset(f.name for f in fields(AddressFields) if f.name in MAX_LENGTHS and f.default is MISSING)
OPTIONAL_TEXT = frozenset(MAX_LENGTHS) - REQUIRED_TEXT
# What the edge accepts before normalising: a PIN code may come spaced ("400 001"), a mobile with separators.
INPUT_LENGTHS: Mapping[str, int] = {**MAX_LENGTHS, "pin_code": 10, "phone_number": 20, "country": 100}


def text_of(raw: str | None, field: str) -> str:
    value = " ".join((raw or "").split())  # trimmed, inner runs of whitespace (and newlines) made one space
    if field in REQUIRED_TEXT and not value:
        raise ValidationFailed.on(field, "This field may not be blank.")
    if len(value) > MAX_LENGTHS[field]:
        raise ValidationFailed.on(field, f"Ensure this field has no more than {MAX_LENGTHS[field]} characters.")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValidationFailed.on(field, "Must not contain control characters.")
    return value


def pin_code_of(raw: str) -> str:
    """Six digits, not starting with 0 (``400 001`` is read as ``400001``)."""
    compact = re.sub(r"\s", "", raw)
    if not PIN_CODE_RE.match(compact):
        raise ValidationFailed.on("pin_code", "Enter a 6-digit PIN code that does not start with 0.")
    return compact


def country_of(raw: str | None) -> str:
    """PIN codes and +91 mobiles are Indian, so is every address; the spelling is normalised."""
    value = (raw or COUNTRY).strip()
    if value.casefold() != COUNTRY.casefold():
        raise ValidationFailed.on("country", "Addresses must be in India.")
    return COUNTRY


def address_type_of(raw: str | None) -> str:
    try:
        return AddressType(raw or AddressType.HOME.value).value
    except ValueError:
        raise ValidationFailed.on("address_type", "Must be one of HOME, WORK, OTHER.") from None


def coordinate_of(value: Decimal | float | int | None, field: str) -> Decimal | None:
    if value is None:
        return None
    bound = 90 if field == "latitude" else 180
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if not number.is_finite() or not -bound <= number <= bound:
        raise ValidationFailed.on(field, f"Must be a number from -{bound} to {bound}.")
    return number.quantize(COORDINATE_PLACES)


def coordinates_pair(latitude: Decimal | None, longitude: Decimal | None) -> None:
    """A latitude without a longitude (or the reverse) places nothing."""
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        raise ValidationFailed.on(missing, "Latitude and longitude must be given together.")


def field_of(name: str, value: Any) -> object:
    """One editable field, validated and normalised."""
    if name in MAX_LENGTHS:
        return text_of(value, name)
    if name == "pin_code":
        return pin_code_of(str(value or ""))
    if name == "phone_number":
        return account_rules.phone_of(str(value or ""))
    if name == "country":
        return country_of(value)
    if name == "address_type":
        return address_type_of(value)
    if name in ("latitude", "longitude"):
        return coordinate_of(value, name)
    raise ValueError(f"not an editable address field: {name}")


def address_changes(values: Mapping[str, Any]) -> dict[str, object]:
    """Validate the fields given (a partial update); every problem is reported at once. Anything outside the
    editable fields (``is_default``, ``is_verified``, ids) is dropped, never applied."""
    found = ErrorCollector()
    clean: dict[str, object] = {}
    for name, value in values.items():
        if name not in EDITABLE_ADDRESS_FIELDS:
            continue
        checked = found.check(lambda n=name, v=value: field_of(n, v))  # type: ignore[misc]
        if name not in found.errors:
            clean[name] = checked
    found.raise_if_any()
    return clean


def address_fields(values: Mapping[str, Any]) -> AddressFields:
    """A whole new address: required fields must be there, and all problems are reported at once."""
    found = ErrorCollector()
    for name in (*sorted(REQUIRED_TEXT), "pin_code", "phone_number"):
        if values.get(name) is None:
            found.add(name, "This field is required.")
    given = {name: value for name, value in values.items() if value is not None or name in OPTIONAL_TEXT}
    clean = found.check(lambda: address_changes(given)) or {}
    found.raise_if_any()
    fields = AddressFields(**clean)  # type: ignore[arg-type]
    coordinates_pair(fields.latitude, fields.longitude)
    return fields
