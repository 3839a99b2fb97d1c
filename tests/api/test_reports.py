"""Post and comment reports through the v3 API: filing, the moderators' queue, resolving, counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from moot.db import tables as t
from moot.db.engine import Database
from moot.db.types import utcnow
from tests.helpers import ApiClient, Person


def db(api: ApiClient) -> Database:
    return api.client.app.state.ctx.db  # type: ignore[attr-defined,no-any-return]


def setup(api: ApiClient) -> tuple[Person, Person, dict[str, Any], dict[str, Any]]:
    """Alice moderates a community where Bob posted and commented."""
    alice, bob = api.make_person(), api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    post = api.make_post(bob.token, cid, "Reported post", body="Some body",
                         url="https://example.com/a")
    comment = api.make_comment(bob.token, post["post"]["id"], "Reported words")
    return alice, bob, post, comment


def report_post(api: ApiClient, token: str, post_id: int, reason: str = "Spam") -> Any:
    return api.post("/post/report", {"post_id": post_id, "reason": reason},
                    token=token)["post_report_view"]


def report_comment(api: ApiClient, token: str, comment_id: int, reason: str = "Rude") -> Any:
    return api.post("/comment/report", {"comment_id": comment_id, "reason": reason},
                    token=token)["comment_report_view"]


def test_create_post_report(api: ApiClient) -> None:
    alice, bob, post, _ = setup(api)
    carol = api.make_person()
    view = report_post(api, carol.token, post["post"]["id"], "  Spam, plainly  ")
    report = view["post_report"]
    assert report["reason"] == "Spam, plainly"
    assert report["creator_id"] == carol.person_id
    assert report["original_post_name"] == "Reported post"
    assert report["original_post_body"] == "Some body"
    assert report["original_post_url"] == "https://example.com/a"
    assert report["resolved"] is False and "resolver_id" not in report
    assert view["creator"]["id"] == carol.person_id
    assert view["post_creator"]["id"] == bob.person_id
    assert view["post"]["id"] == post["post"]["id"]
    assert view["community"]["id"] == post["community"]["id"]
    assert view["creator_is_moderator"] is False and "resolver" not in view

    # The snapshot keeps what was reported even after an edit.
    api.put("/post", {"post_id": post["post"]["id"], "name": "Innocent now"}, token=bob.token)
    listed = api.get("/post/report/list", token=alice.token)["post_reports"]
    assert [r["post_report"]["original_post_name"] for r in listed] == ["Reported post"]
    assert listed[0]["post"]["name"] == "Innocent now"

    # Reporting again replaces the reason of the same report.
    again = report_post(api, carol.token, post["post"]["id"], "Actually off topic")
    assert again["post_report"]["id"] == report["id"]
    assert again["post_report"]["reason"] == "Actually off topic"


def test_create_comment_report(api: ApiClient) -> None:
    _alice, bob, post, comment = setup(api)
    carol = api.make_person()
    view = report_comment(api, carol.token, comment["comment"]["id"], " Rude ")
    report = view["comment_report"]
    assert report["reason"] == "Rude"
    assert report["original_comment_text"] == "Reported words"
    assert report["comment_id"] == comment["comment"]["id"]
    assert view["creator"]["id"] == carol.person_id
    assert view["comment_creator"]["id"] == bob.person_id
    assert view["post"]["id"] == post["post"]["id"]
    assert view["counts"]["comment_id"] == comment["comment"]["id"]


def test_report_refusals(api: ApiClient) -> None:
    _alice, _bob, post, comment = setup(api)
    pid, comment_id = post["post"]["id"], comment["comment"]["id"]
    carol = api.make_person()
    for path, body in (("/post/report", {"post_id": pid}),
                       ("/comment/report", {"comment_id": comment_id})):
        assert api.error("POST", path, {**body, "reason": "   "},
                         token=carol.token) == "report_reason_required"
        assert api.error("POST", path, {**body, "reason": "x" * 1001},
                         token=carol.token) == "report_too_long"
        api.post(path, {**body, "reason": "x" * 1000}, token=carol.token)
        assert api.error("POST", path, {**body, "reason": "Spam"}, expect=401) == "incorrect_login"
    assert api.error("POST", "/post/report", {"post_id": 999999, "reason": "Spam"},
                     token=carol.token, expect=404) == "couldnt_find_post"
    assert api.error("POST", "/comment/report", {"comment_id": 999999, "reason": "Spam"},
                     token=carol.token, expect=404) == "couldnt_find_comment"

    with db(api).write() as conn:
        conn.execute(insert(t.community_person_ban).values(
            community_id=post["community"]["id"], person_id=carol.person_id, published=utcnow()))
    assert api.error("POST", "/post/report", {"post_id": pid, "reason": "Spam"},
                     token=carol.token) == "banned_from_community"
    assert api.error("POST", "/comment/report", {"comment_id": comment_id, "reason": "Spam"},
                     token=carol.token) == "banned_from_community"


def test_lists_for_moderators_admins_and_others(api: ApiClient, admin: str) -> None:
    alice, bob, post, comment = setup(api)
    carol = api.make_person()
    report_post(api, carol.token, post["post"]["id"])
    report_comment(api, carol.token, comment["comment"]["id"])

    # Dave moderates another community: he sees nothing of Alice's.
    dave = api.make_person()
    other = api.make_community(dave.token)["community"]["id"]
    other_post = api.make_post(bob.token, other, "Elsewhere")
    report_post(api, carol.token, other_post["post"]["id"])

    def post_ids(token: str, **query: Any) -> list[int]:
        return [r["post"]["id"] for r in api.get("/post/report/list", token=token,
                                                 **query)["post_reports"]]

    assert post_ids(alice.token) == [post["post"]["id"]]
    assert post_ids(dave.token) == [other_post["post"]["id"]]
    assert post_ids(admin) == [other_post["post"]["id"], post["post"]["id"]]
    assert post_ids(admin, community_id=post["community"]["id"]) == [post["post"]["id"]]
    assert post_ids(admin, post_id=other_post["post"]["id"]) == [other_post["post"]["id"]]
    assert post_ids(alice.token, community_id=other) == []
    comments = api.get("/comment/report/list", token=alice.token)["comment_reports"]
    assert [r["comment"]["id"] for r in comments] == [comment["comment"]["id"]]
    assert api.get("/comment/report/list", token=dave.token)["comment_reports"] == []
    assert len(api.get("/comment/report/list", token=admin,
                       comment_id=comment["comment"]["id"])["comment_reports"]) == 1

    for path in ("/post/report/list", "/comment/report/list"):
        assert api.error("GET", path, token=carol.token) == "not_a_moderator"
        assert api.error("GET", path, expect=401) == "incorrect_login"


def test_resolve_and_reopen(api: ApiClient, admin: str) -> None:
    alice, bob, post, comment = setup(api)
    carol = api.make_person()
    first = report_post(api, carol.token, post["post"]["id"])["post_report"]["id"]
    second_post = api.make_post(bob.token, post["community"]["id"], "Second")
    second = report_post(api, carol.token, second_post["post"]["id"])["post_report"]["id"]
    comment_report = report_comment(api, carol.token, comment["comment"]["id"])

    assert api.error("PUT", "/post/report/resolve", {"report_id": first, "resolved": True},
                     token=carol.token) == "not_a_mod_or_admin"
    assert api.error("PUT", "/post/report/resolve", {"report_id": 999999, "resolved": True},
                     token=alice.token, expect=404) == "couldnt_find_post_report"

    view = api.put("/post/report/resolve", {"report_id": first, "resolved": True},
                   token=alice.token)["post_report_view"]
    assert view["post_report"]["resolved"] is True
    assert view["post_report"]["resolver_id"] == alice.person_id
    assert view["resolver"]["id"] == alice.person_id
    assert "updated" in view["post_report"]

    # Open reports come first, then the newest.
    listed = api.get("/post/report/list", token=alice.token)["post_reports"]
    assert [r["post_report"]["id"] for r in listed] == [second, first]
    open_only = api.get("/post/report/list", token=alice.token, unresolved_only=True)
    assert [r["post_report"]["id"] for r in open_only["post_reports"]] == [second]

    reopened = api.put("/post/report/resolve", {"report_id": first, "resolved": False},
                       token=admin)["post_report_view"]
    assert reopened["post_report"]["resolved"] is False
    listed = api.get("/post/report/list", token=alice.token, unresolved_only=True)
    assert [r["post_report"]["id"] for r in listed["post_reports"]] == [second, first]

    cid = comment_report["comment_report"]["id"]
    assert api.error("PUT", "/comment/report/resolve", {"report_id": cid, "resolved": True},
                     token=carol.token) == "not_a_mod_or_admin"
    got = api.put("/comment/report/resolve", {"report_id": cid, "resolved": True},
                  token=alice.token)["comment_report_view"]
    assert got["comment_report"]["resolved"] is True
    assert got["resolver"]["id"] == alice.person_id
    assert api.get("/comment/report/list", token=alice.token,
                   unresolved_only=True)["comment_reports"] == []


def test_report_counts(api: ApiClient, admin: str) -> None:
    alice, bob, post, comment = setup(api)
    community_id = post["community"]["id"]
    carol, dan = api.make_person(), api.make_person()
    report_post(api, carol.token, post["post"]["id"])
    report_post(api, dan.token, post["post"]["id"])
    report_comment(api, carol.token, comment["comment"]["id"])
    dave = api.make_person()
    other = api.make_community(dave.token)["community"]["id"]
    report_post(api, carol.token, api.make_post(bob.token, other)["post"]["id"])

    assert api.get("/user/report_count", token=alice.token) == {
        "comment_reports": 1, "post_reports": 2}
    assert api.get("/user/report_count", token=admin) == {
        "comment_reports": 1, "post_reports": 3, "private_message_reports": 0}
    assert api.get("/user/report_count", token=admin, community_id=community_id) == {
        "community_id": community_id, "comment_reports": 1, "post_reports": 2}
    assert api.get("/user/report_count", token=dave.token) == {
        "comment_reports": 0, "post_reports": 1}
    assert api.get("/user/report_count", token=carol.token) == {
        "comment_reports": 0, "post_reports": 0}

    with db(api).read() as conn:
        report_ids = conn.execute(select(t.post_report.c.id).join(
            t.post, t.post.c.id == t.post_report.c.post_id).where(
            t.post.c.community_id == community_id)).scalars().all()
    api.put("/post/report/resolve", {"report_id": report_ids[0], "resolved": True},
            token=alice.token)
    assert api.get("/user/report_count", token=alice.token)["post_reports"] == 1


def test_moderator_sees_own_view_of_the_post(api: ApiClient) -> None:
    alice, bob, post, _ = setup(api)
    with db(api).write() as conn:  # Bob is made a moderator too
        conn.execute(insert(t.community_moderator).values(
            community_id=post["community"]["id"], person_id=bob.person_id, published=utcnow()))
    carol = api.make_person()
    api.put("/post/save", {"post_id": post["post"]["id"], "save": True}, token=alice.token)
    report_post(api, carol.token, post["post"]["id"])
    view = api.get("/post/report/list", token=alice.token)["post_reports"][0]
    assert view["saved"] is True
    assert view["subscribed"] == "Subscribed"
    assert view["creator_is_moderator"] is True  # about the post's creator, Bob
    assert view["counts"]["post_id"] == post["post"]["id"]


def test_removal_resolves_the_reports(api: ApiClient, admin: str) -> None:
    """As Lemmy 0.19.9's resolve_all_for_object: removing (or restoring) settles every report
    of the thing, with the moderator as resolver; reports of other things stay open."""
    alice, bob, post, comment = setup(api)
    carol = api.make_person()
    other = api.make_comment(bob.token, post["post"]["id"], "Other words")
    for person in (alice, carol):
        report_post(api, person.token, post["post"]["id"])
        report_comment(api, person.token, comment["comment"]["id"])
    report_comment(api, carol.token, other["comment"]["id"])
    assert api.get("/user/report_count", token=alice.token)["post_reports"] == 2
    api.post("/comment/remove", {"comment_id": comment["comment"]["id"], "removed": True},
             token=alice.token)
    reports = api.get("/comment/report/list", token=alice.token)["comment_reports"]
    state = {(r["comment_report"]["comment_id"], r["comment_report"]["resolved"],
              r.get("resolver", {}).get("id")) for r in reports}
    assert state == {(comment["comment"]["id"], True, alice.person_id),
                     (other["comment"]["id"], False, None)}
    api.post("/post/remove", {"post_id": post["post"]["id"], "removed": True}, token=admin)
    reports = api.get("/post/report/list", token=alice.token)["post_reports"]
    assert [r["post_report"]["resolved"] for r in reports] == [True, True]
    counts = api.get("/user/report_count", token=alice.token)
    assert (counts["post_reports"], counts["comment_reports"]) == (0, 1)


def test_community_ban_with_remove_data_keeps_reports_open(api: ApiClient) -> None:
    """Lemmy's remove_user_data_in_community removes, but resolves nothing."""
    alice, bob, post, comment = setup(api)
    report_post(api, alice.token, post["post"]["id"])
    community_id = post["community"]["id"]
    api.post("/community/ban_user", {"community_id": community_id, "person_id": bob.person_id,
                                     "ban": True, "remove_data": True}, token=alice.token)
    assert api.get("/post", id=post["post"]["id"], token=alice.token)["post_view"]["post"][
        "removed"] is True
    assert api.get("/comment", id=comment["comment"]["id"], token=alice.token)[
        "comment_view"]["comment"]["removed"] is True
    assert api.get("/post/list", community_id=community_id)["posts"] == []
    counts = api.get("/community", id=community_id)["community_view"]["counts"]
    assert (counts["posts"], counts["comments"]) == (0, 0)
    assert api.get("/user/report_count", token=alice.token)["post_reports"] == 1
    entry = api.get("/modlog", token=alice.token, community_id=community_id)[
        "banned_from_community"][0]
    assert entry["banned_person"]["id"] == bob.person_id
