"""view_of: a view read off any object by its init fields' names; derived fields computed, extras ignored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from s2cart.application.addresses.views import AddressView
from s2cart.application.projection import view_of
from s2cart.domain.addresses.address import EDITABLE_ADDRESS_FIELDS, Address, AddressFields

NOW = datetime(2025, 1, 20, 10, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Small:
    a: int
    b: str
    c: str = field(init=False, default="derived")


class Source:
    a = 1
    b = "x"
    secret = "never copied"


def test_view_of_reads_the_init_fields_by_name() -> None:
    assert view_of(Small, Source()) == Small(1, "x")


def test_a_domain_address_becomes_the_view_without_its_owner() -> None:
    fields = AddressFields(
        contact_name="John Doe",
        street_address="123 Main Street",
        city="Mumbai",
        state="Maharashtra",
        pin_code="400001",
        phone_number="+919876543210",
        latitude=Decimal("19.076000"),
        longitude=Decimal("72.877700"),
    )
    address = Address.new(7, fields, NOW)
    address.id = 3
    view = view_of(AddressView, address)
    assert (view.id, view.contact_name, view.latitude, view.created_at) == (3, "John Doe", Decimal("19.076000"), NOW)
    assert view.full_address == address.full_address == "123 Main Street, Mumbai, Maharashtra 400001, India"
    assert not hasattr(view, "user_id")


def test_the_snapshot_and_the_editable_set_follow_the_declared_fields_in_the_contract_order() -> None:
    assert EDITABLE_ADDRESS_FIELDS[:4] == ("contact_name", "street_address", "street_address_2", "landmark")
    address = Address.new(
        7,
        AddressFields(
            contact_name="A",
            street_address="1 Main",
            city="Pune",
            state="MH",
            pin_code="411001",
            phone_number="9876543210",
        ),
        NOW,
    )
    snapshot = address.snapshot()
    assert list(snapshot) == ["id", *EDITABLE_ADDRESS_FIELDS, "is_verified", "full_address"]
    assert (snapshot["latitude"], snapshot["country"], snapshot["full_address"]) == (
        None,
        "India",
        "1 Main, Pune, MH 411001, India",
    )


def test_an_address_is_equal_only_to_itself_while_its_fields_compare_by_value() -> None:
    one = AddressFields(contact_name="A", street_address="s", city="c", state="s", pin_code="411001", phone_number="1")
    assert one == AddressFields(**vars(one))
    first, second = Address.new(1, one, NOW), Address.new(1, one, NOW)
    assert first != second and first == first and len({first, second}) == 2
