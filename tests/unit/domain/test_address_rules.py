"""Address input rules, the full address line and the order snapshot, with no I/O."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.addresses import rules
from s2cart.domain.addresses.address import Address, AddressFields, full_address_of
from s2cart.domain.shared.errors import ValidationFailed

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
CONTRACT: dict[str, Any] = {
    "contact_name": "John Doe",
    "street_address": "123 Main Street",
    "street_address_2": "Apartment 4B",
    "landmark": "Near Central Mall",
    "city": "Mumbai",
    "state": "Maharashtra",
    "pin_code": "400001",
    "country": "India",
    "phone_number": "+91 98765 43210",
    "address_type": "HOME",
    "latitude": Decimal("19.0760"),
    "longitude": Decimal("72.8777"),
}


def test_the_contracts_example_is_valid_and_reads_as_the_contract_writes_it() -> None:
    fields = rules.address_fields(CONTRACT)
    assert fields.phone_number == "+919876543210"
    address = Address.new(1, fields, NOW)
    assert address.full_address == (
        "123 Main Street, Apartment 4B, Near Central Mall, Mumbai, Maharashtra 400001, India"
    )


def test_empty_parts_are_skipped_in_the_full_address() -> None:
    assert full_address_of("456 Oak Avenue", "", "", "Delhi", "Delhi", "110001", "India") == (
        "456 Oak Avenue, Delhi, Delhi 110001, India"
    )
    assert full_address_of("1 Road", "", "Gate 2", "Pune", "", "411001", "") == "1 Road, Gate 2, Pune, 411001"


@given(st.from_regex(r"[1-9][0-9]{5}", fullmatch=True))
def test_six_digit_pin_codes_not_starting_with_zero_pass(pin: str) -> None:
    assert rules.pin_code_of(f" {pin[:3]} {pin[3:]} ") == pin


# "4" then Devanagari zeros: digits to a bare \d, not to a PIN code.
@pytest.mark.parametrize("pin", ["012345", "12345", "1234567", "40000A", "", "4\u0966\u0966\u096601"])
def test_other_pin_codes_are_refused(pin: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        rules.pin_code_of(pin)
    assert "pin_code" in caught.value.errors


@given(st.decimals(min_value=-90, max_value=90, allow_nan=False, allow_infinity=False))
def test_latitudes_in_range_keep_six_places(value: Decimal) -> None:
    result = rules.coordinate_of(value, "latitude")
    assert result is not None
    assert result.as_tuple().exponent == -6
    assert abs(result - value) <= Decimal("0.0000005")


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (Decimal("90.0000001"), "latitude"),
        (Decimal("-91"), "latitude"),
        (Decimal("180.5"), "longitude"),
        (Decimal("-181"), "longitude"),
        (Decimal("NaN"), "latitude"),
        (Decimal("Infinity"), "longitude"),
        (Decimal("1E+400"), "latitude"),
    ],
)
def test_coordinates_out_of_range_are_refused(value: Decimal, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        rules.coordinate_of(value, field)
    assert field in caught.value.errors


def test_country_is_india_whatever_the_case() -> None:
    assert rules.country_of(" india ") == "India"
    assert rules.country_of(None) == "India"
    with pytest.raises(ValidationFailed):
        rules.country_of("Nepal")


def test_text_is_trimmed_and_limited() -> None:
    assert rules.text_of("  Flat 4,\n  Tower B ", "street_address") == "Flat 4, Tower B"
    assert rules.text_of(None, "landmark") == ""
    for raw, field in [(" ", "city"), ("x" * 101, "contact_name"), ("bad\x07bell", "state")]:
        with pytest.raises(ValidationFailed) as caught:
            rules.text_of(raw, field)
        assert field in caught.value.errors


def test_every_problem_is_reported_at_once() -> None:
    bad = {**CONTRACT, "pin_code": "000001", "phone_number": "12", "latitude": Decimal(95), "city": ""}
    del bad["state"]
    with pytest.raises(ValidationFailed) as caught:
        rules.address_fields(bad)
    assert set(caught.value.errors) == {"pin_code", "phone_number", "latitude", "city", "state"}


def test_a_latitude_needs_a_longitude() -> None:
    with pytest.raises(ValidationFailed) as caught:
        rules.address_fields({**CONTRACT, "longitude": None})
    assert caught.value.errors == {"longitude": ["Latitude and longitude must be given together."]}


def test_optional_fields_default() -> None:
    required = {k: CONTRACT[k] for k in ("contact_name", "street_address", "city", "state", "pin_code", "phone_number")}
    fields = rules.address_fields({**required, "landmark": None})
    assert fields == AddressFields(**{**required, "phone_number": "+919876543210"})


def test_the_snapshot_is_json_ready_and_outlives_edits() -> None:
    address = Address.new(3, rules.address_fields(CONTRACT), NOW)
    address.id = 11
    snapshot = address.snapshot()
    assert snapshot["id"] == 11
    assert snapshot["full_address"] == address.full_address
    assert (snapshot["latitude"], snapshot["longitude"]) == (19.076, 72.8777)
    assert all(isinstance(v, str | int | float | bool | type(None)) for v in snapshot.values())
    address.apply({"city": "Pune"}, NOW)
    assert snapshot["city"] == "Mumbai"


def test_a_phone_number_with_non_ascii_digits_is_refused() -> None:
    # "9" then Devanagari digits: a bare \d accepts them, and they would be stored as a "mobile".
    with pytest.raises(ValidationFailed) as caught:
        rules.address_fields({**CONTRACT, "phone_number": "9\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f\u0966"})
    assert "phone_number" in caught.value.errors
