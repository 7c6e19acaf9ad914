"""The ``s2cart`` console script for tests: in this process (its ``main`` with argv), or as a real subprocess.

A subprocess pays an interpreter start and the whole app's import (1.5-2 s of CPU) for every command; most
tests are about what a command does, not how it is started, and run it in-process: ``main`` under the
command's environment, in a thread of its own (it calls ``asyncio.run`` and the test's loop is running), with
stdout and stderr captured and the logging it configures put back afterwards. Each command family keeps at
least one test that starts the real console script (``process=True``).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import threading
import traceback
import warnings
from collections.abc import Iterator, Mapping, Sequence

from s2cart.entrypoints.cli.main import main

TIMEOUT_SECONDS = 60
# One command at a time: the environment, sys.stdout/sys.stderr and the logging setup are process-wide.
_lock = threading.Lock()


def run_cli(args: Sequence[str], env: Mapping[str, str], *, process: bool = False) -> subprocess.CompletedProcess[str]:
    """``s2cart *args`` under exactly ``env`` (the whole environment, as a subprocess would get it)."""
    if process:
        return subprocess.run(
            [sys.executable, "-m", "s2cart.entrypoints.cli", *args],
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    result: list[subprocess.CompletedProcess[str]] = []
    worker = threading.Thread(target=lambda: result.append(_in_process(list(args), env)), daemon=True)
    worker.start()
    worker.join(TIMEOUT_SECONDS)
    if worker.is_alive():
        raise subprocess.TimeoutExpired(["s2cart", *args], TIMEOUT_SECONDS)
    return result[0]


def _in_process(args: list[str], env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        _lock,
        _environment(env),
        _logging_restored(),
        warnings.catch_warnings(),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        try:
            code = main(args)
        except SystemExit as exc:  # argparse: --help, or a usage error (2)
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:  # what the interpreter would do with it: a traceback and exit status 1
            traceback.print_exc()
            code = 1
    return subprocess.CompletedProcess(["s2cart", *args], code, stdout.getvalue(), stderr.getvalue())


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _logging_restored() -> Iterator[None]:
    """The command configures the root logger (a handler on the captured stderr) and quiets some libraries."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in list(logging.root.manager.loggerDict)}
    capturing = getattr(logging, "_warnings_showwarning", None) is not None  # logging.captureWarnings(True) is on
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name in list(logging.root.manager.loggerDict):
            logging.getLogger(name).setLevel(levels.get(name, logging.NOTSET))
        if not capturing:
            logging.captureWarnings(False)
