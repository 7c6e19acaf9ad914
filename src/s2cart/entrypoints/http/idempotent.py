"""Idempotency-Key at the edge: a retry with the same key and body gets the first answer, byte for byte."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from litestar import MediaType, Request, Response

from s2cart.application.idempotency import Idempotency


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
        return Response(await run(), status_code=status_code)
    fingerprint = hashlib.sha256(msgspec.json.encode(data)).hexdigest()
    replay = await idempotency.begin(user_id, scope, key, fingerprint)
    if replay is not None:
        return Response(content=replay.body, status_code=replay.status_code, media_type=MediaType.JSON)
    try:
        body = await run()
    except BaseException:
        await idempotency.abandon(user_id, scope, key)
        raise
    encoded = msgspec.json.encode(body)
    await idempotency.finish(user_id, scope, key, status_code, encoded)
    return Response(content=encoded, status_code=status_code, media_type=MediaType.JSON)
