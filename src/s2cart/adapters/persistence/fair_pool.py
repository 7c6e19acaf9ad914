"""A first-come, first-served connection pool for the async engine (decision 0041).

SQLAlchemy's ``AsyncAdaptedQueuePool`` keeps its connections in an ``asyncio.Queue`` and takes one without waiting
whenever the queue is not empty. A returned connection wakes the oldest waiter, but the waiter only runs on a
later turn of the event loop; a request arriving in between finds the connection in the queue and takes it, and
the woken waiter finds the queue empty again and goes to the *back* of the line. Under saturation (more requests
than connections, the usual state of a loaded worker) some requests lose that race again and again: the tail of
add-item's latency was made of them.

Here a returned connection is handed straight to the oldest live waiter, and a newcomer waits behind everyone
already waiting: connections are granted in arrival order, so no request waits for more than the ones ahead.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.util import await_
from sqlalchemy.util.queue import AsyncAdaptedQueue, Empty


class FairAsyncQueue(AsyncAdaptedQueue[Any]):
    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        super().__init__(maxsize, use_lifo)
        self._waiters: deque[asyncio.Future[Any]] = deque()

    def put_nowait(self, item: Any) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(item)  # handed over: it never sits where a newcomer could take it
                return
        super().put_nowait(item)

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        self.put_nowait(item)  # the pool never holds more than it has room for: a put never has to wait

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if not self._waiters:
            try:
                return self.get_nowait()
            except Empty:
                if not block:
                    raise
        elif not block:
            raise Empty()
        waiter: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await_(asyncio.wait_for(waiter, timeout))
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled():
                # Handed a connection just as the wait ended (a timeout, a cancelled request): pass it on.
                self.put_nowait(waiter.result())
            else:
                waiter.cancel()
            if isinstance(exc, TimeoutError):
                raise Empty() from exc
            raise


class FairAsyncQueuePool(AsyncAdaptedQueuePool):
    _queue_class = FairAsyncQueue  # type: ignore[assignment]
    # Log under sqlalchemy.pool like the pool it replaces, so the noisy-logger rule (entrypoints/logs.py) keeps its
    # INFO lines ("Pool disposed") out of a command's output; under s2cart.* they reached stderr in JSON mode.
    _sqla_logger_namespace = "sqlalchemy.pool.impl.FairAsyncQueuePool"
