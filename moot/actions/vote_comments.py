"""A batch's votes on comments, applied set-wise as its post votes are (vote_posts.py,
decision 0040): the logins, the comments with their communities' state, the bans and the
earlier votes read once for the batch; the checks in arrival order; one executemany per
write, the tallies summed per comment and per creator; then each vote's answer, read after
the batch's writes (one comment view and its recipients per vote: the comment view has no
bulk form yet).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select

from moot.actions.counts import apply_comment_votes
from moot.actions.inbox import reply_recipients
from moot.actions.vote_posts import Accepted, checked_logins, checked_targets, effects
from moot.context import Context
from moot.db import tables as t
from moot.db.prepared import run, run_many
from moot.errors import MootError
from moot.federation.outbox import append_rows
from moot.views.comments import get_comment_view

_COMMENTS = (
    select(t.comment, t.post.c.community_id,
           t.community.c.deleted.label("community_deleted"),
           t.community.c.removed.label("community_removed"))
    .join(t.post, t.post.c.id == t.comment.c.post_id)
    .join(t.community, t.community.c.id == t.post.c.community_id)
    .where(t.comment.c.id.in_(bindparam("ids", expanding=True))).order_by(t.comment.c.id))
# PostgreSQL: the batch's comments locked in id order, so that their tallies can be written
# from the rows read (one vote at a time added in the database instead).
_COMMENTS_LOCKED = _COMMENTS.with_for_update(of=t.comment)
_UNVOTE = delete(t.comment_like).where(t.comment_like.c.comment_id == bindparam("comment_id"),
                                       t.comment_like.c.person_id == bindparam("person_id"))
_VOTE = insert(t.comment_like)


def apply_comment_votes_batch(ctx: Context, conn: Connection, votes: list[Any]) -> Accepted:
    """Apply ``votes`` (vote_batch.Vote, kind "comment") in arrival order. A refused vote gets
    its refusal as ``answer``; the accepted ones are returned, for ``answer_comment_votes``
    once the batch is committed. A MootError refuses one vote; any other error is the
    caller's (rollback)."""
    allowed = checked_logins(ctx, conn, votes)
    if not allowed:
        return []
    statement = _COMMENTS_LOCKED if conn.dialect.name == "postgresql" else _COMMENTS
    comments = {row["id"]: dict(row) for row in run(conn, statement, {"ids": sorted(
        {vote.target for vote, _ in allowed})}).mappings().all()}
    accepted = checked_targets(conn, allowed, comments, "couldnt_find_comment")
    if not accepted:
        return []
    done = effects(ctx, conn, accepted, t.comment_like, "comment_id")
    run_many(conn, _UNVOTE, [{"comment_id": k[0], "person_id": k[1]} for k in done.last])
    run_many(conn, _VOTE, [
        {"comment_id": k[0], "person_id": k[1], "post_id": comment["post_id"], "score": score,
         "published": published}
        for k, (comment, score, published) in done.last.items() if score])
    apply_comment_votes(conn, [(row, up, down) for row, up, down in done.changes.values()])
    append_rows(conn, done.log)
    return accepted


def answer_comment_votes(conn: Connection, accepted: Accepted) -> None:
    """Set each accepted vote's ``answer``: its CommentResponse, as a read now shows it."""
    for vote, viewer, comment in accepted:
        try:
            vote.answer = (200, {"comment_view": get_comment_view(conn, comment["id"], viewer),
                                 "recipient_ids": reply_recipients(conn, comment["id"])})
        except MootError as exc:
            vote.answer = (exc.status, exc.body())
