"""Keeping remote communities current: their Group document, moderators and featured posts are
read again by the federation worker once they are older than ``community_refresh_hours``.

Lemmy refetches a community actor older than a day when it uses it, in the request. Moot never
fetches in a request: the worker picks the communities someone here follows (the only ones whose
activities are taken, follow_apply.check_community_followed, so the only ones in use) whose row
is older than the setting, oldest first, a few per round and at most one round a minute
(decision 0029). A community that cannot be read waits the same time before the next try.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from sqlalchemy import exists, select, update

from moot.actions.remote import do_set_remote_post_state
from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.federation.actors import BadActor, get_actor
from moot.federation.backfill import SKIPPED, featured_posts, read_moderators
from moot.federation.http import FetchError
from moot.federation.outcome import Budget

log = logging.getLogger(__name__)

EVERY = 60.0  # seconds between two rounds
PER_ROUND = 5  # communities refetched per round, so that a round stays short
BUDGET = 40  # fetches per community: the Group, two collections, unknown people and posts
_last_run = {"at": float("-inf")}
_lock = threading.Lock()


def read_collections(ctx: Context, community_id: int, budget: Budget) -> None:
    """The community's moderators and featured posts as its instance lists them now: the list
    here is replaced, and posts no longer featured there are unpinned here."""
    with ctx.db.read() as conn:
        row = conn.execute(select(t.community.c.moderators_url, t.community.c.featured_url)
                           .where(t.community.c.id == community_id)).one()
    try:
        read_moderators(ctx, community_id, row.moderators_url, budget)
    except SKIPPED as exc:
        log.info("community %s: moderators not read: %s", community_id, exc)
    if not row.featured_url:
        return
    try:
        pinned = featured_posts(ctx, community_id, row.featured_url, budget)
    except SKIPPED as exc:
        log.info("community %s: featured posts not read: %s", community_id, exc)
        return
    post = t.post.c
    with ctx.db.write() as conn:
        for post_id in conn.execute(select(post.id).where(
                post.community_id == community_id, post.featured_community.is_(True),
                post.id.not_in(pinned or [0]))).scalars().all():
            do_set_remote_post_state(conn, post_id, None, False)


def stale_communities(ctx: Context, older_than: timedelta, limit: int) -> list[tuple[int, str]]:
    """(id, actor id) of followed remote communities not read for ``older_than``, oldest first."""
    c = t.community.c
    followed = exists().where(t.community_follower.c.community_id == c.id)
    with ctx.db.read() as conn:
        rows = conn.execute(select(c.id, c.actor_id).where(
            c.local.is_(False), c.last_refreshed_at < utcnow() - older_than, followed)
            .order_by(c.last_refreshed_at, c.id).limit(limit)).all()
    return [(row.id, row.actor_id) for row in rows]


def refresh_community(ctx: Context, community_id: int, actor_id: str) -> bool:
    """Read the Group again (its row's time is renewed), then its collections; False when the
    Group could not be read (its time is renewed all the same, so that it waits)."""
    try:
        get_actor(ctx, actor_id, refresh=True)
    except (FetchError, BadActor, MootError) as exc:
        log.info("community %s not refreshed: %s", actor_id, exc)
        with ctx.db.write() as conn:
            conn.execute(update(t.community).where(t.community.c.id == community_id)
                         .values(last_refreshed_at=utcnow()))
        return False
    read_collections(ctx, community_id, Budget(remaining=BUDGET))
    return True


def maybe_refresh(ctx: Context) -> int:
    """One round, at most every ``EVERY`` seconds; how many communities were refreshed."""
    hours = ctx.settings.community_refresh_hours
    if hours <= 0:
        return 0
    with _lock:
        if time.monotonic() - _last_run["at"] < EVERY:
            return 0
        _last_run["at"] = time.monotonic()
    stale = stale_communities(ctx, timedelta(hours=hours), PER_ROUND)
    return sum(refresh_community(ctx, community_id, actor_id) for community_id, actor_id in stale)
