"""Applying a verified activity through the actions the API uses (the slice of issue 5).

Handled: Follow, Accept, Undo (Follow, Like/Dislike, Delete, Lock, Block), Create/Update of posts and
comments, Like/Dislike, Delete (by the author, or a moderator's removal), Lock, and Announce of any of these by a group
(FEP-1b12); bans (Block), private messages, reports (Flag) and account deletion in their own
modules (ban_apply, pm_apply, flag_apply). Anything else is recorded as ignored with its reason. What must be sent in answer
(an Accept, or the group's Announce) is returned in the Outcome and recorded by the worker in
the transaction that marks the activity done.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from moot.actions.comments import (
    CommentForm,
    do_create_comment,
    do_delete_comment,
    do_edit_comment,
    do_like_comment,
)
from moot.actions.communities import do_follow_community, load_community, remove_follower
from moot.actions.posts import (
    PostForm,
    do_create_post,
    do_delete_post,
    do_edit_post,
    do_like_post,
)
from moot.actions.remote import (
    do_confirm_follow,
    do_set_remote_post_state,
    remote_viewer,
)
from moot.context import Context
from moot.db import tables as t
from moot.errors import MootError
from moot.federation.actors import KnownActor, get_actor, http_for, site_signer
from moot.federation.ban_apply import apply_account_deletion, apply_ban
from moot.federation.flag_apply import apply_flag
from moot.federation.collection_apply import apply_collection, is_collection_action
from moot.federation.http import FetchError
from moot.federation.mod_apply import (
    apply_group_update,
    apply_mod_action,
    is_mod_action,
    lock_from_update,
)
from moot.federation.parse import (
    IncomingContent,
    Unusable,
    as_list,
    id_of,
    parse_content,
)
from moot.federation.pm_apply import (
    apply_message,
    delete_message,
    find_message,
    is_private_message,
)

# Lemmy's FEDERATION_HTTP_FETCH_LIMIT is 100 per top-level fetch; an inbox activity needs few.
FETCH_BUDGET = 20


@dataclass
class Outcome:
    reason: str
    applied: bool = True
    announce_in: int | None = None  # a local community that must Announce the activity
    accept: tuple[int, str] | None = None  # (local community id, follower inbox)


@dataclass
class Budget:
    remaining: int = FETCH_BUDGET
    seen: set[str] = field(default_factory=set)

    def spend(self, url: str) -> None:
        if self.remaining <= 0 or url in self.seen:
            raise Unusable("fetch budget exhausted")
        self.remaining -= 1
        self.seen.add(url)


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _viewer(ctx: Context, person: KnownActor) -> Any:
    with ctx.db.read() as conn:
        return remote_viewer(conn, person.id)


def _person(ctx: Context, actor_id: str) -> KnownActor:
    actor = get_actor(ctx, actor_id)
    if actor.kind != "person":
        raise Unusable("actor is not a person")
    return actor


def find_object(ctx: Context, ap_id: str) -> tuple[str, int, int] | None:
    """("post" | "comment", id, community id) of a known object."""
    with ctx.db.read() as conn:
        post = conn.execute(select(t.post.c.id, t.post.c.community_id)
                            .where(t.post.c.ap_id == ap_id)).first()
        if post is not None:
            return "post", post.id, post.community_id
        comment = conn.execute(select(t.comment.c.id, t.post.c.community_id)
                               .join(t.post, t.post.c.id == t.comment.c.post_id)
                               .where(t.comment.c.ap_id == ap_id)).first()
    return ("comment", comment.id, comment.community_id) if comment is not None else None


def _find_or_fetch(ctx: Context, ap_id: str, budget: Budget) -> tuple[str, int, int]:
    found = find_object(ctx, ap_id)
    if found is None:
        if _host(ap_id) == ctx.settings.hostname.lower():
            raise Unusable("no such local object")
        budget.spend(ap_id)
        document = http_for(ctx).fetch_json(ap_id, site_signer(ctx))
        apply_content(ctx, document, None, budget, None)
        found = find_object(ctx, ap_id)
    if found is None:
        raise Unusable("object could not be found")
    return found


def _community_of(ctx: Context, content: IncomingContent, via: KnownActor | None) -> KnownActor:
    if via is not None and via.actor_id in (content.audience or []):
        return via  # announced by its group: no need to look further
    for candidate in content.audience or []:
        try:
            actor = get_actor(ctx, candidate)
        except (FetchError, ValueError):
            continue
        if actor.kind == "community":
            return actor
    raise Unusable("couldnt_find_community")


def _is_local_community(ctx: Context, community_id: int) -> bool:
    with ctx.db.read() as conn:
        return bool(conn.execute(select(t.community.c.local)
                                 .where(t.community.c.id == community_id)).scalar())


def apply_content(ctx: Context, obj: Any, actor_id: str | None, budget: Budget,
                   via: KnownActor | None) -> int:
    """Create or update a post or comment; returns its community id."""
    content = parse_content(obj)
    if actor_id is not None and content.author != actor_id:
        raise Unusable("object is not attributed to the activity's actor")
    if _host(content.author) != _host(content.remote.ap_id):
        raise Unusable("object and author are on different hosts")
    viewer = _viewer(ctx, _person(ctx, content.author))
    existing = find_object(ctx, content.remote.ap_id)
    if content.kind == "post":
        # An edit stays in the post's community; only a new post needs its community found.
        community_id = existing[2] if existing else _community_of(ctx, content, via).id
    else:
        kind, parent_id, community_id = _find_or_fetch(ctx, str(content.in_reply_to), budget)
    if via is not None and via.id != community_id:
        raise Unusable("announced by a group that is not the object's community")
    if content.kind == "post":
        form = PostForm(name=content.title, url=content.url or "", body=content.text,
                        nsfw=content.nsfw)
        if existing is None:
            do_create_post(ctx, viewer, community_id, form, content.remote)
        else:
            do_edit_post(ctx, viewer, existing[1], form, content.remote)
    elif existing is None:
        post_id = parent_id if kind == "post" else _post_of_comment(ctx, parent_id)
        do_create_comment(ctx, viewer, CommentForm(
            content=content.text, post_id=post_id,
            parent_id=parent_id if kind == "comment" else None), content.remote)
    else:
        do_edit_comment(ctx, viewer, existing[1], content.text, None, content.remote)
    if actor_id is None and content.kind == "post":
        _fetched_post_state(ctx, obj)
    return community_id


def _fetched_post_state(ctx: Context, page: dict[str, Any]) -> None:
    """A Page fetched (not sent in an activity) states its lock and community pin, as Lemmy
    reads them; an activity changes these only through Lock and Add/Remove."""
    locked = None if "commentsEnabled" not in page else not bool(page["commentsEnabled"])
    featured = bool(page["stickied"]) if "stickied" in page else None
    found = find_object(ctx, str(id_of(page)))
    if found is None or found[0] != "post":
        return
    with ctx.db.write() as conn:
        do_set_remote_post_state(conn, found[1], locked, featured)


def _post_of_comment(ctx: Context, comment_id: int) -> int:
    with ctx.db.read() as conn:
        return int(conn.execute(select(t.comment.c.post_id)
                                .where(t.comment.c.id == comment_id)).scalar_one())


def _announce_if_local(ctx: Context, community_id: int, via: KnownActor | None,
                       reason: str) -> Outcome:
    local = via is None and _is_local_community(ctx, community_id)
    return Outcome(reason, announce_in=community_id if local else None)


def _create_or_update(ctx: Context, activity: dict[str, Any], actor_id: str, budget: Budget,
                      via: KnownActor | None) -> Outcome:
    obj = activity.get("object")
    if isinstance(obj, str):
        budget.spend(obj)
        obj = http_for(ctx).fetch_json(obj, site_signer(ctx))
    if is_private_message(obj):
        if via is not None:
            raise Unusable("a private message cannot be announced")
        return Outcome(apply_message(ctx, obj, actor_id))
    if activity["type"] == "Update" and isinstance(obj, dict) and obj.get("type") == "Group":
        group_id = apply_group_update(ctx, obj, actor_id, via)
        return _announce_if_local(ctx, group_id, via, "community updated")
    locked = lock_from_update(obj, actor_id) if activity["type"] == "Update" else None
    if locked is not None and isinstance(obj, dict):
        return _mod_action(ctx, {"type": "Lock", "object": obj["id"]}, actor_id, locked, via)
    community_id = apply_content(ctx, obj, actor_id, budget, via)
    return _announce_if_local(ctx, community_id, via, f"{activity['type']} applied")


def _vote(ctx: Context, activity: dict[str, Any], actor_id: str, score: int, budget: Budget,
          via: KnownActor | None) -> Outcome:
    target = id_of(activity.get("object"))
    if target is None:
        raise Unusable("vote has no object")
    kind, object_id, community_id = _find_or_fetch(ctx, target, budget)
    if via is not None and via.id != community_id:
        raise Unusable("announced by a group that is not the object's community")
    viewer = _viewer(ctx, _person(ctx, actor_id))
    if kind == "post":
        do_like_post(ctx, viewer, object_id, score)
    else:
        do_like_comment(ctx, viewer, object_id, score)
    return _announce_if_local(ctx, community_id, via, "vote applied")


def _delete(ctx: Context, activity: dict[str, Any], actor_id: str, deleted: bool,
            via: KnownActor | None) -> Outcome:
    target = id_of(activity.get("object"))
    if target is None:
        raise Unusable("Delete has no object")
    if target == actor_id and via is None:
        if not deleted:
            return Outcome("restoring a deleted account is not handled", applied=False)
        return Outcome(apply_account_deletion(ctx, activity, actor_id))
    message_id = find_message(ctx, target) if via is None else None
    if message_id is not None:
        return Outcome(delete_message(ctx, message_id, actor_id, deleted))
    found = find_object(ctx, target)
    if found is None:
        return Outcome("deleted object is unknown here", applied=False)
    kind, object_id, community_id = found
    if via is not None and via.id != community_id:
        raise Unusable("announced by a group that is not the object's community")
    viewer = _viewer(ctx, _person(ctx, actor_id))
    try:
        if kind == "post":
            do_delete_post(ctx, viewer, object_id, deleted)
        else:
            do_delete_comment(ctx, viewer, object_id, deleted)
    except MootError as error:
        if error.name not in ("couldnt_update_post", "couldnt_update_comment"):
            raise
        return Outcome("already in that state", applied=False)
    return _announce_if_local(ctx, community_id, via, "deletion applied")


def _mod_action(ctx: Context, activity: dict[str, Any], actor_id: str, on: bool,
                via: KnownActor | None) -> Outcome:
    target = id_of(activity.get("object"))
    if target is None:
        raise Unusable(f"{activity.get('type')} has no object")
    found = find_object(ctx, target)
    if via is not None and found is not None and via.id != found[2]:
        raise Unusable("announced by a group that is not the object's community")
    community_id = apply_mod_action(ctx, activity, actor_id, on, found, via is not None)
    verb = "lock" if activity.get("type") == "Lock" else "removal"
    return _announce_if_local(ctx, community_id, via,
                              f"moderator {verb}{'' if on else ' undone'} applied")


def _ban(ctx: Context, block: dict[str, Any], actor_id: str, on: bool,
         via: KnownActor | None) -> Outcome:
    community_id = apply_ban(ctx, block, actor_id, on, via)
    verb = "ban" if on else "unban"
    if community_id is None:
        return Outcome(f"site {verb} applied")
    return _announce_if_local(ctx, community_id, via, f"community {verb} applied")


def _follow(ctx: Context, activity: dict[str, Any], actor_id: str, follow: bool) -> Outcome:
    target = id_of(activity.get("object"))
    community = get_actor(ctx, target) if target else None
    if community is None or community.kind != "community" or not community.local:
        return Outcome("only local communities can be followed", applied=False)
    with ctx.db.read() as conn:
        visibility = conn.execute(select(t.community.c.visibility)
                                  .where(t.community.c.id == community.id)).scalar()
    if follow and visibility != "Public":
        return Outcome("a local-only community cannot be followed from elsewhere", applied=False)
    person = _person(ctx, actor_id)
    do_follow_community(ctx, _viewer(ctx, person), community.id, follow)
    if not follow:
        return Outcome("unfollowed")
    return Outcome("follower added", accept=(community.id, person.inbox))


def _our_activity(ctx: Context, ap_id: str) -> dict[str, Any] | None:
    with ctx.db.read() as conn:
        data = conn.execute(select(t.ap_outbox.c.data).where(t.ap_outbox.c.ap_id == ap_id)).scalar()
    return json.loads(data) if data else None


def _accept(ctx: Context, activity: dict[str, Any], actor_id: str) -> Outcome:
    """Accept or Reject of a local person's Follow by a remote group."""
    follow = activity.get("object")
    if isinstance(follow, str):  # some servers name our Follow by its id only
        follow = _our_activity(ctx, follow)
    follower = id_of(follow.get("actor")) if isinstance(follow, dict) else None
    if follower is None:
        raise Unusable(f"{activity.get('type')} does not embed the Follow")
    community, person = get_actor(ctx, actor_id), get_actor(ctx, follower)
    if community.kind != "community" or person.kind != "person" or not person.local:
        raise Unusable(f"{activity.get('type')} is not a group answering a local person")
    with ctx.db.write() as conn:
        if activity.get("type") == "Reject":
            # As Lemmy: the follow is dropped, whether it was still pending or not.
            remove_follower(conn, load_community(conn, community.id, lock=True), person.id,
                            person_local=True)
            return Outcome("follow rejected")
        confirmed = do_confirm_follow(conn, community.id, person.id)
    return Outcome("follow confirmed" if confirmed else "no pending follow", applied=confirmed)


