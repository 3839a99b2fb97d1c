"""Admin purges: rows really gone, with their votes, saves and reports, and every count exact."""

from typing import Any

from tests.helpers import ApiClient, Person


def _counts(api: ApiClient, kind: str, **params: Any) -> dict[str, Any]:
    view = api.get(f"/{kind}", **params)[f"{'person' if kind == 'user' else kind}_view"]
    return view["counts"]  # type: ignore[no-any-return]


def _comment_ids(api: ApiClient, post_id: int) -> list[int]:
    return [c["comment"]["id"] for c in api.get("/comment/list", post_id=post_id)["comments"]]


def _modlog(api: ApiClient, key: str, token: str) -> list[dict[str, Any]]:
    return api.get("/modlog", token=token)[key]  # type: ignore[no-any-return]


def _thread(api: ApiClient) -> tuple[Person, Person, dict[str, Any], dict[str, Any]]:
    owner, member = api.make_person(), api.make_person()
    community = api.make_community(owner.token)["community"]
    post = api.make_post(owner.token, community["id"])["post"]
    return owner, member, community, post


def test_purges_are_for_admins_only(api: ApiClient, admin: str) -> None:
    owner, member, community, post = _thread(api)
    comment = api.make_comment(member.token, post["id"])["comment"]
    for path, body in (("person", {"person_id": member.person_id}),
                       ("community", {"community_id": community["id"]}),
                       ("post", {"post_id": post["id"]}),
                       ("comment", {"comment_id": comment["id"]})):
        assert api.error("POST", f"/admin/purge/{path}", body, token=owner.token) == "not_an_admin"
        assert api.error("POST", f"/admin/purge/{path}", body, expect=401) == "incorrect_login"
    assert api.error("POST", "/admin/purge/post", {"post_id": 999999}, token=admin,
                     expect=404) == "couldnt_find_post"
    assert api.error("POST", "/admin/purge/comment", {"comment_id": 999999}, token=admin,
                     expect=404) == "couldnt_find_comment"
    assert api.error("POST", "/admin/purge/community", {"community_id": 999999}, token=admin,
                     expect=404) == "couldnt_find_community"
    assert api.error("POST", "/admin/purge/person", {"person_id": 999999}, token=admin,
                     expect=404) == "couldnt_find_person"
    assert _comment_ids(api, post["id"]) == [comment["id"]]


def test_purge_comment_keeps_replies_and_fixes_counts(api: ApiClient, admin: str) -> None:
    owner, member, community, post = _thread(api)
    top = api.make_comment(owner.token, post["id"], "top")["comment"]
    middle = api.make_comment(member.token, post["id"], "middle", parent_id=top["id"])["comment"]
    reply = api.make_comment(owner.token, post["id"], "reply", parent_id=middle["id"])["comment"]
    api.post("/comment/like", {"comment_id": middle["id"], "score": 1}, token=owner.token)
    api.put("/comment/save", {"comment_id": middle["id"], "save": True}, token=owner.token)
    api.post("/comment/report", {"comment_id": middle["id"], "reason": "rude"},
             token=owner.token)
    assert _counts(api, "user", person_id=member.person_id)["comment_count"] == 1
    assert api.post("/admin/purge/comment", {"comment_id": middle["id"], "reason": "doxxing"},
                    token=admin) == {"success": True}
    assert api.error("GET", "/comment", id=middle["id"], expect=404) == "couldnt_find_comment"
    # The reply now hangs from the top comment, one level up.
    comments = {c["comment"]["id"]: c for c in
                api.get("/comment/list", post_id=post["id"])["comments"]}
    assert set(comments) == {top["id"], reply["id"]}
    assert comments[reply["id"]]["comment"]["path"] == f"0.{top['id']}.{reply['id']}"
    assert comments[top["id"]]["counts"]["child_count"] == 1
    assert _counts(api, "post", id=post["id"])["comments"] == 2
    assert _counts(api, "community", id=community["id"])["comments"] == 2
    assert _counts(api, "user", person_id=member.person_id)["comment_count"] == 0
    assert api.get("/comment/report/list", token=admin)["comment_reports"] == []
    assert api.get("/comment/list", saved_only=True, token=owner.token)["comments"] == []
    entry = _modlog(api, "admin_purged_comments", admin)[0]
    assert entry["admin_purge_comment"]["reason"] == "doxxing"
    assert entry["post"]["id"] == post["id"]
    assert entry["admin"]["name"] == "admin"


def test_purge_post_takes_its_comments_and_votes(api: ApiClient, admin: str) -> None:
    owner, member, community, post = _thread(api)
    other = api.make_post(owner.token, community["id"])["post"]
    api.make_comment(member.token, post["id"])
    api.make_comment(member.token, other["id"])
    api.post("/post/like", {"post_id": post["id"], "score": 1}, token=member.token)
    api.put("/post/save", {"post_id": post["id"], "save": True}, token=member.token)
    api.post("/post/report", {"post_id": post["id"], "reason": "spam"}, token=member.token)
    api.post("/admin/purge/post", {"post_id": post["id"], "reason": "illegal"}, token=admin)
    assert api.error("GET", "/post", id=post["id"], expect=404) == "couldnt_find_post"
    listed = [p["post"]["id"] for p in api.get("/post/list", type_="All")["posts"]]
    assert post["id"] not in listed and other["id"] in listed
    community_counts = _counts(api, "community", id=community["id"])
    assert (community_counts["posts"], community_counts["comments"]) == (1, 1)
    assert _counts(api, "user", person_id=owner.person_id)["post_count"] == 1
    assert _counts(api, "user", person_id=member.person_id)["comment_count"] == 1
    assert api.get("/post/list", saved_only=True, token=member.token)["posts"] == []
    assert api.get("/post/report/list", token=admin)["post_reports"] == []
    found = api.get("/search", q=post["name"], type_="Posts")["posts"]
    assert post["id"] not in [p["post"]["id"] for p in found]
    entry = _modlog(api, "admin_purged_posts", admin)[0]
    assert (entry["admin_purge_post"]["reason"], entry["community"]["id"]) == \
        ("illegal", community["id"])


