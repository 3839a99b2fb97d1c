"""Post votes of one batch applied set-wise (actions/vote_posts.py, decision 0040): the same
checks, effects, log rows and answers as the votes applied one by one in arrival order."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import func, insert, select

from moot.actions.communities import add_follower, load_community
from moot.actions.vote_batch import Vote, VoteWriter
from moot.db import tables as t
from moot.db.types import utcnow
from moot.security import read_token
from tests.api.test_vote_door import POST_LIKE, _while_held
from tests.helpers import ApiClient, Person

Call = tuple[int, int, Person]  # post id, score, voter


def _ctx(api: ApiClient) -> Any:
    return api.client.app.state.ctx  # type: ignore[attr-defined]


def _batch(api: ApiClient, calls: list[Call], kind: str = "post"
           ) -> list[tuple[int, dict[str, Any]]]:
    """The calls as one batch of the writer (no HTTP): their (status, answer), in order."""
    ctx = _ctx(api)
    writer = VoteWriter(ctx)
    writer.stop()  # the batch runs here, not on the writer's thread
    writer.thread.join()
    loop = asyncio.new_event_loop()
    try:
        votes = [Vote(kind, post_id, score, read_token(person.token, ctx.site().jwt_secret)
                      or 0, person.token, loop.create_future())
                 for post_id, score, person in calls]
        writer.write_and_answer(votes)
    finally:
        loop.close()
    return [vote.answer for vote in votes]


def _ban(api: ApiClient, moderator: Any, community_id: int, person: Any) -> None:
    api.post("/community/ban_user", {"community_id": community_id,
                                     "person_id": person.person_id, "ban": True},
             token=moderator.token)


def _log_after(api: ApiClient, last_id: int) -> list[dict[str, Any]]:
    """The inner activities of the log rows appended after ``last_id``, in order."""
    with _ctx(api).db.read() as conn:
        rows = conn.execute(select(t.ap_outbox.c.data).where(t.ap_outbox.c.id > last_id)
                            .order_by(t.ap_outbox.c.id)).scalars().all()
    return [json.loads(row)["object"] for row in rows]


def _last_log_id(api: ApiClient) -> int:
    with _ctx(api).db.read() as conn:
        return int(conn.execute(select(func.coalesce(func.max(t.ap_outbox.c.id), 0))).scalar())


def _scores(api: ApiClient, post_id: int, creator: Person) -> tuple[int, int, int]:
    """(upvotes, downvotes) of the post and its creator's post score."""
    with _ctx(api).db.read() as conn:
        post = conn.execute(select(t.post.c.upvotes, t.post.c.downvotes)
                            .where(t.post.c.id == post_id)).one()
        score = conn.execute(select(t.person.c.post_score)
                             .where(t.person.c.id == creator.person_id)).scalar_one()
    return post.upvotes, post.downvotes, score


def _remote_follower(api: ApiClient, community_id: int, name: str = "far") -> None:
    """A person of another instance follows the community (as an accepted Follow would)."""
    with _ctx(api).db.write() as conn:
        now = utcnow()
        instance_id = conn.execute(insert(t.instance).values(
            domain=f"{name}.example", published=now).returning(t.instance.c.id)).scalar_one()
        person_id = conn.execute(insert(t.person).values(
            name=name, actor_id=f"https://{name}.example/u/{name}", public_key="k", local=False,
            last_refreshed_at=now, inbox_url=f"https://{name}.example/inbox",
            instance_id=instance_id, published=now).returning(t.person.c.id)).scalar_one()
        add_follower(conn, load_community(conn, community_id), person_id, person_local=False,
                     pending=False)


def _setup(api: ApiClient, posts: int = 2, federated: bool = True
           ) -> tuple[Person, list[dict[str, Any]]]:
    owner = api.make_person()
    community = api.make_community(owner.token)["community"]
    if federated:  # votes are logged only where another instance follows
        _remote_follower(api, community["id"])
    return owner, [api.make_post(owner.token, community["id"])["post"] for _ in range(posts)]


def test_votes_are_logged_only_where_another_instance_follows(api: ApiClient) -> None:
    owner, (post,) = _setup(api, posts=1, federated=False)
    voter = api.make_person()
    start = _last_log_id(api)
    assert [status for status, _ in _batch(api, [(post["id"], 1, voter)])] == [200]
    assert _last_log_id(api) == start  # nobody elsewhere to announce it to
    assert _scores(api, post["id"], owner)[:2] == (2, 0)
    _remote_follower(api, post["community_id"])
    assert [status for status, _ in _batch(api, [(post["id"], -1, voter)])] == [200]
    assert [(a["type"], a["object"]) for a in _log_after(api, start)] == [
        ("Dislike", post["ap_id"])]


