"""Cursors for newly addressed instances are opened by the delivery worker (fanout.py, decision
0038): just before the first log row addressed to each, once, in log order."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, select

from moot.db import tables as t
from moot.db.types import utcnow
from moot.federation import fanout


def _log(app: Any, inboxes: list[list[str]]) -> list[int]:
    with app.state.ctx.db.write() as conn:
        for n, row in enumerate(inboxes):
            conn.execute(insert(t.ap_outbox).values(
                ap_id=f"https://moot.test/activities/x/{n}-{len(row)}-{utcnow().timestamp()}",
                actor_id="https://moot.test/u/a", data="{}", inboxes=json.dumps(row),
                published=utcnow()))
        return list(conn.execute(select(t.ap_outbox.c.id).order_by(t.ap_outbox.c.id)
                                 ).scalars())[-len(inboxes):]


def _cursors(app: Any) -> dict[str, int]:
    with app.state.ctx.db.read() as conn:
        return dict(conn.execute(select(t.ap_delivery.c.domain, t.ap_delivery.c.last_id)).all())


def test_each_instance_gets_a_cursor_just_before_its_first_row(app: Any) -> None:
    ids = _log(app, [["https://a.example/inbox"],
                     [],
                     ["https://b.example/u/x/inbox", "https://A.example/inbox"]])
    assert _cursors(app) == {}  # appending opened nothing
    assert fanout.open_cursors(app.state.ctx) == 3
    assert _cursors(app) == {"a.example": ids[0] - 1, "b.example": ids[2] - 1}
    assert fanout.open_cursors(app.state.ctx) == 0  # the log was read: nothing again
    more = _log(app, [["https://c.example/inbox", "https://b.example/inbox"]])
    assert fanout.open_cursors(app.state.ctx) == 1
    # b.example keeps its place; only the new instance is added.
    assert _cursors(app) == {"a.example": ids[0] - 1, "b.example": ids[2] - 1,
                             "c.example": more[0] - 1}
