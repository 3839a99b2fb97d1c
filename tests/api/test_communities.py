from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update

from moot.db import tables as t
from moot.db.types import utcnow
from tests.helpers import ApiClient


def test_create_community_makes_creator_moderator_and_follower(api: ApiClient) -> None:
    alice = api.make_person("alice")
    view = api.make_community(alice.token, "cats", title="All about cats", description="Meow")
    assert view["community"]["name"] == "cats"
    assert view["community"]["actor_id"] == "http://moot.test/c/cats"
    assert view["community"]["local"] is True
    assert view["subscribed"] == "Subscribed"
    assert view["counts"]["subscribers"] == 1
    got = api.get("/community", name="cats", token=alice.token)
    assert [m["moderator"]["name"] for m in got["moderators"]] == ["alice"]
    assert api.get("/community", id=view["community"]["id"])["community_view"]["subscribed"] \
        == "NotSubscribed"
    assert api.get("/community", name="cats@moot.test")["community_view"]["community"]["id"] \
        == view["community"]["id"]


def test_create_community_refusals(api: ApiClient, admin: str) -> None:
    alice = api.make_person()
    api.make_community(alice.token, "dogs")
    assert api.error("POST", "/community", {"name": "dogs", "title": "Again"},
                     token=alice.token) == "community_already_exists"
    assert api.error("POST", "/community", {"name": "bad name", "title": "Bad"},
                     token=alice.token) == "invalid_name"
    assert api.error("POST", "/community", {"name": "okname", "title": "x"},
                     token=alice.token) == "invalid_community_title"
    assert api.error("POST", "/community", {"name": "anon", "title": "Anon"},
                     expect=401) == "incorrect_login"
    api.put("/site", {"community_creation_admin_only": True}, token=admin)
    assert api.error("POST", "/community", {"name": "later", "title": "Later"},
                     token=alice.token) == "only_admins_can_create_communities"


def test_get_missing_community(api: ApiClient) -> None:
    assert api.error("GET", "/community", name="nothing", expect=404) == "couldnt_find_community"
    assert api.error("GET", "/community", id=12345, expect=404) == "couldnt_find_community"
    assert api.error("GET", "/community") == "no_id_given"


# Helpers that reach into the database, for states the API cannot make yet -----------------------


def _db(app: Any) -> Any:
    return app.state.ctx.db


def set_community(app: Any, community_id: int, **values: Any) -> None:
    with _db(app).write() as conn:
        conn.execute(update(t.community).where(t.community.c.id == community_id).values(**values))


def insert_remote_community(app: Any, name: str, domain: str = "remote.test") -> int:
    now = utcnow()
    with _db(app).write() as conn:
        instance_id = conn.execute(select(t.instance.c.id).where(t.instance.c.domain == domain)
                                   ).scalar()
        if instance_id is None:
            instance_id = conn.execute(insert(t.instance).values(domain=domain, published=now)
                                       .returning(t.instance.c.id)).scalar_one()
        actor_id = f"https://{domain}/c/{name}"
        return int(conn.execute(insert(t.community).values(
            name=name, title=name.title(), published=now, actor_id=actor_id, local=False,
            public_key="key", last_refreshed_at=now, inbox_url=actor_id + "/inbox",
            instance_id=instance_id).returning(t.community.c.id)).scalar_one())


def ban_from_community(app: Any, community_id: int, person_id: int) -> None:
    with _db(app).write() as conn:
        conn.execute(insert(t.community_person_ban).values(
            community_id=community_id, person_id=person_id, published=utcnow()))


def names(communities: list[dict[str, Any]]) -> list[str]:
    return [c["community"]["name"] for c in communities]


def listed(api: ApiClient, token: str | None = None, **params: Any) -> list[str]:
    return names(api.get("/community/list", token=token, limit=50, **params)["communities"])


# PUT /community ---------------------------------------------------------------------------------


