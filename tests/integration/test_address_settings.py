from __future__ import annotations

import pytest

from s2cart.entrypoints.settings import Settings, SettingsError


def test_the_address_limit_defaults_to_twenty_and_is_read_from_the_environment() -> None:
    assert Settings.from_env({}).max_addresses == 20
    assert Settings.from_env({"S2CART_MAX_ADDRESSES": "5"}).max_addresses == 5


@pytest.mark.parametrize("value", ["0", "-1", "1001", "many"])
def test_an_unusable_address_limit_refuses_to_start(value: str) -> None:
    with pytest.raises(SettingsError, match="S2CART_MAX_ADDRESSES"):
        Settings.from_env({"S2CART_MAX_ADDRESSES": value})
