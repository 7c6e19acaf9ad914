"""The argon2 adapter's process-level settings: hashing threads' priority, and its buffer going back to the OS."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import textwrap
import threading

import pytest

from s2cart.adapters.security.argon2_hasher import Argon2PasswordHasher
from s2cart.entrypoints.serve import hashing_threads_per_worker, transparent_huge_pages_for_malloc
from tests.integration.conftest import make_settings

linux_glibc = pytest.mark.skipif(
    sys.platform != "linux" or platform.libc_ver()[0] != "glibc", reason="per-thread nice and mallopt: Linux glibc"
)


def _own_nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@linux_glibc
@pytest.mark.parametrize("nice", [0, 10])
async def test_hashing_threads_run_at_the_configured_nice_value(nice: int) -> None:
    base = _own_nice()
    hasher = Argon2PasswordHasher(time_cost=1, memory_kib=1024, parallelism=1, max_workers=2, thread_nice=nice)
    try:
        assert await hasher.verify(await hasher.hash("pw"), "pw")
        threads = {hasher._pool.submit(_own_nice).result() for _ in range(4)}
    finally:
        hasher.close()
    assert threads == {max(base, nice)}
    assert _own_nice() == base  # the event loop's thread keeps its priority


_RSS_PROBE = textwrap.dedent(
    """
    import asyncio, sys
    from s2cart.adapters.security.argon2_hasher import Argon2PasswordHasher

    def rss_kib():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))

    async def main():
        hasher = Argon2PasswordHasher(2, 19456, 1, max_workers=2, release_memory=sys.argv[1] == "release")
        before = rss_kib()
        await asyncio.gather(*(hasher.hash(f"pw{i}") for i in range(8)))
        print((rss_kib() - before) // 1024)
        hasher.close()

    asyncio.run(main())
    """
)


@linux_glibc
def test_the_argon2_buffer_goes_back_to_the_os_after_hashing() -> None:
    grown = {}
    for mode in ("keep", "release"):
        probe = subprocess.run(
            [sys.executable, "-c", _RSS_PROBE, mode], capture_output=True, text=True, timeout=120, check=True
        )
        grown[mode] = int(probe.stdout.strip())
    # Two threads' 19 MiB buffers stay in their malloc arenas unless large blocks are unmapped on free.
    assert grown["keep"] >= 30, grown
    assert grown["release"] <= 8, grown


def test_workers_get_huge_pages_for_malloc_only_when_memory_is_released() -> None:
    releasing = make_settings("sqlite://", argon2_release_memory=True)
    environ: dict[str, str] = {}
    assert transparent_huge_pages_for_malloc(releasing, environ)
    assert environ == {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}
    operator = {"GLIBC_TUNABLES": "glibc.malloc.arena_max=2"}
    assert transparent_huge_pages_for_malloc(releasing, operator)
    assert operator == {"GLIBC_TUNABLES": "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"}
    chosen = {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=0"}
    assert not transparent_huge_pages_for_malloc(releasing, chosen)
    assert chosen == {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=0"}
    untouched: dict[str, str] = {}
    assert not transparent_huge_pages_for_malloc(make_settings("sqlite://", argon2_release_memory=False), untouched)
    assert untouched == {}


def test_each_worker_hashes_on_its_share_of_the_cores_unless_the_operator_chose() -> None:
    environ: dict[str, str] = {}
    assert hashing_threads_per_worker(2, 2, environ) == 1
    assert environ == {"S2CART_ARGON2_MAX_THREADS": "1"}
    single: dict[str, str] = {}
    assert hashing_threads_per_worker(1, 4, single) == 4
    crowded: dict[str, str] = {}
    assert hashing_threads_per_worker(8, 2, crowded) == 1
    chosen = {"S2CART_ARGON2_MAX_THREADS": "3"}
    assert hashing_threads_per_worker(2, 2, chosen) is None
    assert chosen == {"S2CART_ARGON2_MAX_THREADS": "3"}