def test_purge_community_takes_everything_in_it(api: ApiClient, admin: str) -> None:
    owner, member, community, post = _thread(api)
    elsewhere = api.make_community(member.token)["community"]
    kept = api.make_post(member.token, elsewhere["id"])["post"]
    api.make_comment(member.token, post["id"])
    api.make_comment(member.token, kept["id"])
    api.post("/community/follow", {"community_id": community["id"], "follow": True},
             token=member.token)
    api.post("/admin/purge/community", {"community_id": community["id"]}, token=admin)
    assert api.error("GET", "/community", id=community["id"],
                     expect=404) == "couldnt_find_community"
    assert api.error("GET", "/post", id=post["id"], expect=404) == "couldnt_find_post"
    listed = [p["post"]["id"] for p in api.get("/post/list", type_="All")["posts"]]
    assert listed == [kept["id"]]
    ids = [c["community"]["id"] for c in api.get("/community/list", type_="All")["communities"]]
    assert ids == [elsewhere["id"]]
    member_counts = _counts(api, "user", person_id=member.person_id)
    assert member_counts["comment_count"] == 1
    assert _counts(api, "user", person_id=owner.person_id)["post_count"] == 0
    follows = api.get("/site", token=member.token)["my_user"]["follows"]
    assert [f["community"]["id"] for f in follows] == [elsewhere["id"]]
    entry = _modlog(api, "admin_purged_communities", admin)[0]
    assert "reason" not in entry["admin_purge_community"]  # none given: left out, as in Lemmy
    assert entry["admin"]["name"] == "admin"


def test_purge_person_takes_their_content_and_votes(api: ApiClient, admin: str) -> None:
    owner, member, community, post = _thread(api)
    own_post = api.make_post(member.token, community["id"])["post"]
    theirs = api.make_comment(member.token, post["id"], "theirs")["comment"]
    reply = api.make_comment(owner.token, post["id"], "reply", parent_id=theirs["id"])["comment"]
    api.post("/post/like", {"post_id": post["id"], "score": -1}, token=member.token)
    api.post("/comment/like", {"comment_id": reply["id"], "score": 1}, token=member.token)
    api.post("/community/follow", {"community_id": community["id"], "follow": True},
             token=member.token)
    api.post("/private_message", {"content": "hi", "recipient_id": owner.person_id},
             token=member.token)
    assert _counts(api, "community", id=community["id"])["subscribers"] == 2
    api.post("/admin/purge/person", {"person_id": member.person_id, "reason": "spammer"},
             token=admin)
    assert api.error("GET", "/user", person_id=member.person_id,
                     expect=404) == "couldnt_find_person"
    assert api.error("GET", "/post", id=own_post["id"], expect=404) == "couldnt_find_post"
    # Their login no longer works, nor does their token.
    assert api.error("POST", "/user/login", {"username_or_email": member.name,
                                             "password": "password-123"},
                     expect=401) == "incorrect_login"
    assert api.error("GET", "/user/unread_count", token=member.token,
                     expect=401) == "incorrect_login"
    post_counts = _counts(api, "post", id=post["id"])
    assert (post_counts["score"], post_counts["downvotes"], post_counts["comments"]) == (1, 0, 1)
    comments = api.get("/comment/list", post_id=post["id"])["comments"]
    assert [c["comment"]["id"] for c in comments] == [reply["id"]]
    assert comments[0]["comment"]["path"] == f"0.{reply['id']}"
    assert comments[0]["counts"]["score"] == 1
    community_counts = _counts(api, "community", id=community["id"])
    assert (community_counts["subscribers"], community_counts["posts"],
            community_counts["comments"]) == (1, 1, 1)
    assert api.get("/private_message/list", token=owner.token)["private_messages"] == []
    entry = _modlog(api, "admin_purged_persons", admin)[0]
    assert entry["admin_purge_person"]["reason"] == "spammer"


def test_lower_admin_cannot_purge_higher_admin(api: ApiClient, admin: str) -> None:
    second = api.make_person()
    api.post("/admin/add", {"person_id": second.person_id, "added": True}, token=admin)
    first_id = api.get("/site", token=admin)["my_user"]["local_user_view"]["person"]["id"]
    assert api.error("POST", "/admin/purge/person", {"person_id": first_id},
                     token=second.token) == "not_higher_admin"
    assert api.error("POST", "/admin/purge/person", {"person_id": first_id},
                     token=admin) == "not_higher_admin"  # nor oneself
    api.post("/admin/purge/person", {"person_id": second.person_id}, token=admin)
    assert [a["person"]["id"] for a in api.get("/site")["admins"]] == [first_id]
