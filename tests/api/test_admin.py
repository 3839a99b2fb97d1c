"""Site administration through the v3 API: site bans and the admin list."""

from __future__ import annotations

import time

from sqlalchemy import select, update

from moot.db import tables as t
from moot.db.engine import Database
from moot.db.types import utcnow
from tests.conftest import ADMIN_NAME, ADMIN_PASSWORD
from tests.helpers import ApiClient, Person


def db(api: ApiClient) -> Database:
    return api.client.app.state.ctx.db  # type: ignore[attr-defined,no-any-return]


def admin_person_id(api: ApiClient, admin: str) -> int:
    return int(api.get("/site", token=admin)["my_user"]["local_user_view"]["person"]["id"])


def make_admin(api: ApiClient, admin: str) -> Person:
    person = api.make_person()
    api.post("/admin/add", {"person_id": person.person_id, "added": True}, token=admin)
    return person


def ban(api: ApiClient, admin: str, person_id: int, **extra: object) -> dict[str, object]:
    return api.post("/user/ban", {"person_id": person_id, "ban": True, **extra},  # type: ignore[no-any-return]
                    token=admin)


# Refusals ----------------------------------------------------------------------------------


def test_admin_routes_refuse_others(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    body = {"person_id": bob.person_id, "ban": True}
    assert api.error("POST", "/user/ban", body, token=alice.token) == "not_an_admin"
    assert api.error("GET", "/user/banned", token=alice.token) == "not_an_admin"
    assert api.error("POST", "/admin/add", {"person_id": alice.person_id, "added": True},
                     token=alice.token) == "not_an_admin"
    assert api.error("POST", "/user/ban", body, expect=401) == "incorrect_login"


def test_unknown_person_is_not_found(api: ApiClient, admin: str) -> None:
    assert api.error("POST", "/user/ban", {"person_id": 999_999, "ban": True}, token=admin,
                     expect=404) == "couldnt_find_person"
    assert api.error("POST", "/admin/add", {"person_id": 999_999, "added": True}, token=admin,
                     expect=404) == "couldnt_find_person"


def test_lower_admin_cannot_ban_or_demote_a_higher_one(api: ApiClient, admin: str) -> None:
    newer = make_admin(api, admin)
    top = admin_person_id(api, admin)
    assert api.error("POST", "/user/ban", {"person_id": top, "ban": True},
                     token=newer.token) == "not_higher_admin"
    assert api.error("POST", "/admin/add", {"person_id": top, "added": False},
                     token=newer.token) == "not_higher_admin"
    # The older admin outranks the newer one, as in Lemmy.
    result = ban(api, admin, newer.person_id)
    assert result["person_view"]["is_admin"] is True  # type: ignore[index]
    assert result["banned"] is True


def test_ban_expiry_in_the_past_is_refused(api: ApiClient, admin: str) -> None:
    bob = api.make_person()
    assert api.error("POST", "/user/ban", {"person_id": bob.person_id, "ban": True,
                                           "expires": int(time.time()) - 60},
                     token=admin) == "ban_expiration_in_past"


# Bans ---------------------------------------------------------------------------------------


def test_ban_and_unban(api: ApiClient, admin: str) -> None:
    bob = api.make_person()
    expires = int(time.time()) + 3600
    result = ban(api, admin, bob.person_id, reason="spam", expires=expires)
    person = result["person_view"]["person"]  # type: ignore[index]
    assert result["banned"] is True and person["banned"] is True
    assert person["ban_expires"].endswith("Z")
    banned = api.get("/user/banned", token=admin)["banned"]
    assert [v["person"]["id"] for v in banned] == [bob.person_id]
    with db(api).read() as conn:
        log = conn.execute(select(t.mod_ban)).mappings().one()
    assert (log["other_person_id"], log["reason"], log["banned"]) == (bob.person_id, "spam", True)
    assert log["mod_person_id"] == admin_person_id(api, admin)
    assert api.error("POST", "/user/login", {"username_or_email": bob.name,
                                             "password": "password-123"}) == "site_ban"

    result = api.post("/user/ban", {"person_id": bob.person_id, "ban": False}, token=admin)
    assert result["banned"] is False
    assert result["person_view"]["person"]["banned"] is False
    assert "ban_expires" not in result["person_view"]["person"]
    assert api.get("/user/banned", token=admin)["banned"] == []
    api.login(bob.name)


def test_banned_person_cannot_post_comment_or_vote(api: ApiClient, admin: str) -> None:
    alice, bob = api.make_person(), api.make_person()
    community = api.make_community(alice.token)["community"]
    post = api.make_post(alice.token, community["id"])["post"]
    comment = api.make_comment(alice.token, post["id"])["comment"]
    ban(api, admin, bob.person_id)
    assert api.error("POST", "/post", {"name": "Hello there", "community_id": community["id"]},
                     token=bob.token) == "site_ban"
    assert api.error("POST", "/comment", {"post_id": post["id"], "content": "hi"},
                     token=bob.token) == "site_ban"
    assert api.error("POST", "/post/like", {"post_id": post["id"], "score": 1},
                     token=bob.token) == "site_ban"
    assert api.error("POST", "/comment/like", {"comment_id": comment["id"], "score": 1},
                     token=bob.token) == "site_ban"

    api.post("/user/ban", {"person_id": bob.person_id, "ban": False}, token=admin)
    api.make_post(bob.token, community["id"])
    api.make_comment(bob.token, post["id"])
    api.post("/post/like", {"post_id": post["id"], "score": 1}, token=bob.token)


def test_expired_ban_no_longer_holds(api: ApiClient, admin: str) -> None:
    alice, bob = api.make_person(), api.make_person()
    community = api.make_community(alice.token)["community"]
    ban(api, admin, bob.person_id, expires=int(time.time()) + 3600)
    with db(api).write() as conn:
        conn.execute(update(t.person).where(t.person.c.id == bob.person_id)
                     .values(ban_expires=utcnow()))
    assert api.get("/user/banned", token=admin)["banned"] == []
    api.make_post(bob.token, community["id"])


def test_ban_with_remove_data_hides_content(api: ApiClient, admin: str) -> None:
    alice, bob = api.make_person(), api.make_person()
    community = api.make_community(alice.token)["community"]
    own = api.make_community(bob.token)["community"]
    post = api.make_post(bob.token, community["id"])["post"]
    kept = api.make_post(alice.token, community["id"])["post"]
    api.make_comment(bob.token, kept["id"])
    api.make_comment(alice.token, post["id"])
    ban(api, admin, bob.person_id, remove_data=True)

    listed = [v["post"]["id"] for v in api.get("/post/list", token=alice.token,
                                                 type_="All")["posts"]]
    assert listed == [kept["id"]]
    with db(api).read() as conn:
        flags = conn.execute(select(t.comment.c.creator_id, t.comment.c.removed)).all()
    assert sorted(tuple(f) for f in flags) == [(alice.person_id, False), (bob.person_id, True)]
    view = api.get("/community", token=alice.token, id=community["id"])["community_view"]
    assert (view["counts"]["posts"], view["counts"]["comments"]) == (1, 0)
    person = api.get("/user", token=alice.token, person_id=bob.person_id)["person_view"]
    assert (person["counts"]["post_count"], person["counts"]["comment_count"]) == (0, 0)
    with db(api).read() as conn:
        removed = conn.execute(select(t.community.c.removed)
                               .where(t.community.c.id == own["id"])).scalar_one()
    assert removed is True


def test_ban_without_remove_data_keeps_content(api: ApiClient, admin: str) -> None:
    alice, bob = api.make_person(), api.make_person()
    community = api.make_community(alice.token)["community"]
    post = api.make_post(bob.token, community["id"])["post"]
    ban(api, admin, bob.person_id)
    listed = [v["post"]["id"] for v in api.get("/post/list", token=alice.token,
                                                 type_="All")["posts"]]
    assert listed == [post["id"]]


# Admins -------------------------------------------------------------------------------------


def test_add_and_remove_admin(api: ApiClient, admin: str) -> None:
    bob = api.make_person()
    admins = api.post("/admin/add", {"person_id": bob.person_id, "added": True},
                      token=admin)["admins"]
    assert [v["person"]["name"] for v in admins] == [ADMIN_NAME, bob.name]
    assert all(v["is_admin"] for v in admins)
    assert api.get("/site", token=bob.token)["my_user"]["local_user_view"]["local_user"]["admin"]
    assert api.get("/user/banned", token=bob.token)["banned"] == []

    admins = api.post("/admin/add", {"person_id": bob.person_id, "added": False},
                      token=admin)["admins"]
    assert [v["person"]["name"] for v in admins] == [ADMIN_NAME]
    assert api.error("GET", "/user/banned", token=bob.token) == "not_an_admin"
    with db(api).read() as conn:
        log = conn.execute(select(t.mod_add.c.other_person_id, t.mod_add.c.removed)
                           .order_by(t.mod_add.c.id)).all()
    assert [tuple(r) for r in log] == [(bob.person_id, False), (bob.person_id, True)]


def test_last_admin_cannot_be_removed(api: ApiClient, admin: str) -> None:
    me = admin_person_id(api, admin)
    assert api.error("POST", "/admin/add", {"person_id": me, "added": False},
                     token=admin) == "cannot_leave_admin"
    api.login(ADMIN_NAME, ADMIN_PASSWORD)
    assert api.get("/site", token=admin)["admins"][0]["person"]["id"] == me
