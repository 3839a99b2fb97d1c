"""Recording outgoing activities, in the same transaction as the change they announce.

An action calls one of the ``federate_*`` functions with its open connection; the activity is
built from the rows as they are now and appended to ``ap_outbox``. Delivery (delivery.py) reads
the log later, and opens a cursor for each instance a row addresses for the first time
(fanout.py). Who receives what follows Lemmy (federation.md §1.6): an activity in a local
community is wrapped in an Announce by the community and goes to its follower instances; one in
a remote community goes to that community's inbox, which announces it.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, bindparam, func, insert, or_, select

from moot.context import Context
from moot.db import tables as t
from moot.db.prepared import run, run_many
from moot.db.types import utcnow
from moot.federation.objects import CONTEXT, PUBLIC, group_json, note_json, page_json


def activity_id(ctx: Context, kind: str) -> str:
    return ctx.url(f"/activities/{kind.lower()}/{uuid.uuid4()}")


def domain_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


# Statements run for every local vote, post and comment: built once, with bound parameters.
_ADDRESS = func.coalesce(t.person.c.shared_inbox_url, t.person.c.inbox_url)
FOLLOWER_INBOXES = (
    select(_ADDRESS)
    .join(t.community_follower, t.community_follower.c.person_id == t.person.c.id)
    .where(t.community_follower.c.community_id == bindparam("community_id"),
           t.person.c.local.is_(False)))
# An inbox may sit on another host than its actor (a shared inbox elsewhere).
_FOLLOWER_INBOXES_AT = (
    FOLLOWER_INBOXES.join(t.instance, t.instance.c.id == t.person.c.instance_id)
    .where(or_(t.instance.c.domain == bindparam("domain"),
               _ADDRESS.like(bindparam("pattern")))))
_APPEND = insert(t.ap_outbox)
_COMMUNITY = select(t.community).where(t.community.c.id == bindparam("id"))
_PERSON = select(t.person).where(t.person.c.id == bindparam("id"))


def targets(conn: Connection, row: Any, domain: str | None = None) -> dict[str, set[str]]:
    """Inbox URLs of one log row, by instance domain: explicit ones and remote followers'.

    With ``domain``, only that instance's followers are read: delivery asks once per instance,
    and reading every follower each time would make a fan-out quadratic."""
    inboxes: set[str] = set(json.loads(row.inboxes))
    if row.community_id is not None:
        params = {"community_id": row.community_id}
        if domain is None:
            inboxes.update(conn.execute(FOLLOWER_INBOXES, params).scalars())
        else:
            params.update(domain=domain, pattern=f"%://{domain}/%")
            inboxes.update(conn.execute(_FOLLOWER_INBOXES_AT, params).scalars())
    by_domain: dict[str, set[str]] = {}
    for inbox in inboxes:
        by_domain.setdefault(domain_of(inbox), set()).add(inbox)
    return by_domain


def append(conn: Connection, activity: dict[str, Any], *, community_id: int | None = None,
           inboxes: list[str] | None = None) -> None:
    """Append one activity to the outgoing log (delivered to community followers and/or inboxes).

    One INSERT: the delivery worker works out the instances it reaches, and opens a cursor
    just before this row for any it addresses for the first time (fanout.py, decision 0038)."""
    document = {"@context": CONTEXT, **activity}
    run(conn, _APPEND, {
        "ap_id": activity["id"], "actor_id": activity["actor"], "data": json.dumps(document),
        "community_id": community_id, "inboxes": json.dumps(inboxes or []),
        "published": utcnow()})


def _community(conn: Connection, community_id: int) -> Any:
    return run(conn, _COMMUNITY, {"id": community_id}).mappings().one()


def _person(conn: Connection, person_id: int) -> Any:
    return conn.execute(_PERSON, {"id": person_id}).mappings().one()


def announce(ctx: Context, conn: Connection, community: Any, inner: dict[str, Any],
             inboxes: list[str] | None = None) -> None:
    """FEP-1b12: the community forwards an activity it accepted, unchanged, to its followers
    (and to ``inboxes``: a person just banned is no follower any more)."""
    inner = {k: v for k, v in inner.items() if k != "@context"}
    kind = str(inner.get("type", "activity")).lower()
    append(conn, {
        "type": "Announce", "id": ctx.url(f"/activities/announce/{kind}/{uuid.uuid4()}"),
        "actor": community["actor_id"], "to": [PUBLIC], "cc": [community["followers_url"]],
        "object": inner, "audience": community["actor_id"],
    }, community_id=community["id"], inboxes=inboxes)
    page = inner.get("object")
    if kind in ("create", "update") and isinstance(page, dict) and page.get("type") == "Page":
        # Mastodon and Pleroma cannot read Announce(Create/Update(Page)); as Lemmy does, the group
        # also boosts the Page itself so that they show it (issue 5).
        append(conn, {
            "type": "Announce", "id": ctx.url(f"/activities/announce/page/{uuid.uuid4()}"),
            "actor": community["actor_id"], "to": [PUBLIC], "cc": [community["followers_url"]],
            "object": page, "audience": community["actor_id"],
        }, community_id=community["id"])


def send_in_community(ctx: Context, conn: Connection, community_id: int,
                      activity: dict[str, Any], inboxes: list[str] | None = None,
                      community: Any = None) -> None:
    """Route a local person's activity: announce it (local community) or send it to the group;
    ``inboxes`` also get it (Lemmy's extra targets of send_activity_in_community). A caller
    that has just read the community's row hands it in as ``community``."""
    if community is None:
        community = _community(conn, community_id)
    if community["visibility"] != "Public":
        return  # a LocalOnly community does not federate, as in Lemmy
    if community["local"]:
        announce(ctx, conn, community, activity, inboxes)
    else:
        append(conn, activity, inboxes=[community["shared_inbox_url"] or community["inbox_url"],
                                        *(inboxes or [])])


def _local_actor(conn: Connection, person_id: int) -> Any | None:
    person = _person(conn, person_id)
    return person if person["local"] else None


def federate_post(ctx: Context, conn: Connection, post_id: int, verb: str) -> None:
    """Create, Update, Delete or Restore (Undo Delete) of a local person's post."""
    post = conn.execute(select(t.post).where(t.post.c.id == post_id)).mappings().one()
    _federate_content(ctx, conn, post, post["community_id"], verb,
                      lambda: page_json(conn, post))


def federate_comment(ctx: Context, conn: Connection, comment_id: int, verb: str) -> None:
    comment = conn.execute(select(t.comment, t.post.c.community_id)
                           .join(t.post, t.post.c.id == t.comment.c.post_id)
                           .where(t.comment.c.id == comment_id)).mappings().one()
    _federate_content(ctx, conn, comment, comment["community_id"], verb,
                      lambda: note_json(conn, comment))


def _federate_content(ctx: Context, conn: Connection, row: Any, community_id: int, verb: str,
                      build: Any) -> None:
    actor = _local_actor(conn, row["creator_id"])
    if actor is None:
        return
    community = _community(conn, community_id)
    base = {"actor": actor["actor_id"], "to": [PUBLIC], "cc": [community["actor_id"]],
            "audience": community["actor_id"]}
    if verb in ("Create", "Update"):
        activity = {**base, "type": verb, "id": activity_id(ctx, verb), "object": build()}
    else:
        delete = {**base, "type": "Delete", "id": activity_id(ctx, "Delete"),
                  "object": row["ap_id"]}
        activity = delete if verb == "Delete" else {
            **base, "type": "Undo", "id": activity_id(ctx, "Undo"), "object": delete}
    send_in_community(ctx, conn, community_id, activity)


def federate_vote(ctx: Context, conn: Connection, voter: Any, object_ap_id: str,
                  community_id: int, old: int, new: int) -> None:
    """Like, Dislike, or Undo of the previous vote (votes carry no to/cc, as in Lemmy).
    ``voter`` is the voter's person row (a logged-in viewer's, so nothing is read again)."""
    if not voter["local"] or old == new:
        return
    row = vote_log_row(ctx, voter["actor_id"], object_ap_id, _community(conn, community_id),
                       old, new)
    if row is not None:
        append_rows(conn, [row])


def vote_log_row(ctx: Context, actor: str, object_ap_id: str, community: Any, old: int,
                 new: int) -> dict[str, Any] | None:
    """The log row of a local person's vote going from ``old`` to ``new`` (they differ), as
    send_in_community would append it: announced by a local community, sent to a remote
    one's inbox, none for a LocalOnly one or a local one that no other instance follows. Built here without the general path's copies,
    since a batch of votes builds many (actions/vote_posts.py)."""
    if community["visibility"] != "Public":
        return None
    if community["local"] and community["subscribers"] <= community["subscribers_local"]:
        # No follower on another instance (subscribers counts every follower of a local
        # community, subscribers_local ours): the Announce would go nowhere, so it is not
        # logged. Most votes of a busy instance are on communities like that, and each log
        # row costs the writer and the fan-out a row (decision 0049).
        return None
    group = community["actor_id"]

    def vote(score: int) -> dict[str, Any]:
        kind = "Like" if score > 0 else "Dislike"
        return {"type": kind, "id": activity_id(ctx, kind), "actor": actor,
                "object": object_ap_id, "audience": group}

    activity = vote(new) if new else {
        "type": "Undo", "id": activity_id(ctx, "Undo"), "actor": actor, "object": vote(old),
        "audience": group}
    if not community["local"]:
        document = {"@context": CONTEXT, **activity}
        inboxes = [community["shared_inbox_url"] or community["inbox_url"]]
        return _log_row(document, None, inboxes)
    kind = activity["type"].lower()
    document = {"@context": CONTEXT, "type": "Announce",
                "id": ctx.url(f"/activities/announce/{kind}/{uuid.uuid4()}"),
                "actor": group, "to": [PUBLIC], "cc": [community["followers_url"]],
                "object": activity, "audience": group}
    return _log_row(document, community["id"], [])


def _log_row(document: dict[str, Any], community_id: int | None,
             inboxes: list[str]) -> dict[str, Any]:
    return {"ap_id": document["id"], "actor_id": document["actor"],
            "data": json.dumps(document), "community_id": community_id,
            "inboxes": json.dumps(inboxes), "published": utcnow()}


def append_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Append log rows built by vote_log_row, in their order, with one executemany."""
    run_many(conn, _APPEND, rows)


def federate_follow(ctx: Context, conn: Connection, person_id: int, community_id: int,
                    follow: bool) -> None:
    """A local person follows or leaves a remote community: Follow / Undo Follow to the group."""
    actor = _local_actor(conn, person_id)
    community = _community(conn, community_id)
    if actor is None or community["local"]:
        return
    activity = {"type": "Follow", "id": activity_id(ctx, "Follow"), "actor": actor["actor_id"],
                "object": community["actor_id"], "to": [community["actor_id"]]}
    if not follow:
        activity = {"type": "Undo", "id": activity_id(ctx, "Undo"), "actor": actor["actor_id"],
                    "object": activity, "to": [community["actor_id"]]}
    append(conn, activity, inboxes=[community["inbox_url"]])


def federate_accept(ctx: Context, conn: Connection, community_id: int, follower_inbox: str,
                    follow: dict[str, Any]) -> None:
    """A local community accepts a remote person's Follow (as Lemmy does, automatically)."""
    community = _community(conn, community_id)
    follow = {k: v for k, v in follow.items() if k != "@context"}
    append(conn, {"type": "Accept", "id": activity_id(ctx, "Accept"),
                  "actor": community["actor_id"], "to": [follow.get("actor")], "object": follow},
           inboxes=[follower_inbox])


def federate_mod_action(ctx: Context, conn: Connection, mod_id: int, community_id: int,
                        object_ap_id: str, kind: str, on: bool, summary: str | None = None) -> None:
    """A local moderator's removal (``Delete`` with a ``summary``, "" when no reason: Lemmy
    tells a removal from a deletion by its presence) or ``Lock`` of a post, or their Undo."""
    actor = _local_actor(conn, mod_id)
    if actor is None:
        return  # a remote moderator's action is announced by the worker, not re-sent
    community = _community(conn, community_id)
    inner: dict[str, Any] = {
        "type": kind, "id": activity_id(ctx, kind), "actor": actor["actor_id"],
        "to": [PUBLIC], "cc": [community["actor_id"]], "object": object_ap_id,
        "audience": community["actor_id"]}
    if summary is not None:
        inner["summary"] = summary
    activity = inner if on else {
        "type": "Undo", "id": activity_id(ctx, "Undo"), "actor": actor["actor_id"],
        "to": [PUBLIC], "cc": [community["actor_id"]], "object": inner,
        "audience": community["actor_id"]}
    send_in_community(ctx, conn, community_id, activity)


def federate_group_update(ctx: Context, conn: Connection, mod_id: int, community_id: int) -> None:
    """A local moderator edited a local community: ``Update`` of the Group, announced."""
    actor = _local_actor(conn, mod_id)
    community = _community(conn, community_id)
    if actor is None or not community["local"]:
        return
    send_in_community(ctx, conn, community_id, {
        "type": "Update", "id": activity_id(ctx, "Update"), "actor": actor["actor_id"],
        "to": [PUBLIC], "cc": [community["actor_id"]], "object": group_json(community),
        "audience": community["actor_id"]})


def federate_collection(ctx: Context, conn: Connection, mod_id: int, community_id: int,
                        object_ap_id: str, collection: str, added: bool) -> None:
    """A local moderator features/unfeatures a post or adds/removes a moderator: ``Add`` or
    ``Remove`` with the community's featured or moderators collection as ``target``."""
    actor = _local_actor(conn, mod_id)
    if actor is None:
        return  # a remote moderator's change is announced by the worker, not re-sent
    community = _community(conn, community_id)
    target = community[f"{collection}_url"] or f"{community['actor_id']}/{collection}"
    kind = "Add" if added else "Remove"
    send_in_community(ctx, conn, community_id, {
        "type": kind, "id": activity_id(ctx, kind), "actor": actor["actor_id"],
        "to": [PUBLIC], "cc": [community["actor_id"]], "object": object_ap_id,
        "target": target, "audience": community["actor_id"]},
        _person_inbox(conn, object_ap_id) if collection == "moderators" else None)


def _person_inbox(conn: Connection, actor_id: str) -> list[str]:
    """A remote person's (shared) inbox: Lemmy sends a moderator's Add/Remove to the person
    too, so that their instance learns of it even when nobody there follows the community."""
    address = conn.execute(select(_ADDRESS).where(t.person.c.actor_id == actor_id,
                                                  t.person.c.local.is_(False))).scalar()
    return [address] if address else []
