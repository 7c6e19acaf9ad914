"""Two S2Cart hosts in network namespaces of their own, one PostgreSQL (with a standby) and one Redis reached
through the host side: the cases that must hold across hosts (issue 22)."""

from __future__ import annotations

import asyncio
import itertools
import re
from typing import Any

import httpx

from tests.scale.conftest import Shop

API = "/api/auth"
PASSWORD = "Blue-Mango-Kite-42!"
_serial = itertools.count(1)


def client_address() -> str:
    return f"203.0.113.{next(_serial)}"


async def customer(http: httpx.AsyncClient, shop: Shop, host: str) -> dict[str, str]:
    """A verified customer signed in on ``host``: headers with its token and a client address of its own."""
    n = next(_serial)
    forwarded = {"X-Forwarded-For": f"198.51.100.{n}"}
    body = {"username": f"scale{n}", "email": f"scale{n}@example.com", "password": PASSWORD}
    registered = await http.post(f"{host}{API}/register/", json=body, headers=forwarded)
    assert registered.status_code == 201, registered.text
    shop.sql(f"UPDATE users SET is_verified = true WHERE email = 'scale{n}@example.com'")  # the OTP step
    signed_in = await http.post(
        f"{host}{API}/jwt/", json={"email": body["email"], "password": PASSWORD}, headers=forwarded
    )
    assert signed_in.status_code == 200, signed_in.text
    return {**forwarded, "Authorization": f"Bearer {signed_in.json()['data']['access']}"}


async def address_and_cart(http: httpx.AsyncClient, host: str, who: dict[str, str]) -> tuple[int, int]:
    address = {"contact_name": "Asha Rao", "phone_number": "9876543210", "street_address": "12 MG Road",
               "city": "Bengaluru", "state": "Karnataka", "pin_code": "560001"}  # fmt: skip
    made = await http.post(f"{host}{API}/addresses/", json=address, headers=who)
    assert made.status_code == 201, made.text
    item = {"store_id": "store_123", "product_id": "prod_001", "quantity": 1}
    added = await http.post(f"{host}{API}/cart/items/", json=item, headers=who)
    assert added.status_code == 201, added.text
    cart = await http.get(f"{host}{API}/carts/store/store_123/", headers=who)
    return int(made.json()["data"]["id"]), int(cart.json()["data"]["id"])


async def test_logout_on_one_host_is_enforced_on_the_other_at_once(shop: Shop) -> None:
    a, b = shop.hosts
    async with httpx.AsyncClient(timeout=30) as http:
        who = await customer(http, shop, a)
        assert (await http.get(f"{b}{API}/profile/", headers=who)).status_code == 200  # cached on b now
        out = await http.post(f"{a}{API}/jwt/logout/", json={"logout_type": "current"}, headers=who)
        assert out.status_code == 200, out.text
        after = await http.get(f"{b}{API}/profile/", headers=who)
        assert after.status_code == 401, after.text


async def test_the_five_cart_limit_holds_under_forty_parallel_adds_across_hosts(shop: Shop) -> None:
    stores = [("store_123", "prod_001"), ("store_456", "prod_002"), ("store_789", "prod_101"),
              ("store_321", "prod_201"), ("store_654", "prod_301"), ("store_987", "prod_401"),
              ("store_246", "prod_501")]  # fmt: skip
    async with httpx.AsyncClient(timeout=60) as http:
        who = await customer(http, shop, shop.hosts[0])

        async def add(i: int) -> int:
            store, product = stores[i % len(stores)]
            body = {"store_id": store, "product_id": product, "quantity": 1}
            return (await http.post(f"{shop.hosts[i % 2]}{API}/cart/items/", json=body, headers=who)).status_code

        answers = await asyncio.gather(*(add(i) for i in range(40)))
        carts = (await http.get(f"{shop.hosts[1]}{API}/carts/", headers=who)).json()["data"]
    assert len(carts) == 5, carts
    assert set(answers) <= {201, 400, 409}, answers
    in_kept_stores = [s for i, s in enumerate(answers) if stores[i % len(stores)][0] in {c["store_id"] for c in carts}]
    assert answers.count(201) == len(in_kept_stores), answers


