"""What moderators do to posts, comments and people in a community, each recorded in the modlog.

Permissions follow Lemmy 0.19: a moderator of the community or an admin may act
(check_community_mod_action, refused as not_a_mod_or_admin); featuring on the front page is
for admins only. Removal changes the same counts a delete does, so that listings stay exact,
and settles the thing's reports (Lemmy 0.19.9 does so on a restore too).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from moot.actions.comments import load_comment
from moot.actions.communities import (
    check_community_mod_action,
    check_community_user_action,
    check_higher_mod_or_admin,
    load_community,
    remove_follower,
)
from moot.actions.counts import count_comment, count_post
from moot.actions.posts import insert_ignore, load_post
from moot.actions.reports import resolve_all_for
from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.federation.outbox import federate_collection, federate_mod_action
from moot.federation.outbox_people import federate_community_ban
from moot.validation import check_body
from moot.views.people import Viewer

# Lemmy's MAX_BAN_TERM: a ban set to end later than this is a permanent ban.
MAX_BAN_TERM = timedelta(days=10 * 365)


def _record(conn: Connection, table: Table, viewer: Viewer, **values: Any) -> None:
    conn.execute(insert(table).values(mod_person_id=viewer.person_id, when_=utcnow(), **values))


def _mod_of_post(conn: Connection, viewer: Viewer, post_id: int) -> dict[str, Any]:
    post = load_post(conn, post_id)
    check_community_mod_action(conn, viewer, load_community(conn, post["community_id"]))
    return post


def _reason(reason: str | None) -> str | None:
    return check_body(reason) if reason else None


def set_post_removed(conn: Connection, post: dict[str, Any], removed: bool) -> None:
    """Remove or restore a post; it stops or starts counting unless its creator deleted it."""
    if post["removed"] == removed:
        return
    conn.execute(update(t.post).where(t.post.c.id == post["id"]).values(removed=removed))
    if not post["deleted"]:
        count_post(conn, post, -1 if removed else 1)


def set_comment_removed(conn: Connection, comment: Any, removed: bool) -> None:
    if comment.removed == removed:
        return
    conn.execute(update(t.comment).where(t.comment.c.id == comment.id).values(removed=removed))
    if not comment.deleted:
        post = conn.execute(select(t.post).where(t.post.c.id == comment.post_id)).one()
        count_comment(conn, post, comment.creator_id, comment.published, -1 if removed else 1)


# Posts --------------------------------------------------------------------------------------


def do_remove_post(ctx: Context, viewer: Viewer, post_id: int, removed: bool,
                   reason: str | None, *, federated: bool = False) -> None:
    """``federated``: received from the community's side, where the mod ranking was checked."""
    reason = _reason(reason)
    with ctx.db.write() as conn:
        post = _mod_of_post(conn, viewer, post_id)
        if not federated:
            check_higher_mod_or_admin(conn, post["community_id"], viewer.person_id,
                                      post["creator_id"])
        set_post_removed(conn, post, removed)
        resolve_all_for(conn, viewer, t.post_report, "post_id", post_id)
        _record(conn, t.mod_remove_post, viewer, post_id=post_id, reason=reason, removed=removed)
        federate_mod_action(ctx, conn, viewer.person_id, post["community_id"], post["ap_id"],
                            "Delete", removed, reason or "")


def do_lock_post(ctx: Context, viewer: Viewer, post_id: int, locked: bool) -> None:
    with ctx.db.write() as conn:
        post = _mod_of_post(conn, viewer, post_id)
        conn.execute(update(t.post).where(t.post.c.id == post_id).values(locked=locked))
        _record(conn, t.mod_lock_post, viewer, post_id=post_id, locked=locked)
        federate_mod_action(ctx, conn, viewer.person_id, post["community_id"], post["ap_id"],
                            "Lock", locked)


def do_feature_post(ctx: Context, viewer: Viewer, post_id: int, featured: bool,
                    feature_type: str) -> None:
    with ctx.db.write() as conn:
        post = _mod_of_post(conn, viewer, post_id)
        in_community = feature_type == "Community"
        if not in_community and not viewer.admin:
            raise MootError("not_an_admin")  # the front page belongs to the admins
        column = "featured_community" if in_community else "featured_local"
        conn.execute(update(t.post).where(t.post.c.id == post_id).values({column: featured}))
        _record(conn, t.mod_feature_post, viewer, post_id=post_id, featured=featured,
                is_featured_community=in_community)
        if in_community:  # the front page is this instance's own business
            federate_collection(ctx, conn, viewer.person_id, post["community_id"],
                                post["ap_id"], "featured", featured)


# Comments -----------------------------------------------------------------------------------


