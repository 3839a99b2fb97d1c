"""Active users, kept on write (decision 0035).

Lemmy counts as active, for a window of a day, a week, a month or half a year, the people who
posted or commented in it (bots not counted): for the site its local people, for a community
anyone who posted or commented there. Lemmy recounts this from the posts and comments in a
scheduled job. Moot keeps two clocks on write instead: ``person.last_active`` and one
``community_activity`` row per (community, person), both the newest of that person's posts and
comments. Anyone "active in the last N days" is then an indexed range count.

The stored counts (``site_aggregates.users_active_*`` and the community columns that Scaled and
the community sorts read in SQL) move in two ways:
- entering a window happens on write: when a clock moves from before a window's edge into it,
  the count goes up by one, in the same transaction;
- leaving a window happens as time passes, with no write to notice it: ``refresh_active_counts``
  (run by the upkeep thread) finds the clocks that crossed an edge since its last run through
  the index on ``last_active``, and recounts only the communities they belong to, and the site
  if a local person's clock crossed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    exists,
    func,
    insert,
    or_,
    select,
    union,
    update,
)

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow

WINDOWS: tuple[tuple[str, timedelta], ...] = (
    ("users_active_day", timedelta(days=1)),
    ("users_active_week", timedelta(days=7)),
    ("users_active_month", timedelta(days=30)),
    ("users_active_half_year", timedelta(days=182)),
)
LONGEST = WINDOWS[-1][1]
SITE_ROW = 1
_CHUNK = 500  # communities recounted per statement
REFRESH_SECONDS = 60.0
_last_round = -REFRESH_SECONDS


def entered(previous: datetime | None, when: datetime, now: datetime) -> list[str]:
    """The windows a clock enters when it moves from ``previous`` to ``when``."""
    return [name for name, span in WINDOWS
            if when > now - span and (previous is None or previous <= now - span)]


def mark_active(conn: Connection, person: Any, person_id: int, community_id: int,
                when: datetime) -> None:
    """A post or comment of ``person`` (a row with local, bot_account and last_active, read
    while its row is locked by the count update) starts counting in ``community_id``."""
    if person.bot_account:
        return
    now = utcnow()
    when = min(when, now)  # a remote clock ahead of ours must not keep someone active longer
    if person.last_active is None or when > person.last_active:
        conn.execute(update(t.person).where(t.person.c.id == person_id).values(last_active=when))
        if person.local:
            _add_one(conn, t.site_aggregates, t.site_aggregates.c.id == SITE_ROW,
                     entered(person.last_active, when, now))
    a = t.community_activity.c
    key = and_(a.community_id == community_id, a.person_id == person_id)
    previous = conn.execute(select(a.last_active).where(key)).scalar()
    if previous is None:
        conn.execute(insert(t.community_activity).values(
            community_id=community_id, person_id=person_id, last_active=when))
    elif when > previous:
        conn.execute(update(t.community_activity).where(key).values(last_active=when))
    _add_one(conn, t.community, t.community.c.id == community_id, entered(previous, when, now))


def _add_one(conn: Connection, table: Any, where: Any, names: list[str]) -> None:
    if names:
        conn.execute(update(table).where(where).values({n: table.c[n] + 1 for n in names}))


def refresh_active_counts(conn: Connection, now: datetime | None = None) -> int:
    """Recount what clocks leaving a window changed since the last run; how many communities
    were recounted. The first run on a database recounts everything."""
    now = now or utcnow()
    s = t.site_aggregates.c
    last = conn.execute(select(s.active_counted_at).where(s.id == SITE_ROW)).scalar()
    if last is None:
        communities: Sequence[int] = conn.execute(select(t.community.c.id)).scalars().all()
        site = True
    elif last >= now:
        return 0
    else:
        a = t.community_activity.c
        crossed = union(*[select(a.community_id).where(_crossed(a.last_active, last, now, span))
                          for _name, span in WINDOWS])
        communities = conn.execute(crossed).scalars().all()
        p = t.person.c
        site = bool(conn.execute(select(exists().where(p.local.is_(True), or_(
            *[_crossed(p.last_active, last, now, span) for _name, span in WINDOWS])))).scalar())
    recount_communities(conn, communities, now)
    if site:
        recount_site(conn, now)
    conn.execute(update(t.site_aggregates).where(s.id == SITE_ROW).values(active_counted_at=now))
    return len(communities)


def _crossed(column: Any, last: datetime, now: datetime, span: timedelta) -> Any:
    # In the window at the last run, out of it now: (last - span, now - span].
    return and_(column > last - span, column <= now - span)


def recount_communities(conn: Connection, community_ids: Iterable[int],
                        now: datetime | None = None) -> None:
    """Exact active counts for these communities: per window one count over the index
    (community_id, last_active)."""
    now = now or utcnow()
    a = t.community_activity.c
    values = {name: select(func.count()).where(a.community_id == t.community.c.id,
                                                a.last_active > now - span).scalar_subquery()
              for name, span in WINDOWS}
    ids = list(community_ids)
    for start in range(0, len(ids), _CHUNK):
        conn.execute(update(t.community).where(t.community.c.id.in_(ids[start:start + _CHUNK]))
                     .values(values))


def recount_site(conn: Connection, now: datetime | None = None) -> None:
    """Exact active counts for the site: local people, over the index (local, last_active)."""
    now = now or utcnow()
    p = t.person.c
    values = {name: select(func.count()).select_from(t.person).where(
        p.local.is_(True), p.last_active > now - span).scalar_subquery()
        for name, span in WINDOWS}
    conn.execute(update(t.site_aggregates).where(t.site_aggregates.c.id == SITE_ROW)
                 .values(values))


def communities_of(conn: Connection, person_id: int) -> list[int]:
    """Where a person has been active: their rows go with them when they are purged."""
    a = t.community_activity.c
    return list(conn.execute(select(a.community_id).where(a.person_id == person_id)).scalars())


def do_refresh_active_counts(ctx: Context) -> int:
    """The upkeep thread's round (moot/federation/runner.py), at most once a minute: at scale L
    a round takes 0.1-0.4 s, and a minute late is far inside Lemmy's hourly and daily jobs."""
    global _last_round
    if time.monotonic() - _last_round < REFRESH_SECONDS:
        return 0
    _last_round = time.monotonic()
    with ctx.db.write() as conn:
        return refresh_active_counts(conn)
