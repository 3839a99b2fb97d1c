"""Applying a verified activity through the actions the API uses (issue 5).

Handled here: Follow, Accept, Reject, Undo (Follow, Like/Dislike, Delete, Lock, Block),
Create/Update of posts and comments, Like/Dislike, Delete (by the author, or a moderator's
removal), Lock, Add/Remove, and Announce of any of these by a group (FEP-1b12). Bans, private
messages, reports, account deletion, collections and follows live in their own modules
(ban_apply, pm_apply, flag_apply, collection_apply, follow_apply). Anything else is recorded as
ignored with its reason. What must be sent in answer (an Accept, or the group's Announce) is
returned in the Outcome and recorded by the worker in the transaction that marks the activity
done. ``apply_activity`` picks the handler by the activity's type from ``_HANDLERS``; an
activity in a remote community nobody here follows is refused (follow_apply).
"""

from __future__ import annotations

from collections.abc import Callable
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
from moot.actions.posts import (
    PostForm,
    do_create_post,
    do_delete_post,
    do_edit_post,
    do_like_post,
)
from moot.actions.remote import do_set_remote_post_state, remote_viewer
from moot.context import Context
from moot.db import tables as t
from moot.errors import MootError
from moot.federation.actors import KnownActor, get_actor, http_for, site_signer
from moot.federation.ban_apply import apply_account_deletion, apply_ban
from moot.federation.collection_apply import apply_collection, is_collection_action
from moot.federation.flag_apply import apply_flag
from moot.federation.follow_apply import (
    apply_accept,
    apply_follow,
    check_community_followed,
)
from moot.federation.http import FetchError
from moot.federation.mod_apply import (
    apply_group_update,
    apply_mod_action,
    is_mod_action,
    lock_from_update,
)
from moot.federation.outcome import Budget, Outcome
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

__all__ = ["Budget", "Outcome", "apply_activity", "apply_content", "find_object"]


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
    if actor_id is not None or via is not None:  # received, not fetched
        check_community_followed(ctx, community_id)
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
    check_community_followed(ctx, community_id)
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
    check_community_followed(ctx, community_id)
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
    if found is not None:
        check_community_followed(ctx, found[2])
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


def _undo(ctx: Context, activity: dict[str, Any], actor_id: str, budget: Budget,
          via: KnownActor | None) -> Outcome:
    inner = activity.get("object")
    if not isinstance(inner, dict):
        raise Unusable("Undo does not embed the activity it undoes")
    if id_of(inner.get("actor")) != actor_id:
        raise Unusable("Undo of another actor's activity")
    kind = inner.get("type")
    if kind == "Follow":
        return apply_follow(ctx, inner, actor_id, False)
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


Handler = Callable[[Context, dict[str, Any], str, Budget, "KnownActor | None"], Outcome]


def _delete_or_remove(ctx: Context, activity: dict[str, Any], actor_id: str, budget: Budget,
                      via: KnownActor | None) -> Outcome:
    if is_mod_action(activity):  # a Delete with a summary is a moderator's removal
        return _mod_action(ctx, activity, actor_id, True, via)
    return _delete(ctx, activity, actor_id, True, via)


def _collection(ctx: Context, activity: dict[str, Any], actor_id: str, budget: Budget,
                via: KnownActor | None) -> Outcome:
    if not is_collection_action(activity):
        return Outcome(f"{activity.get('type')} activities are not handled (yet)", applied=False)
    community_id, done = apply_collection(ctx, activity, actor_id, via,
                                          lambda ap_id: _find_or_fetch(ctx, ap_id, budget))
    return _announce_if_local(ctx, community_id, via, done)


_HANDLERS: dict[str, Handler] = {
    "Create": _create_or_update,
    "Update": _create_or_update,
    "Like": lambda ctx, a, actor, budget, via: _vote(ctx, a, actor, 1, budget, via),
    "Dislike": lambda ctx, a, actor, budget, via: _vote(ctx, a, actor, -1, budget, via),
    "Lock": lambda ctx, a, actor, budget, via: _mod_action(ctx, a, actor, True, via),
    "Delete": _delete_or_remove,
    "Undo": _undo,
    "Block": lambda ctx, a, actor, budget, via: _ban(ctx, a, actor, True, via),
    "Add": _collection,
    "Remove": _collection,
    # Never announced by a group (Lemmy's SharedInboxActivities outside AnnouncableActivities):
    "Flag": lambda ctx, a, actor, budget, via: Outcome(apply_flag(ctx, a, actor, find_object)),
    "Follow": lambda ctx, a, actor, budget, via: apply_follow(ctx, a, actor, True),
    "Accept": lambda ctx, a, actor, budget, via: apply_accept(ctx, a, actor),
    "Reject": lambda ctx, a, actor, budget, via: apply_accept(ctx, a, actor),
    "Announce": lambda ctx, a, actor, budget, via: _announce(ctx, a, actor, budget),
}
_NOT_ANNOUNCED = {"Flag", "Follow", "Accept", "Reject", "Announce"}


def apply_activity(ctx: Context, activity: dict[str, Any], actor_id: str,
                   budget: Budget | None = None, via: KnownActor | None = None) -> Outcome:
    """Apply one verified activity. Raises Unusable/MootError (refused) or FetchError (retry)."""
    kind = str(activity.get("type"))
    handler = _HANDLERS.get(kind)
    if handler is None or (via is not None and kind in _NOT_ANNOUNCED):
        return Outcome(f"{kind} activities are not handled (yet)", applied=False)
    return handler(ctx, activity, actor_id, budget or Budget(), via)


def recipients_of(activity: dict[str, Any]) -> list[str]:
    return [a for a in (id_of(v) for v in as_list(activity.get("to")) +
                        as_list(activity.get("cc"))) if a]
