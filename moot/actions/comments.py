"""Comments: create (a materialised path), edit, delete, vote and save, with counts kept on write.

Counts follow Lemmy's triggers: a comment that is neither deleted nor removed counts towards
post.comments, community.comments (while the post itself counts) and its creator's
comment_count; child_count of every ancestor counts rows, so a soft delete leaves it alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from moot.actions.communities import community_for_user_action, is_moderator
from moot.actions.content_filters import (
    check_body_links,
    check_language_allowed,
    remove_slurs,
)
from moot.actions.counts import apply_comment_vote, count_comment
from moot.actions.inbox import mark_reply_read_for, notify_reply, reply_recipients
from moot.actions.mentions import notify_mentions
from moot.actions.remote import RemoteObject
from moot.actions.votes import check_vote
from moot.context import Context
from moot.db import tables as t
from moot.db.languages import LANGUAGES
from moot.db.types import utcnow
from moot.errors import MootError
from moot.federation.outbox import federate_comment, federate_vote
from moot.validation import check_body
from moot.views.people import Viewer

# Lemmy's MAX_COMMENT_DEPTH_LIMIT: a comment may sit at most this many levels deep.
MAX_DEPTH = 50
_LANGUAGE_IDS = frozenset(row[0] for row in LANGUAGES)


@dataclass(frozen=True)
class CommentForm:
    content: str
    post_id: int
    parent_id: int | None = None
    language_id: int | None = None


def check_comment_content(content: str) -> str:
    # Lemmy 0.19 only limits the length; an empty comment is refused here too, under the name
    # a client already shows for a bad body.
    if not content.strip():
        raise MootError("invalid_body_field")
    check_body(content)
    return content


def check_language(language_id: int | None) -> int:
    if language_id is None:
        return 0
    if language_id not in _LANGUAGE_IDS:
        raise MootError("language_not_allowed")
    return language_id


def load_post(conn: Connection, post_id: int) -> Any:
    row = conn.execute(select(t.post).where(t.post.c.id == post_id)).first()
    if row is None:
        raise MootError("couldnt_find_post", status=404)
    return row


def load_comment(conn: Connection, comment_id: int) -> Any:
    """The comment joined with its post's community id; couldnt_find_comment if none."""
    row = conn.execute(
        select(t.comment, t.post.c.community_id)
        .join(t.post, t.post.c.id == t.comment.c.post_id)
        .where(t.comment.c.id == comment_id)).first()
    if row is None:
        raise MootError("couldnt_find_comment", status=404)
    return row


def check_create_comment(ctx: Context, conn: Connection, viewer: Viewer,
                         form: CommentForm) -> tuple[Any, Any | None]:
    """The post and the parent (or None) of a new comment, after Lemmy's checks in its order."""
    # A slur in a comment is masked when it is written (do_create_comment), not refused.
    check_comment_content(form.content)
    check_body_links(conn, form.content)
    post = load_post(conn, form.post_id)
    community_for_user_action(conn, viewer, post.community_id)
    if post.deleted or post.removed:
        raise MootError("deleted")
    if post.locked and not (viewer.admin or is_moderator(conn, post.community_id,
                                                         viewer.person_id)):
        raise MootError("locked")
    parent = None
    if form.parent_id is not None:
        parent = conn.execute(select(t.comment).where(t.comment.c.id == form.parent_id)).first()
        if parent is None:
            raise MootError("couldnt_find_comment", status=404)
        if parent.post_id != post.id:
            raise MootError("couldnt_create_comment")
        if parent.depth >= MAX_DEPTH:
            raise MootError("max_comment_depth_reached")
    check_language(form.language_id)
    check_language_allowed(ctx, conn, form.language_id)
    return post, parent


def do_create_comment(ctx: Context, viewer: Viewer, form: CommentForm,
                      remote: RemoteObject | None = None) -> tuple[int, list[int]]:
    """Writes the comment, its creator's upvote and every count; returns (id, notified users)."""
    with ctx.db.write() as conn:
        post, parent = check_create_comment(ctx, conn, viewer, form)
        now = (remote and remote.published) or utcnow()
        comment_id = int(conn.execute(insert(t.comment).values(
            creator_id=viewer.person_id, post_id=post.id, content=remove_slurs(ctx, form.content),
            published=now, ap_id=remote.ap_id if remote else f"urn:moot:pending:{uuid.uuid4().hex}",
            local=remote is None,
            language_id=check_language(form.language_id), score=1, upvotes=1,
        ).returning(t.comment.c.id)).scalar_one())
        parent_path = parent.path if parent is not None else "0"
        path = f"{parent_path}.{comment_id}"
        conn.execute(update(t.comment).where(t.comment.c.id == comment_id).values(
            path=path, depth=path.count("."),
            ap_id=remote.ap_id if remote else ctx.url(f"/comment/{comment_id}")))
        conn.execute(insert(t.comment_like).values(
            comment_id=comment_id, person_id=viewer.person_id, post_id=post.id, score=1,
            published=now))
        conn.execute(update(t.person).where(t.person.c.id == viewer.person_id).values(
            comment_score=t.person.c.comment_score + 1))
        ancestors = [int(i) for i in parent_path.split(".")[1:]]
        if ancestors:
            conn.execute(update(t.comment).where(t.comment.c.id.in_(ancestors)).values(
                child_count=t.comment.c.child_count + 1))
        count_comment(conn, post, viewer.person_id, now, +1)
        _remember_read_comments(conn, viewer.person_id, post.id)
        if parent is not None:
            # Answering a reply settles its notification, as in Lemmy.
            mark_reply_read_for(conn, parent.id, viewer.person_id)
        recipients = notify_reply(conn, comment_id, viewer.person_id, post, parent)
        mentioned = notify_mentions(ctx, conn, comment_id, viewer.person_id, form.content)
        federate_comment(ctx, conn, comment_id, "Create")
    return comment_id, _union(recipients, mentioned)