def test_moderator_edits_community(api: ApiClient) -> None:
    alice = api.make_person()
    cid = api.make_community(alice.token, description="Old words")["community"]["id"]
    view = api.put("/community", {
        "community_id": cid, "title": "  New title ", "description": "New words",
        "icon": "https://img.test/icon.png", "banner": "https://img.test/banner.png",
        "nsfw": True, "posting_restricted_to_mods": True, "visibility": "LocalOnly",
    }, token=alice.token)["community_view"]
    community = view["community"]
    assert community["title"] == "New title"
    assert community["description"] == "New words"
    assert community["icon"] == "https://img.test/icon.png"
    assert community["banner"] == "https://img.test/banner.png"
    assert community["nsfw"] is True
    assert community["posting_restricted_to_mods"] is True
    assert community["visibility"] == "LocalOnly"
    assert community["updated"].endswith("Z")
    assert view["subscribed"] == "Subscribed"
    # Fields left out stay; an empty string clears an optional one, as in Lemmy.
    community = api.put("/community", {"community_id": cid, "description": "", "icon": ""},
                        token=alice.token)["community_view"]["community"]
    assert "description" not in community and "icon" not in community
    assert community["title"] == "New title" and community["nsfw"] is True
    got = api.get("/community", id=cid, token=alice.token)["community_view"]["community"]
    assert got["banner"] == "https://img.test/banner.png" and "description" not in got


def test_admin_edits_any_community(api: ApiClient, admin: str) -> None:
    alice = api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    view = api.put("/community", {"community_id": cid, "title": "Admin was here"}, token=admin)
    assert view["community_view"]["community"]["title"] == "Admin was here"
    assert view["community_view"]["subscribed"] == "NotSubscribed"


def test_edit_community_refusals(api: ApiClient, app: Any) -> None:
    alice, bob = api.make_person(), api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    edit = {"community_id": cid, "title": "Taken over"}
    # Lemmy 0.19's check_community_mod_action refuses with not_a_mod_or_admin.
    assert api.error("PUT", "/community", edit, token=bob.token) == "not_a_mod_or_admin"
    assert api.error("PUT", "/community", edit, expect=401) == "incorrect_login"
    assert api.error("PUT", "/community", {"community_id": 9999, "title": "Nope"},
                     token=alice.token, expect=404) == "couldnt_find_community"
    assert api.error("PUT", "/community", {"community_id": cid, "title": "x"},
                     token=alice.token) == "invalid_community_title"
    assert api.error("PUT", "/community", {"community_id": cid, "description": "d" * 10_001},
                     token=alice.token) == "invalid_body_field"
    assert api.error("PUT", "/community", {"community_id": cid, "icon": "not a url"},
                     token=alice.token) == "invalid_url"
    assert api.error("PUT", "/community", {"community_id": cid, "visibility": "Secret"},
                     token=alice.token) == "unknown"
    ban_from_community(app, cid, alice.person_id)
    assert api.error("PUT", "/community", edit, token=alice.token) == "banned_from_community"
    carol = api.make_person()
    other = api.make_community(carol.token)["community"]["id"]
    set_community(app, other, deleted=True)
    assert api.error("PUT", "/community", {"community_id": other, "title": "Back"},
                     token=carol.token) == "deleted"
    assert api.get("/community", id=cid)["community_view"]["community"]["title"] != "Taken over"


# GET /community/list ----------------------------------------------------------------------------


