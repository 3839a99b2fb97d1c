"""The vote door (api/vote_door.py) and its group commit (actions/vote_batch.py): the same
answers as the FastAPI routes, refusals, rate limits, and votes in one batch kept apart."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import select, text

from moot.db import tables as t
from tests.helpers import ApiClient, Person

POST_LIKE, COMMENT_LIKE = "/api/v3/post/like", "/api/v3/comment/like"
# Headers that differ between two answers to the same request whichever path answers.
_VARYING = {"server-timing", "content-length"}


def _door(api: ApiClient) -> Any:
    return api.client.app.vote_door  # type: ignore[attr-defined]


def _send(api: ApiClient, path: str, body: Any, token: str | None = None,
          **headers: str) -> tuple[int, Any, dict[str, str]]:
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = api.client.post(path, json=body, headers=headers)
    kept = {k: v for k, v in response.headers.items() if k not in _VARYING}
    return response.status_code, response.json(), kept


def _both(api: ApiClient, path: str, body: Any, token: str | None = None,
          **headers: str) -> tuple[int, Any, dict[str, str]]:
    """The door's answer, after checking that FastAPI's route answers the same."""
    app = api.client.app  # type: ignore[attr-defined]
    door = app.vote_door
    through_door = _send(api, path, body, token, **headers)
    app.vote_door = None
    try:
        through_fastapi = _send(api, path, body, token, **headers)
    finally:
        app.vote_door = door
    assert through_door == through_fastapi
    return through_door


def _setup(api: ApiClient) -> tuple[Person, Person, dict[str, Any], dict[str, Any]]:
    owner, voter = api.make_person(), api.make_person()
    community = api.make_community(owner.token)["community"]
    post = api.make_post(owner.token, community["id"])["post"]
    comment = api.make_comment(owner.token, post["id"])["comment"]
    return owner, voter, post, comment


def test_votes_answer_as_the_routes_do(api: ApiClient) -> None:
    _owner, voter, post, comment = _setup(api)
    status, answer, headers = _both(api, POST_LIKE, {"post_id": post["id"], "score": 1},
                                    voter.token)
    assert status == 200 and answer["post_view"]["my_vote"] == 1
    assert answer["post_view"]["counts"]["score"] == 2 and headers["vary"] == "Origin"
    status, answer, headers = _both(api, COMMENT_LIKE, {"comment_id": comment["id"],
                                                        "score": -1}, voter.token,
                                    Origin="https://app.example")
    assert status == 200 and answer["comment_view"]["my_vote"] == -1
    assert answer["comment_view"]["counts"]["score"] == 0 and answer["recipient_ids"] == []
    assert headers["access-control-allow-origin"] == "*"
    # Undoing, and the vote as every reader sees it afterwards.
    _both(api, POST_LIKE, {"post_id": post["id"], "score": 0}, voter.token)
    view = api.get("/post", id=post["id"], token=voter.token)["post_view"]
    assert view["counts"]["score"] == 1 and "my_vote" not in view


def test_refusals_answer_as_the_routes_do(api: ApiClient, admin: str) -> None:
    owner, voter, post, comment = _setup(api)
    vote = {"post_id": post["id"], "score": 1}
    assert _both(api, POST_LIKE, vote)[:2] == (401, {"error": "incorrect_login"})
    assert _both(api, POST_LIKE, vote, "not-a-token")[0] == 401
    assert _both(api, POST_LIKE, {"post_id": post["id"], "score": 2},
                 voter.token)[1] == {"error": "invalid_vote_value"}
    assert _both(api, POST_LIKE, {"post_id": 999_999, "score": 1},
                 voter.token)[:2] == (404, {"error": "couldnt_find_post"})
    assert _both(api, COMMENT_LIKE, {"comment_id": 999_999, "score": 1},
                 voter.token)[:2] == (404, {"error": "couldnt_find_comment"})
    api.put("/site", {"enable_downvotes": False}, token=admin)
    assert _both(api, POST_LIKE, {"post_id": post["id"], "score": -1},
                 voter.token)[1] == {"error": "downvotes_are_disabled"}
    api.post("/community/ban_user", {"community_id": post["community_id"],
                                     "person_id": voter.person_id, "ban": True},
             token=owner.token)
    assert _both(api, COMMENT_LIKE, {"comment_id": comment["id"], "score": 1},
                 voter.token)[1] == {"error": "banned_from_community"}
    api.post("/post/delete", {"post_id": post["id"], "deleted": True}, token=owner.token)
    assert _both(api, POST_LIKE, vote, owner.token)[1] == {"error": "deleted"}
    # Bodies the door leaves to FastAPI: pydantic's lax reading and its refusals.
    status, answer, _ = _both(api, COMMENT_LIKE, {"comment_id": str(comment["id"]),
                                                  "score": "1"}, owner.token)
    assert status == 200 and answer["comment_view"]["my_vote"] == 1
    assert _both(api, POST_LIKE, {"post_id": "x", "score": 1}, voter.token)[0] == 400
    assert _both(api, POST_LIKE, [1, 2], voter.token)[0] == 400
    assert _both(api, POST_LIKE, {"post_id": 2**40, "score": 1}, voter.token)[0] in (400, 401)


def test_logins_are_checked_at_every_vote(api: ApiClient, admin: str) -> None:
    _owner, voter, post, _comment = _setup(api)
    vote = {"post_id": post["id"], "score": 1}
    bot = api.make_person()
    api.put("/user/save_user_settings", {"bot_account": True}, token=bot.token)
    assert _both(api, POST_LIKE, vote, bot.token)[1] == {"error": "invalid_bot_action"}
    assert _send(api, POST_LIKE, vote, voter.token)[0] == 200
    api.post("/user/ban", {"person_id": voter.person_id, "ban": True}, token=admin)
    assert _both(api, POST_LIKE, vote, voter.token)[1] == {"error": "site_ban"}
    other = api.make_person()
    assert _send(api, POST_LIKE, vote, other.token)[0] == 200
    api.post("/user/logout", {}, token=other.token)
    assert _send(api, POST_LIKE, vote, other.token)[:2] == (401, {"error": "incorrect_login"})


def test_a_browser_login_cookie_goes_through_fastapi(api: ApiClient) -> None:
    _owner, voter, post, _comment = _setup(api)
    api.client.cookies.set("jwt", voter.token)
    try:
        status, answer, _ = _send(api, POST_LIKE, {"post_id": post["id"], "score": 1})
    finally:
        api.client.cookies.clear()
    assert status == 200 and answer["post_view"]["my_vote"] == 1


def test_votes_spend_from_the_shared_message_bucket(api: ApiClient, admin: str) -> None:
    _owner, voter, post, _comment = _setup(api)
    api.put("/site", {"rate_limit_message": 3, "rate_limit_message_per_second": 3600},
            token=admin)
    vote = {"post_id": post["id"], "score": 1}
    assert api.client.get("/api/v3/site").status_code == 200
    assert _send(api, POST_LIKE, vote, voter.token)[0] == 200
    assert _send(api, POST_LIKE, vote, voter.token)[0] == 200
    status, answer, headers = _send(api, POST_LIKE, vote, voter.token, Origin="https://a.example")
    assert (status, answer) == (400, {"error": "rate_limit_error"})
    assert headers["access-control-allow-origin"] == "*"
    assert api.client.get("/api/v3/site").json() == {"error": "rate_limit_error"}
    # Another address has its own bucket.
    assert _send(api, POST_LIKE, vote, voter.token, **{"X-Forwarded-For": "10.9.9.9"})[0] == 200


def test_a_refused_vote_does_not_fail_its_batch(api: ApiClient) -> None:
    owner, voter, post, comment = _setup(api)
    others = [api.make_person() for _ in range(4)]
    api.post("/user/logout", {}, token=others[3].token)  # well signed, but no longer a login
    deleted_id = api.make_post(owner.token, post["community_id"])["post"]["id"]
    api.post("/post/delete", {"post_id": deleted_id, "deleted": True}, token=owner.token)
    calls: list[tuple[str, dict[str, Any], str | None]] = [
        (POST_LIKE, {"post_id": post["id"], "score": 1}, voter.token),  # held first
        (POST_LIKE, {"post_id": post["id"], "score": 1}, others[0].token),
        (POST_LIKE, {"post_id": deleted_id, "score": 1}, others[1].token),
        (COMMENT_LIKE, {"comment_id": comment["id"], "score": -1}, others[1].token),
        (POST_LIKE, {"post_id": post["id"], "score": 5}, others[2].token),
        (POST_LIKE, {"post_id": post["id"], "score": -1}, others[2].token),
        (COMMENT_LIKE, {"comment_id": comment["id"], "score": 1}, others[3].token),
    ]
    results = _while_held(api, post["id"], calls)
    assert [r[0] for r in results] == [200, 200, 400, 200, 400, 200, 401]
    assert results[2][1] == {"error": "deleted"}
    assert results[4][1] == {"error": "invalid_vote_value"}
    # Votes on one post in one batch each saw the one before: 1 + 3 up - 1 down.
    assert results[5][1]["post_view"]["counts"]["score"] == 2
    view = api.get("/post", id=post["id"], token=owner.token)["post_view"]
    assert (view["counts"]["upvotes"], view["counts"]["downvotes"]) == (3, 1)
    assert api.get("/comment", id=comment["id"])["comment_view"]["counts"]["score"] == 0
    assert _door(api).writer.largest_batch >= len(calls) - 1


def _while_held(api: ApiClient, post_id: int,
                calls: list[tuple[str, dict[str, Any], str | None]]) -> list[Any]:
    """Send the calls while the post is locked, each once the one before is queued, so that
    all but the first make one batch in this order; their answers, in order."""
    door = _door(api)
    results: list[Any] = [None] * len(calls)

    def call(i: int) -> None:
        path, body, token = calls[i]
        results[i] = _send(api, path, body, token)[:2]

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(calls))]
    db = api.client.app.state.ctx.db  # type: ignore[attr-defined]
    with db.write() as conn:
        if not db.is_sqlite:  # the first vote waits on the row; SQLite on the write lock
            conn.execute(select(t.post.c.id).where(t.post.c.id == post_id).with_for_update())
        threads[0].start()
        _wait(lambda: door.writer is not None and door.writer.queue.qsize() == 0)
        time.sleep(0.2)  # the writer has taken the first vote and waits for the lock
        for i, thread in enumerate(threads[1:], start=1):
            thread.start()
            _wait(lambda i=i: door.writer.queue.qsize() == i)
        if not db.is_sqlite:
            conn.execute(text("SELECT 1"))
    for thread in threads:
        thread.join(10)
    return results


def _wait(condition: Any) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
