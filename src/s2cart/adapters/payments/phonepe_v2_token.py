"""PhonePe v2's OAuth token: fetched with the client credentials, kept per process, refreshed once.

The token lives until PhonePe's ``expires_at``; S2Cart renews it a margin before (5 minutes, or half its life
when that is shorter), measured on its own clock from the moment the token arrived: the lifetime is
``expires_at - issued_at``, both PhonePe's, so neither side's clock skew matters. Callers that find the
token stale queue on one ``asyncio.Lock``; the first one fetches and the rest reuse its token (no stampede).
The token and the client secret never reach a log line or a ``repr``.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

import httpx

from s2cart.adapters.payments.http import NoAnswer, Reply, exchange, text_of
from s2cart.application.errors import GatewayRejected, GatewayUnavailable
from s2cart.application.ports.system import Clock

logger = logging.getLogger("s2cart.payments.phonepe")

GATEWAY: Final = "PHONEPE"
MARGIN = timedelta(minutes=5)
DEFAULT_LIFETIME = timedelta(minutes=15)  # when PhonePe's answer gives no usable issued_at


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    client_secret: str = field(repr=False)
    client_version: str


@dataclass(frozen=True)
class _Token:
    value: str = field(repr=False)
    token_type: str
    renew_at: datetime

    @property
    def header(self) -> str:
        return f"{self.token_type} {self.value}"


class PhonePeTokens:
    """``await tokens.header()`` gives ``O-Bearer <token>``; ``tokens.discard(header)`` after a 401."""

    def __init__(self, http: httpx.AsyncClient, token_url: str, credentials: ClientCredentials, clock: Clock) -> None:
        self._http = http
        self._url = token_url
        self._credentials = credentials
        self._clock = clock
        self._token: _Token | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0  # how many tokens this process asked for (tests, metrics)

    def __repr__(self) -> str:
        return f"PhonePeTokens(client_id={self._credentials.client_id!r}, token_url={self._url!r})"

    async def header(self) -> str:
        token = self._token
        if token is not None and self._clock.now() < token.renew_at:
            return token.header
        async with self._lock:
            token = self._token  # another caller may have renewed it while this one waited
            if token is None or self._clock.now() >= token.renew_at:
                token = self._token = await self._fetch()
            return token.header

    def discard(self, header: str) -> None:
        """PhonePe refused this token: forget it, unless a newer one already replaced it."""
        if self._token is not None and self._token.header == header:
            self._token = None

    async def _fetch(self) -> _Token:
        self.fetches += 1
        creds = self._credentials
        form = {
            "client_id": creds.client_id,
            "client_version": creds.client_version,
            "client_secret": creds.client_secret,
            "grant_type": "client_credentials",
        }
        received_at = self._clock.now()
        reply = await exchange(
            self._http,
            "POST",
            self._url,
            gateway=GATEWAY,
            operation="token",
            form=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if isinstance(reply, NoAnswer):
            raise GatewayUnavailable(GATEWAY, f"token: {reply.reason}")
        return _token_from(reply, received_at)


def _token_from(reply: Reply, received_at: datetime) -> _Token:
    document = reply.json_object()
    if reply.status_code in (400, 401, 403):
        code = text_of(document.get("errorCode") or document.get("code")) if document else None
        logger.error("phonepe refused S2Cart's client credentials: HTTP %s %s", reply.status_code, code or "")
        raise GatewayRejected(GATEWAY, f"token refused (HTTP {reply.status_code})", gateway_code=code)
    value = document.get("access_token") if document else None
    expires_at = document.get("expires_at") if document else None
    if reply.status_code != 200 or not isinstance(value, str) or not value or not _is_epoch(expires_at):
        raise GatewayUnavailable(GATEWAY, "token: BAD_REPLY")
    assert document is not None and isinstance(expires_at, int)
    issued_at = document.get("issued_at")
    if _is_epoch(issued_at) and isinstance(issued_at, int) and issued_at < expires_at:
        lifetime = timedelta(seconds=expires_at - issued_at)
    else:
        lifetime = DEFAULT_LIFETIME
    token_type = text_of(document.get("token_type")) or "O-Bearer"
    return _Token(value, token_type, received_at + lifetime - min(MARGIN, lifetime / 2))


def _is_epoch(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
