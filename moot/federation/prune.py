"""Pruning of the federation tables, so that they stay the size of a week of traffic.

- Inbox rows in a final state (done, ignored, failed) go after ``KEEP``. A repeat of an activity
  is recognised as long as its row is kept. Lemmy keeps received activities for the same purpose.
- Outgoing activities go after ``KEEP`` once every live instance's cursor is past them. An
  instance that is behind keeps what it still needs, however old. A dead instance holds
  nothing back: when it speaks again, it resumes with what is left, as it would in Lemmy.

``maybe_prune`` runs from the worker loop at most once per ``EVERY``. Each statement deletes by
an indexed column, so no step rewrites a table.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import delete, func, select

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow

KEEP = timedelta(days=7)
EVERY = 3600.0
FINAL_STATES = ("done", "ignored", "failed")
_last_run = {"at": float("-inf")}
_lock = threading.Lock()


def prune(ctx: Context, keep: timedelta = KEEP) -> tuple[int, int]:
    """Delete what is old enough; (inbox rows, outbox rows) deleted."""
    cutoff = utcnow() - keep
    inbox, outbox, cursors = t.ap_inbox, t.ap_outbox, t.ap_delivery
    with ctx.db.write() as conn:
        received = conn.execute(delete(inbox).where(
            inbox.c.state.in_(FINAL_STATES), inbox.c.published < cutoff)).rowcount
        slowest = conn.execute(select(func.min(cursors.c.last_id))
                               .where(cursors.c.dead.is_(False))).scalar()
        sent = outbox.c.published < cutoff
        if slowest is not None:
            sent = sent & (outbox.c.id <= slowest)
        sent_count = conn.execute(delete(outbox).where(sent)).rowcount
    return int(received or 0), int(sent_count or 0)


def maybe_prune(ctx: Context) -> None:
    with _lock:
        if time.monotonic() - _last_run["at"] < EVERY:
            return
        _last_run["at"] = time.monotonic()
    prune(ctx)
