"""Who is on the other end: client IP (trusting X-Forwarded-For only from our proxies) and device."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from litestar import Request

from s2cart.domain.sessions.session import Device, DeviceType
from s2cart.domain.shared.errors import ValidationFailed

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Sequence[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: Request[Any, Any, Any], trusted: Sequence[Network]) -> str | None:
    """The socket peer; behind a trusted proxy, the right-most X-Forwarded-For entry it did not add.

    Entries are read right to left, skipping our own proxies; the first untrusted one is the client.
    A header from an untrusted peer is ignored: a client cannot choose its own address."""
    peer = request.client.host if request.client else None
    if peer is None or not trusted or not _trusted(peer, trusted):
        return peer
    forwarded = ",".join(request.headers.getall("x-forwarded-for", []))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage in the header: fall back to what we know
    return hops[0] if hops else peer


def device_of(
    request: Request[Any, Any, Any],
    ip: str | None,
    device_type: str | None = None,
    device_id: str | None = None,
) -> Device:
    """Body fields win over the X-Device-* headers; without either the device is ``API``."""
    raw_type = (device_type or request.headers.get("x-device-type") or DeviceType.API.value).upper()
    try:
        kind = DeviceType(raw_type)
    except ValueError:
        raise ValidationFailed.on("device_type", "Must be one of ANDROID, WEB, IOS, API.") from None
    raw_id = device_id or request.headers.get("x-device-id") or None
    if raw_id is not None and len(raw_id) > 255:
        raise ValidationFailed.on("device_id", "Must be at most 255 characters.")
    return Device(
        device_type=kind,
        device_id=raw_id,
        user_agent=(request.headers.get("user-agent") or "")[:500],
        ip_address=ip,
        app_version=(request.headers.get("x-app-version") or None),
    )
