"""Admin purges: a person, community, post or comment is deleted for good, with what hangs on it.

Every table refers to its owner with ON DELETE CASCADE, so deleting a row takes its votes,
saves, reads, reports, notifications and modlog rows with it. What the database cannot do is
kept here: the counts other rows keep (scores, comment and post counts, subscribers, child
counts) are taken back first, and the replies to a purged comment move up one level, so that
other people's words survive and the tree stays whole. Only the admin_purge_* row remains.
Every function expects its caller to have checked that the viewer is an admin.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, select, update

from moot.actions.activity import communities_of, recount_communities, recount_site
from moot.actions.admin import check_higher_admin
from moot.actions.communities import load_community, remove_follower
from moot.actions.counts import (
    apply_comment_vote,
    apply_post_vote,
    community_counted,
    count_comment,
    count_post,
    count_site,
)
from moot.actions.posts import load_post
from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.validation import check_body
from moot.views.comments import subtree
from moot.views.people import Viewer

REASON_MAX = 10_000  # as for any moderation reason


def _log(conn: Connection, table: Any, admin: Viewer, reason: str | None, **values: Any) -> None:
    conn.execute(insert(table).values(admin_person_id=admin.person_id, reason=reason or None,
                                      when_=utcnow(), **values))


def _reason(reason: str | None) -> str | None:
    return check_body(reason, REASON_MAX) if reason else None


def _comment(conn: Connection, comment_id: int) -> Any:
    # Held (PostgreSQL) so that a vote landing meanwhile cannot leave its score behind.
    row = conn.execute(select(t.comment).where(t.comment.c.id == comment_id)
                       .with_for_update()).first()
    if row is None:
        raise MootError("couldnt_find_comment", status=404)
    return row


def purge_comment(conn: Connection, comment_id: int) -> None:
    """Delete one comment; its replies take its place under its parent."""
    comment = _comment(conn, comment_id)
    c = t.comment.c
    if not (comment.deleted or comment.removed):
        post = conn.execute(select(t.post).where(t.post.c.id == comment.post_id)).one()
        count_comment(conn, post, comment.creator_id, comment.published, -1)
    conn.execute(update(t.person).where(t.person.c.id == comment.creator_id)
                 .values(comment_score=t.person.c.comment_score - comment.score))
    ancestors = [int(i) for i in comment.path.split(".")[1:-1]]
    if ancestors:
        conn.execute(update(t.comment).where(c.id.in_(ancestors))
                     .values(child_count=c.child_count - 1))
    # "0.4.9.12" becomes "0.4.12" when 9 goes: ".9." names it exactly once in a path.
    conn.execute(update(t.comment).where(c.post_id == comment.post_id, c.id != comment.id,
                                         subtree(comment.path))
                 .values(path=func.replace(c.path, f".{comment.id}.", "."), depth=c.depth - 1))
    conn.execute(delete(t.comment).where(c.id == comment.id))


def purge_post(conn: Connection, post_id: int) -> None:
    """Delete a post and its comments; their creators' counts and scores drop with them."""
    post = load_post(conn, post_id, lock=True)
    c = t.comment.c
    counting = case((c.deleted | c.removed, 0), else_=1)
    per_creator = conn.execute(
        select(c.creator_id, func.sum(counting).label("comments"), func.sum(c.score).label("score"))
        .where(c.post_id == post_id).group_by(c.creator_id)).all()
    for row in per_creator:
        conn.execute(update(t.person).where(t.person.c.id == row.creator_id).values(
            comment_count=t.person.c.comment_count - int(row.comments),
            comment_score=t.person.c.comment_score - int(row.score)))
    conn.execute(update(t.person).where(t.person.c.id == post["creator_id"])
                 .values(post_score=t.person.c.post_score - post["score"]))
    if not (post["deleted"] or post["removed"]):
        count_post(conn, post, -1)
    local_comments = conn.execute(select(func.sum(counting)).where(
        c.post_id == post_id, c.local.is_(True))).scalar()
    count_site(conn, comments=-int(local_comments or 0))
    conn.execute(delete(t.post).where(t.post.c.id == post_id))


