"""GSTINs, GST slabs and the storefront fields of stores and products (issue 18)."""

from __future__ import annotations

import string
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.catalog.gst import STATE_CODES, gst_rate_problem, gstin_check_character, gstin_problem
from s2cart.domain.catalog.product import Product, StockStatus
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.errors import ValidationFailed

ALPHABET = string.digits + string.ascii_uppercase
# Published examples: the GST portal's sample and a registered Karnataka company.
KNOWN_GOOD = ("27AAPFU0939F1ZV", "29AAGCB7383J1Z4")


def _body() -> st.SearchStrategy[str]:
    letters, digits = st.sampled_from(string.ascii_uppercase), st.sampled_from(string.digits)
    return st.tuples(
        st.sampled_from(sorted(STATE_CODES)),
        st.lists(letters, min_size=5, max_size=5).map("".join),
        st.lists(digits, min_size=4, max_size=4).map("".join),
        letters,
        st.sampled_from(ALPHABET[1:]),
    ).map(lambda parts: "".join(parts) + "Z")


@pytest.mark.parametrize("gstin", KNOWN_GOOD)
def test_published_gstins_are_valid(gstin: str) -> None:
    assert gstin_problem(gstin) is None
    assert gstin_check_character(gstin[:14]) == gstin[14]


@given(_body())
def test_a_gstin_with_its_computed_check_character_is_valid(body: str) -> None:
    assert gstin_problem(body + gstin_check_character(body)) is None


@given(_body(), st.sampled_from(ALPHABET))
def test_any_other_check_character_is_refused(body: str, wrong: str) -> None:
    if wrong == gstin_check_character(body):
        return
    assert "check character" in (gstin_problem(body + wrong) or "")


@given(_body(), st.integers(min_value=2, max_value=13), st.sampled_from(ALPHABET))
def test_one_mistyped_character_is_caught(body: str, position: int, replacement: str) -> None:
    good = body + gstin_check_character(body)
    typo = good[:position] + replacement + good[position + 1 :]
    if typo != good:
        assert gstin_problem(typo) is not None


def test_the_prefix_must_be_a_state_code_and_match_the_store() -> None:
    body = "00AAGCB7383J1Z"
    assert "not a GST state code" in (gstin_problem(body + gstin_check_character(body)) or "")
    assert "state_code is '27'" in (gstin_problem("29AAGCB7383J1Z4", "27") or "")
    assert gstin_problem("29AAGCB7383J1Z4", "29") is None
    assert gstin_problem("29aagcb7383j1z4") is not None


@pytest.mark.parametrize("rate", ["0", "0.25", "3", "5", "18", "40", "18.00"])
def test_gst_slabs(rate: str) -> None:
    assert gst_rate_problem(Decimal(rate)) is None


@pytest.mark.parametrize("rate", ["12", "28", "0.5", "-5"])
def test_rates_outside_the_slabs_are_refused(rate: str) -> None:
    assert gst_rate_problem(Decimal(rate)) is not None


def test_a_store_names_each_bad_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        Store(id="s1", name="Shop", gstin="29AAGCB7383J1Z5", state_code="29", pincode="012345", image_url="ftp://x")
    assert set(caught.value.errors) == {"gstin", "pincode", "image_url"}


def test_a_store_defaults_to_active_with_no_details() -> None:
    store = Store(id="s1", name="Shop")
    assert store.active and store.gstin is None and store.city is None


def _product(**overrides: object) -> Product:
    values: dict[str, object] = {"store_id": "s1", "id": "p1", "name": "Basmati Rice", "price": Decimal("100")}
    return Product(**(values | overrides))  # type: ignore[arg-type]


def test_mrp_is_never_below_the_price() -> None:
    assert _product(mrp=Decimal("120")).mrp == Decimal("120.00")
    assert _product(mrp=Decimal("100")).mrp == Decimal("100.00")
    with pytest.raises(ValidationFailed) as caught:
        _product(mrp=Decimal("99.99"))
    assert "mrp" in caught.value.errors


@pytest.mark.parametrize(
    ("images", "ok"),
    [((), True), (("https://cdn.example.com/a.jpg",), True), (("http://cdn.example.com/a.jpg",), False)],
)
def test_images_are_https_urls(images: tuple[str, ...], ok: bool) -> None:
    if ok:
        assert _product(images=images).images == images
    else:
        with pytest.raises(ValidationFailed):
            _product(images=images)


@pytest.mark.parametrize(
    ("stock", "status"),
    [
        (None, StockStatus.IN_STOCK),
        (6, StockStatus.IN_STOCK),
        (5, StockStatus.LOW_STOCK),
        (1, StockStatus.LOW_STOCK),
        (0, StockStatus.OUT_OF_STOCK),
    ],
)
def test_stock_status_hides_the_count(stock: int | None, status: StockStatus) -> None:
    assert _product(stock=stock).stock_status is status


def test_the_cover_image_falls_back_to_the_first_image() -> None:
    assert _product(images=("https://a/1.jpg", "https://a/2.jpg")).cover_image == "https://a/1.jpg"
    assert _product(image_url="https://a/0.jpg", images=("https://a/1.jpg",)).cover_image == "https://a/0.jpg"


@pytest.mark.parametrize("hsn", ["1006", "100630", "10063020"])
def test_hsn_codes(hsn: str) -> None:
    assert _product(hsn_code=hsn).hsn_code == hsn
    with pytest.raises(ValidationFailed):
        _product(hsn_code=hsn + "1")
