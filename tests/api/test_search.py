from tests.helpers import ApiClient


def _world(api: ApiClient) -> dict:
    alice = api.make_person("alice_searcher")
    bob = api.make_person("bob_gardener")
    cats = api.make_community(alice.token, "cats", title="Cats and kittens",
                              description="Everything feline")
    garden = api.make_community(bob.token, "gardening", title="Gardening")
    p1 = api.make_post(alice.token, cats["community"]["id"], "Kittens learning to climb",
                       body="A video of a catboat")
    p2 = api.make_post(bob.token, garden["community"]["id"], "Tomatoes in November",
                       url="https://tomato.example/grow")
    c1 = api.make_comment(bob.token, p1["post"]["id"], "My kitten climbs curtains")
    return {"alice": alice, "bob": bob, "cats": cats, "garden": garden, "p1": p1, "p2": p2,
            "c1": c1}


def test_search_all_kinds(api: ApiClient) -> None:
    w = _world(api)
    result = api.get("/search", q="kitten")
    assert result["type_"] == "All"
    assert [p["post"]["id"] for p in result["posts"]] == [w["p1"]["post"]["id"]]
    assert [c["comment"]["id"] for c in result["comments"]] == [w["c1"]["comment"]["id"]]
    assert [c["community"]["name"] for c in result["communities"]] == ["cats"]
    assert result["users"] == []
    users = api.get("/search", q="gardener", type_="Users")["users"]
    assert [u["person"]["name"] for u in users] == ["bob_gardener"]


def test_search_words_prefix_case_and_type(api: ApiClient) -> None:
    w = _world(api)
    assert len(api.get("/search", q="TOMATO nov", type_="Posts")["posts"]) == 1
    assert api.get("/search", q="tomato kitten", type_="Posts")["posts"] == []
    # post_title_only ignores the body
    assert len(api.get("/search", q="catboat", type_="Posts")["posts"]) == 1
    assert api.get("/search", q="catboat", type_="Posts", post_title_only=True)["posts"] == []
    only_comments = api.get("/search", q="kitten", type_="Comments")
    assert only_comments["posts"] == [] and len(only_comments["comments"]) == 1
    by_url = api.get("/search", q="https://tomato.example/grow", type_="Url")["posts"]
    assert [p["post"]["id"] for p in by_url] == [w["p2"]["post"]["id"]]


def test_search_filters_by_community_and_creator(api: ApiClient) -> None:
    w = _world(api)
    result = api.get("/search", q="kitten", community_id=w["garden"]["community"]["id"])
    assert result["posts"] == [] and result["comments"] == [] and result["communities"] == []
    result = api.get("/search", q="kitten", creator_id=w["bob"].person_id)
    assert result["posts"] == [] and len(result["comments"]) == 1
    result = api.get("/search", q="kitten", community_name="cats")
    assert len(result["posts"]) == 1


def test_search_hides_deleted_and_blocked(api: ApiClient) -> None:
    w = _world(api)
    api.post("/post/delete", {"post_id": w["p1"]["post"]["id"], "deleted": True},
             token=w["alice"].token)
    assert api.get("/search", q="kittens", type_="Posts")["posts"] == []
    api.post("/user/block", {"person_id": w["bob"].person_id, "block": True},
             token=w["alice"].token)
    assert api.get("/search", q="tomatoes", type_="Posts", token=w["alice"].token)["posts"] == []
    assert len(api.get("/search", q="tomatoes", type_="Posts")["posts"]) == 1


def test_search_refusals_and_odd_queries(api: ApiClient) -> None:
    _world(api)
    assert api.error("GET", "/search") == "unknown"  # q is required
    assert api.error("GET", "/search", q="x", limit=51) == "unknown"
    empty = api.get("/search", q="!!! ???")
    assert empty["posts"] == [] and empty["comments"] == [] and empty["users"] == []
    assert api.get("/search", q='kitten" OR "1')["posts"] == []
