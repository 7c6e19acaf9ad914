"""Idempotency-Key at the edge: a retry with the same key and body gets the first answer, byte for byte."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from litestar import MediaType, Request, Response

from s2cart.application.idempotency import Idempotency, Replay
from s2cart.entrypoints.http.wire import WireResponse, encode

logger = logging.getLogger("s2cart.http")

# Beyond the contract (it has no Idempotency-Key): tells a client its answer is the stored one, not a new run.
REPLAYED_HEADER = "Idempotent-Replayed"


async def answer_once(
    request: Request[Any, Any, Any],
    idempotency: Idempotency,
    user_id: int,
    scope: str,
    data: msgspec.Struct,
    run: Callable[[], Awaitable[Any]],
    status_code: int,
) -> Response[Any]:
    """Without the header, just ``run``. With it: replay a stored answer, or run, store and answer; a failed
    run frees the key so the client may try again with it."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return WireResponse(await run(), status_code=status_code)
    fingerprint = hashlib.sha256(msgspec.json.encode(data)).hexdigest()
    claim = await idempotency.begin(user_id, scope, key, fingerprint)
    if isinstance(claim, Replay):
        return Response(
            content=claim.body,
            status_code=claim.status_code,
            media_type=MediaType.JSON,
            headers={REPLAYED_HEADER: "true"},
        )
    try:
        body = await run()
    except BaseException:
        await idempotency.abandon(claim)
        raise
    encoded = encode(body)
    if not await idempotency.finish(claim, status_code, encoded):
        # Ran past its lease and a retry took the key over: this answer reaches this connection only.
        logger.warning("idempotency key for %s of user %s was taken over before this request answered", scope, user_id)
    return Response(content=encoded, status_code=status_code, media_type=MediaType.JSON)
