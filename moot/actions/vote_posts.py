"""A batch's votes on posts, applied set-wise (decision 0040).

The group-commit writer (actions/vote_batch.py) used to apply its votes one by one, each with
its own ~15 statements. Here a batch's post votes take a fixed number of statements whatever
their number: the logins of its tokens, its posts with their communities' state, the voters'
bans in those communities and their votes already there are each read in one query; then the
checks run vote by vote in arrival order in Python, and the effects are worked out as the
votes applied one by one would leave them and written with one executemany per statement:
the votes (delete, then insert the last value of each person and post), the tallies (one
UPDATE per post, one per creator, with the summed changes), post_read and the outgoing log.

What stays as it was (the tests in tests/api/test_vote_batch.py):
- checks and their order: login, account, vote value, then the post (404), its community,
  the ban, the post's own state; a refused vote writes nothing and its neighbours go on;
- two votes of one person on one post in a batch: the later wins, and the tallies, the
  creator's score and the Like/Dislike/Undo activities are those of the two in turn;
- the answers are read after the batch's writes, in the same transaction: what a read after
  the commit shows (so two votes on one post both see the batch's final counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, select

from moot.actions.communities import check_user_valid
from moot.actions.counts import apply_post_votes
from moot.actions.posts import VOTE_INSERT, insert_ignoring
from moot.actions.votes import check_vote
from moot.context import Context
from moot.db import tables as t
from moot.db.pairs import pairs_cte, pairs_params, size_for
from moot.db.prepared import run, run_many
from moot.db.types import utcnow
from moot.errors import IncorrectLogin, MootError
from moot.federation.outbox import append_rows, vote_log_row
from moot.views.people import Viewer
from moot.views.posts import views_of_pairs
from moot.views.shape import PERSON, PERSON_COUNTS, cols


def _ids(name: str) -> Any:
    return bindparam(name, expanding=True)


_VIEWERS = (
    select(t.local_user, *cols(t.person, "p_", PERSON + PERSON_COUNTS),
           t.login_token.c.token.label("login_token"))
    .join(t.login_token, t.login_token.c.user_id == t.local_user.c.id)
    .join(t.person, t.person.c.id == t.local_user.c.person_id)
    .where(t.login_token.c.token.in_(_ids("tokens"))))
_POSTS = (
    select(t.post, t.community.c.deleted.label("community_deleted"),
           t.community.c.removed.label("community_removed"))
    .join(t.community, t.community.c.id == t.post.c.community_id)
    .where(t.post.c.id.in_(_ids("ids"))).order_by(t.post.c.id))
# PostgreSQL: the batch's posts locked in id order, as load_post(lock=True) locks one.
_POSTS_LOCKED = _POSTS.with_for_update(of=t.post)
_BAN = t.community_person_ban
_COMMUNITIES = select(t.community).where(t.community.c.id.in_(_ids("ids")))
_UNVOTE = delete(t.post_like).where(t.post_like.c.post_id == bindparam("post_id"),
                                    t.post_like.c.person_id == bindparam("person_id"))

Key = tuple[int, int]  # (post id, voter's person id)


Accepted = list[tuple[Any, Viewer, dict[str, Any]]]  # (vote, its viewer, its target's row)


def apply_post_votes_batch(ctx: Context, conn: Connection, votes: list[Any]) -> Accepted:
    """Apply ``votes`` (vote_batch.Vote, kind "post") in arrival order. A refused vote gets
    its refusal as ``answer``; the accepted ones are returned, for ``answer_post_votes`` once
    the batch is committed. A MootError refuses one vote; any other error is the caller's
    (rollback)."""
    accepted = _checked(ctx, conn, votes)
    if accepted:
        _write(ctx, conn, accepted)
    return accepted


def answer_post_votes(conn: Connection, accepted: Accepted) -> None:
    """Set each accepted vote's ``answer``: its PostResponse, as a read now shows it."""
    if not accepted:
        return
    views = views_of_pairs(conn, [(post["id"], viewer.person_id)
                                  for _, viewer, post in accepted], utcnow())
    for vote, viewer, post in accepted:
        view = views.get((post["id"], viewer.person_id))
        if view is None:  # purged since the commit
            gone = MootError("couldnt_find_post")
            vote.answer = (gone.status, gone.body())
        else:
            vote.answer = (200, {"post_view": view})


