"""The default-address rule and the limit under requests that really overlap (run 20 at a time)."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
from litestar import Litestar

from s2cart.entrypoints.container import Container, build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.http.customers import ADDRESSES, DELHI, add_address, all_addresses, concurrent_client, signed_in
from tests.integration.mailbox import Mailbox


def _defaults(addresses: list[dict[str, Any]]) -> list[int]:
    return [a["id"] for a in addresses if a["is_default"]]


async def test_twenty_parallel_set_defaults_leave_exactly_one_default(
    app: Litestar, container: Container, mailbox: Mailbox
) -> None:
    async with concurrent_client(app, container) as client:
        headers = await signed_in(client, mailbox)
        ids = [(await add_address(client, headers, contact_name=f"P{n}"))["id"] for n in range(20)]

        responses = await asyncio.gather(
            *(client.post(f"{ADDRESSES}set-default/{address_id}/", headers=headers) for address_id in reversed(ids))
        )

        assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses if r.status_code != 200]
        stored = await all_addresses(client, headers)
        assert len(stored) == 20
        assert len(_defaults(stored)) == 1
        default = (await client.get(f"{ADDRESSES}default/", headers=headers)).json()["data"]
        assert _defaults(stored) == [default["id"]]


async def test_parallel_deletes_and_set_defaults_keep_one_default(
    app: Litestar, container: Container, mailbox: Mailbox
) -> None:
    async with concurrent_client(app, container) as client:
        headers = await signed_in(client, mailbox)
        ids = [(await add_address(client, headers, contact_name=f"P{n}"))["id"] for n in range(10)]
        doomed, chosen = ids[:5], ids[5:]  # the first (the default) is among the doomed

        responses = await asyncio.gather(
            *(client.delete(f"{ADDRESSES}{i}/", headers=headers) for i in doomed),
            *(client.post(f"{ADDRESSES}set-default/{i}/", headers=headers) for i in chosen),
        )

        assert [r.status_code for r in responses] == [200] * 10
        stored = await all_addresses(client, headers)
        assert sorted(a["id"] for a in stored) == chosen
        assert len(_defaults(stored)) == 1


async def test_parallel_first_addresses_make_one_default(app: Litestar, container: Container, mailbox: Mailbox) -> None:
    async with concurrent_client(app, container) as client:
        headers = await signed_in(client, mailbox)

        responses = await asyncio.gather(*(client.post(ADDRESSES, headers=headers, json=DELHI) for _ in range(10)))

        assert [r.status_code for r in responses] == [201] * 10
        assert sum(r.json()["data"]["is_default"] for r in responses) == 1
        assert len(_defaults(await all_addresses(client, headers))) == 1


async def test_parallel_adds_never_pass_the_limit(settings: Settings, mailbox: Mailbox) -> None:
    container = build_container(msgspec.structs.replace(settings, max_addresses=5))
    async with concurrent_client(create_app(container=container), container) as client:
        headers = await signed_in(client, mailbox)
        await add_address(client, headers)
        await add_address(client, headers)

        responses = await asyncio.gather(*(client.post(ADDRESSES, headers=headers, json=DELHI) for _ in range(10)))

        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201] * 3 + [400] * 7, statuses
        assert {r.json()["error_code"] for r in responses if r.status_code == 400} == {"ADDR_001"}
        assert len(await all_addresses(client, headers)) == 5
