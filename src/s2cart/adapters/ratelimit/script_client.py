"""A lean Redis client for the one Lua script every counted request runs (decision 0045).

redis-py's asyncio client costs ~200 us of CPU around one EVALSHA (its command packer, the connection pool's
checkout and release, a lock, the reader's parser and layers of coroutines). This client does one thing: it
sends EVALSHA for one script on one connection per process and parses the RESP reply in ``data_received``.

- Concurrent calls are pipelined on the connection: each writes its command and waits on a future; Redis
  answers in order, so the replies are handed to the futures in the order they were sent.
- NOSCRIPT (a SCRIPT FLUSH, a Redis restarted empty): that call is sent again as EVAL with the script's body,
  which loads it; the next calls' EVALSHA find it.
- Every call has a deadline (``timeout``). A reply that does not come in time, or a lost connection, fails
  every call waiting on that connection with an exception (``ConnectionError``, ``TimeoutError``), so the
  caller (``FallbackRateLimiter``) degrades exactly as with redis-py; the next call connects again.
- Plain TCP only (``redis://``), with AUTH and SELECT as the URL says; ``rediss://`` and unix sockets keep
  redis-py's script path (``lean_script`` answers None). Everything else S2Cart does in Redis keeps redis-py.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections import deque
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.connection import Connection


class ReplyError(Exception):
    """An error reply from Redis (``-ERR ...``, ``-NOSCRIPT ...``)."""


class ProtocolError(ConnectionError):
    """Bytes from Redis that are not RESP: the connection is dropped."""


class _Incomplete(Exception):
    pass


def parse(buffer: bytes, pos: int) -> tuple[Any, int]:
    """One RESP2 value from ``buffer`` at ``pos``: (value, position after it). Integers as int, bulk and simple
    strings as bytes, nil as None, arrays as lists, errors as a ``ReplyError`` instance (returned, not raised).
    Raises ``_Incomplete`` when the value has not fully arrived."""
    end = buffer.find(b"\r\n", pos)
    if end < 0:
        raise _Incomplete
    kind = buffer[pos]
    if kind == 58:  # ':' integer
        return int(buffer[pos + 1 : end]), end + 2
    if kind == 36:  # '$' bulk string
        length = int(buffer[pos + 1 : end])
        if length < 0:
            return None, end + 2
        stop = end + 2 + length
        if stop + 2 > len(buffer):
            raise _Incomplete
        return buffer[end + 2 : stop], stop + 2
    if kind == 42:  # '*' array
        count = int(buffer[pos + 1 : end])
        if count < 0:
            return None, end + 2
        items = []
        pos = end + 2
        for _ in range(count):
            item, pos = parse(buffer, pos)
            items.append(item)
        return items, pos
    if kind == 43:  # '+' simple string
        return buffer[pos + 1 : end], end + 2
    if kind == 45:  # '-' error
        return ReplyError(buffer[pos + 1 : end].decode(errors="replace")), end + 2
    raise ProtocolError(f"unexpected RESP type byte {kind!r}")


def encode(*parts: str | int | bytes) -> bytes:
    """A command as a RESP array of bulk strings."""
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode()
        out.append(b"$%d\r\n%b\r\n" % (len(data), data))
    return b"".join(out)


class _Connection(asyncio.Protocol):
    """One connection: the calls waiting for a reply, in the order their commands were written."""

    def __init__(self, timeout: float) -> None:
        self.transport: asyncio.Transport | None = None
        self.pending: deque[tuple[asyncio.Future[Any], float]] = deque()
        self.buffer = b""
        self.closed = False
        self.timed_out = False
        self._timeout = timeout
        self._timer: asyncio.TimerHandle | None = None
        self._loop = asyncio.get_running_loop()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # create_connection gives a Transport

    def send(self, command: bytes) -> asyncio.Future[Any]:
        if self.closed or self.transport is None:
            raise ConnectionError("Redis connection closed")
        loop = self._loop
        future = loop.create_future()
        deadline = loop.time() + self._timeout
        self.pending.append((future, deadline))
        self.transport.write(command)
        if self._timer is None:
            self._timer = loop.call_at(deadline, self._check_deadline)
        return future

    def _check_deadline(self) -> None:
        """One timer per connection, not one per call: it wakes at the oldest call's deadline."""
        self._timer = None
        if not self.pending or self.closed:
            return
        deadline = self.pending[0][1]
        if self._loop.time() >= deadline:
            self.timed_out = True
            self.abort()
        else:
            self._timer = self._loop.call_at(deadline, self._check_deadline)

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer + data if self.buffer else data
        pos, size, pending = 0, len(buffer), self.pending
        try:
            while pos < size:
                try:
                    value, pos = parse(buffer, pos)
                except _Incomplete:
                    break
                if not pending:
                    raise ProtocolError("a reply nobody asked for")
                future = pending.popleft()[0]
                if not future.done():  # a caller that was cancelled: its reply is read and dropped
                    future.set_result(value)
        except (ProtocolError, ValueError):
            self.abort()
            return
        self.buffer = buffer[pos:] if pos < size else b""

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()  # connection_lost fails what is pending
        else:
            self.connection_lost(None)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        error: Exception = (
            TimeoutError("Redis did not answer in time") if self.timed_out else ConnectionError("Redis connection lost")
        )
        while self.pending:
            future = self.pending.popleft()[0]
            if not future.done():
                future.set_exception(error)


