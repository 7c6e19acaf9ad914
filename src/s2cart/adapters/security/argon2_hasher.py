"""Argon2id password hashing in a bounded thread pool, so hashing never blocks the event loop."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

logger = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
# Blocks this large or larger are mmapped by glibc and unmapped when freed (argon2's buffer is memory_kib).
MMAP_THRESHOLD_BYTES = 1024 * 1024


def return_large_blocks_to_os(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Have glibc mmap every block of ``threshold`` bytes or more and unmap it on free; True when applied.

    Without this a hashing thread's 19 MiB argon2 buffer stays in that thread's malloc arena after the hash:
    glibc raises its mmap threshold to the size of the first such block freed, and a thread arena's top is
    never trimmed below twice that. Two hashing threads kept ~38 MB per worker for good after a sign-in. A fixed
    threshold turns the dynamic one off. The price is faulting the buffer in again on every hash (see
    ``serve.transparent_huge_pages_for_malloc``). A no-op where the C library is not glibc (musl, macOS).
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return False
    # glibc only: musl's mallopt does nothing, and other C libraries have none.
    if not hasattr(libc, "gnu_get_libc_version") or not hasattr(libc, "mallopt"):
        return False
    mallopt = libc.mallopt
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, threshold))


def lower_thread_priority(nice: int) -> None:
    """Give the calling thread the nice value ``nice`` (Linux schedules threads by their own nice value), so
    the event loops win the CPU from hashing threads during a sign-in storm. Never raises the priority, and a
    platform without per-thread priorities leaves it alone."""
    if nice <= 0:
        return
    try:
        thread = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, thread) < nice:
            os.setpriority(os.PRIO_PROCESS, thread, nice)
    except (OSError, AttributeError):
        logger.debug("could not lower the hashing thread's priority", exc_info=True)


class Argon2PasswordHasher:
    def __init__(
        self,
        time_cost: int,
        memory_kib: int,
        parallelism: int,
        max_workers: int = 2,
        thread_nice: int = 0,
        release_memory: bool = False,
    ) -> None:
        self._argon2 = _Argon2(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        if release_memory:
            return_large_blocks_to_os()
        # The pool bounds CPU spent on hashing; requests beyond it queue instead of starving the loop.
        self._pool = ThreadPoolExecutor(
            max_workers=max_workers,
            thread_name_prefix="argon2",
            initializer=lower_thread_priority,
            initargs=(thread_nice,),
        )
        self._dummy: str | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    async def verify_dummy(self, password: str) -> None:
        if self._dummy is None:
            self._dummy = await self.hash("s2cart-dummy-password-for-timing")
        await self.verify(self._dummy, password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
