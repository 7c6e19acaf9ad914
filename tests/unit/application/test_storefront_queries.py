"""GET /products/'s parameters, parsed before any database sees them (issue 18)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.application.catalog.browse import ProductQuery, product_filter
from s2cart.domain.catalog.search_terms import MAX_WORDS, SearchTerms
from s2cart.domain.shared.errors import ValidationFailed


def test_relevance_is_the_default_with_q_and_name_without() -> None:
    assert str(product_filter(ProductQuery(q="rice")).ordering) == "relevance"
    assert str(product_filter(ProductQuery()).ordering) == "name"
    assert str(product_filter(ProductQuery(ordering="relevance")).ordering) == "name"  # nothing to rank
    assert str(product_filter(ProductQuery(q="rice", ordering="-price")).ordering) == "-price"


def test_prices_and_text_filters_are_parsed() -> None:
    found = product_filter(ProductQuery(min_price=" 99.5 ", max_price="500", category=" Staples ", brand=""))
    assert (found.min_price, found.max_price, found.category, found.brand) == (
        Decimal("99.50"),
        Decimal("500.00"),
        "Staples",
        None,
    )


def test_every_bad_parameter_is_named_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        product_filter(ProductQuery(q="!!", min_price="1.234", max_price="abc", ordering="stock"))
    assert set(caught.value.errors) == {"q", "min_price", "max_price", "ordering"}


def test_search_terms_are_words_only() -> None:
    terms = SearchTerms.parse("  Basmati   RICE 5kg's (new)  ")
    assert terms.text == "Basmati RICE 5kg's (new)"
    assert terms.words == ("basmati", "rice", "5kg", "s", "new")
    assert terms.prefix_query() == "basmati:* & rice:* & 5kg:* & s:* & new:*"
    assert terms.fts5_query() == '"basmati"* AND "rice"* AND "5kg"* AND "s"* AND "new"*'


@given(st.text(max_size=200))
def test_no_input_reaches_either_query_language_unescaped(raw: str) -> None:
    if not any(ch.isalnum() or ch == "_" for ch in raw) or len(" ".join(raw.split())) > 200:
        with pytest.raises(ValidationFailed) as caught:
            SearchTerms.parse(raw)
        assert set(caught.value.errors) == {"q"}
        return
    terms = SearchTerms.parse(raw)
    assert 1 <= len(terms.words) <= MAX_WORDS
    for word in terms.words:
        assert word and all(ch.isalnum() or ch == "_" for ch in word)
        assert not set(word) & set("\"':*&|!()<>-")
