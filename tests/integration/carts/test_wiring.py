"""The container builds every cart use case against the configured database and settings."""

from __future__ import annotations

import pytest

from s2cart.application.carts.add_item_to_cart import AddItemToCartCommand
from s2cart.application.carts.update_cart_item import UpdateCartItemCommand
from s2cart.application.catalog.catalog_document import parse_catalog_document
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.entrypoints.container import build_container, close_resources
from s2cart.entrypoints.settings import Settings, SettingsError
from tests.integration.conftest import make_settings
from tests.integration.rows import insert_user

CATALOG = {
    "stores": [{"id": "store_123", "name": "SuperMart"}],
    "products": [{"store_id": "store_123", "id": "prod_001", "name": "Headphones", "price": "500.00"}],
}


def test_the_line_maximum_is_a_setting() -> None:
    assert Settings.from_env({}).cart_max_quantity == 99
    assert Settings.from_env({"S2CART_CART_MAX_QUANTITY": "5"}).cart_max_quantity == 5
    for bad in ("0", "many", "10001"):
        with pytest.raises(SettingsError, match="S2CART_CART_MAX_QUANTITY"):
            Settings.from_env({"S2CART_CART_MAX_QUANTITY": bad})


async def test_container_use_cases_share_the_database_and_honour_the_maximum(database_url: str) -> None:
    container = build_container(make_settings(database_url, cart_max_quantity=3))
    try:
        user_id = await insert_user(container.engine(), "u")
        await container.load_catalog()(parse_catalog_document(CATALOG))

        line = await container.add_item_to_cart()(user_id, AddItemToCartCommand("store_123", "prod_001", 3))
        with pytest.raises(ValidationFailed):
            await container.update_cart_item()(user_id, UpdateCartItemCommand(line.id, quantity=4))
        [cart] = await container.list_carts()(user_id)
        assert (await container.get_store_cart()(user_id, "store_123")).id == cart.id
        assert (await container.create_cart()(user_id, "store_123")).created is False
        await container.remove_cart_item()(user_id, line.id)
        assert (await container.clear_carts()(user_id)).carts_cleared == 1
        assert await container.list_carts()(user_id) == []
        assert cart.items[0].quantity == 3
    finally:
        await close_resources(container)