def test_list_types(api: ApiClient, app: Any) -> None:
    alice, bob = api.make_person(), api.make_person()
    for name in ("aaa_one", "aaa_two"):
        api.make_community(alice.token, name)
    api.make_community(bob.token, "bbb_one")
    remote = insert_remote_community(app, "far_away")
    everything = ["aaa_one", "aaa_two", "bbb_one", "far_away"]
    assert sorted(listed(api, type_="All")) == everything
    assert sorted(listed(api)) == everything  # no type: All
    assert sorted(listed(api, type_="Local")) == everything[:3]
    assert listed(api, type_="Subscribed") == []  # anonymous follows nothing
    assert listed(api, type_="ModeratorView") == []
    api.post("/community/follow", {"community_id": remote, "follow": True}, token=bob.token)
    assert sorted(listed(api, bob.token, type_="Subscribed")) == ["bbb_one", "far_away"]
    assert sorted(listed(api, bob.token, type_="ModeratorView")) == ["bbb_one"]
    assert sorted(listed(api, alice.token, type_="ModeratorView")) == ["aaa_one", "aaa_two"]
    assert sorted(listed(api, alice.token, type_="Local")) == everything[:3]
    views = api.get("/community/list", token=bob.token, type_="Subscribed")["communities"]
    assert {v["community"]["name"]: v["subscribed"] for v in views} == {
        "bbb_one": "Subscribed", "far_away": "Pending"}


def _sort_fixture(api: ApiClient, app: Any) -> dict[str, int]:
    alice = api.make_person()
    ids = {name: api.make_community(alice.token, name)["community"]["id"]
           for name in ("c_one", "c_two", "c_three")}
    now = utcnow()
    set_community(app, ids["c_one"], published=now - timedelta(days=30), subscribers=500,
                  comments=1, users_active_day=9, users_active_week=1, users_active_month=5,
                  users_active_half_year=1)
    set_community(app, ids["c_two"], published=now - timedelta(hours=30), subscribers=5,
                  comments=50, users_active_day=1, users_active_week=9, users_active_month=1,
                  users_active_half_year=5)
    set_community(app, ids["c_three"], published=now - timedelta(hours=1), subscribers=2,
                  comments=7, users_active_day=5, users_active_week=5, users_active_month=9,
                  users_active_half_year=9)
    return ids


def test_list_sorts(api: ApiClient, app: Any) -> None:
    _sort_fixture(api, app)
    expected = {
        # Hot ranks subscribers by age: the month-old community ranks 0 however big it is.
        "Hot": ["c_three", "c_two", "c_one"],
        "Active": ["c_three", "c_two", "c_one"],
        "Scaled": ["c_three", "c_two", "c_one"],
        "New": ["c_three", "c_two", "c_one"],
        "Old": ["c_one", "c_two", "c_three"],
        "TopAll": ["c_one", "c_two", "c_three"],
        "TopYear": ["c_one", "c_two", "c_three"],
        "TopNineMonths": ["c_one", "c_two", "c_three"],
        "TopSixMonths": ["c_three", "c_two", "c_one"],
        "TopThreeMonths": ["c_three", "c_two", "c_one"],
        "TopMonth": ["c_three", "c_one", "c_two"],
        "TopWeek": ["c_two", "c_three", "c_one"],
        "TopDay": ["c_one", "c_three", "c_two"],
        "TopHour": ["c_one", "c_three", "c_two"],
        "NewComments": ["c_one", "c_three", "c_two"],
        "MostComments": ["c_two", "c_three", "c_one"],
        "Controversial": ["c_two", "c_three", "c_one"],
    }
    for sort, order in expected.items():
        assert listed(api, sort=sort) == order, sort
    assert listed(api) == expected["Hot"]  # Hot by default


def test_hot_ranks_subscribers_among_young_communities(api: ApiClient, app: Any) -> None:
    ids = _sort_fixture(api, app)
    now = utcnow()
    set_community(app, ids["c_two"], published=now - timedelta(hours=2), subscribers=1000)
    set_community(app, ids["c_three"], published=now - timedelta(hours=2), subscribers=3)
    assert listed(api, sort="Hot") == ["c_two", "c_three", "c_one"]


