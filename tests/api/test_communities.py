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
