"""Opening delivery cursors for instances the outgoing log addresses for the first time.

An action appends one ``ap_outbox`` row per activity and nothing else (outbox.py); which
instances it reaches (the community's remote followers, explicit inboxes) is worked out by the
delivery worker. Before it serves the cursors, it reads the log past ``ap_fanout.last_id`` in
order and gives each instance that has no cursor yet one just before the first row addressed to
it, as ``append`` did in the action's own transaction before decision 0038. So nothing recorded
for an instance is skipped and a new instance gets no backlog; only the follower list used is
the one at this read rather than at the append (delivery itself always used the current one).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.federation.outbox import FOLLOWER_INBOXES, domain_of

BATCH = 1000  # log rows read per transaction
_DONE = select(t.ap_fanout.c.last_id).where(t.ap_fanout.c.id == 1)
_TOP = select(func.max(t.ap_outbox.c.id))
_ROWS = (select(t.ap_outbox.c.id, t.ap_outbox.c.community_id, t.ap_outbox.c.inboxes)
         .where(t.ap_outbox.c.id > bindparam("done")).order_by(t.ap_outbox.c.id).limit(BATCH))


def open_cursors(ctx: Context) -> int:
    """Read the log up to its end, opening cursors; how many rows were read."""
    total = 0
    while (read := _open_some(ctx)) > 0:
        total += read
        if read < BATCH:
            break
    return total


def _open_some(ctx: Context) -> int:
    # The usual case, nothing new, only reads: on SQLite a write transaction takes the lock.
    with ctx.db.read() as conn:
        if (conn.execute(_TOP).scalar() or 0) <= (conn.execute(_DONE).scalar() or 0):
            return 0
    dialect = postgresql if not ctx.db.is_sqlite else sqlite
    with ctx.db.write() as conn:
        conn.execute(dialect.insert(t.ap_fanout).on_conflict_do_nothing(),
                     {"id": 1, "last_id": 0})
        # PostgreSQL: two workers read the log one after the other, not the same rows at once.
        done = conn.execute(_DONE if ctx.db.is_sqlite else _DONE.with_for_update()).scalar_one()
        rows = conn.execute(_ROWS, {"done": done}).all()
        if not rows:
            return 0
        known = set(conn.execute(select(t.ap_delivery.c.domain)).scalars())
        followers: dict[int, set[str]] = {}
        opened = []
        for row in rows:
            for domain in sorted(_domains(conn, row, followers) - known):
                known.add(domain)
                opened.append({"domain": domain, "last_id": row.id - 1, "published": utcnow()})
        if opened:
            conn.execute(dialect.insert(t.ap_delivery).on_conflict_do_nothing(), opened)
        conn.execute(update(t.ap_fanout).where(t.ap_fanout.c.id == 1)
                     .values(last_id=rows[-1].id))
    return len(rows)


def _domains(conn: Connection, row: Any, followers: dict[int, set[str]]) -> set[str]:
    """The instances one log row addresses; a community's followers are read once per call
    of ``_open_some`` (one transaction, so the same list for every row of it)."""
    domains = {domain_of(inbox) for inbox in json.loads(row.inboxes)}
    if row.community_id is not None:
        if row.community_id not in followers:
            inboxes = conn.execute(FOLLOWER_INBOXES, {"community_id": row.community_id})
            followers[row.community_id] = {domain_of(inbox) for inbox in inboxes.scalars()}
        domains |= followers[row.community_id]
    return domains