class LeanScript:
    """``await script(keys, args)``: EVALSHA of one script, with redis-py's reply types (bytes, int, list,
    None). Raises ``ReplyError`` for an error reply other than NOSCRIPT, ``ConnectionError``/``OSError`` when
    Redis cannot be reached, ``TimeoutError`` past the deadline."""

    def __init__(
        self,
        script: str,
        *,
        host: str,
        port: int,
        db: int = 0,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 0.5,
        connect_timeout: float = 0.5,
    ) -> None:
        self._body = script.encode()
        sha = hashlib.sha1(self._body, usedforsecurity=False).hexdigest().encode()
        self.sha = sha.decode()
        self._evalsha_head = b"$7\r\nEVALSHA\r\n$40\r\n%b\r\n" % sha
        self._host, self._port, self._db = host, port, db
        self._username, self._password = username, password
        self._timeout, self._connect_timeout = timeout, connect_timeout
        self._connection: _Connection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None

    async def __call__(self, keys: Sequence[str], args: Sequence[str | int]) -> Any:
        connection = self._connection
        if connection is None or connection.closed or self._loop is not asyncio.get_running_loop():
            connection = await self._connect()
        reply = await connection.send(self._command(keys, args))
        if isinstance(reply, ReplyError):
            if str(reply).startswith("NOSCRIPT"):
                # EVAL runs the script and keeps it in Redis' script cache: the next EVALSHA finds it.
                reply = await connection.send(encode(b"EVAL", self._body, len(keys), *keys, *args))
            if isinstance(reply, ReplyError):
                raise reply
        return reply

    def _command(self, keys: Sequence[str], args: Sequence[str | int]) -> bytes:
        items = [*keys, *args]
        text = "".join([f"${len(s)}\r\n{s}\r\n" for s in map(str, items)])
        data = text.encode()
        if len(data) != len(text):  # not ASCII: bulk lengths are in bytes
            return encode(b"EVALSHA", self.sha, len(keys), *items)
        count = str(len(keys))
        return b"*%d\r\n%b$%d\r\n%b\r\n%b" % (3 + len(items), self._evalsha_head, len(count), count.encode(), data)

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests, a restarted app): the old connection is not ours
            self._drop()
            self._loop, self._lock = loop, asyncio.Lock()
        assert self._lock is not None
        async with self._lock:
            connection = self._connection
            if connection is not None and not connection.closed:
                return connection  # another call connected while this one waited
            async with asyncio.timeout(self._connect_timeout):
                _, connection = await loop.create_connection(lambda: _Connection(self._timeout), self._host, self._port)
                hello: list[bytes] = []
                if self._password is not None:
                    credentials = (self._username, self._password) if self._username else (self._password,)
                    hello.append(encode(b"AUTH", *credentials))
                if self._db:
                    hello.append(encode(b"SELECT", self._db))
                try:
                    for command in hello:
                        reply = await connection.send(command)
                        if isinstance(reply, ReplyError):
                            raise reply
                except BaseException:
                    connection.abort()
                    raise
            self._connection = connection
            return connection

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.closed and connection.transport is not None:
            with contextlib.suppress(RuntimeError):  # its loop may be closed already
                connection.transport.close()

    async def aclose(self) -> None:
        if self._loop is asyncio.get_running_loop():
            self._drop()
        else:
            self._connection = None


def lean_script(client: Redis, script: str, timeout: float = 0.5) -> LeanScript | None:
    """A LeanScript to the Redis ``client`` talks to, or None when it is not plain TCP (TLS, a unix socket)."""
    pool = client.connection_pool
    if pool.connection_class is not Connection:
        return None
    options = pool.connection_kwargs
    return LeanScript(
        script,
        host=str(options.get("host", "localhost")),
        port=int(options.get("port", 6379)),
        db=int(options.get("db", 0) or 0),
        username=options.get("username"),
        password=options.get("password"),
        timeout=float(options.get("socket_timeout") or timeout),
        connect_timeout=float(options.get("socket_connect_timeout") or timeout),
    )
