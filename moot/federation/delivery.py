"""Delivering the outgoing log: one cursor per remote instance (ap_delivery).

Each instance is read in log order; activities about one object reach it in order, others in
parallel. The instances due in one run are read together (``_plan``) and served at once on the
sender's event loop (``moot.federation.sender``), up to MAX_SENDS sends in flight. Responses are classed as Lemmy and
Mastodon do: 2xx delivered; 4xx other than 408/429 refused for good (skipped); anything else a
failure, retried with capped exponential backoff. An instance without success for
``DEAD_AFTER`` is marked dead and skipped until it sends us something.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, func, or_, select, update

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.federation.actors import http_for
from moot.federation.fanout import open_cursors
from moot.federation.http import FetchError, Http, Signer
from moot.federation.outbox import targets as _targets
from moot.federation.policy import refusal

log = logging.getLogger(__name__)
DEAD_AFTER = timedelta(days=3)
MAX_BACKOFF = timedelta(hours=1)
LEASE = timedelta(minutes=5)
BATCH = 128
# Types that wrap another activity or act on an object: ``subject`` looks through them.
ACTIVITY_TYPES = {"Announce", "Create", "Update", "Delete", "Undo", "Like", "Dislike",
                  "Follow", "Accept", "Reject", "Add", "Remove", "Block", "Lock", "Flag"}
MAX_SENDS = 256  # sends at once, to all instances: they wait on the network, not the CPU
IN_FLIGHT = 64  # sends to one instance at once (a far instance needs many)


def _signer(conn: Connection, actor_id: str) -> Signer | None:
    for table in (t.person, t.community, t.site):
        key = conn.execute(select(table.c.private_key).where(table.c.actor_id == actor_id)).scalar()
        if key:
            return Signer(actor_id + "#main-key", key)
    return None


def _claim(ctx: Context) -> list[str]:
    now = utcnow()
    d = t.ap_delivery
    top = select(func.max(t.ap_outbox.c.id)).scalar_subquery()
    query = select(d.c.domain).where(
        d.c.dead.is_(False), d.c.last_id < func.coalesce(top, 0),
        or_(d.c.next_attempt.is_(None), d.c.next_attempt <= now),
        or_(d.c.lease_until.is_(None), d.c.lease_until < now))
    # An idle poll only reads: on SQLite a write transaction would take the database lock.
    with ctx.db.read() as conn:
        if conn.execute(query.limit(1)).first() is None:
            return []
    with ctx.db.write() as conn:
        if not ctx.db.is_sqlite:  # concurrent workers on PostgreSQL skip each other's instances
            query = query.with_for_update(skip_locked=True)
        domains = list(conn.execute(query).scalars())
        if domains:
            conn.execute(update(d).where(d.c.domain.in_(domains)).values(lease_until=now + LEASE))
    return domains


async def _send(http: Http, body: bytes, inbox: str, signer: Signer) -> bool:
    """True when delivered or refused for good; False when it must be retried."""
    try:
        status = await http.post_activity_async(inbox, body, signer)
    except FetchError as exc:
        log.info("delivery to %s failed: %s", inbox, exc)
        return False
    if 200 <= status < 300:
        return True
    if 400 <= status < 500 and status not in (408, 429):
        log.info("delivery to %s refused with %s; skipped", inbox, status)
        return True
    log.info("delivery to %s answered %s; will retry", inbox, status)
    return False


def _failed(ctx: Context, domain: str, last_id: int) -> None:
    d = t.ap_delivery
    now = utcnow()
    with ctx.db.write() as conn:
        state = conn.execute(select(d).where(d.c.domain == domain)).one()
        fails = state.fail_count + 1
        delay = min(timedelta(seconds=2 ** min(fails, 20)), MAX_BACKOFF)
        dead = (state.last_success or state.published) < now - DEAD_AFTER
        conn.execute(update(d).where(d.c.domain == domain).values(
            last_id=last_id, fail_count=fails, next_attempt=now + delay, lease_until=None,
            dead=dead))


async def _deliver_row(http: Http, row: Any, inboxes: set[str], signer: Signer | None) -> bool:
    """Send one log row to its inboxes on one instance; False if it must be retried."""
    if signer is None:
        return True  # its actor is gone: nothing can sign it
    for inbox in sorted(inboxes):
        if not await _send(http, row.data.encode(), inbox, signer):
            return False
    return True


Job = tuple[Any, set[str], Signer | None]


def subject(data: str) -> str:
    """The innermost object an activity is about (a vote and its undo share the post's id)."""
    node: Any = json.loads(data)
    while isinstance(node, dict) and isinstance(node.get("object"), (dict, str)):
        node = node["object"]
        if isinstance(node, dict) and node.get("type") not in ACTIVITY_TYPES:
            break
    if isinstance(node, dict):
        node = node.get("id")
    return str(node)


async def _chain(http: Http, jobs: list[Job], turn: asyncio.Semaphore) -> dict[int, bool]:
    """Send jobs one after another, stopping at the first failure; row id -> delivered."""
    results: dict[int, bool] = {}
    for job in jobs:
        async with turn:
            results[job[0].id] = await _deliver_row(http, *job)
        if not results[job[0].id]:
            break
    return results


async def _outcomes(http: Http, jobs: list[Job], in_flight: int,
                    sends: asyncio.Semaphore) -> dict[int, bool]:
    """Whether each job was delivered (row id -> bool; absent when not tried).

    Activities about the same object (a post, its vote, the vote's undo) go one after another in
    log order, since a receiver must see them in order; different objects go in parallel, up
    to ``in_flight`` at once for this instance and ``sends`` (a shared limit) for all."""
    if in_flight <= 1:
        return await _chain(http, jobs, sends)
    chains: dict[str, list[Job]] = {}
    for job in jobs:
        chains.setdefault(subject(job[0].data), []).append(job)
    own = asyncio.Semaphore(in_flight)

    async def chain(jobs: list[Job]) -> dict[int, bool]:
        async with own:
            return await _chain(http, jobs, sends)

    results: dict[int, bool] = {}
    for done in await asyncio.gather(*(chain(jobs) for jobs in chains.values())):
        results.update(done)
    return results


@dataclass
class Cursor:
    """One instance's place in the log, and what this run will send it."""

    domain: str
    last_id: int
    fail_count: int
    refused: bool = False
    work: list[Job] = field(default_factory=list)


def _plan(ctx: Context, domains: list[str]) -> list[Cursor]:
    """Each claimed instance's share of the next log rows, read in one transaction.

    Instances whose cursors stand at the same row (the usual case: they keep up) share one read
    of the rows, of each row's followers and of each signer's key, so a fan-out to a thousand
    instances costs a few queries rather than a few thousand."""
    d = t.ap_delivery
    with ctx.db.read() as conn:
        states = conn.execute(select(d.c.domain, d.c.last_id, d.c.fail_count)
                              .where(d.c.domain.in_(domains))).all()
        # An instance the admin blocks (or leaves off the allow list) gets nothing: its share of
        # the log is passed over, as Lemmy leaves it out of the inboxes it sends to.
        cursors = [Cursor(s.domain, s.last_id, s.fail_count, refusal(ctx, s.domain) is not None)
                   for s in states]
        by_start: dict[int, list[Cursor]] = {}
        for cursor in cursors:
            by_start.setdefault(cursor.last_id, []).append(cursor)
        signers: dict[str, Signer | None] = {}
        for start, group in by_start.items():
            rows = conn.execute(_ROWS_AFTER, {"last_id": start}).all()
            for row in rows:
                if row.actor_id not in signers:
                    signers[row.actor_id] = _signer(conn, row.actor_id)
                inboxes = _targets(conn, row)
                for cursor in group:
                    cursor.work.append((row, inboxes.get(cursor.domain, set()),
                                        signers[row.actor_id]))
    return cursors


_ROWS_AFTER = (select(t.ap_outbox).where(t.ap_outbox.c.id > bindparam("last_id"))
               .order_by(t.ap_outbox.c.id).limit(BATCH))


async def _deliver(http: Http, cursor: Cursor, sends: asyncio.Semaphore) -> tuple[int, int, bool]:
    """Send one instance its share; (rows passed, new last id, whether one failed).

    Up to IN_FLIGHT sends run at once, so a far instance still receives many activities a second;
    activities about the same object keep their order (``_outcomes``). The cursor stops before
    the first one that failed: what came after it is sent again later, and receivers drop
    repeats by activity id. An instance that failed last time is probed one send at a time."""
    jobs = [] if cursor.refused else [job for job in cursor.work if job[1]]
    # A row with nothing to send here passes; a row not tried (after a failure) does not.
    outcomes = {job[0].id: False for job in jobs}
    if jobs:
        outcomes.update(await _outcomes(http, jobs, 1 if cursor.fail_count else IN_FLIGHT,
                                        sends))
    last_id, passed = cursor.last_id, 0
    for row, _, _ in cursor.work:
        if not outcomes.get(row.id, True):
            return passed, last_id, True
        last_id, passed = row.id, passed + 1
    return passed, last_id, False


async def _deliver_all(http: Http, cursors: list[Cursor]) -> list[tuple[int, int, bool]]:
    sends = asyncio.Semaphore(MAX_SENDS)
    return list(await asyncio.gather(*(_deliver(http, cursor, sends) for cursor in cursors)))


def _moved(ctx: Context, moved: list[tuple[str, int, int]]) -> None:
    """Move the cursors of every instance that took its share (domain, last id, rows passed),
    in one transaction: one UPDATE per place in the log, as instances keeping up share one."""
    groups: dict[tuple[int, bool], list[str]] = {}
    for domain, last_id, passed in moved:
        groups.setdefault((last_id, passed > 0), []).append(domain)
    if not groups:
        return
    d = t.ap_delivery
    now = utcnow()
    with ctx.db.write() as conn:
        for (last_id, delivered), names in groups.items():
            values: dict[str, Any] = {"last_id": last_id, "lease_until": None,
                                      "next_attempt": None, "fail_count": 0}
            if delivered:
                values["last_success"] = now
            for start in range(0, len(names), 500):
                conn.execute(update(d).where(d.c.domain.in_(names[start:start + 500]))
                             .values(**values))


def deliver_domains(ctx: Context, domains: list[str]) -> int:
    """Send what is due to these instances, many at once; returns the activities passed."""
    cursors = _plan(ctx, domains)
    http = http_for(ctx)
    # Sends run on the sender's event loop; with a transport handed in (tests), on a loop here.
    run = http.sender.run if http.sender is not None else asyncio.run
    results = run(_deliver_all(http, cursors))
    moved = []
    for cursor, (passed, last_id, failed) in zip(cursors, results):
        if failed:
            _failed(ctx, cursor.domain, last_id)
        else:
            moved.append((cursor.domain, last_id, passed))
    _moved(ctx, moved)
    return sum(passed for passed, _, _ in results)


def run_once(ctx: Context) -> int:
    """Open cursors for instances addressed for the first time, then serve every due one once."""
    open_cursors(ctx)
    domains = _claim(ctx)
    return deliver_domains(ctx, domains) if domains else 0
