"""Processing stored inbox activities: rows with a state, attempts, a next-attempt time and a
lease (STYLE.md 6). ``run_once(ctx)`` handles what is due and returns how many rows it touched;
the worker loop and the tests call it."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select, update

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.federation.apply import Outcome, apply_activity
from moot.federation.http import FetchError
from moot.federation.outbox import announce, federate_accept
from moot.federation.parse import Unusable

log = logging.getLogger(__name__)
BATCH = 20
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 6


def _claim(ctx: Context) -> list[Any]:
    """Lease due rows; on PostgreSQL concurrent workers skip each other's rows."""
    now = utcnow()
    inbox = t.ap_inbox
    query = (select(inbox.c.id, inbox.c.body, inbox.c.actor, inbox.c.attempts)
             .where(inbox.c.state == "queued", inbox.c.next_attempt <= now,
                    or_(inbox.c.lease_until.is_(None), inbox.c.lease_until < now))
             .order_by(inbox.c.id).limit(BATCH))
    # An idle poll only reads: on SQLite a write transaction would take the database lock.
    with ctx.db.read() as conn:
        if conn.execute(query.with_only_columns(inbox.c.id)).first() is None:
            return []
    with ctx.db.write() as conn:
        if not ctx.db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        rows = conn.execute(query).all()
        if rows:
            conn.execute(update(inbox).where(inbox.c.id.in_([r.id for r in rows]))
                         .values(lease_until=now + LEASE))
    return list(rows)


def _finish(ctx: Context, row_id: int, state: str, reason: str, activity: dict[str, Any],
            outcome: Outcome | None) -> None:
    """Mark the row and record what must be sent in answer, in one transaction."""
    with ctx.db.write() as conn:
        if outcome is not None and outcome.accept is not None:
            community_id, inbox_url = outcome.accept
            federate_accept(ctx, conn, community_id, inbox_url, activity)
        if outcome is not None and outcome.announce_in is not None:
            community = conn.execute(select(t.community).where(
                t.community.c.id == outcome.announce_in)).mappings().one()
            announce(ctx, conn, community, activity)
        conn.execute(update(t.ap_inbox).where(t.ap_inbox.c.id == row_id).values(
            state=state, reason=reason[:500], lease_until=None))


def _retry(ctx: Context, row: Any, reason: str) -> None:
    attempts = row.attempts + 1
    values: dict[str, Any] = {"attempts": attempts, "reason": reason[:500], "lease_until": None}
    if attempts >= MAX_ATTEMPTS:
        values["state"] = "failed"
    else:
        values["next_attempt"] = utcnow() + timedelta(seconds=5 * 4 ** attempts)
    with ctx.db.write() as conn:
        conn.execute(update(t.ap_inbox).where(t.ap_inbox.c.id == row.id).values(**values))


def process_row(ctx: Context, row: Any) -> None:
    activity = json.loads(row.body)
    try:
        outcome = apply_activity(ctx, activity, row.actor)
    except FetchError as exc:
        if not exc.transient:
            _finish(ctx, row.id, "failed", str(exc), activity, None)
            return
        log.info("activity %s: will retry: %s", activity.get("id"), exc)
        _retry(ctx, row, str(exc))
        return
    except (Unusable, MootError, ValueError) as exc:
        reason = exc.name if isinstance(exc, MootError) else str(exc)
        log.info("activity %s refused: %s", activity.get("id"), reason)
        _finish(ctx, row.id, "failed", reason, activity, None)
        return
    except Exception as exc:  # a bug must not stall the queue: record it and go on
        log.exception("activity %s crashed", activity.get("id"))
        _finish(ctx, row.id, "failed", f"internal error: {type(exc).__name__}", activity, None)
        return
    _finish(ctx, row.id, "done" if outcome.applied else "ignored", outcome.reason, activity,
            outcome)


def run_once(ctx: Context) -> int:
    rows = _claim(ctx)
    for row in rows:
        process_row(ctx, row)
    return len(rows)
