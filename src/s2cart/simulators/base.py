"""What both gateway simulators share: faults, the request log, notification delivery, the ``/_sim`` controls.

Faults: ``http_500`` answers 500 without acting; ``timeout``, ``malformed_json`` and ``drop`` act first and
then hold, garble or cut the reply, as a gateway whose answer got lost would.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from dataclasses import asdict
from datetime import datetime
from typing import Any

import httpx

from s2cart.simulators.asgi import Request, Response, Router, json_response
from s2cart.simulators.state import (
    ENDPOINTS,
    FAULT_MODES,
    Fault,
    Ledger,
    Notification,
    Order,
    Scenario,
)

logger = logging.getLogger("s2cart.simulator")

GARBAGE = b'{"head":{"responseTimestamp":"17000'  # cut mid-document: no JSON parser accepts it
LOGGED_HEADERS = ("content-type", "x-verify", "x-merchant-id")
AUTO_SUBMIT = "<script>document.forms[0].submit()</script>"  # what a browser on the pay page would do


class GatewaySimulator(ABC):
    name: str  # "paytm" or "phonepe": the control paths are /_sim/<name>/...

    def __init__(self, ledger: Ledger | None = None, *, hold_seconds: float = 2.0) -> None:
        self.ledger = ledger or Ledger()
        self.hold_seconds = hold_seconds

    @property
    @abstractmethod
    def merchant(self) -> str:
        """The merchant id this simulator serves (safe to print, unlike its key)."""

    @abstractmethod
    def add_gateway_routes(self, router: Router) -> None: ...

    @abstractmethod
    def notification(self, order: Order) -> tuple[str, dict[str, str]]:
        """The signed notification body and headers for the order's current state."""

    def now(self) -> datetime:
        return self.ledger.clock()

    def router(self) -> Router:
        router = Router()
        self.add_gateway_routes(router)
        prefix = f"/_sim/{self.name}"
        router.add("POST", f"{prefix}/reset", self._reset)
        router.add("POST", f"{prefix}/scenario", self._scenario)
        router.add("POST", f"{prefix}/faults", self._faults)
        router.add("POST", f"{prefix}/orders/{{order_id}}/pay", self._pay)
        router.add("POST", f"{prefix}/orders/{{order_id}}/notify", self._notify)
        router.add("GET", f"{prefix}/orders/{{order_id}}", self._order)
        router.add("GET", f"{prefix}/requests", self._requests)
        router.add("GET", f"{prefix}/notifications", self._notifications)
        return router

    async def guarded(self, endpoint: str, request: Request, handle: Any) -> Response:
        """Log the request, then play the endpoint's next scripted fault around the real handler."""
        self.ledger.requests.append(
            {
                "endpoint": endpoint,
                "method": request.method,
                "path": request.path,
                "query": request.query,
                "headers": {k: v for k, v in request.headers.items() if k in LOGGED_HEADERS},
                "body": request.text,
            }
        )
        fault = self.ledger.take_fault(endpoint)
        if fault is not None and fault.mode == "http_500":
            return Response(500, b"<html><body>Internal Server Error</body></html>", "text/html")
        response: Response = await handle(request)
        if fault is not None and fault.mode == "timeout":
            response.hold_seconds = self.hold_seconds
        elif fault is not None and fault.mode == "malformed_json":
            response.status, response.body = 200, GARBAGE
        elif fault is not None and fault.mode == "drop":
            response.drop = True
        return response

    async def pay(self, order: Order, scenario: Scenario) -> list[Notification]:
        """The customer pays: settle the order, then notify as the scenario says."""
        self.ledger.settle(order, scenario, self.now())
        if scenario.delay_ms:
            await asyncio.sleep(scenario.delay_ms / 1000)
        targets: list[str] = []
        if scenario.deliver in ("callback", "both", "duplicate"):
            targets.append(order.callback_url)
        if scenario.deliver == "duplicate":
            targets.append(order.callback_url)
        if scenario.deliver in ("webhook", "both"):
            targets.append(scenario.webhook_url or order.callback_url)
        return [await self.notify(order, url) for url in targets]

    async def notify(self, order: Order, url: str | None = None) -> Notification:
        body, headers = self.notification(order)
        note = Notification(
            order_id=order.order_id,
            url=url or order.callback_url,
            body=body,
            headers=headers,
            sent_at=self.now().isoformat(),
        )
        try:
            async with httpx.AsyncClient(timeout=5.0) as client:
                reply = await client.post(note.url, content=body.encode(), headers=headers)
            note.status_code = reply.status_code
        except httpx.HTTPError as exc:
            note.error = type(exc).__name__
        logger.info("%s simulator notified %s: %s", self.name, order.order_id, note.status_code or note.error)
        order.last_notification = note
        self.ledger.notifications.append(note)
        return note

    async def _reset(self, request: Request) -> Response:
        self.ledger.reset()
        return json_response({"status": "reset"})

    async def _scenario(self, request: Request) -> Response:
        try:
            data = request.json()
            scenario = Scenario.parse(data)
            key = str(data.get("order_id") or "*")
        except (ValueError, TypeError, AttributeError) as exc:
            return json_response({"error": str(exc)}, 400)
        self.ledger.scenarios[key] = scenario
        return json_response({"order_id": key, **asdict(scenario)})

    async def _faults(self, request: Request) -> Response:
        try:
            data = request.json()
            endpoint, mode, count = data["endpoint"], data["mode"], int(data.get("count", 1))
        except (ValueError, TypeError, KeyError) as exc:
            return json_response({"error": f"bad fault: {exc}"}, 400)
        if endpoint not in ENDPOINTS or mode not in FAULT_MODES:
            return json_response({"error": f"endpoint in {sorted(ENDPOINTS)}, mode in {sorted(FAULT_MODES)}"}, 400)
        self.ledger.faults[endpoint] = Fault(mode, count)
        return json_response({"endpoint": endpoint, "mode": mode, "count": count})

    async def _pay(self, request: Request) -> Response:
        order = self.ledger.orders.get(request.params["order_id"])
        if order is None:
            return json_response({"error": "unknown order"}, 404)
        try:
            overrides = request.json() or {}
            scenario = Scenario.parse(overrides, base=self.ledger.scenario_for(order))
        except (ValueError, TypeError) as exc:
            return json_response({"error": str(exc)}, 400)
        notes = await self.pay(order, scenario)
        return json_response({"order": _order_view(order), "notifications": [asdict(n) for n in notes]})

    async def _notify(self, request: Request) -> Response:
        order = self.ledger.orders.get(request.params["order_id"])
        if order is None:
            return json_response({"error": "unknown order"}, 404)
        try:
            url = (request.json() or {}).get("url")
        except (ValueError, AttributeError):
            return json_response({"error": "body must be a JSON object"}, 400)
        return json_response(asdict(await self.notify(order, url)))

    async def _order(self, request: Request) -> Response:
        order = self.ledger.orders.get(request.params["order_id"])
        if order is None:
            return json_response({"error": "unknown order"}, 404)
        return json_response(_order_view(order))

    async def _requests(self, request: Request) -> Response:
        return json_response(self.ledger.requests)

    async def _notifications(self, request: Request) -> Response:
        return json_response([asdict(n) for n in self.ledger.notifications])


def _order_view(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "amount": f"{order.amount:.2f}",
        "state": order.state,
        "settles_to": order.settles_to,
        "txn_id": order.txn_id,
        "refunded": f"{order.refunded:.2f}",
    }


def corrupt(signature: str) -> str:
    """A corrupted signature that still looks like one (hex or base64), whatever case the checker folds."""
    return ("1" if signature[:1] == "0" else "0") + signature[1:]
