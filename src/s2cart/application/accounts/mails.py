"""The account mails: a 6-digit code, a browser link and an app deep link, as plain text and HTML."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import quote, urlencode

from s2cart.application.ports.mail import Mail

APP_PACKAGE = "com.s2cart"
PLAY_STORE = f"https://play.google.com/store/apps/details?id={APP_PACKAGE}"


@dataclass(frozen=True)
class AccountMails:
    public_base_url: str
    otp_expires_in: str = "25 minutes"
    link_valid_for: str = "24 hours"

    def verification(self, to: str, name: str, token: str, otp: str) -> Mail:
        browser = f"{self.public_base_url.rstrip('/')}/api/auth/verify/{quote(token)}/"
        return self._compose(
            to=to,
            subject="Verify your S2Cart account",
            greeting=name,
            intro="Welcome to S2Cart! Confirm your email address to start shopping.",
            otp=otp,
            deep_link=_deep_link("verify", token, otp),
            browser_link=browser,
            browser_label="Verify in Browser",
        )

    def password_reset(self, to: str, name: str, token: str, otp: str) -> Mail:
        return self._compose(
            to=to,
            subject="Reset your S2Cart password",
            greeting=name,
            intro="We received a request to reset your password. If it was not you, ignore this mail.",
            otp=otp,
            deep_link=_deep_link("reset-password", token, otp),
            browser_link=None,
            browser_label="",
            token=token,
        )

    def _compose(
        self,
        *,
        to: str,
        subject: str,
        greeting: str,
        intro: str,
        otp: str,
        deep_link: str,
        browser_link: str | None,
        browser_label: str,
        token: str | None = None,
    ) -> Mail:
        app_link = _android_intent(deep_link)
        lines = [
            f"Hello {greeting},",
            "",
            intro,
            "",
            f"Your code: {otp} (valid for {self.otp_expires_in})",
            "",
            f"Open in S2Cart App: {deep_link}",
            f"(No app yet? Install it: {PLAY_STORE})",
        ]
        if browser_link:
            lines.append(f"{browser_label}: {browser_link} (valid for {self.link_valid_for})")
        if token:
            lines.append(f"Reset token (valid for {self.link_valid_for}): {token}")
        lines += ["", "S2Cart"]
        browser_button = (
            f'<a href="{escape(browser_link)}" style="{_BUTTON}">{escape(browser_label)}</a>' if browser_link else ""
        )
        html = (
            '<!doctype html><html><body style="font-family:sans-serif">'
            f"<p>Hello {escape(greeting)},</p><p>{escape(intro)}</p>"
            f'<p style="font-size:28px;letter-spacing:6px"><strong>{escape(otp)}</strong></p>'
            f"<p>This code is valid for {escape(self.otp_expires_in)}.</p>"
            f'<p><a href="{escape(app_link)}" style="{_BUTTON}">Open in S2Cart App</a> {browser_button}</p>'
            f'<p>No app yet? <a href="{escape(PLAY_STORE)}">Get S2Cart on Google Play</a>.</p>'
            "<p>S2Cart</p></body></html>"
        )
        return Mail(to=to, subject=subject, text="\n".join(lines), html=html)


_BUTTON = "display:inline-block;padding:10px 16px;background:#0a7;color:#fff;text-decoration:none;border-radius:4px"


def _deep_link(action: str, token: str, otp: str) -> str:
    return f"s2cart://{action}?{urlencode({'token': token, 'otp': otp})}"


def _android_intent(deep_link: str) -> str:
    """An intent URL: opens the app when installed, otherwise the browser falls back to the Play Store."""
    rest = deep_link.removeprefix("s2cart://")
    fallback = quote(PLAY_STORE, safe="")
    return f"intent://{rest}#Intent;scheme=s2cart;package={APP_PACKAGE};S.browser_fallback_url={fallback};end"
