"""Indian state and union-territory names to GST state codes: the place of supply of an address."""

from __future__ import annotations

import pytest

from s2cart.domain.catalog.gst import STATE_CODES
from s2cart.domain.tax.gst import PlaceOfSupply
from s2cart.domain.tax.states import STATE_NAMES, state_code_of, state_name


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Karnataka", "29"),
        ("karnataka", "29"),
        ("  KARNATAKA ", "29"),
        ("KA", "29"),
        ("29", "29"),
        ("Maharashtra", "27"),
        ("Orissa", "21"),
        ("Odisha", "21"),
        ("OD", "21"),
        ("Pondicherry", "34"),
        ("Puducherry", "34"),
        ("Delhi", "07"),
        ("New Delhi", "07"),
        ("NCT of Delhi", "07"),
        ("National Capital Territory of Delhi", "07"),
        ("Jammu & Kashmir", "01"),
        ("Jammu and Kashmir", "01"),
        ("J&K", "01"),
        ("Dadra and Nagar Haveli and Daman and Diu", "26"),
        ("Daman & Diu", "26"),  # merged in 2020: supplies there are under 26
        ("Dadra and Nagar Haveli", "26"),
        ("25", "26"),
        ("Ladakh", "38"),
        ("Other Territory", "97"),
        ("Tamil Nadu", "33"),
        ("TamilNadu", "33"),
        ("tamil-nadu", "33"),
        ("Andhra Pradesh", "37"),
        ("Telangana", "36"),
        ("TS", "36"),
        ("Uttaranchal", "05"),
        ("Uttarakhand", "05"),
        ("Chhattisgarh", "22"),
        ("Andaman & Nicobar Islands", "35"),
        ("The State of Karnataka", "29"),
        ("West Bengal", "19"),
    ],
)
def test_common_spellings_map_to_their_code(written: str, code: str) -> None:
    assert state_code_of(written) == code


@pytest.mark.parametrize("written", ["", "   ", None, "Narnia", "California", "Karnatak", "00", "99", "K A R"])
def test_anything_else_maps_to_nothing(written: str | None) -> None:
    assert state_code_of(written) is None


def test_every_code_has_one_canonical_name_that_maps_back() -> None:
    assert set(STATE_NAMES) == STATE_CODES  # the catalog's codes and these names agree
    for code, name in STATE_NAMES.items():
        expected = {"25": "26", "28": "37"}.get(code, code)  # retired codes: today's code for a new supply
        assert state_code_of(name.removesuffix(" (before division)")) == expected, name
    assert state_name("29") == "Karnataka" and state_name("07") == "Delhi"
    assert PlaceOfSupply.of("26") == PlaceOfSupply("26", "Dadra and Nagar Haveli and Daman and Diu")
    with pytest.raises(KeyError):
        state_name("99")