def do_remove_comment(ctx: Context, viewer: Viewer, comment_id: int, removed: bool,
                      reason: str | None, *, federated: bool = False) -> None:
    reason = _reason(reason)
    with ctx.db.write() as conn:
        comment = load_comment(conn, comment_id)
        check_community_mod_action(conn, viewer, load_community(conn, comment.community_id))
        if not federated:
            check_higher_mod_or_admin(conn, comment.community_id, viewer.person_id,
                                      comment.creator_id)
        if comment.deleted:
            # Lemmy 0.19's rule: the removal would put the text its author withdrew into the
            # modlog and the moderators' views again.
            raise MootError("couldnt_update_comment")
        set_comment_removed(conn, comment, removed)
        resolve_all_for(conn, viewer, t.comment_report, "comment_id", comment_id)
        _record(conn, t.mod_remove_comment, viewer, comment_id=comment_id, reason=reason,
                removed=removed)
        federate_mod_action(ctx, conn, viewer.person_id, comment.community_id, comment.ap_id,
                            "Delete", removed, reason or "")


def do_distinguish_comment(ctx: Context, viewer: Viewer, comment_id: int,
                           distinguished: bool) -> None:
    """Lemmy's rule: a moderator (or admin) may distinguish only their own comment."""
    with ctx.db.write() as conn:
        comment = load_comment(conn, comment_id)
        community = load_community(conn, comment.community_id)
        check_community_user_action(conn, viewer, community)
        if comment.creator_id != viewer.person_id:
            raise MootError("no_comment_edit_allowed")
        check_community_mod_action(conn, viewer, community)
        conn.execute(update(t.comment).where(t.comment.c.id == comment_id)
                     .values(distinguished=distinguished))


# People -------------------------------------------------------------------------------------


def check_expires(expires: int | None) -> datetime | None:
    """A ban's end from unix seconds: None is permanent, and so is one beyond ten years."""
    if expires is None:
        return None
    try:
        when = datetime.fromtimestamp(expires, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise MootError("invalid_unix_time") from exc
    now = utcnow()
    if when < now:
        raise MootError("ban_expiration_in_past")
    return None if when > now + MAX_BAN_TERM else when


def _person(conn: Connection, person_id: int) -> Any:
    row = conn.execute(select(t.person.c.id, t.person.c.local, t.person.c.actor_id)
                       .where(t.person.c.id == person_id)).first()
    if row is None:
        raise MootError("couldnt_find_person", status=404)
    return row


def remove_user_data_in_community(conn: Connection, community_id: int, person_id: int) -> None:
    """Remove everything a person wrote in a community: comments first, so that each post's
    comment count is current when the post itself stops counting."""
    comments = conn.execute(
        select(t.comment).join(t.post, t.post.c.id == t.comment.c.post_id)
        .where(t.post.c.community_id == community_id, t.comment.c.creator_id == person_id,
               ~t.comment.c.removed)).all()
    for comment in comments:
        set_comment_removed(conn, comment, True)
    posts = conn.execute(select(t.post).where(
        t.post.c.community_id == community_id, t.post.c.creator_id == person_id,
        ~t.post.c.removed)).mappings().all()
    for post in posts:
        set_post_removed(conn, dict(post), True)


def do_ban_from_community(ctx: Context, viewer: Viewer, community_id: int, person_id: int,
                          ban: bool, remove_data: bool, reason: str | None,
                          expires: int | None, *, federated: bool = False) -> None:
    """``federated``: received from a moderator elsewhere, whose rank was checked there."""
    ends = check_expires(expires)
    reason = _reason(reason)
    bans = t.community_person_ban
    with ctx.db.write() as conn:
        community = load_community(conn, community_id, lock=True)
        check_community_mod_action(conn, viewer, community)
        if not federated:
            check_higher_mod_or_admin(conn, community_id, viewer.person_id, person_id)
        person = _person(conn, person_id)
        conn.execute(delete(bans).where(bans.c.community_id == community_id,
                                        bans.c.person_id == person_id))
        if ban:
            conn.execute(insert(bans).values(community_id=community_id, person_id=person_id,
                                             published=utcnow(), expires=ends))
            remove_follower(conn, community, person_id, bool(person.local))
        if remove_data:
            remove_user_data_in_community(conn, community_id, person_id)
        _record(conn, t.mod_ban_from_community, viewer, other_person_id=person_id,
                community_id=community_id, reason=reason, banned=ban, expires=ends)
        federate_community_ban(ctx, conn, viewer.person_id, community_id, person_id, ban,
                               remove_data, reason, ends)


def do_add_mod(ctx: Context, viewer: Viewer, community_id: int, person_id: int,
               added: bool, *, federated: bool = False) -> None:
    """``federated``: received from the community's side, where the ranking was checked."""
    mods = t.community_moderator
    with ctx.db.write() as conn:
        community = load_community(conn, community_id)
        check_community_mod_action(conn, viewer, community)
        if not added and not federated:  # as in Lemmy, only taking one away needs the rank
            check_higher_mod_or_admin(conn, community_id, viewer.person_id, person_id)
        person = _person(conn, person_id)
        if added:
            insert_ignore(conn, mods, [{"community_id": community_id, "person_id": person_id,
                                        "published": utcnow()}])
        else:
            conn.execute(delete(mods).where(mods.c.community_id == community_id,
                                            mods.c.person_id == person_id))
        _record(conn, t.mod_add_community, viewer, other_person_id=person_id,
                community_id=community_id, removed=not added)
        federate_collection(ctx, conn, viewer.person_id, community_id, person.actor_id,
                            "moderators", added)
