"""The read door (api/read_door.py): logged-in post and comment listings answered as the
FastAPI routes answer them, and everything it does not read exactly left to those routes."""

from __future__ import annotations

from typing import Any

import pytest

from moot.api import read_door
from tests.helpers import ApiClient, Person

POSTS, COMMENTS, POST = "/api/v3/post/list", "/api/v3/comment/list", "/api/v3/post"
_VARYING = {"server-timing", "content-length"}


def _send(api: ApiClient, path: str, query: str, token: str | None,
          headers: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
    sent = dict(headers)
    if token:
        sent["Authorization"] = f"Bearer {token}"
    response = api.client.get(f"{path}?{query}" if query else path, headers=sent)
    kept = {k: v for k, v in response.headers.items() if k not in _VARYING}
    assert "server-timing" in response.headers
    return response.status_code, response.json(), kept


def _both(api: ApiClient, path: str, query: str = "", token: str | None = None,
          **headers: str) -> tuple[int, Any, dict[str, str]]:
    """The answer with the door, after checking that FastAPI's route answers the same."""
    app = api.client.app  # type: ignore[attr-defined]
    door = app.read_door
    through_door = _send(api, path, query, token, headers)
    app.read_door = None
    try:
        through_fastapi = _send(api, path, query, token, headers)
    finally:
        app.read_door = door
    assert _timeless(through_door) == _timeless(through_fastapi)
    return through_door


def _timeless(answer: tuple[int, Any, dict[str, str]]) -> tuple[int, Any, dict[str, str]]:
    """A ranked page's cursor holds the time it was read; whether there is one must agree."""
    status, body, headers = answer
    if isinstance(body, dict) and body.get("next_page"):
        body = {**body, "next_page": "(a cursor)"}
    return status, body, headers


def _forum(api: ApiClient) -> tuple[Person, dict[str, Any]]:
    owner, reader = api.make_person(), api.make_person()
    community = api.make_community(owner.token)["community"]
    api.post("/community/follow", {"community_id": community["id"], "follow": True},
             token=reader.token)
    posts = [api.make_post(owner.token, community["id"])["post"] for _ in range(3)]
    parent = api.make_comment(owner.token, posts[0]["id"])["comment"]
    api.make_comment(reader.token, posts[0]["id"], parent_id=parent["id"])
    api.post("/post/like", {"post_id": posts[1]["id"], "score": 1}, token=reader.token)
    return reader, posts[0]


def test_listings_answer_as_the_routes_do(api: ApiClient) -> None:
    reader, post = _forum(api)
    for query in ("", "sort=New&limit=2", "type_=Subscribed&sort=Hot", "sort=TopDay&page=2&limit=1",
                  "type_=All&sort=Active&show_read=false&show_nsfw=true", "saved_only=true",
                  "liked_only=1"):
        status, answer, headers = _both(api, POSTS, query, reader.token)
        assert status == 200 and headers["vary"] == "Origin", query
    status, answer, _ = _both(api, POSTS, "type_=Subscribed&sort=New&limit=2", reader.token)
    assert len(answer["posts"]) == 2 and answer["next_page"]
    following = _both(api, POSTS, f"type_=Subscribed&sort=New&limit=2&page_cursor="
                      f"{answer['next_page']}", reader.token)[1]
    assert [p["post"]["id"] for p in following["posts"]] == [post["id"]]
    liked = _both(api, POSTS, "liked_only=true", reader.token)[1]["posts"]
    assert [p["my_vote"] for p in liked] == [1]
    status, answer, headers = _both(api, COMMENTS, f"post_id={post['id']}&max_depth=8&sort=Old",
                                    reader.token, Origin="https://app.example")
    assert status == 200 and len(answer["comments"]) == 2
    assert headers["access-control-allow-origin"] == "*"
    assert _both(api, COMMENTS, f"parent_id={answer['comments'][0]['comment']['id']}",
                 reader.token)[0] == 200
    # A post opened through the door: the route's own write (the post read, its comments
    # seen) happens; the view is as it was before, as in Lemmy. Opened again, both ways agree.
    first = _send(api, POST, f"id={post['id']}", reader.token, {})[1]["post_view"]
    assert first["read"] is False
    status, answer, _ = _both(api, POST, f"id={post['id']}", reader.token)
    assert status == 200 and answer["post_view"]["read"] is True
    assert answer["post_view"]["unread_comments"] == 0
    comment_id = _both(api, COMMENTS, f"post_id={post['id']}", reader.token)[1][
        "comments"][0]["comment"]["id"]
    assert _both(api, POST, f"comment_id={comment_id}", reader.token)[0] == 200
    assert _both(api, POST, "id=99999999", reader.token)[1]["error"] == "couldnt_find_post"


def test_what_the_door_does_not_read_goes_to_fastapi(api: ApiClient) -> None:
    reader, post = _forum(api)
    assert _both(api, POSTS, "limit=abc", reader.token)[1]["error"] == "unknown"
    assert _both(api, POSTS, "sort=Sideways", reader.token)[0] == 400
    assert _both(api, POSTS, "limit=", reader.token)[0] in (200, 400)
    assert _both(api, POSTS, "limit=1&limit=2", reader.token)[0] == 200
    assert _both(api, POSTS, "limit=1&colour=red", reader.token)[0] == 200
    assert _both(api, POSTS, "sort=New")[0] == 200  # anonymous: the page cache's
    assert _both(api, POSTS, "sort=New", "not-a-token")[0] == 200
    assert _both(api, COMMENTS, "post_id=99999999", reader.token)[0] == 200
    assert _both(api, COMMENTS, f"post_id={post['id']}&limit=5000", reader.token)[0] == 400
    # A browser's login cookie.
    api.client.cookies.set("jwt", reader.token)
    try:
        assert _both(api, POSTS, "sort=New&type_=Subscribed")[0] == 200
    finally:
        api.client.cookies.clear()


def test_a_login_that_ended_reads_anonymously(api: ApiClient, admin: str) -> None:
    reader, _post = _forum(api)
    api.post("/user/logout", {}, token=reader.token)
    status, answer, _ = _both(api, POSTS, "type_=Subscribed&sort=New", reader.token)
    assert status == 200 and all("my_vote" not in p for p in answer["posts"])
    api.put("/site", {"private_instance": True}, token=admin)
    assert _both(api, POSTS, "sort=New", reader.token)[1] == {"error": "instance_is_private"}
    assert _both(api, COMMENTS, "sort=New", reader.token)[1] == {"error": "instance_is_private"}


def test_rate_limit_and_crash(api: ApiClient, admin: str,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    reader, _post = _forum(api)

    def broken(*_args: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    model, _route, answer = read_door.ROUTES[POSTS]
    monkeypatch.setitem(read_door.ROUTES, POSTS, (model, broken, answer))
    status, body, _ = _send(api, POSTS, "sort=New", reader.token, {})
    assert (status, body) == (500, {"error": "unknown", "message": "internal server error"})
    monkeypatch.undo()
    api.put("/site", {"rate_limit_message": 3, "rate_limit_message_per_second": 60}, token=admin)
    answers = [_send(api, POSTS, "sort=New", reader.token, {})[:2] for _ in range(5)]
    assert [status for status, _ in answers].count(200) >= 2
    assert answers[-1] == (400, {"error": "rate_limit_error"})
