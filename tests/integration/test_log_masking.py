"""Secret masking on log lines: values are masked precisely and the text around them is left as it was.

The dev mail (``LogMailer``) logs the mail text, whose deep link carries ``token=...&otp=...`` and is followed
by a line break and ``(No app yet? ...``: masking once ate the words after the escaped ``\\n`` in JSON mode.
"""

from __future__ import annotations

import json
import logging
import sys

from s2cart.application.accounts.mails import AccountMails
from s2cart.entrypoints.logs import JsonFormatter, RedactingFormatter, redact

TOKEN = "Zm9vYmFy.c2VjcmV0-dG9rZW4_"
OTP = "482913"
MAIL = AccountMails(public_base_url="https://shop.example").verification("meera@example.com", "Meera", TOKEN, OTP)


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    entry = logging.LogRecord("s2cart.adapters.mail.log_mailer", logging.INFO, __file__, 1, message, args, None)
    entry.__dict__.update(extra)
    return entry


def dev_mail_record() -> logging.LogRecord:  # what LogMailer logs
    return record("development mail to %s: %s\n%s", MAIL.to, MAIL.subject, MAIL.text)


def test_a_query_string_secret_is_masked_up_to_the_next_ampersand_space_quote_or_line_end() -> None:
    assert redact("s2cart://verify?token=abc.DEF_1&otp=123456\n(No app yet?") == (
        "s2cart://verify?token=***&otp=***\n(No app yet?"
    )
    assert redact("otp=123456 (No app yet?") == "otp=*** (No app yet?"
    assert redact('<a href="x?token=abc">') == '<a href="x?token=***">'
    assert redact("a=1&password=hunter2&b=2") == "a=1&password=***&b=2"
    assert redact('{"password": "hunter 2", "name": "x"}') == '{"password": ***, "name": "x"}'
    assert redact("Authorization: Bearer eyJhbGciOi.x.y done") == "Authorization: *** done"
    assert redact("nothing secret here") == "nothing secret here"


def expected_mail_text() -> str:
    # The deep link's query string is masked; the browser link's path and "Your code: ..." are the development
    # mailer's purpose (verify from the log) and carry no key=value, so they stay.
    assert f"token={TOKEN}&otp={OTP}\n(No app yet?" in MAIL.text
    return MAIL.text.replace(f"token={TOKEN}&otp={OTP}", "token=***&otp=***")


def test_the_dev_mail_in_text_mode_masks_the_link_and_keeps_every_other_line() -> None:
    line = RedactingFormatter("%(name)s: %(message)s").format(dev_mail_record())
    heading = f"s2cart.adapters.mail.log_mailer: development mail to {MAIL.to}: {MAIL.subject}"
    assert line == f"{heading}\n{expected_mail_text()}"
    assert "Open in S2Cart App: s2cart://verify?token=***&otp=***\n(No app yet? Install it: https://play" in line
    assert f"token={TOKEN}" not in line and f"otp={OTP}" not in line


def test_the_dev_mail_in_json_mode_is_valid_json_with_the_same_masked_text() -> None:
    line = JsonFormatter().format(dev_mail_record())
    assert "\n" not in line  # one line
    entry = json.loads(line)
    assert entry["message"] == f"development mail to {MAIL.to}: {MAIL.subject}\n{expected_mail_text()}"
    assert "s2cart://verify?token=***&otp=***\n(No app yet? Install it:" in entry["message"]
    assert f"token={TOKEN}" not in line and f"otp={OTP}" not in line


def test_structured_fields_are_masked_by_name_and_inside_their_text() -> None:
    entry = json.loads(
        JsonFormatter().format(
            record(
                "reconcile round",
                checked=3,
                otp="123456",
                access_token="eyJ.x.y",
                headers={"Authorization": "Bearer abcdefgh12", "Accept": "application/json"},
                note='call back at "https://x/cb?checksum=abc&id=7"',
                route="/api/payments/",
            )
        )
    )
    assert entry["checked"] == 3 and entry["route"] == "/api/payments/"
    assert entry["otp"] == "***" and entry["access_token"] == "***"
    assert entry["headers"] == {"Authorization": "***", "Accept": "application/json"}
    assert entry["note"] == 'call back at "https://x/cb?checksum=***&id=7"'


def test_an_exception_is_masked_and_the_line_stays_json() -> None:
    try:
        raise ValueError('refused "password=hunter2"\nnext line')
    except ValueError:
        failed = record("failed")
        failed.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(failed))
    assert 'refused "password=***"\nnext line' in entry["exc_info"]
    assert "hunter2" not in entry["exc_info"]