def _undo(ctx: Context, activity: dict[str, Any], actor_id: str, budget: Budget,
          via: KnownActor | None) -> Outcome:
    inner = activity.get("object")
    if not isinstance(inner, dict):
        raise Unusable("Undo does not embed the activity it undoes")
    if id_of(inner.get("actor")) != actor_id:
        raise Unusable("Undo of another actor's activity")
    kind = inner.get("type")
    if kind == "Follow":
        return _follow(ctx, inner, actor_id, False)
    if kind in ("Like", "Dislike"):
        return _vote(ctx, inner, actor_id, 0, budget, via)
    if kind == "Block":
        return _ban(ctx, inner, actor_id, False, via)
    if is_mod_action(inner):
        return _mod_action(ctx, inner, actor_id, False, via)
    if kind == "Delete":
        return _delete(ctx, inner, actor_id, False, via)
    return Outcome(f"Undo of {kind!r} is not handled", applied=False)


def _announce_object(ctx: Context, obj: dict[str, Any], group: KnownActor,
                     budget: Budget) -> Outcome:
    """A group boosting a post itself (Mastodon-style, and Lemmy's extra Announce(Page)):
    applied as that object's Create. Known already (its Create came first): nothing to do."""
    object_id = id_of(obj)
    if object_id is None or find_object(ctx, object_id) is not None:
        return Outcome("announced object is already known", applied=False)
    if _host(object_id) == ctx.settings.hostname.lower():
        return Outcome("our own object, announced back", applied=False)
    apply_content(ctx, obj, None, budget, group)
    return Outcome("announced object applied as its Create")