def _checked(ctx: Context, conn: Connection, votes: list[Any]
             ) -> list[tuple[Any, Viewer, dict[str, Any]]]:
    """The votes that pass the route's checks, with their viewer and post; the others get
    their refusal as answer."""
    allowed = checked_logins(ctx, conn, votes)
    if not allowed:
        return []
    posts = _posts(conn, sorted({vote.target for vote, _ in allowed}))
    return checked_targets(conn, allowed, posts, "couldnt_find_post")


def checked_logins(ctx: Context, conn: Connection, votes: list[Any]) -> list[tuple[Any, Viewer]]:
    """The votes whose login, account and value pass (load_viewer, check_user_valid,
    check_vote), with their viewer; the others get their refusal as answer."""
    if not votes:
        return []  # a batch of the other kind only: no query
    viewers = _viewers(conn, votes)
    allowed: list[tuple[Any, Viewer]] = []
    for vote in votes:
        viewer = viewers.get((vote.token, vote.user_id))
        try:
            if viewer is None:
                raise IncorrectLogin()
            check_user_valid(viewer)
            check_vote(ctx, viewer, vote.score)
        except MootError as exc:
            vote.answer = (exc.status, exc.body())
            continue
        allowed.append((vote, viewer))
    return allowed


def checked_targets(conn: Connection, allowed: list[tuple[Any, Viewer]],
                    targets: dict[int, dict[str, Any]], missing: str
                    ) -> list[tuple[Any, Viewer, dict[str, Any]]]:
    """check_like_post's / check_like_comment's refusals, in their order, from the targets'
    rows (with ``community_id``, ``community_deleted``, ``community_removed``) read for the
    batch, and the voters' bans read here in one query."""
    banned = _bans(conn, {(targets[vote.target]["community_id"], viewer.person_id)
                          for vote, viewer in allowed if vote.target in targets})
    accepted = []
    for vote, viewer in allowed:
        try:
            target = _check_target(targets.get(vote.target), viewer, banned, missing)
        except MootError as exc:
            vote.answer = (exc.status, exc.body())
            continue
        accepted.append((vote, viewer, target))
    return accepted


def _check_target(target: dict[str, Any] | None, viewer: Viewer, banned: set[Key],
                  missing: str) -> dict[str, Any]:
    if target is None:
        raise MootError(missing, status=404)
    if target["community_deleted"] or target["community_removed"]:
        raise MootError("deleted")
    if (target["community_id"], viewer.person_id) in banned:
        raise MootError("banned_from_community")
    if target["deleted"] or target["removed"]:
        raise MootError("deleted")
    return target


def _viewers(conn: Connection, votes: list[Any]) -> dict[tuple[str, int], Viewer]:
    """load_viewer for every token of the batch, by (token, user id)."""
    tokens = sorted({vote.token for vote in votes})
    found: dict[tuple[str, int], Viewer] = {}
    for found_row in run(conn, _VIEWERS, {"tokens": tokens}).mappings().all():
        row = dict(found_row)
        token = row.pop("login_token")
        if not row["p_deleted"]:
            person = {n: row["p_" + n] for n in PERSON + PERSON_COUNTS}
            found[(token, row["id"])] = Viewer(row, person, token)
    return found


