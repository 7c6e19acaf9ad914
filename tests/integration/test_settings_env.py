"""Settings from the operator's side: misspelt names are pointed out, errors name the variable, ./.env is read
under the real environment (issue 21, item 4)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from s2cart.entrypoints.settings import Settings, SettingsError
from s2cart.entrypoints.settings_env import load_dotenv, parse_dotenv, unknown_variables, warn_unknown_variables


def s2cart(cwd: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """The console script as an operator runs it: from a directory, with .env reading on (the suite turns it off)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("S2CART_") or k.startswith("S2CART_TEST_")}
    env.update({"S2CART_DATABASE_URL": f"sqlite+aiosqlite:///{cwd / 'cli.db'}", **extra})
    return subprocess.run(
        [sys.executable, "-m", "s2cart.entrypoints.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_misspelt_variable_is_named_with_the_setting_it_resembles() -> None:
    assert unknown_variables({"S2CART_SMPT_HOST": "mail", "S2CART_SMTP_PORT": "25", "PATH": "/bin"}) == [
        "S2CART_SMPT_HOST is not a setting S2Cart knows; did you mean S2CART_SMTP_HOST?"
    ]
    assert unknown_variables({"S2CART_NOTHING_LIKE_IT": "1"}) == [
        "S2CART_NOTHING_LIKE_IT is not a setting S2Cart knows"
    ]


def test_variables_s2cart_reads_outside_settings_are_not_warned_about() -> None:
    read_elsewhere = [
        "S2CART_TEST_DATABASE_URL",
        "S2CART_TEST_REDIS_URL",
        "S2CART_TEST_OWN_REDIS_PORT",
        "S2CART_FUZZ_EXAMPLES",
        "S2CART_DOTENV",
    ]
    assert unknown_variables(dict.fromkeys([*read_elsewhere, "S2CART_FUZZ_SCENARIOS"], "1")) == []
    assert unknown_variables(dict(os.environ)) == []  # the suite's own environment is clean


def test_the_warning_is_logged_once_at_warning(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import s2cart.entrypoints.settings_env as settings_env

    monkeypatch.setattr(settings_env, "_warned", False)
    with caplog.at_level(logging.WARNING, logger="s2cart.settings"):
        warn_unknown_variables({"S2CART_SMPT_HOST": "secret-host"})
        warn_unknown_variables({"S2CART_SMPT_HOST": "secret-host"})
    warnings = [r for r in caplog.records if r.name == "s2cart.settings"]
    assert [r.levelno for r in warnings] == [logging.WARNING]
    assert "did you mean S2CART_SMTP_HOST?" in warnings[0].getMessage()
    assert "secret-host" not in caplog.text


def test_the_cli_warns_on_stderr(tmp_path: Path) -> None:
    done = s2cart(tmp_path, "db", "upgrade", S2CART_SMPT_HOST="mail.example")
    assert done.returncode == 0, done.stderr
    assert "S2CART_SMPT_HOST is not a setting S2Cart knows; did you mean S2CART_SMTP_HOST?" in done.stderr
    assert "mail.example" not in done.stderr
    quiet = s2cart(tmp_path, "db", "upgrade", S2CART_FUZZ_EXAMPLES="3", S2CART_TEST_REDIS_URL="redis://x/0")
    assert "is not a setting" not in quiet.stderr


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"S2CART_TAX_RATE": "abc"}, "S2CART_TAX_RATE"),
        ({"S2CART_LOG_FORMAT": "xml"}, "S2CART_LOG_FORMAT"),
        ({"S2CART_JWT_ALGORITHM": "none"}, "S2CART_JWT_ALGORITHM"),
        ({"S2CART_TAX_RATE": "1.5"}, "S2CART_TAX_RATE"),
        ({"S2CART_ARGON2_PARALLELISM": "0"}, "S2CART_ARGON2_PARALLELISM"),
        ({"S2CART_SMTP_PORT": "twenty"}, "S2CART_SMTP_PORT"),
    ],
)
def test_every_settings_error_names_the_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(environ)
    assert named in str(raised.value)
    assert "$." not in str(raised.value)


def test_the_dotenv_format() -> None:
    text = (
        "# a comment\n\n"
        "export S2CART_SMTP_HOST=mail.local  # inline comment\n"
        "S2CART_MAIL_FROM='S2Cart <shop@s2cart.in>'\n"
        'S2CART_JWT_SECRET="a \\"quoted\\" # secret"\n'
        "S2CART_EMPTY=\n"
    )
    assert parse_dotenv(text) == {
        "S2CART_SMTP_HOST": "mail.local",
        "S2CART_MAIL_FROM": "S2Cart <shop@s2cart.in>",
        "S2CART_JWT_SECRET": 'a "quoted" # secret',
        "S2CART_EMPTY": "",
    }


@pytest.mark.parametrize("bad", ["S2CART_SMTP_HOST mail.local", "S2CART_JWT_SECRET='hunter2-unclosed", "=x"])
def test_a_malformed_line_names_the_file_and_line_not_the_value(tmp_path: Path, bad: str) -> None:
    (tmp_path / ".env").write_text(f"# settings\nS2CART_SMTP_PORT=2525\n{bad}\n")
    with pytest.raises(SettingsError) as raised:
        load_dotenv({}, tmp_path)
    assert f"{tmp_path / '.env'}, line 3" in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_dotenv_fills_in_only_s2cart_keys_and_the_environment_wins(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("S2CART_SMTP_PORT=2525\nS2CART_SMTP_HOST=from-file\nHOME=/nowhere\n")
    environ = {"S2CART_SMTP_HOST": "from-environment", "HOME": "/home/op"}
    assert list(load_dotenv(environ, tmp_path)) == ["S2CART_SMTP_PORT"]
    assert environ == {"S2CART_SMTP_HOST": "from-environment", "HOME": "/home/op", "S2CART_SMTP_PORT": "2525"}
    settings = Settings.from_env(environ)
    assert (settings.smtp_host, settings.smtp_port) == ("from-environment", 2525)
    off = {"S2CART_DOTENV": "off"}
    assert list(load_dotenv(off, tmp_path)) == [] and off == {"S2CART_DOTENV": "off"}


def test_the_cli_reads_dotenv_from_its_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("S2CART_TAX_RATE=abc\n")
    refused = s2cart(tmp_path, "db", "upgrade")
    assert refused.returncode == 2
    assert "S2CART_TAX_RATE" in refused.stderr
    assert s2cart(tmp_path, "db", "upgrade", S2CART_TAX_RATE="0.05").returncode == 0  # the environment wins
    (tmp_path / ".env").write_text("S2CART_SMTP_PORT=25\nnot a line\n")
    broken = s2cart(tmp_path, "db", "upgrade")
    assert broken.returncode == 2 and f"{tmp_path / '.env'}, line 2" in broken.stderr


def test_the_search_rankings_budget_is_bounded() -> None:
    assert Settings.from_env({"S2CART_SEARCH_RANKINGS_BYTES": "0"}).search_rankings_bytes == 0
    assert Settings.from_env({}).search_rankings_bytes == 4 * 1024 * 1024
    for bad in ("-1", str(64 * 1024 * 1024 + 1)):
        with pytest.raises(SettingsError, match="S2CART_SEARCH_RANKINGS_BYTES"):
            Settings.from_env({"S2CART_SEARCH_RANKINGS_BYTES": bad})
