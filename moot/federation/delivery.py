"""Delivering the outgoing log: one cursor per remote instance (ap_delivery).

Each instance is read in log order and sent one activity at a time, so it sees them in order;
instances are served in parallel by a bounded thread pool. Responses are classed as Lemmy and
Mastodon do: 2xx delivered; 4xx other than 408/429 refused for good (skipped); anything else a
failure, retried with capped exponential backoff. An instance without success for
``DEAD_AFTER`` is marked dead and skipped until it sends us something.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, func, or_, select, update

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.federation.actors import http_for
from moot.federation.http import FetchError, Signer
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
PARALLEL_INSTANCES = 32  # sends wait on the network: many instances at once
IN_FLIGHT = 32  # sends to one instance at once (a far instance needs many)


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


def _send(ctx: Context, body: bytes, inbox: str, signer: Signer) -> bool:
    """True when delivered or refused for good; False when it must be retried."""
    try:
        status = http_for(ctx).post_activity(inbox, body, signer)
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


def _deliver_row(ctx: Context, row: Any, inboxes: set[str], signer: Signer | None) -> bool:
    """Send one log row to its inboxes on one instance; False if it must be retried."""
    if signer is None:
        return True  # its actor is gone: nothing can sign it
    return all(_send(ctx, row.data.encode(), inbox, signer) for inbox in sorted(inboxes))


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


def _chain(ctx: Context, jobs: list[Job]) -> dict[int, bool]:
    """Send jobs one after another, stopping at the first failure; row id -> delivered."""
    results: dict[int, bool] = {}
    for job in jobs:
        results[job[0].id] = _deliver_row(ctx, *job)
        if not results[job[0].id]:
            break
    return results


def _outcomes(ctx: Context, jobs: list[Job], in_flight: int) -> dict[int, bool]:
    """Whether each job was delivered (row id -> bool; absent when not tried).

    Activities about the same object (a post, its vote, the vote's undo) go one after another in
    log order, since a receiver must see them in order; different objects go in parallel, up
    to ``in_flight`` at once."""
    if in_flight <= 1 or len(jobs) <= 1:
        return _chain(ctx, jobs)
    chains: dict[str, list[Job]] = {}
    for job in jobs:
        chains.setdefault(subject(job[0].data), []).append(job)
    results: dict[int, bool] = {}
    with ThreadPoolExecutor(max_workers=min(in_flight, len(chains))) as pool:
        for done in pool.map(lambda chain: _chain(ctx, chain), chains.values()):
            results.update(done)
    return results


def deliver_domain(ctx: Context, domain: str) -> int:
    """Send what is due to one instance; returns how many activities were passed.

    Up to IN_FLIGHT sends run at once, so a far instance still receives many activities a second;
    activities about the same object keep their order (``_outcomes``). The cursor stops before the first one that failed: what came after
    it is sent again later, and receivers drop repeats by activity id. An instance that failed
    last time is probed with one send at a time."""
    d = t.ap_delivery
    with ctx.db.read() as conn:
        state = conn.execute(select(d.c.last_id, d.c.fail_count)
                             .where(d.c.domain == domain)).one()
        last_id = state.last_id
        rows = conn.execute(select(t.ap_outbox).where(t.ap_outbox.c.id > last_id)
                            .order_by(t.ap_outbox.c.id).limit(BATCH)).all()
        signers: dict[str, Signer | None] = {}
        work = []
        for row in rows:
            if row.actor_id not in signers:
                signers[row.actor_id] = _signer(conn, row.actor_id)
            work.append((row, _targets(conn, row, domain).get(domain, set()),
                         signers[row.actor_id]))
    # An instance the admin blocks (or leaves off the allow list) gets nothing: its share of the
    # log is passed over, as Lemmy leaves it out of the inboxes it sends to.
    jobs = [] if refusal(ctx, domain) is not None else [job for job in work if job[1]]
    # A row with nothing to send here passes; a row not tried (after a failure) does not.
    outcomes = {job[0].id: False for job in jobs}
    outcomes.update(_outcomes(ctx, jobs, 1 if state.fail_count else IN_FLIGHT))
    passed = 0
    for row, _, _ in work:
        if not outcomes.get(row.id, True):
            _failed(ctx, domain, last_id)
            return passed
        last_id, passed = row.id, passed + 1
    with ctx.db.write() as conn:
        values: dict[str, Any] = {"last_id": last_id, "lease_until": None, "next_attempt": None,
                                  "fail_count": 0}
        if passed:
            values["last_success"] = utcnow()
        conn.execute(update(d).where(d.c.domain == domain).values(**values))
    return passed


def run_once(ctx: Context) -> int:
    """Serve every due instance once."""
    domains = _claim(ctx)
    if not domains:
        return 0
    if len(domains) == 1:
        return deliver_domain(ctx, domains[0])
    with ThreadPoolExecutor(max_workers=min(PARALLEL_INSTANCES, len(domains))) as pool:
        return sum(pool.map(lambda domain: deliver_domain(ctx, domain), domains))
