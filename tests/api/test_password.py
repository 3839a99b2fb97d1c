"""PUT /user/change_password, GET /user/list_logins, and POST /user/delete_account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from moot.db import tables as t
from tests.helpers import PASSWORD, ApiClient

NEW = "another-password-9"


def change(api: ApiClient, token: str, old: str = PASSWORD, new: str = NEW,
           verify: str | None = None, expect: int = 200) -> Any:
    return api.put("/user/change_password", {"old_password": old, "new_password": new,
                                             "new_password_verify": verify or new},
                   token=token, expect=expect)


def test_change_password_ends_other_sessions(api: ApiClient) -> None:
    alice = api.make_person()
    other = api.login(alice.name)
    result = change(api, alice.token)
    assert result["registration_created"] is False and result["verify_email_sent"] is False
    fresh = result["jwt"]
    assert api.get("/user/validate_auth", token=fresh) == {"success": True}
    for old_token in (alice.token, other):
        assert api.error("GET", "/user/validate_auth", token=old_token) == "not_logged_in"
    assert api.error("POST", "/user/login", {"username_or_email": alice.name,
                                             "password": PASSWORD}, expect=401) == "incorrect_login"
    assert api.login(alice.name, NEW)


def test_change_password_refusals(api: ApiClient) -> None:
    bob = api.make_person()
    assert change(api, bob.token, old="wrong-password-1", expect=401)["error"] == "incorrect_login"
    assert change(api, bob.token, verify=NEW + "x", expect=400)["error"] == "passwords_do_not_match"
    assert change(api, bob.token, new="short", expect=400)["error"] == "invalid_password"
    assert change(api, bob.token, new="x" * 61, expect=400)["error"] == "invalid_password"
    assert change(api, "", expect=401)["error"] == "incorrect_login"
    # Nothing changed: the old password and session still work.
    assert api.get("/user/validate_auth", token=bob.token) == {"success": True}
    assert api.login(bob.name)


def test_list_logins(api: ApiClient) -> None:
    carol, dave = api.make_person(), api.make_person()
    api.client.post("/api/v3/user/login", json={"username_or_email": carol.name,
                                                "password": PASSWORD},
                    headers={"user-agent": "phone-app/1.0"})
    logins = api.get("/user/list_logins", token=carol.token)
    assert len(logins) == 2
    assert {row["user_id"] for row in logins} == {
        api.get("/site", token=carol.token)["my_user"]["local_user_view"]["local_user"]["id"]}
    assert "phone-app/1.0" in {row.get("user_agent") for row in logins}
    assert all(row["published"].endswith("Z") and "ip" in row for row in logins)
    assert len(api.get("/user/list_logins", token=dave.token)) == 1  # only one's own
    api.post("/user/logout", {}, token=carol.token)
    assert api.error("GET", "/user/list_logins", token=carol.token, expect=401) == "incorrect_login"
    assert api.error("GET", "/user/list_logins", expect=401) == "incorrect_login"


def test_delete_account_keeps_content(api: ApiClient) -> None:
    erin, reader = api.make_person(), api.make_person()
    community = api.make_community(reader.token)["community"]["id"]
    post_id = api.make_post(erin.token, community, "Erin's words")["post"]["id"]
    api.put("/user/save_user_settings", {"bio": "about me", "display_name": "Erin"},
            token=erin.token)
    other = api.login(erin.name)
    assert api.error("POST", "/user/delete_account", {"password": "wrong-password-1",
                                                      "delete_content": False},
                     token=erin.token, expect=401) == "incorrect_login"
    api.post("/user/delete_account", {"password": PASSWORD, "delete_content": False},
             token=erin.token)
    for token in (erin.token, other):
        assert api.error("GET", "/user/validate_auth", token=token) == "not_logged_in"
    assert api.error("POST", "/user/login", {"username_or_email": erin.name,
                                             "password": PASSWORD}) == "deleted"
    view = api.get("/post", id=post_id, token=reader.token)["post_view"]
    assert view["post"]["name"] == "Erin's words" and view["post"]["deleted"] is False
    assert view["creator"]["deleted"] is True
    assert "bio" not in view["creator"] and "display_name" not in view["creator"]
    assert api.error("GET", "/user", person_id=erin.person_id, expect=404) == "couldnt_find_person"


def test_delete_account_with_content(api: ApiClient, app: Any) -> None:
    frank, reader = api.make_person(), api.make_person()
    community = api.make_community(frank.token)
    cid = community["community"]["id"]
    post_id = api.make_post(frank.token, cid, body="body text")["post"]["id"]
    reader_post = api.make_post(reader.token, cid)["post"]["id"]
    comment_id = api.make_comment(frank.token, reader_post, "frank says")["comment"]["id"]
    api.make_comment(reader.token, reader_post, "reader says")
    api.post("/user/delete_account", {"password": PASSWORD, "delete_content": True},
             token=frank.token)
    listed = [p["post"]["id"] for p in api.get("/post/list", token=reader.token,
                                               type_="All")["posts"]]
    assert post_id not in listed and reader_post in listed
    assert api.error("GET", "/post", id=post_id, token=reader.token, expect=404) == \
        "couldnt_find_post"
    with app.state.ctx.db.read() as conn:
        post = conn.execute(select(t.post).where(t.post.c.id == post_id)).mappings().one()
    assert post["deleted"] is True and post["name"] == post["body"] == "*Permanently Deleted*"
    comment = api.get("/comment", id=comment_id, token=reader.token)["comment_view"]["comment"]
    assert comment["deleted"] is True and comment["content"] == ""  # hidden from others
    with app.state.ctx.db.read() as conn:
        content = conn.execute(select(t.comment.c.content).where(t.comment.c.id == comment_id))
        assert content.scalar_one() == "*Permanently Deleted*"
    counts = api.get("/post", id=reader_post, token=reader.token)["post_view"]["counts"]
    assert counts["comments"] == 1
    community_view = api.get("/community", id=cid, token=reader.token)
    assert community_view["community_view"]["counts"]["posts"] == 1
    assert community_view["moderators"] == []  # they left what they moderated