def _undo_votes(conn: Connection, person_id: int) -> None:
    """Take back every vote a person cast, as if they had voted 0 everywhere."""
    for like in conn.execute(select(t.post_like).where(
            t.post_like.c.person_id == person_id)).all():
        apply_post_vote(conn, load_post(conn, like.post_id), like.score, 0)
    for like in conn.execute(select(t.comment_like.c.comment_id, t.comment_like.c.score,
                                    t.comment.c.creator_id)
                             .join(t.comment, t.comment.c.id == t.comment_like.c.comment_id)
                             .where(t.comment_like.c.person_id == person_id)).all():
        apply_comment_vote(conn, like.comment_id, like.creator_id, like.score, 0)
    conn.execute(delete(t.post_like).where(t.post_like.c.person_id == person_id))
    conn.execute(delete(t.comment_like).where(t.comment_like.c.person_id == person_id))


# Routes' actions ------------------------------------------------------------------------------


def do_purge_comment(ctx: Context, admin: Viewer, comment_id: int, reason: str | None) -> None:
    reason = _reason(reason)
    with ctx.db.write() as conn:
        comment = _comment(conn, comment_id)
        check_higher_admin(conn, admin.person_id, comment.creator_id)
        purge_comment(conn, comment_id)
        _log(conn, t.admin_purge_comment, admin, reason, post_id=comment.post_id)


def do_purge_post(ctx: Context, admin: Viewer, post_id: int, reason: str | None) -> None:
    reason = _reason(reason)
    with ctx.db.write() as conn:
        post = load_post(conn, post_id)
        check_higher_admin(conn, admin.person_id, post["creator_id"])
        purge_post(conn, post_id)
        _log(conn, t.admin_purge_post, admin, reason, community_id=post["community_id"])


def do_purge_community(ctx: Context, admin: Viewer, community_id: int,
                       reason: str | None) -> None:
    reason = _reason(reason)
    with ctx.db.write() as conn:
        community = load_community(conn, community_id, lock=True)
        mods = conn.execute(select(t.community_moderator.c.person_id).where(
            t.community_moderator.c.community_id == community_id)).scalars().all()
        for mod_id in mods:  # a lower admin may not purge a higher admin's community
            check_higher_admin(conn, admin.person_id, mod_id)
        for post_id in conn.execute(select(t.post.c.id).where(
                t.post.c.community_id == community_id)).scalars().all():
            purge_post(conn, post_id)
        conn.execute(delete(t.community).where(t.community.c.id == community_id))
        count_site(conn, communities=-community_counted(community))
        _log(conn, t.admin_purge_community, admin, reason)


def do_purge_person(ctx: Context, admin: Viewer, person_id: int, reason: str | None) -> None:
    """The person row goes too (Lemmy 0.19.9 keeps a banned, emptied row; see decision 0008)."""
    reason = _reason(reason)
    with ctx.db.write() as conn:
        person = conn.execute(select(t.person.c.id, t.person.c.local)
                              .where(t.person.c.id == person_id)).first()
        if person is None:
            raise MootError("couldnt_find_person", status=404)
        if person_id == admin.person_id:
            # Nobody ranks above themselves; and the log row below must name a living admin.
            raise MootError("not_higher_admin")
        check_higher_admin(conn, admin.person_id, person_id)
        _undo_votes(conn, person_id)
        for comment_id in conn.execute(select(t.comment.c.id).where(
                t.comment.c.creator_id == person_id)).scalars().all():
            purge_comment(conn, comment_id)
        for post_id in conn.execute(select(t.post.c.id).where(
                t.post.c.creator_id == person_id)).scalars().all():
            purge_post(conn, post_id)
        follows = conn.execute(select(t.community_follower.c.community_id).where(
            t.community_follower.c.person_id == person_id)).scalars().all()
        for community_id in follows:
            remove_follower(conn, load_community(conn, community_id), person_id,
                            bool(person.local))
        active_in = communities_of(conn, person_id)
        conn.execute(delete(t.person).where(t.person.c.id == person_id))
        # Their activity rows went with them (ON DELETE CASCADE): recount where they counted.
        recount_communities(conn, active_in)
        if person.local:
            recount_site(conn)
        count_site(conn, users=-int(person.local))
        _log(conn, t.admin_purge_person, admin, reason)