def test_the_later_of_two_votes_by_one_person_wins(api: ApiClient) -> None:
    owner, (post, other) = _setup(api)
    voter, second = api.make_person(), api.make_person()
    start = _last_log_id(api)
    answers = _batch(api, [(post["id"], 1, voter), (other["id"], -1, second),
                           (post["id"], -1, voter), (other["id"], 0, second),
                           (post["id"], -1, second)])
    assert [status for status, _ in answers] == [200] * 5
    # Answers are read after the batch: both of the voter's show its final vote.
    assert [a["post_view"].get("my_vote") for _, a in answers] == [-1, None, -1, None, -1]
    assert answers[0][1] == answers[2][1]
    assert answers[0][1]["post_view"]["counts"]["score"] == -1  # 1 (creator) - 2
    # Tallies as if applied in turn: post 1 + 0 up, 2 down; other back to its creator's vote.
    # The creator's score: two posts with their own upvotes, then two downvotes stay.
    assert _scores(api, post["id"], owner) == (1, 2, 0)
    assert _scores(api, other["id"], owner)[:2] == (1, 0)
    # Every change is announced, in arrival order: Like, Dislike, Dislike(voter), Undo, ...
    log = _log_after(api, start)
    assert [(a["type"], a["object"] if a["type"] != "Undo" else a["object"]["type"])
            for a in log] == [
        ("Like", post["ap_id"]), ("Dislike", other["ap_id"]), ("Dislike", post["ap_id"]),
        ("Undo", "Dislike"), ("Dislike", post["ap_id"])]
    with _ctx(api).db.read() as conn:
        votes = conn.execute(select(t.post_like.c.post_id, t.post_like.c.person_id,
                                    t.post_like.c.score)
                             .where(t.post_like.c.post_id.in_([post["id"], other["id"]]))
                             .order_by(t.post_like.c.post_id, t.post_like.c.person_id)).all()
    assert [tuple(v) for v in votes] == sorted([
        (post["id"], owner.person_id, 1), (post["id"], voter.person_id, -1),
        (post["id"], second.person_id, -1), (other["id"], owner.person_id, 1)])


def test_a_vote_then_its_undo_leave_nothing_but_the_log(api: ApiClient) -> None:
    owner, (post, _other) = _setup(api)
    voter = api.make_person()
    start = _last_log_id(api)
    answers = _batch(api, [(post["id"], 1, voter), (post["id"], 0, voter)])
    assert all(a["post_view"]["counts"]["score"] == 1 and "my_vote" not in a["post_view"]
               and a["post_view"]["read"] for _, a in answers)
    assert _scores(api, post["id"], owner) == (1, 0, 2)  # the creator's two posts
    log = _log_after(api, start)
    assert [a["type"] for a in log] == ["Like", "Undo"]
    assert log[1]["object"]["type"] == "Like" and log[1]["object"]["object"] == post["ap_id"]
    # A vote equal to the one already there changes nothing and announces nothing.
    start = _last_log_id(api)
    _batch(api, [(post["id"], 0, voter), (post["id"], 0, owner), (post["id"], 1, owner)])
    assert _scores(api, post["id"], owner) == (1, 0, 2)
    assert [a["type"] for a in _log_after(api, start)] == ["Undo", "Like"]


def test_refused_votes_write_nothing_and_spare_their_neighbours(api: ApiClient,
                                                               admin: str) -> None:
    owner, (post, deleted) = _setup(api)
    removed = api.make_post(owner.token, post["community_id"])["post"]
    api.post("/post/delete", {"post_id": deleted["id"], "deleted": True}, token=owner.token)
    api.post("/post/remove", {"post_id": removed["id"], "removed": True}, token=admin)
    banned, voter, bot = api.make_person(), api.make_person(), api.make_person()
    api.put("/user/save_user_settings", {"bot_account": True}, token=bot.token)
    _ban(api, owner, post["community_id"], banned)
    start = _last_log_id(api)
    answers = _batch(api, [
        (post["id"], 1, voter), (deleted["id"], 1, voter), (removed["id"], -1, voter),
        (post["id"], 1, banned), (999_999, 1, voter), (post["id"], 1, bot),
        (post["id"], 3, voter), (post["id"], -1, voter)])
    assert [(status, a.get("error")) for status, a in answers] == [
        (200, None), (400, "deleted"), (400, "deleted"), (400, "banned_from_community"),
        (404, "couldnt_find_post"), (400, "invalid_bot_action"), (400, "invalid_vote_value"),
        (200, None)]
    assert _scores(api, post["id"], owner)[:2] == (1, 1)
    assert _scores(api, deleted["id"], owner)[:2] == (1, 0)
    assert [a["type"] for a in _log_after(api, start)] == ["Like", "Dislike"]
    with _ctx(api).db.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.post_read).where(
            t.post_read.c.person_id == banned.person_id)).scalar() == 0


def test_a_logout_counts_from_the_next_batch(api: ApiClient) -> None:
    _owner, (post, other) = _setup(api)
    voter = api.make_person()
    assert _batch(api, [(post["id"], 1, voter)])[0][0] == 200
    api.post("/user/logout", {}, token=voter.token)
    assert _batch(api, [(other["id"], 1, voter)])[0] == (401, {"error": "incorrect_login"})