def _union(first: list[int], second: list[int]) -> list[int]:
    return first + [i for i in second if i not in first]



def _remember_read_comments(conn: Connection, person_id: int, post_id: int) -> None:
    """Your own comment never shows up as unread (person_post_aggregates.read_comments)."""
    comments = conn.execute(select(t.post.c.comments).where(t.post.c.id == post_id)).scalar_one()
    ppa = t.person_post_aggregates
    done = conn.execute(update(ppa).where(ppa.c.person_id == person_id, ppa.c.post_id == post_id)
                        .values(read_comments=comments)).rowcount
    if not done:
        conn.execute(insert(ppa).values(person_id=person_id, post_id=post_id,
                                        read_comments=comments, published=utcnow()))


def do_edit_comment(ctx: Context, viewer: Viewer, comment_id: int, content: str | None,
                    language_id: int | None,
                    remote: RemoteObject | None = None) -> tuple[int, list[int]]:
    with ctx.db.write() as conn:
        comment = load_comment(conn, comment_id)
        community_for_user_action(conn, viewer, comment.community_id)
        if comment.creator_id != viewer.person_id:
            raise MootError("no_comment_edit_allowed")
        values: dict[str, Any] = {"updated": (remote and remote.updated) or utcnow()}
        if language_id is not None:
            values["language_id"] = check_language(language_id)
            check_language_allowed(ctx, conn, language_id)
        if content is not None:
            content = remove_slurs(ctx, content) or ""
            check_body_links(conn, content)
            values["content"] = check_comment_content(content)
        conn.execute(update(t.comment).where(t.comment.c.id == comment_id).values(**values))
        recipients = reply_recipients(conn, comment_id)
        if content is not None:
            recipients = _union(recipients, notify_mentions(ctx, conn, comment_id,
                                                            viewer.person_id, content))
        federate_comment(ctx, conn, comment_id, "Update")
    return comment_id, recipients


def do_delete_comment(ctx: Context, viewer: Viewer, comment_id: int,
                      deleted: bool) -> tuple[int, list[int]]:
    with ctx.db.write() as conn:
        comment = load_comment(conn, comment_id)
        if comment.deleted == deleted:
            raise MootError("couldnt_update_comment")
        community_for_user_action(conn, viewer, comment.community_id)
        if comment.creator_id != viewer.person_id:
            raise MootError("no_comment_edit_allowed")
        conn.execute(update(t.comment).where(t.comment.c.id == comment_id)
                     .values(deleted=deleted))
        if not comment.removed:
            post = load_post(conn, comment.post_id)
            count_comment(conn, post, comment.creator_id, comment.published,
                          -1 if deleted else +1)
        recipients = reply_recipients(conn, comment_id)
        federate_comment(ctx, conn, comment_id, "Delete" if deleted else "Restore")
    return comment_id, recipients


def do_like_comment(ctx: Context, viewer: Viewer, comment_id: int, score: int) -> list[int]:
    """Replaces the viewer's vote; returns the notified users of the comment, as Lemmy does."""
    check_vote(ctx, viewer, score)
    with ctx.db.write() as conn:
        comment = check_like_comment(conn, viewer, comment_id)
        apply_like_comment(ctx, conn, viewer, comment, score)
        return reply_recipients(conn, comment_id)


def check_like_comment(conn: Connection, viewer: Viewer, comment_id: int) -> Any:
    """The comment, if the viewer may vote on it (after check_vote); writes nothing."""
    comment = load_comment(conn, comment_id)
    community_for_user_action(conn, viewer, comment.community_id)
    if comment.deleted or comment.removed:
        # Lemmy 0.19 lets this through; a vote nobody can see is better refused (as posts do).
        raise MootError("deleted")
    return comment


def apply_like_comment(ctx: Context, conn: Connection, viewer: Viewer, comment: Any,
                       score: int) -> None:
    like = t.comment_like
    mine = (like.c.comment_id == comment.id, like.c.person_id == viewer.person_id)
    old = conn.execute(delete(like).where(*mine).returning(like.c.score)).scalar() or 0
    if score:
        conn.execute(insert(like).values(comment_id=comment.id, person_id=viewer.person_id,
                                         post_id=comment.post_id, score=score,
                                         published=utcnow()))
    if old != score:
        apply_comment_vote(conn, comment.id, comment.creator_id, old, score)
    federate_vote(ctx, conn, viewer.person, comment.ap_id, comment.community_id, old, score)


def do_save_comment(ctx: Context, viewer: Viewer, comment_id: int, save: bool) -> None:
    with ctx.db.write() as conn:
        load_comment(conn, comment_id)
        saved = t.comment_saved
        mine = (saved.c.comment_id == comment_id, saved.c.person_id == viewer.person_id)
        exists = conn.execute(select(saved.c.comment_id).where(*mine)).first() is not None
        if save and not exists:
            conn.execute(insert(saved).values(comment_id=comment_id,
                                              person_id=viewer.person_id, published=utcnow()))
        elif not save and exists:
            conn.execute(delete(saved).where(*mine))
