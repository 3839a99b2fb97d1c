"""Pruning keeps a week of federation traffic and whatever a live instance still has to receive."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from moot.db import tables as t
from moot.db.types import utcnow
from moot.federation.prune import prune


def _seed(app: Any) -> None:
    old, new = utcnow() - timedelta(days=8), utcnow()
    rows = [("old-done", "done", old), ("old-failed", "failed", old), ("old-queued", "queued", old),
            ("new-done", "done", new)]
    outbox = [(1, old), (2, old), (3, old), (4, new)]
    with app.state.ctx.db.write() as conn:
        conn.execute(insert(t.ap_inbox), [
            {"activity_id": f"https://r.example/a/{name}", "actor": "https://r.example/u/x",
             "body": "{}", "state": state, "attempts": 0, "next_attempt": when, "published": when}
            for name, state, when in rows])
        conn.execute(insert(t.ap_outbox), [
            {"id": i, "ap_id": f"https://moot.test/activities/x/{i}",
             "actor_id": "https://moot.test/c/a", "data": "{}", "published": when}
            for i, when in outbox])
        conn.execute(insert(t.ap_delivery), [
            {"domain": "slow.example", "last_id": 2, "dead": False, "published": old},
            {"domain": "gone.example", "last_id": 0, "dead": True, "published": old},
            {"domain": "fast.example", "last_id": 4, "dead": False, "published": old}])


def _left(app: Any) -> tuple[list[str], list[int]]:
    with app.state.ctx.db.read() as conn:
        inbox = sorted(conn.execute(select(t.ap_inbox.c.activity_id)).scalars())
        outbox = sorted(conn.execute(select(t.ap_outbox.c.id)).scalars())
    return [a.rsplit("/", 1)[1] for a in inbox], outbox


def test_prune_keeps_what_is_recent_queued_or_still_owed(app: Any) -> None:
    _seed(app)
    assert prune(app.state.ctx) == (2, 2)
    inbox, outbox = _left(app)
    # Queued rows wait for the worker however old; finished ones go after a week.
    assert inbox == ["new-done", "old-queued"]
    # slow.example has not passed activity 3 yet; the dead instance holds nothing back.
    assert outbox == [3, 4]
    assert prune(app.state.ctx) == (0, 0)
