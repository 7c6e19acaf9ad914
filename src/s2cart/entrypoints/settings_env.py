"""Where settings come from besides the process environment: a ``.env`` file in the working directory, and a
warning about ``S2CART_*`` variables no part of S2Cart reads (a misspelt name is otherwise ignored in silence).

Only the ``s2cart`` command reads ``.env`` (``load_dotenv``), into its own environment, so ``serve``'s workers
inherit it; the real environment always wins over the file. Tests never read it (tests/conftest.py sets
``S2CART_DOTENV=off``). Values from the file are never logged: only names are.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from collections.abc import Iterable, Mapping, MutableMapping
from pathlib import Path

import msgspec

from s2cart.entrypoints.settings import Settings, SettingsError

logger = logging.getLogger("s2cart.settings")

PREFIX = "S2CART_"
DOTENV_SWITCH = "S2CART_DOTENV"
# S2CART_* variables read outside Settings: the tests, the fuzzing and scale runs (Makefile) and the .env switch. A name
# here is never warned about; add one when code starts reading a new S2CART_ variable of its own.
READ_ELSEWHERE = frozenset(
    {
        DOTENV_SWITCH,
        "S2CART_TEST_DATABASE_URL",
        "S2CART_TEST_REDIS_URL",
        "S2CART_FUZZ_EXAMPLES",
        "S2CART_FUZZ_SCENARIOS",
        "S2CART_TEST_OWN_REDIS_PORT",  # a fixed port for a test's own redis-server (tests/integration)
        "S2CART_TEST_PG_BIN",  # the replica tests' PostgreSQL binaries (tests/integration/replication)
        "S2CART_SCALE_TEST",  # make scale-test (tests/scale)
    }
)
SETTING_NAMES = frozenset(f"{PREFIX}{field.name.upper()}" for field in msgspec.structs.fields(Settings))

_warned = False


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """One line per ``S2CART_*`` name nothing reads, with the closest known setting when one is close."""
    lines = []
    for name in sorted(environ):
        if not name.startswith(PREFIX) or name in SETTING_NAMES or name in READ_ELSEWHERE:
            continue
        close = difflib.get_close_matches(name, sorted(SETTING_NAMES | READ_ELSEWHERE), n=1, cutoff=0.8)
        hint = f"; did you mean {close[0]}?" if close else ""
        lines.append(f"{name} is not a setting S2Cart knows{hint}")
    return lines


def warn_unknown_variables(environ: Mapping[str, str] | None = None) -> None:
    """Log the unknown names at WARNING, once a process (values are never logged)."""
    global _warned
    if _warned:
        return
    _warned = True
    for line in unknown_variables(os.environ if environ is None else environ):
        logger.warning(line)


_LINE = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")


def parse_dotenv(text: str, source: str = ".env") -> dict[str, str]:
    """``KEY=value`` lines; blank lines, ``#`` comments, ``export`` prefixes, single or double quotes (double
    quotes understand \\n, \\" and \\\\), and `` # comment`` after an unquoted value. Anything else is an
    error naming the file and the line (never the value: it may be a secret)."""
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise SettingsError(f"{source}, line {number}: expected KEY=value")
        key, value = match.group(1), match.group(2).strip()
        try:
            values[key] = _unquote(value)
        except ValueError as exc:
            raise SettingsError(f"{source}, line {number} ({key}): {exc}") from None
    return values


def _unquote(value: str) -> str:
    if value[:1] in ('"', "'"):
        quote = value[0]
        end = value.find(quote, 1)
        if quote == '"':
            end = 1
            while end < len(value) and value[end] != '"':
                end += 2 if value[end] == "\\" else 1
        if end >= len(value) or end < 0:
            raise ValueError("the quoted value is not closed")
        rest = value[end + 1 :].strip()
        if rest and not rest.startswith("#"):
            raise ValueError("text after the closing quote")
        inner = value[1:end]
        if quote == '"':
            inner = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), inner)
        return inner
    return re.split(r"\s+#", value, maxsplit=1)[0].rstrip()


def load_dotenv(environ: MutableMapping[str, str] | None = None, directory: Path | None = None) -> Iterable[str]:
    """Copy the ``S2CART_*`` keys of ``./.env`` that the environment does not set into it; returns their names.
    Other keys in the file are left alone. ``S2CART_DOTENV=off`` (or 0/false/no) skips the file."""
    target = os.environ if environ is None else environ
    if target.get(DOTENV_SWITCH, "").strip().lower() in {"0", "off", "false", "no"}:
        return []
    path = (directory or Path.cwd()) / ".env"
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    loaded = []
    for key, value in parse_dotenv(text, str(path)).items():
        if key.startswith(PREFIX) and key not in target:
            target[key] = value
            loaded.append(key)
    return loaded