async def test_one_order_per_cart_across_hosts(shop: Shop) -> None:
    async with httpx.AsyncClient(timeout=60) as http:
        who = await customer(http, shop, shop.hosts[0])
        address_id, cart_id = await address_and_cart(http, shop.hosts[0], who)
        body = {"cart_id": cart_id, "shipping_address_id": address_id}

        async def order(i: int) -> int:
            return (await http.post(f"{shop.hosts[i % 2]}{API}/orders/", json=body, headers=who)).status_code

        answers = await asyncio.gather(*(order(i) for i in range(10)))
    assert answers.count(201) == 1, answers
    assert shop.sql(f"SELECT count(*) FROM orders WHERE source_cart_id = {cart_id}") == [(1,)]


async def test_an_order_placed_on_one_host_is_read_on_the_other_while_the_standby_is_paused(shop: Shop) -> None:
    a, b = shop.hosts
    async with httpx.AsyncClient(timeout=60) as http:
        who = await customer(http, shop, a)
        address_id, cart_id = await address_and_cart(http, a, who)
        shop.clusters.wait_replayed()
        shop.clusters.pause_replay()
        try:
            placed = await http.post(
                f"{a}{API}/orders/", json={"cart_id": cart_id, "shipping_address_id": address_id}, headers=who
            )
            assert placed.status_code == 201, placed.text
            listed = await http.get(f"{b}{API}/orders/", headers=who)
            assert [o["id"] for o in listed.json()["data"]] == [placed.json()["data"]["id"]], listed.text
            browse = await http.get(f"{b}{API}/stores/store_123/", headers={"X-Forwarded-For": client_address()})
            assert browse.status_code == 200
            health = (await http.get(f"{b}{API}/health/")).json()
            assert (health["status"], health["replicas"]) == ("healthy", "operational"), health
        finally:
            shop.clusters.resume_replay()


async def test_a_callback_delivered_to_both_hosts_at_once_settles_once(shop: Shop) -> None:
    a, b = shop.hosts
    async with httpx.AsyncClient(timeout=60) as http:
        who = await customer(http, shop, a)
        address_id, cart_id = await address_and_cart(http, a, who)
        placed = await http.post(
            f"{a}{API}/orders/", json={"cart_id": cart_id, "shipping_address_id": address_id}, headers=who
        )
        order_id = placed.json()["data"]["id"]
        started = await http.post(
            f"{b}{API}/payments/initiate/", json={"order_id": order_id, "payment_method": "PAYTM"}, headers=who
        )
        assert started.status_code in (200, 201), started.text
        gateway_order = started.json()["data"]["payment_data"]["order_id"]
        paid = await http.post(
            f"{shop.simulator}/_sim/paytm/orders/{gateway_order}/pay", json={"outcome": "success", "deliver": "none"}
        )
        assert paid.status_code == 200, paid.text

        async def deliver(host: str) -> Any:
            url = f"{host}{API}/payments/paytm/callback/"
            return (
                await http.post(f"{shop.simulator}/_sim/paytm/orders/{gateway_order}/notify", json={"url": url})
            ).json()

        notes = await asyncio.gather(deliver(a), deliver(b))
        assert [n["status_code"] for n in notes] == [200, 200], notes
        status = await http.get(f"{a}{API}/payments/status/{order_id}/", headers=who)
        assert status.json()["data"]["status"] == "COMPLETED", status.text
        completed = 0.0
        for host in shop.hosts:
            text = (await http.get(f"{host}/metrics")).text
            found = re.search(r'^s2cart_payments_total\{gateway="PAYTM",status="COMPLETED"\} (\S+)$', text, re.M)
            completed += float(found.group(1)) if found else 0.0
    assert completed == 1.0  # settled by exactly one of the two hosts
    assert shop.sql(f"SELECT status FROM payments WHERE order_id = {order_id}") == [("COMPLETED",)]


async def test_one_rate_limit_budget_across_hosts(shop: Shop) -> None:
    anonymous = {"X-Forwarded-For": client_address()}  # the anonymous tier: 50 a minute an address
    async with httpx.AsyncClient(timeout=60) as http:

        async def browse(i: int) -> int:
            return (await http.get(f"{shop.hosts[i % 2]}{API}/stores/", headers=anonymous)).status_code

        answers = await asyncio.gather(*(browse(i) for i in range(60)))
    assert (answers.count(200), answers.count(429)) == (50, 10), answers
