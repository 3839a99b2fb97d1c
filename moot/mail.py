"""Outgoing e-mail over SMTP, and the account messages Moot sends (address checks, resets).

Messages are built inside the transaction that stores their token and sent after it commits:
a mail server that is down then costs the person a retry, never a lost account or setting.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from moot.config import Settings
from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError

log = logging.getLogger(__name__)
_DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}
_TIMEOUT = 20.0
# A refused login sends the address check again, at most this often.
RESEND_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str

    def send(self, settings: Settings) -> None:
        """Hands the message to the configured SMTP server; email_send_failed if it cannot."""
        if not settings.smtp_enabled:
            raise MootError("no_email_setup")
        message = EmailMessage()
        message["From"] = settings.smtp_sender
        message["To"] = self.to
        message["Subject"] = self.subject
        message.set_content(self.body)
        try:
            with _connect(settings) as smtp:
                if settings.smtp_login:
                    smtp.login(settings.smtp_login, settings.smtp_password)
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("sending e-mail to %s failed: %s", self.to, exc)
            raise MootError("email_send_failed") from exc


def _connect(settings: Settings) -> smtplib.SMTP:
    port = settings.smtp_port or _DEFAULT_PORTS[settings.smtp_tls]
    if settings.smtp_tls == "tls":
        return smtplib.SMTP_SSL(settings.smtp_host, port, timeout=_TIMEOUT,
                                context=ssl.create_default_context())
    smtp = smtplib.SMTP(settings.smtp_host, port, timeout=_TIMEOUT)
    if settings.smtp_tls == "starttls":
        smtp.starttls(context=ssl.create_default_context())
    return smtp


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def verification_email(ctx: Context, conn: Connection, local_user_id: int, name: str,
                       address: str) -> Email:
    """Stores a new address check for the account (replacing older ones) and builds its mail."""
    token = new_token()
    table = t.email_verification
    conn.execute(delete(table).where(table.c.local_user_id == local_user_id))
    conn.execute(insert(table).values(local_user_id=local_user_id, email=address,
                                      verification_token=token, published=utcnow()))
    site_name = ctx.site().site["name"]
    link = ctx.url(f"/verify_email/{token}")
    return Email(address, f"Verify your email address for {site_name}",
                 f"Hello {name},\n\nPlease confirm this address by opening\n{link}\n\n"
                 f"or by sending this token to /api/v3/user/verify_email: {token}\n")


def verification_again(ctx: Context, conn: Connection,
                       account: dict[str, Any]) -> Email | None:
    """A new address check for an account whose last one is older than RESEND_AFTER."""
    if not ctx.settings.smtp_enabled or not account["email"]:
        return None
    table = t.email_verification
    recent = conn.execute(select(table.c.id).where(
        table.c.local_user_id == account["id"],
        table.c.published > utcnow() - RESEND_AFTER)).first()
    if recent is not None:
        return None
    name = conn.execute(select(t.person.c.name).where(
        t.person.c.id == account["person_id"])).scalar_one()
    return verification_email(ctx, conn, account["id"], name, account["email"])


def password_reset_email(ctx: Context, conn: Connection, local_user_id: int, name: str,
                         address: str) -> Email:
    token = new_token()
    conn.execute(insert(t.password_reset_request).values(
        local_user_id=local_user_id, token_hash=token_hash(token), published=utcnow()))
    site_name = ctx.site().site["name"]
    link = ctx.url(f"/password_change/{token}")
    return Email(address, f"Password reset request for {name} on {site_name}",
                 f"Hello {name},\n\nTo choose a new password, open\n{link}\n\n"
                 f"or send this token to /api/v3/user/password_change: {token}\n"
                 "It works once, for one hour. If you did not ask for it, ignore this mail.\n")
