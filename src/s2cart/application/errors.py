"""Failures that are not business rules: infrastructure the use case depends on is not there."""

from __future__ import annotations


class ApplicationError(Exception):
    code = "SYS_001"
    message = "Service temporarily unavailable"


class StorageUnavailable(ApplicationError):
    """The database cannot be reached or answered with a transient failure."""

    code = "SYS_503"
    message = "Service temporarily unavailable"


class TransactionConflict(StorageUnavailable):
    """The database aborted the transaction to resolve a conflict with another one (a deadlock, a
    serialization failure): the same work run again normally succeeds. ``sqlstate`` names the conflict
    (40P01, 40001). Once the retries are spent it answers like any storage failure, 503 SYS_503."""

    def __init__(self, sqlstate: str) -> None:
        self.sqlstate = sqlstate
        super().__init__(sqlstate)


class StorageRefusedValue(ApplicationError):
    """The database refused a value the edge let through (SQLSTATE class 22, data exception). ``sqlstate`` is
    safe to log; the database's own message is not (it quotes the value)."""

    code = "VAL_001"
    message = "A value in the request could not be stored"

    def __init__(self, sqlstate: str = "") -> None:
        self.sqlstate = sqlstate
        super().__init__(sqlstate)


class GatewayError(ApplicationError):
    """A payment gateway could not be used as intended; ``gateway`` names it, ``detail`` is safe to log."""

    code = "PAY_001"
    message = "Payment processing error"

    def __init__(self, gateway: str, detail: str = "", *, gateway_code: str | None = None) -> None:
        self.gateway = gateway
        self.detail = detail
        self.gateway_code = gateway_code
        super().__init__(f"{gateway}: {detail}" if detail else gateway)


class GatewayUnavailable(GatewayError):
    """Nothing was learned: the gateway timed out, failed (5xx) or answered something unreadable."""

    code = "PAY_503"
    message = "Payment gateway temporarily unavailable"


class GatewayRejected(GatewayError):
    """The gateway refused a read because of how S2Cart called it (bad credentials, unknown merchant)."""

    code = "PAY_001"
    message = "Payment processing error"


class InvalidCallback(GatewayError):
    """A gateway notification is malformed or names another merchant: reject it, change no state."""

    code = "PAY_400"
    message = "Invalid payment notification"


class InvalidSignature(InvalidCallback):
    """A notification or reply whose signature is missing or does not verify."""

    code = "PAY_401"
    message = "Invalid payment signature"
