"""Captchas: hand one out, and take it back (once) when someone registers.

Answers live in the database, not in a process, so that any app process can check an answer
another one handed out. An answer is good for ten minutes and for one try, right or wrong.
"""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.media.captcha import difficulty, new_answer, render_png, render_wav

CAPTCHA_TTL = timedelta(minutes=10)


def captcha_enabled(ctx: Context) -> bool:
    return bool(ctx.site().local_site["captcha_enabled"])


def do_create_captcha(ctx: Context) -> dict[str, Any] | None:
    """A new captcha as GET /user/get_captcha's ``ok`` ({png, wav, uuid}), or None when off."""
    if not captcha_enabled(ctx):
        return None
    level = difficulty(ctx.site().local_site["captcha_difficulty"])
    answer = new_answer(level)
    png, wav = render_png(answer, level), render_wav(answer, level)
    key = str(uuid.uuid4())
    now = utcnow()
    with ctx.db.write() as conn:
        # Lemmy sweeps old answers every ten minutes; sweeping here needs no scheduler.
        conn.execute(delete(t.captcha_answer).where(t.captcha_answer.c.published < now - CAPTCHA_TTL))
        conn.execute(insert(t.captcha_answer).values(uuid=key, answer=answer, published=now))
    return {"png": base64.b64encode(png).decode(), "wav": base64.b64encode(wav).decode(),
            "uuid": key}


def take_captcha_answer(ctx: Context, key: str | None) -> str | None:
    """Remove the captcha and return its answer (None if unknown or expired).

    Runs in its own transaction, before the registration's, so that the captcha is used up
    even when the registration then fails (a wrong answer cannot be retried).
    """
    if not captcha_enabled(ctx) or not key:
        return None
    table = t.captcha_answer
    with ctx.db.write() as conn:
        row = conn.execute(delete(table).where(table.c.uuid == key[:36])
                           .returning(table.c.answer, table.c.published)).first()
    if row is None or row.published < utcnow() - CAPTCHA_TTL:
        return None
    return str(row.answer)


def check_captcha(ctx: Context, expected: str | None, given: str | None) -> None:
    """The answer typed must match the one taken (case and surrounding spaces do not matter)."""
    if not captcha_enabled(ctx):
        return
    if expected is None or (given or "").strip().upper() != expected.upper():
        raise MootError("captcha_incorrect")