def test_list_pagination(api: ApiClient) -> None:
    alice = api.make_person()
    for i in range(5):
        api.make_community(alice.token, f"paged_{i}")
    first = names(api.get("/community/list", sort="Old", limit=2)["communities"])
    second = names(api.get("/community/list", sort="Old", limit=2, page=2)["communities"])
    third = names(api.get("/community/list", sort="Old", limit=2, page=3)["communities"])
    assert first + second + third == [f"paged_{i}" for i in range(5)]
    assert len(api.get("/community/list")["communities"]) == 5  # default limit 10
    assert api.get("/community/list", page=4, limit=2)["communities"] == []
    assert api.error("GET", "/community/list", page=0) == "unknown"
    assert api.error("GET", "/community/list", page=101) == "unknown"
    assert api.get("/community/list", page=100)["communities"] == []
    assert api.error("GET", "/community/list", limit=51) == "unknown"
    assert api.error("GET", "/community/list", limit=0) == "unknown"
    assert api.error("GET", "/community/list", sort="Sideways") == "unknown"
    assert api.error("GET", "/community/list", type_="Everything") == "unknown"


def test_list_hides_removed_deleted_hidden_and_nsfw(api: ApiClient, app: Any, admin: str) -> None:
    alice, bob = api.make_person(), api.make_person()
    ids = {name: api.make_community(alice.token, name)["community"]["id"]
           for name in ("plain", "removed_c", "deleted_c", "hidden_c", "nsfw_c", "local_only")}
    set_community(app, ids["removed_c"], removed=True)
    set_community(app, ids["deleted_c"], deleted=True)
    set_community(app, ids["hidden_c"], hidden=True)
    set_community(app, ids["nsfw_c"], nsfw=True)
    set_community(app, ids["local_only"], visibility="LocalOnly")
    assert sorted(listed(api)) == ["plain"]  # LocalOnly is not shown to anonymous readers
    assert sorted(listed(api, bob.token)) == ["local_only", "plain"]
    assert sorted(listed(api, bob.token, show_nsfw=True)) == ["local_only", "nsfw_c", "plain"]
    assert sorted(listed(api, show_nsfw=True)) == ["nsfw_c", "plain"]
    # Hidden communities show to their followers (alice created, so follows, it).
    assert sorted(listed(api, alice.token)) == ["hidden_c", "local_only", "plain"]
    nsfw_fan = api.make_person(show_nsfw=True)
    assert sorted(listed(api, nsfw_fan.token)) == ["local_only", "nsfw_c", "plain"]
    # Admins see everything, as in Lemmy (is_mod_or_admin in the community query).
    assert sorted(listed(api, admin, show_nsfw=True)) == sorted(ids)


# POST /community/follow -------------------------------------------------------------------------


def _counts(api: ApiClient, community_id: int) -> tuple[int, int]:
    counts = api.get("/community", id=community_id)["community_view"]["counts"]
    return counts["subscribers"], counts["subscribers_local"]


