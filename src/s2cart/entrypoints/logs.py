"""Logging: console or JSON lines, each carrying the request id, with secrets redacted.

Redaction works on values, never on the serialised line: in JSON mode the message and every string field are
redacted before ``json.dumps`` (a regex over the JSON text would read an escaped ``\\n`` as part of a secret and
eat the words after it), and a structured field whose *name* is a secret (``token``, ``otp`` ...) is masked whole.
A ``key=value`` secret is masked up to the next ``&``, whitespace, quote, ``,``, ``;`` or ``}``, so the text
around it is left as it was.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# key=value / "key": "value" pairs whose value is a secret, wherever they appear in a message.
_SECRET_PAIR = re.compile(
    r"""(?ix)
    (["']?(?:password|passwd|secret|token|otp|refresh|access|authorization|api[_-]?key|salt[_-]?key
        |merchant[_-]?key|checksum|x-verify|card[_-]?number|cvv)["']?\s*[:=]\s*)
    (?:"[^"]*"|'[^']*'|Bearer\s+[^\s"'&]+|Token\s+[^\s"'&]+|[^\s,;&}"'\\]+)
    """
)
_BEARER = re.compile(r"(?i)\b(Bearer|Token)\s+[A-Za-z0-9._~+/=-]{8,}")


_JOINED = (("api", "key"), ("salt", "key"), ("merchant", "key"), ("card", "number"))
# Every word either pattern needs. Most lines (the access line among them) contain none, and a substring
# search costs ~1 us where the two substitutions cost ~50 us on a line that has nothing to redact.
_HINTS = (
    *("password", "passwd", "secret", "token", "otp", "refresh", "access", "authorization", "checksum"),
    *("x-verify", "cvv", "bearer"),
    *(f"{word}{joint}{tail}" for word, tail in _JOINED for joint in ("", "_", "-")),
)


def redact(text: str) -> str:
    lowered = text.lower()
    if not any(hint in lowered for hint in _HINTS):
        return text
    text = _SECRET_PAIR.sub(lambda m: f"{m.group(1)}***", text)
    return _BEARER.sub(lambda m: f"{m.group(1)} ***", text)


# A structured field (``extra={...}``) named like a secret is masked whole, whatever its value looks like.
_SECRET_KEY = re.compile(
    r"(?i)^(?:.*(?:password|passwd|secret|token|otp|authorization|api[_-]?key|salt[_-]?key|merchant[_-]?key"
    r"|checksum|x-verify|card[_-]?number|cvv).*|refresh|access)$"
)
# What every LogRecord has: anything else on a record came from ``extra=`` and is a structured field.
_RECORD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
    "color_message",  # uvicorn's ANSI-coloured copy of the message
}


def mask_field(key: str, value: object) -> object:
    """A structured field's value as it may be logged: masked whole under a secret name, else redacted inside."""
    if _SECRET_KEY.match(key):
        return "***"
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {str(k): mask_field(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_field(key, v) for v in value]
    return value


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and key not in entry:
                entry[key] = mask_field(key, value)
        if record.exc_info:
            entry["exc_info"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exc_info"] = redact(record.exc_text)
        return json.dumps(entry, default=lambda value: redact(str(value)))


_cli_logger = logging.getLogger("s2cart.cli")


def report_error(message: str) -> None:
    """A command's error for the operator: ``s2cart: message`` on stderr, or an error record in JSON mode."""
    if any(isinstance(getattr(h, "formatter", None), JsonFormatter) for h in logging.getLogger().handlers):
        _cli_logger.error(message)
    else:
        print(f"s2cart: {redact(message)}", file=sys.stderr)


def configure_logging(level: str = "INFO", fmt: str = "console") -> None:
    handler = logging.StreamHandler()
    handler.addFilter(_ContextFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)-7s [%(request_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_s2cart", False):
            root.removeHandler(existing)
    handler._s2cart = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)  # a library's warning is a log line too (JSON in JSON mode)
    quiet_noisy_loggers()


# Libraries that log statement parameters (password hashes, token digests) or full URLs at DEBUG/INFO:
# they stay at WARNING whatever S2CART_LOG_LEVEL says.
NOISY_LOGGERS = (
    "aiosqlite",
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "psycopg",
    "httpx",
    "httpcore",
    "asyncio",
    "alembic.runtime.plugins",
)


def quiet_noisy_loggers() -> None:
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