def test_a_batch_answers_as_votes_sent_one_by_one(api: ApiClient) -> None:
    owner, posts = _setup(api, 3)
    voters = [api.make_person() for _ in range(3)]
    api.put("/post/save", {"post_id": posts[1]["id"], "save": True}, token=voters[1].token)
    api.post("/community/follow", {"community_id": posts[0]["community_id"], "follow": True},
             token=voters[2].token)
    api.post("/user/block", {"person_id": owner.person_id, "block": True},
             token=voters[0].token)
    calls = [(posts[2]["id"], 1, voters[0]), (posts[0]["id"], 1, voters[0]),
             (posts[1]["id"], -1, voters[1]), (posts[2]["id"], 1, voters[2])]
    alone = [_batch(api, [call])[0] for call in calls]
    # Voting the same again changes nothing; the answers must be the same, read for all at
    # once (the first one's counts now include the last vote, on the same post).
    together = _batch(api, calls)
    assert together[1:] == alone[1:]
    assert together[0][1]["post_view"]["counts"] == alone[3][1]["post_view"]["counts"]
    assert together[0][1]["post_view"]["my_vote"] == alone[0][1]["post_view"]["my_vote"] == 1
    assert together[0][1]["post_view"]["creator_blocked"] is True
    assert together[2][1]["post_view"]["saved"] is True
    assert together[3][1]["post_view"]["subscribed"] == "Subscribed"
    assert together[3][1]["post_view"]["creator_blocked"] is False
    for (post_id, _score, person), (_status, answer) in zip(calls, together, strict=True):
        assert answer == {"post_view": api.get("/post", id=post_id,
                                               token=person.token)["post_view"]}


def test_votes_held_for_one_batch_over_http(api: ApiClient) -> None:
    owner, (post, _other) = _setup(api)
    voter, second = api.make_person(), api.make_person()
    results = _while_held(api, post["id"], [
        (POST_LIKE, {"post_id": post["id"], "score": 1}, owner.token),  # held first
        (POST_LIKE, {"post_id": post["id"], "score": 1}, voter.token),
        (POST_LIKE, {"post_id": post["id"], "score": 0}, voter.token),
        (POST_LIKE, {"post_id": post["id"], "score": -1}, second.token),
        (POST_LIKE, {"post_id": post["id"], "score": -1}, voter.token)])
    assert [status for status, _ in results] == [200] * 5
    assert [answer["post_view"]["counts"]["score"] for _, answer in results[1:]] == [-1] * 4
    assert [answer["post_view"].get("my_vote") for _, answer in results[1:]] == [-1, -1, -1, -1]
    assert _scores(api, post["id"], owner)[:2] == (1, 2)


def test_comment_votes_of_one_batch_as_applied_in_turn(api: ApiClient, admin: str) -> None:
    owner, (post, _other) = _setup(api)
    comment = api.make_comment(owner.token, post["id"])["comment"]
    gone = api.make_comment(owner.token, post["id"])["comment"]
    api.post("/comment/delete", {"comment_id": gone["id"], "deleted": True}, token=owner.token)
    voter, second, banned = api.make_person(), api.make_person(), api.make_person()
    _ban(api, owner, post["community_id"], banned)
    start = _last_log_id(api)
    answers = _batch(api, [
        (comment["id"], 1, voter), (gone["id"], 1, voter), (comment["id"], -1, second),
        (comment["id"], 1, banned), (999_999, 1, voter), (comment["id"], -1, voter),
        (comment["id"], 0, second)], kind="comment")
    assert [(status, a.get("error")) for status, a in answers] == [
        (200, None), (400, "deleted"), (200, None), (400, "banned_from_community"),
        (404, "couldnt_find_comment"), (200, None), (200, None)]
    # Read after the batch: the creator's +1 and the voter's -1; the second voter's undone.
    view = answers[0][1]["comment_view"]
    assert (view["counts"]["upvotes"], view["counts"]["downvotes"]) == (1, 1)
    assert view["my_vote"] == -1 and answers[6][1]["comment_view"]["my_vote"] == 0
    assert answers[0][1] == answers[5][1] and answers[0][1]["recipient_ids"] == []
    for (target, _score, person), (status, answer) in zip(
            [(comment["id"], 1, voter), (comment["id"], 0, second)],
            [answers[0], answers[6]], strict=True):
        assert status == 200
        assert answer["comment_view"] == api.get("/comment", id=target,
                                                 token=person.token)["comment_view"]
    assert [(a["type"], a["object"]["type"] if a["type"] == "Undo" else None)
            for a in _log_after(api, start)] == [
        ("Like", None), ("Dislike", None), ("Dislike", None), ("Undo", "Dislike")]
    with _ctx(api).db.read() as conn:
        score = conn.execute(select(t.person.c.comment_score)
                             .where(t.person.c.id == owner.person_id)).scalar_one()
        votes = conn.execute(select(func.count()).select_from(t.comment_like)
                             .where(t.comment_like.c.comment_id == comment["id"])).scalar()
    assert score == 2 - 1 and votes == 2  # two comments' own upvotes, one downvote
