"""Every process logs JSON lines in JSON mode (``S2CART_LOG_FORMAT=json``): serve, the reconciler, the gateway
simulator, ``mail flush``; a command's output for humans (and ``gateways env``'s shell) stays on stdout as it is.

Each is run as an operator runs it, in a process of its own; every line it writes to stderr must parse as JSON.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from s2cart.application.accounts.mails import AccountMails
from s2cart.application.ports.outbox import OutboxMessage
from s2cart.entrypoints.container import build_container, close_resources
from s2cart.entrypoints.settings import Settings
from tests.integration.mailbox import free_port
from tests.integration.server_process import serving

COMMAND = [sys.executable, "-m", "s2cart.entrypoints.cli"]


def json_env(database_url: str, **settings: str) -> dict[str, str]:
    env = {
        **os.environ,
        "S2CART_DATABASE_URL": database_url,
        "S2CART_LOG_FORMAT": "json",
        "S2CART_LOG_LEVEL": "INFO",
        **{f"S2CART_{name.upper()}": value for name, value in settings.items()},
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of ``text`` as the JSON object it must be (a plain-text line fails here, naming itself)."""
    entries = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            raise AssertionError(f"not a JSON line: {line!r}\nin:\n{text}") from None
        assert isinstance(entry, dict) and {"ts", "level", "logger", "message"} <= entry.keys(), line
        entries.append(entry)
    return entries


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], env=env, capture_output=True, text=True, timeout=60, check=False)


def wait_for(condition: Any, process: subprocess.Popen[bytes], log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def test_serve_logs_json_lines_from_start_to_stop(settings: Settings, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"  # stdout and stderr both
    with serving(settings.database_url, log, workers=1, log_level="INFO") as (process, base):
        assert httpx.get(f"{base}/api/auth/live/", timeout=5).status_code == 200
        stop(process)
    entries = json_lines(log.read_text())
    assert any(e["logger"].startswith("uvicorn") for e in entries)  # the server's own lines too
    assert any(e.get("route") == "/api/auth/live" and e.get("status") == 200 for e in entries), entries


def test_the_reconciler_logs_each_round_as_a_json_record_with_its_counts(database_url: str, tmp_path: Path) -> None:
    log = tmp_path / "reconcile.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [*COMMAND, "payments", "reconcile", "--every", "0.1"],
            env=json_env(database_url),
            stdout=subprocess.PIPE,
            stderr=err,
        )
    try:
        wait_for(lambda: log.read_text().count('"checked"') >= 2, process, log)
    finally:
        stop(process)
        stdout = process.stdout.read() if process.stdout else b""
    assert process.returncode == 0, log.read_text()
    assert stdout == b""  # the rounds are log lines, not output
    rounds = [e for e in json_lines(log.read_text()) if e["logger"] == "s2cart.payments.reconcile"]
    assert len(rounds) >= 2
    counts = {"checked", "captured", "failed", "expired", "refunds_requested", "refunds_completed"}
    assert {key: rounds[0][key] for key in counts} == dict.fromkeys(counts, 0)
    assert rounds[0]["message"] == "checked 0: captured 0, failed 0, expired 0; refunds requested 0, completed 0"


def test_the_gateway_simulator_logs_json_lines_its_access_lines_included(database_url: str, tmp_path: Path) -> None:
    log = tmp_path / "simulate.log"
    port = free_port()
    with log.open("wb") as err:
        process = subprocess.Popen(
            [*COMMAND, "gateways", "simulate", "--port", str(port)],
            env=json_env(database_url),
            stdout=err,
            stderr=subprocess.STDOUT,
        )
    try:

        def answers() -> bool:
            try:
                return httpx.post(f"http://127.0.0.1:{port}/_sim/reset", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(answers, process, log)
        wait_for(lambda: "/_sim/reset" in log.read_text(), process, log, seconds=5)
    finally:
        stop(process)
    entries = json_lines(log.read_text())
    started = [e for e in entries if e["logger"] == "s2cart.gateways.simulate"]
    assert {e["gateway"] for e in started} == {"paytm", "phonepe"}
    assert any(e["logger"] == "uvicorn.access" and "/_sim/reset" in e["message"] for e in entries), entries


async def test_mail_flush_logs_the_dev_mail_as_json_with_the_link_masked_and_the_text_intact(
    database_url: str,
) -> None:
    settings = Settings(database_url=database_url)
    container = build_container(settings)
    mail = AccountMails("https://shop.example").verification("meera@example.com", "Meera", "tok.EN_1-x", "482913")
    async with container.uow() as uow:
        sealed = container.secret_box().seal(asdict(mail))
        await uow.outbox.add(OutboxMessage(topic="mail", payload={"sealed": sealed}, created_at=datetime.now(UTC)))
        await uow.commit()
    await close_resources(container)
    env = json_env(database_url, jwt_secret=settings.jwt_secret, smtp_host="")

    flushed = run(["mail", "flush"], env)

    assert flushed.returncode == 0, flushed.stderr
    assert flushed.stdout == "delivered 1, failed 0\n"  # the command's output for humans stays as it was
    [logged] = [e for e in json_lines(flushed.stderr) if "development mail" in e["message"]]
    assert "Open in S2Cart App: s2cart://verify?token=***&otp=***\n(No app yet? Install it: " in logged["message"]
    assert logged["message"].endswith("\n\nS2Cart")
    assert "otp=482913" not in flushed.stderr and "token=tok" not in flushed.stderr


def test_gateways_env_keeps_stdout_pure_shell_in_json_mode(database_url: str) -> None:
    shown = run(["gateways", "env", "--url", "http://127.0.0.1:9131"], json_env(database_url))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines and all(line.startswith("export S2CART_") for line in lines), shown.stdout
    json_lines(shown.stderr)
    evaluated = subprocess.run(
        ["sh", "-c", f'{shown.stdout}\necho "$S2CART_PAYTM_BASE_URL"'], capture_output=True, text=True, check=True
    )
    assert evaluated.stdout == "http://127.0.0.1:9131\n"


def test_a_commands_error_is_a_json_record_in_json_mode_and_plain_words_otherwise(database_url: str) -> None:
    env = json_env(database_url)
    refused = run(["users", "show", "nobody@example.com"], env)
    assert (refused.returncode, refused.stdout) == (1, "")
    [error] = json_lines(refused.stderr)
    assert (error["level"], error["logger"]) == ("error", "s2cart.cli")
    plain = run(["users", "show", "nobody@example.com"], {**env, "S2CART_LOG_FORMAT": "console"})
    assert plain.returncode == 1 and plain.stderr == f"s2cart: {error['message']}\n"


def test_a_settings_error_is_a_json_record_in_json_mode(database_url: str) -> None:
    refused = run(["users", "show", "x@example.com"], {**json_env(database_url), "S2CART_TAX_RATE": "abc"})
    assert (refused.returncode, refused.stdout) == (2, "")
    [error] = json_lines(refused.stderr)
    assert error["level"] == "error" and error["message"]
