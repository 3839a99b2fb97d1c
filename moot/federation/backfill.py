"""What Moot reads of a remote community when it first sees it (resolve.py), as Lemmy does:
its moderators collection (``attributedTo``), its featured posts, and the most recent posts of
its outbox, so that a newly followed community is not empty and its moderators can act here.

Everything is bounded by the fetch budget of the resolve, and nothing here fails it: a part
that cannot be read or applied is skipped (and logged).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from moot.actions.remote import do_set_remote_moderators, do_set_remote_post_state
from moot.context import Context
from moot.db import tables as t
from moot.errors import MootError
from moot.federation.actors import find_known, get_actor, http_for, site_signer
from moot.federation.apply import Budget, apply_content, find_object
from moot.federation.http import FetchError
from moot.federation.parse import Unusable, as_list, id_of

log = logging.getLogger(__name__)

# Lemmy reads at most 20 posts from a new community's outbox.
OUTBOX_POSTS = 20
SKIPPED = (Unusable, FetchError, MootError, ValueError)


def _items(ctx: Context, url: str | None, budget: Budget) -> list[Any]:
    if not url:
        return []
    budget.spend(url)
    document = http_for(ctx).fetch_json(url, site_signer(ctx))
    items = document.get("orderedItems", document.get("items"))
    return as_list(items)


def read_moderators(ctx: Context, community_id: int, url: str | None, budget: Budget) -> None:
    """Replace the community's moderators here by its moderators collection."""
    people: list[int] = []
    for item in _items(ctx, url, budget):
        actor_id = id_of(item)
        if actor_id is None:
            continue
        try:
            if find_known(ctx, actor_id) is None:
                budget.spend(actor_id)  # a fetch, within the resolve's budget
            person = get_actor(ctx, actor_id)
        except SKIPPED as exc:
            log.info("moderator %s of community %s skipped: %s", actor_id, community_id, exc)
            continue
        if person.kind == "person":
            people.append(person.id)
    with ctx.db.write() as conn:
        do_set_remote_moderators(conn, community_id, people)


def _apply_page(ctx: Context, page: Any, budget: Budget) -> int | None:
    """A post of the community as fetched (an existing one is left as it is); its id."""
    if isinstance(page, dict) and page.get("type") in ("Create", "Update"):
        page = page.get("object")
    if not isinstance(page, dict) or id_of(page) is None:
        return None
    if find_object(ctx, str(id_of(page))) is None:
        try:
            apply_content(ctx, page, None, budget, None)
        except SKIPPED as exc:
            log.info("post %s skipped: %s", id_of(page), exc)
    found = find_object(ctx, str(id_of(page)))
    return found[1] if found is not None and found[0] == "post" else None


def featured_posts(ctx: Context, community_id: int, url: str | None, budget: Budget) -> list[int]:
    """Pin the posts of the community's featured collection (being in it is what makes them
    so); returns their ids."""
    pinned: list[int] = []
    for page in _items(ctx, url, budget):
        post_id = _apply_page(ctx, page, budget)
        if post_id is not None:
            with ctx.db.write() as conn:
                if conn.execute(select(t.post.c.community_id)
                                .where(t.post.c.id == post_id)).scalar() == community_id:
                    do_set_remote_post_state(conn, post_id, None, True)
                    pinned.append(post_id)
    return pinned


def _outbox(ctx: Context, url: str | None, budget: Budget) -> None:
    """Up to 20 Announce(Create(Page)), applied oldest first so the order is kept."""
    pages: list[Any] = []
    for item in _items(ctx, url, budget):
        if isinstance(item, dict) and item.get("type") == "Announce":
            item = item.get("object")
        if isinstance(item, dict) and item.get("type") == "Create":
            pages.append(item.get("object"))
        if len(pages) >= OUTBOX_POSTS:
            break
    for page in reversed(pages):
        _apply_page(ctx, page, budget)


def backfill_community(ctx: Context, community_id: int, budget: Budget | None = None) -> None:
    """Read a remote community's moderators, featured posts and recent posts; never raises
    for what it could not read."""
    budget = budget or Budget(remaining=60)
    with ctx.db.read() as conn:
        row = conn.execute(select(t.community).where(t.community.c.id == community_id,
                                                     t.community.c.local.is_(False))
                           ).mappings().first()
    if row is None:
        return
    outbox = f"{row['actor_id']}/outbox"
    for part, run in (
            ("moderators",
             lambda: read_moderators(ctx, community_id, row["moderators_url"], budget)),
            ("outbox", lambda: _outbox(ctx, outbox, budget)),
            ("featured", lambda: featured_posts(ctx, community_id, row["featured_url"], budget))):
        try:
            run()
        except SKIPPED as exc:
            log.info("community %s: %s not read: %s", row["actor_id"], part, exc)