def _announce(ctx: Context, activity: dict[str, Any], actor_id: str, budget: Budget) -> Outcome:
    group = get_actor(ctx, actor_id)
    if group.kind != "community":
        return Outcome("Announce by a non-group (a boost) is ignored", applied=False)
    inner = activity.get("object")
    if isinstance(inner, str):
        budget.spend(inner)
        inner = http_for(ctx).fetch_json(inner, site_signer(ctx))
    if isinstance(inner, dict) and inner.get("type") in ("Page", "Note", "Article", "Question"):
        return _announce_object(ctx, inner, group, budget)
    if not isinstance(inner, dict) or id_of(inner.get("actor")) is None:
        raise Unusable("Announce of something that is neither an activity nor a post")
    inner_actor = str(id_of(inner.get("actor")))
    if _host(inner_actor) == ctx.settings.hostname.lower():
        return Outcome("our own activity, announced back; already applied", applied=False)
    if _host(str(id_of(inner))) != _host(inner_actor):
        raise Unusable("announced activity's id and actor are on different hosts")
    if inner.get("type") in ("Follow", "Accept", "Announce"):
        raise Unusable(f"{inner.get('type')} cannot be announced")
    return apply_activity(ctx, inner, inner_actor, budget, via=group)


def apply_activity(ctx: Context, activity: dict[str, Any], actor_id: str,
                   budget: Budget | None = None, via: KnownActor | None = None) -> Outcome:
    """Apply one verified activity. Raises Unusable/MootError (refused) or FetchError (retry)."""
    budget = budget or Budget()
    kind = activity.get("type")
    if kind in ("Create", "Update"):
        return _create_or_update(ctx, activity, actor_id, budget, via)
    if kind in ("Like", "Dislike"):
        return _vote(ctx, activity, actor_id, 1 if kind == "Like" else -1, budget, via)
    if is_mod_action(activity):
        return _mod_action(ctx, activity, actor_id, True, via)
    if kind == "Delete":
        return _delete(ctx, activity, actor_id, True, via)
    if kind == "Undo":
        return _undo(ctx, activity, actor_id, budget, via)
    if kind == "Block":
        return _ban(ctx, activity, actor_id, True, via)
    if via is None and kind == "Flag":
        return Outcome(apply_flag(ctx, activity, actor_id, find_object))
    if is_collection_action(activity):
        community_id, done = apply_collection(ctx, activity, actor_id, via,
                                              lambda ap_id: _find_or_fetch(ctx, ap_id, budget))
        return _announce_if_local(ctx, community_id, via, done)
    if via is None and kind == "Follow":
        return _follow(ctx, activity, actor_id, True)
    if via is None and kind in ("Accept", "Reject"):
        return _accept(ctx, activity, actor_id)
    if via is None and kind == "Announce":
        return _announce(ctx, activity, actor_id, budget)
    return Outcome(f"{kind} activities are not handled (yet)", applied=False)


def recipients_of(activity: dict[str, Any]) -> list[str]:
    return [a for a in (id_of(v) for v in as_list(activity.get("to")) +
                        as_list(activity.get("cc"))) if a]
