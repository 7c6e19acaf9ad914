"""deploy/ as an operator installs it: nginx accepts the site, the units are sound and run real commands.

``nginx -t`` runs on the site config inside a throwaway http{} with its own certificates, prefix, pid and
logs in a temp dir (no service is started). Without nginx the check is skipped, except in CI (``CI`` set),
where a missing nginx is a failure: .ci/run installs it from Debian's packages.
"""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml  # PyYAML comes with litestar
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from s2cart.entrypoints.cli.main import build_parser
from tests.integration.http.accounts import Client

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SITE = DEPLOY / "nginx" / "s2cart.conf"
UNITS = ("s2cart.service", "s2cart-reconcile.service", "s2cart-sessions-cleanup.service")
HARDENING = {"NoNewPrivileges": "true", "PrivateTmp": "true", "ProtectSystem": "strict", "ProtectHome": "true"}
S2CART = "/opt/s2cart/.venv/bin/s2cart"
ALERTS = DEPLOY / "prometheus" / "s2cart-alerts.yml"
DURATION = re.compile(r"\d+[smhd]")


def _tool(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/sbin")


def _throwaway_certificate(directory: Path, host: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    chain, private = directory / "fullchain.pem", directory / "privkey.pem"
    chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return chain, private


def test_nginx_accepts_the_site_config(tmp_path: Path) -> None:
    nginx = _tool("nginx")
    if nginx is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed: .ci/run installs it (apt-get install nginx-light)")
        pytest.skip("nginx is not installed (apt-get install nginx-light); CI runs this check")
    site = SITE.read_text()
    chain, private = _throwaway_certificate(tmp_path, "api.s2cart.example")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {chain};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {private};", site)
    (tmp_path / "s2cart.conf").write_text(site)
    temp = {name: tmp_path / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        f"    access_log {tmp_path}/access.log;\n"
        f"    client_body_temp_path {temp['body']};\n"
        f"    proxy_temp_path {temp['proxy']};\n"
        f"    fastcgi_temp_path {temp['fastcgi']};\n"
        f"    uwsgi_temp_path {temp['uwsgi']};\n"
        f"    scgi_temp_path {temp['scgi']};\n"
        f"    include {tmp_path}/s2cart.conf;\n"
        "}\n"
    )
    command = [nginx, "-t", "-q", "-p", f"{tmp_path}/", "-e", f"{tmp_path}/error.log", "-c", f"{tmp_path}/nginx.conf"]

    checked = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)

    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert "[emerg]" not in checked.stderr


def test_the_site_config_needs_nothing_newer_than_debian_12s_nginx() -> None:
    site = SITE.read_text()
    assert not re.search(r"^\s*http2\s+on\s*;", site, re.MULTILINE)  # nginx >= 1.25.1 only
    assert re.search(r"^\s*listen 443 ssl http2;", site, re.MULTILINE)


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / name).read_text())
    return parser


@pytest.mark.parametrize("name", UNITS)
def test_every_unit_runs_as_s2cart_with_the_api_units_hardening(name: str) -> None:
    service = _unit(name)["Service"]
    assert {key: service.get(key) for key in HARDENING} == HARDENING
    assert (service["User"], service["Group"], service["EnvironmentFile"]) == (
        "s2cart",
        "s2cart",
        "/etc/s2cart/s2cart.env",
    )


def _s2cart_commands() -> list[list[str]]:
    """Every s2cart command line the units and the Procfile run, as argument lists."""
    commands = []
    for name in UNITS:
        service = _unit(name)["Service"]
        for key in ("ExecStartPre", "ExecStart"):
            if key in service:
                words = shlex.split(service[key])
                assert words[0] == S2CART
                commands.append(words[1:])
    for line in (DEPLOY / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            found = re.findall(r"s2cart ([^;']+)", line.split(":", 1)[1])
            assert found, line
            commands.extend(shlex.split(c.replace("${PORT:-8000}", "8000")) for c in found)
    return commands


def test_the_units_and_the_procfile_reconcile_payments_and_clean_up_sessions() -> None:
    commands = _s2cart_commands()
    assert ["payments", "reconcile"] in [c[:2] for c in commands if "--every" in c]  # units and Procfile
    assert sum(c[:2] == ["sessions", "cleanup"] for c in commands) == 2
    timer = _unit("s2cart-sessions-cleanup.timer")
    assert timer["Timer"]["OnCalendar"] == "daily" and timer["Install"]["WantedBy"] == "timers.target"
    reconcile = _unit("s2cart-reconcile.service")
    assert reconcile["Service"]["Restart"] == "always"


def test_every_command_the_units_and_the_procfile_run_is_one_s2cart_accepts() -> None:
    parser = build_parser()
    for command in _s2cart_commands():
        parsed = parser.parse_args(command)  # exits (SystemExit) on an unknown option or command
        assert callable(parsed.handler), command


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = _tool("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (an optional lint)")
    executable = Path(sys.executable).parent / "s2cart"
    for path in [*DEPLOY.glob("*.service"), *DEPLOY.glob("*.timer")]:
        (tmp_path / path.name).write_text(path.read_text().replace(S2CART, str(executable)))
    names = sorted(p.name for p in tmp_path.iterdir())

    verified = subprocess.run(
        [analyze, "verify", *names], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )

    assert verified.returncode == 0 and not verified.stderr.strip(), verified.stderr


async def test_the_alert_rules_are_well_formed_and_name_metrics_s2cart_exposes(client: Client) -> None:
    document = yaml.safe_load(ALERTS.read_text())
    [group] = document["groups"]
    rules = group["rules"]
    names = {rule["alert"] for rule in rules}
    assert len(names) == len(rules) and all(name.startswith("S2Cart") for name in names)
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert isinstance(rule["expr"], str) and rule["expr"].count("(") == rule["expr"].count(")"), rule["alert"]
        assert DURATION.fullmatch(str(rule.get("for", "0m"))), rule["alert"]
        assert rule["labels"]["severity"] in {"page", "ticket"} and rule["annotations"]["summary"], rule["alert"]
    assert {"S2CartPaymentsPendingPastExpiry", "S2CartReconcilerNotRunning", "S2CartPaymentCallbacksForged"} <= names

    exposed = (await client.get("/metrics")).text
    used = {m for rule in rules for m in re.findall(r"\bs2cart_[a-z_]+", rule["expr"])}
    families = {re.sub(r"_(bucket|count|sum)$", "", m) for m in used}
    declared = set(re.findall(r"^# TYPE (\S+) ", exposed, re.MULTILINE))
    missing = sorted(f for f in families if f not in declared and f.removesuffix("_total") not in declared)
    assert missing == [], "alerts name metrics /metrics does not expose"


def test_promtool_accepts_the_alert_rules() -> None:
    promtool = _tool("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (Debian's prometheus package); the YAML shape is checked above")
    checked = subprocess.run([promtool, "check", "rules", str(ALERTS)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