def _posts(conn: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    statement = _POSTS_LOCKED if conn.dialect.name == "postgresql" else _POSTS
    return {row["id"]: dict(row) for row in run(conn, statement, {"ids": ids}).mappings().all()}


def _bans(conn: Connection, pairs: set[Key]) -> set[Key]:
    """The (community, person) pairs among ``pairs`` under an active ban."""
    if not pairs:
        return set()
    size = size_for(len(pairs))
    now = utcnow()
    return {(row.community_id, row.person_id)
            for row in run(conn, _bans_of(size), pairs_params("asked", pairs, size)).all()
            if row.expires is None or row.expires > now}


def existing_votes(conn: Connection, table: Any, key: str, pairs: set[Key]) -> dict[Key, int]:
    """The votes already in ``table`` (post_like or comment_like, ``key`` its target column)
    of these (target, person) pairs."""
    size = size_for(len(pairs))
    statement = _votes_of(table, key, size)
    return {(row[0], row[1]): row[2]
            for row in run(conn, statement, pairs_params("asked", pairs, size)).all()}


@cache
def _bans_of(size: int) -> Any:
    asked = pairs_cte("asked", size)
    return select(_BAN.c.community_id, _BAN.c.person_id, _BAN.c.expires).join_from(
        asked, _BAN, and_(_BAN.c.community_id == asked.c.a, _BAN.c.person_id == asked.c.b))


@cache
def _votes_of(table: Any, key: str, size: int) -> Any:
    asked = pairs_cte("asked", size)
    return select(table.c[key], table.c.person_id, table.c.score).join_from(
        asked, table, and_(table.c[key] == asked.c.a, table.c.person_id == asked.c.b))


@dataclass
class Effects:
    """What a batch's accepted votes do, worked out as if applied one by one."""

    last: dict[Key, tuple[dict[str, Any], int, datetime]]  # the last vote of each pair
    changes: dict[int, list[Any]]  # target id -> [target row, upvotes change, downvotes change]
    log: list[dict[str, Any]]  # the outgoing log rows, in arrival order


def effects(ctx: Context, conn: Connection, accepted: list[tuple[Any, Viewer, dict[str, Any]]],
            table: Any, key: str) -> Effects:
    """Each vote sees the value the one before it left (the earlier ones read in one query);
    every change is counted and gets its Like, Dislike or Undo."""
    current = existing_votes(conn, table, key, {(target["id"], viewer.person_id)
                                                for _, viewer, target in accepted})
    communities = {row["id"]: row for row in run(conn, _COMMUNITIES, {"ids": sorted(
        {target["community_id"] for _, _, target in accepted})}).mappings().all()}
    done = Effects({}, {}, [])
    for vote, viewer, target in accepted:
        pair = (target["id"], viewer.person_id)
        old, new = current.get(pair, 0), vote.score
        current[pair] = new
        done.last[pair] = (target, new, utcnow())
        if old == new:
            continue
        change = done.changes.setdefault(target["id"], [target, 0, 0])
        change[1] += (new == 1) - (old == 1)
        change[2] += (new == -1) - (old == -1)
        if viewer.person["local"]:
            row = vote_log_row(ctx, viewer.person["actor_id"], target["ap_id"],
                               communities[target["community_id"]], old, new)
            if row is not None:
                done.log.append(row)
    return done


def _write(ctx: Context, conn: Connection, accepted: list[tuple[Any, Viewer, dict[str, Any]]]
           ) -> None:
    """The effects of the accepted votes applied in turn, written set-wise."""
    done = effects(ctx, conn, accepted, t.post_like, "post_id")
    # Deleting every touched vote and inserting the last non-zero ones leaves what a delete
    # and an insert per vote leave (the vote's time included).
    run_many(conn, _UNVOTE, [{"post_id": k[0], "person_id": k[1]} for k in done.last])
    run_many(conn, VOTE_INSERT, [
        {"post_id": k[0], "person_id": k[1], "score": score, "published": published}
        for k, (_, score, published) in done.last.items() if score])
    apply_post_votes(conn, [(post, up, down) for post, up, down in done.changes.values()])
    now = utcnow()
    run_many(conn, insert_ignoring(conn.dialect.name, t.post_read),
             [{"post_id": k[0], "person_id": k[1], "published": now} for k in done.last])
    append_rows(conn, done.log)
