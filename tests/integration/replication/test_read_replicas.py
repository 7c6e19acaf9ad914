"""Read replicas on a real streaming standby (decision 0042): read-your-writes with replay paused, browsing
within the lag limit, and a standby stopped under load."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from litestar.testing import AsyncTestClient

from s2cart.adapters.persistence.replicas import ReplicaRouter
from s2cart.entrypoints.container import Container
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.test_orders import new_shopper
from tests.integration.mailbox import Mailbox
from tests.integration.replication.cluster import Replicated
from tests.integration.replication.conftest import DATABASE, build, replica_container, replica_rows

PRODUCT = "/api/auth/stores/store_123/products/prod_001/"


def router_of(container: Container) -> ReplicaRouter:
    router = container.read_router()
    assert isinstance(router, ReplicaRouter)
    return router


async def until_checked(router: ReplicaRouter, *, up: bool = True) -> None:
    """Until the router's own check has seen the standby in the wanted state and in step with the primary."""
    deadline = time.monotonic() + 10
    while True:
        await router.check()
        replica = router.replicas[0]
        if replica.up == up and (not up or replica.lag == 0.0):
            return
        assert time.monotonic() < deadline, replica
        await asyncio.sleep(0.1)


async def test_a_customer_reads_their_own_order_while_replay_is_paused(
    replicated: Replicated, mailbox: Mailbox, marks_redis: str | None, apps: list[Any]
) -> None:
    container = replica_container(replicated, mailbox, marks_redis, max_lag=60)
    await load_demo_catalog(container)
    async with AsyncTestClient(app=build(apps, container), base_url="http://testserver.local") as client:
        shopper = await new_shopper(client, mailbox)
        cart_id = await shopper.add("store_123", "prod_001", 2)
        replicated.wait_replayed()
        router = router_of(container)
        await until_checked(router)

        replicated.pause_replay()
        placed = await shopper.order(cart_id)
        assert placed.status_code == 201, placed.text
        order_id = placed.json()["data"]["id"]
        assert replica_rows(replicated, "SELECT count(*) FROM orders") == [(0,)]  # the standby has not got it

        before = router.stats.kept_for_writer
        listed = await client.get("/api/auth/orders/", headers=shopper.headers)
        one = await client.get(f"/api/auth/orders/{order_id}/", headers=shopper.headers)
        assert [o["id"] for o in listed.json()["data"]] == [order_id], listed.text
        assert one.status_code == 200, one.text
        assert router.stats.kept_for_writer >= before + 2  # the replica was usable, and passed over for them

        # Someone who wrote nothing browses from the standby meanwhile.
        served = router.stats.replica
        assert (await client.get(PRODUCT)).status_code == 200
        assert router.stats.replica == served + 1

        replicated.resume_replay()
        replicated.wait_replayed()
        await until_checked(router)
        served = router.stats.replica
        again = await client.get("/api/auth/orders/", headers=shopper.headers)
        assert [o["id"] for o in again.json()["data"]] == [order_id]
        assert router.stats.replica == served + 1  # replayed past their order: the standby serves them again


async def test_a_paused_replica_serves_browsing_only_within_the_lag_limit(
    replicated: Replicated, mailbox: Mailbox, marks_redis: str | None, apps: list[Any]
) -> None:
    max_lag = 2.0
    container = replica_container(replicated, mailbox, marks_redis, max_lag=max_lag)
    await load_demo_catalog(container)
    async with AsyncTestClient(app=build(apps, container), base_url="http://testserver.local") as client:
        router = router_of(container)
        sql = "UPDATE products SET price = {} WHERE store_id = 'store_123' AND id = '{}'"
        replicated.primary.execute(sql.format("511.00", "prod_002"), DATABASE)  # a commit the standby replays now
        replicated.wait_replayed()
        await until_checked(router)
        replicated.pause_replay()
        paused_at = time.monotonic()
        replicated.primary.execute(sql.format("777.00", "prod_001"), DATABASE)

        stale = (await client.get(PRODUCT)).json()["data"]
        assert time.monotonic() - paused_at < max_lag  # still within the limit: the standby answered
        assert stale["price"] == 500.0, stale
        health = await client.get("/api/auth/health/")
        assert (health.status_code, health.json()["replicas"]) == (200, "operational")

        await asyncio.sleep(max_lag + 3 * router.check_every)
        fresh = (await client.get(PRODUCT)).json()["data"]
        assert fresh["price"] == 777.0, fresh  # too far behind now: the primary answers
        health = await client.get("/api/auth/health/")
        body = health.json()
        assert (health.status_code, body["status"], body["replicas"]) == (200, "healthy", "degraded")

        replicated.resume_replay()
        replicated.wait_replayed()
        await until_checked(router)
        served = router.stats.replica
        assert (await client.get(PRODUCT)).json()["data"]["price"] == 777.0
        assert router.stats.replica == served + 1
        assert (await client.get("/api/auth/health/")).json()["replicas"] == "operational"


async def test_stopping_the_replica_under_load_loses_no_request(
    replicated: Replicated, mailbox: Mailbox, marks_redis: str | None, apps: list[Any]
) -> None:
    container = replica_container(replicated, mailbox, marks_redis, max_lag=60)
    await load_demo_catalog(container)
    app = build(apps, container)
    router = router_of(container)
    await until_checked(router)
    answers: list[int] = []
    paths = [PRODUCT, "/api/auth/products/?q=rice", "/api/auth/stores/", "/api/auth/stores/store_123/"]

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as client:
        a_quarter_done = asyncio.Event()

        async def browse(worker: int) -> None:
            for i in range(40):
                answers.append((await client.get(paths[(worker + i) % len(paths)])).status_code)
                if len(answers) >= 80:
                    a_quarter_done.set()

        async def stop_the_replica() -> None:
            await a_quarter_done.wait()
            await asyncio.to_thread(replicated.replica.stop, "fast")

        await asyncio.gather(*(browse(w) for w in range(8)), stop_the_replica())
        assert answers == [200] * 320, sorted(set(answers))
        assert router.stats.replica > 0 and router.stats.primary > 0  # the standby served until it stopped
        health = await client.get("/api/auth/health/")
        assert (health.status_code, health.json()["replicas"]) == (200, "degraded")

    replicated.replica.start()
    await until_checked(router)
    assert router.replicas[0].up