def test_follow_and_unfollow(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    cid = api.make_community(alice.token, "followed")["community"]["id"]
    assert _counts(api, cid) == (1, 1)
    view = api.post("/community/follow", {"community_id": cid, "follow": True},
                    token=bob.token)["community_view"]
    assert view["subscribed"] == "Subscribed"
    assert (view["counts"]["subscribers"], view["counts"]["subscribers_local"]) == (2, 2)
    follows = api.get("/site", token=bob.token)["my_user"]["follows"]
    assert [(f["community"]["name"], f["follower"]["id"]) for f in follows] == \
        [("followed", bob.person_id)]
    # Following again changes nothing.
    api.post("/community/follow", {"community_id": cid, "follow": True}, token=bob.token)
    assert _counts(api, cid) == (2, 2)
    view = api.post("/community/follow", {"community_id": cid, "follow": False},
                    token=bob.token)["community_view"]
    assert view["subscribed"] == "NotSubscribed"
    assert _counts(api, cid) == (1, 1)
    assert api.get("/site", token=bob.token)["my_user"]["follows"] == []
    # Unfollowing what you do not follow is not an error (Lemmy deletes nothing).
    api.post("/community/follow", {"community_id": cid, "follow": False}, token=bob.token)
    assert _counts(api, cid) == (1, 1)
    assert api.get("/community", id=cid, token=bob.token)["community_view"]["subscribed"] \
        == "NotSubscribed"


def test_follow_remote_community_is_pending(api: ApiClient, app: Any) -> None:
    bob = api.make_person()
    remote = insert_remote_community(app, "over_there")
    view = api.post("/community/follow", {"community_id": remote, "follow": True},
                    token=bob.token)["community_view"]
    assert view["subscribed"] == "Pending"
    # Subscribers of a remote community are the remote server's to count; ours are local.
    assert (view["counts"]["subscribers"], view["counts"]["subscribers_local"]) == (0, 1)
    api.post("/community/follow", {"community_id": remote, "follow": False}, token=bob.token)
    assert _counts(api, remote) == (0, 0)


def test_follow_refusals(api: ApiClient, app: Any) -> None:
    alice, bob = api.make_person(), api.make_person()
    ids = {name: api.make_community(alice.token, name)["community"]["id"]
           for name in ("banning", "gone", "taken_down")}
    ban_from_community(app, ids["banning"], bob.person_id)
    set_community(app, ids["gone"], deleted=True)
    set_community(app, ids["taken_down"], removed=True)

    def follow(cid: int, **kw: Any) -> str:
        return api.error("POST", "/community/follow", {"community_id": cid, "follow": True}, **kw)

    assert follow(ids["banning"], token=bob.token) == "banned_from_community"
    assert follow(ids["gone"], token=bob.token) == "deleted"
    assert follow(ids["taken_down"], token=bob.token) == "deleted"
    assert follow(9999, token=bob.token, expect=404) == "couldnt_find_community"
    assert follow(ids["banning"], expect=401) == "incorrect_login"
    assert _counts(api, ids["banning"]) == (1, 1)
    assert api.get("/site", token=bob.token)["my_user"]["follows"] == []


# POST /community/block --------------------------------------------------------------------------


def test_block_community(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    cid = api.make_community(alice.token, "blockable")["community"]["id"]
    api.make_community(alice.token, "still_here")
    api.post("/community/follow", {"community_id": cid, "follow": True}, token=bob.token)
    assert _counts(api, cid) == (2, 2)
    result = api.post("/community/block", {"community_id": cid, "block": True}, token=bob.token)
    assert result["blocked"] is True
    view = result["community_view"]
    # Blocking also unfollows, and the counts follow.
    assert view["blocked"] is True and view["subscribed"] == "NotSubscribed"
    assert (view["counts"]["subscribers"], view["counts"]["subscribers_local"]) == (1, 1)
    my_user = api.get("/site", token=bob.token)["my_user"]
    assert [(b["community"]["name"], b["person"]["id"]) for b in my_user["community_blocks"]] \
        == [("blockable", bob.person_id)]
    assert my_user["follows"] == []
    assert listed(api, bob.token) == ["still_here"]
    assert sorted(listed(api)) == ["blockable", "still_here"]  # only the blocker's list changes
    assert sorted(listed(api, alice.token)) == ["blockable", "still_here"]
    # Blocking twice is harmless; unblocking restores the listing, not the follow.
    api.post("/community/block", {"community_id": cid, "block": True}, token=bob.token)
    result = api.post("/community/block", {"community_id": cid, "block": False}, token=bob.token)
    assert result["blocked"] is False and result["community_view"]["blocked"] is False
    assert result["community_view"]["subscribed"] == "NotSubscribed"
    assert sorted(listed(api, bob.token)) == ["blockable", "still_here"]
    assert api.get("/site", token=bob.token)["my_user"]["community_blocks"] == []
    assert _counts(api, cid) == (1, 1)


def test_block_community_refusals(api: ApiClient) -> None:
    bob = api.make_person()
    assert api.error("POST", "/community/block", {"community_id": 9999, "block": True},
                     token=bob.token, expect=404) == "couldnt_find_community"
    assert api.error("POST", "/community/block", {"community_id": 1, "block": True},
                     expect=401) == "incorrect_login"
