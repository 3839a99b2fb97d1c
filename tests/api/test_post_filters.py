"""GET /post/list: listing types, defaults, community selection and the filters (deleted,
removed, hidden, NSFW, bots, read, hidden posts, saved, liked, blocks)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update

from moot.db import tables as t
from moot.db.engine import Database
from moot.db.types import utcnow
from tests.helpers import ApiClient, Person


def db(api: ApiClient) -> Database:
    return api.client.app.state.ctx.db  # type: ignore[attr-defined,no-any-return]


def set_row(api: ApiClient, table: Any, key: int, **values: Any) -> None:
    with db(api).write() as conn:
        conn.execute(update(table).where(table.c.id == key).values(**values))


def settings(api: ApiClient, person: Person, **values: Any) -> None:
    with db(api).write() as conn:
        conn.execute(update(t.local_user).where(t.local_user.c.person_id == person.person_id)
                     .values(**values))


def listed(api: ApiClient, token: str | None = None, **query: Any) -> list[int]:
    query.setdefault("limit", 50)
    return [v["post"]["id"] for v in api.get("/post/list", token=token, **query)["posts"]]


def make_remote(api: ApiClient, community_id: int) -> int:
    """Turn a community into one of another instance; returns that instance's id."""
    with db(api).write() as conn:
        instance_id = conn.execute(insert(t.instance).values(
            domain="remote.example", published=utcnow()).returning(t.instance.c.id)).scalar_one()
        conn.execute(update(t.community).where(t.community.c.id == community_id).values(
            local=False, instance_id=instance_id,
            actor_id="https://remote.example/c/elsewhere"))
    return int(instance_id)


def test_listing_types(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    mine = api.make_community(alice.token)["community"]["id"]
    theirs = api.make_community(bob.token)["community"]["id"]
    remote = api.make_community(bob.token)["community"]["id"]
    p_mine = api.make_post(alice.token, mine)["post"]["id"]
    p_theirs = api.make_post(bob.token, theirs)["post"]["id"]
    p_remote = api.make_post(bob.token, remote)["post"]["id"]
    make_remote(api, remote)
    carol = api.make_person()
    api.post("/community/follow", {"community_id": theirs, "follow": True}, token=carol.token)

    for token in (None, carol.token):
        assert set(listed(api, token, type_="All")) == {p_mine, p_theirs, p_remote}
        assert set(listed(api, token, type_="Local")) == {p_mine, p_theirs}
    assert listed(api, carol.token, type_="Subscribed") == [p_theirs]
    assert listed(api, alice.token, type_="ModeratorView") == [p_mine]
    assert set(listed(api, bob.token, type_="ModeratorView")) == {p_theirs, p_remote}
    # Lemmy ignores Subscribed and ModeratorView for anonymous readers.
    assert set(listed(api, type_="Subscribed")) == {p_mine, p_theirs, p_remote}


def test_listing_and_sort_defaults(api: ApiClient, admin: str) -> None:
    alice = api.make_person()
    local = api.make_community(alice.token)["community"]["id"]
    remote = api.make_community(alice.token)["community"]["id"]
    first = api.make_post(alice.token, local)["post"]["id"]
    second = api.make_post(alice.token, local)["post"]["id"]
    p_remote = api.make_post(alice.token, remote)["post"]["id"]
    make_remote(api, remote)
    # The site's defaults: Local, Active.
    assert set(listed(api)) == {first, second}
    api.put("/site", {"default_post_listing_type": "All", "default_sort_type": "Old"},
            token=admin)
    assert listed(api) == [first, second, p_remote]
    # A user's own defaults win over the site's.
    bob = api.make_person()
    settings(api, bob, default_listing_type="Subscribed", default_sort_type="New")
    assert listed(api, bob.token) == []
    api.post("/community/follow", {"community_id": local, "follow": True}, token=bob.token)
    assert listed(api, bob.token) == [second, first]
    assert listed(api, bob.token, sort="Old") == [first, second]
    # Inside a community the listing type is always All.
    assert listed(api, bob.token, community_id=remote) == [p_remote]
    assert listed(api, community_id=remote, type_="Local") == [p_remote]


def test_community_selection(api: ApiClient) -> None:
    alice = api.make_person()
    cats = api.make_community(alice.token, "cats")["community"]["id"]
    dogs = api.make_community(alice.token, "dogs")["community"]["id"]
    cat_post = api.make_post(alice.token, cats)["post"]["id"]
    api.make_post(alice.token, dogs)
    assert listed(api, community_id=cats) == [cat_post]
    assert listed(api, community_name="cats") == [cat_post]
    assert listed(api, community_name="cats@moot.test") == [cat_post]
    assert listed(api, community_name="!Cats@moot.test") == [cat_post]
    assert api.error("GET", "/post/list", community_name="birds",
                     expect=404) == "couldnt_find_community"
    assert listed(api, community_id=dogs + 100) == []


def test_deleted_removed_and_hidden(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    open_c = api.make_community(alice.token)["community"]["id"]
    hidden_c = api.make_community(alice.token)["community"]["id"]
    gone_c = api.make_community(alice.token)["community"]["id"]
    shown = api.make_post(alice.token, open_c)["post"]["id"]
    removed = api.make_post(alice.token, open_c)["post"]["id"]
    in_hidden = api.make_post(alice.token, hidden_c)["post"]["id"]
    in_gone = api.make_post(alice.token, gone_c)["post"]["id"]
    set_row(api, t.post, removed, removed=True)
    set_row(api, t.community, hidden_c, hidden=True)
    set_row(api, t.community, gone_c, deleted=True)
    # Alice follows her communities (as their creator), so their hidden one shows for her.
    assert set(listed(api, alice.token, type_="All")) == {shown, in_hidden}
    assert listed(api, bob.token, type_="All") == [shown]
    assert listed(api, type_="All") == [shown]
    assert listed(api, type_="Local") == [shown]
    set_row(api, t.community, gone_c, deleted=False, removed=True)
    assert in_gone not in listed(api, alice.token, type_="All")
    set_row(api, t.community, gone_c, removed=False)
    assert in_gone in listed(api, bob.token, type_="All")


def test_nsfw_filter(api: ApiClient, admin: str) -> None:
    alice, bob = api.make_person(), api.make_person()
    safe_c = api.make_community(alice.token)["community"]["id"]
    nsfw_c = api.make_community(alice.token, nsfw=True)["community"]["id"]
    safe = api.make_post(alice.token, safe_c)["post"]["id"]
    marked = api.make_post(alice.token, safe_c, nsfw=True)["post"]["id"]
    in_nsfw = api.make_post(alice.token, nsfw_c)["post"]["id"]
    set_row(api, t.post, in_nsfw, nsfw=False)  # an NSFW community hides even unmarked posts
    everything = {safe, marked, in_nsfw}
    assert listed(api, type_="All") == [safe]
    assert listed(api, bob.token, type_="All") == [safe]
    assert set(listed(api, bob.token, type_="All", show_nsfw=True)) == everything
    assert set(listed(api, type_="All", show_nsfw=True)) == everything
    settings(api, bob, show_nsfw=True)
    assert set(listed(api, bob.token, type_="All")) == everything
    assert listed(api, bob.token, type_="All", show_nsfw=False) == [safe]
    # A site with a content warning shows NSFW to anonymous readers by default.
    api.put("/site", {"content_warning": "Adults only"}, token=admin)
    assert set(listed(api, type_="All")) == everything


def test_bot_filter(api: ApiClient) -> None:
    alice, robot, bob = api.make_person(), api.make_person(), api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    human = api.make_post(alice.token, cid)["post"]["id"]
    made_by_bot = api.make_post(robot.token, cid)["post"]["id"]
    set_row(api, t.person, robot.person_id, bot_account=True)
    assert set(listed(api, bob.token, type_="All")) == {human, made_by_bot}
    settings(api, bob, show_bot_accounts=False)
    assert listed(api, bob.token, type_="All") == [human]
    assert set(listed(api, type_="All")) == {human, made_by_bot}


def test_read_filter(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    seen = api.make_post(alice.token, cid)["post"]["id"]
    unseen = api.make_post(alice.token, cid)["post"]["id"]
    api.post("/post/mark_as_read", {"post_ids": [seen], "read": True}, token=bob.token)
    assert set(listed(api, bob.token, type_="All")) == {seen, unseen}
    settings(api, bob, show_read_posts=False)
    assert listed(api, bob.token, type_="All") == [unseen]
    assert set(listed(api, bob.token, type_="All", show_read=True)) == {seen, unseen}
    # Saved posts show even when read.
    api.put("/post/save", {"post_id": seen, "save": True}, token=bob.token)
    assert listed(api, bob.token, type_="All", saved_only=True) == [seen]
    settings(api, bob, show_read_posts=True)
    assert listed(api, bob.token, type_="All", show_read=False) == [unseen]


def test_saved_only_orders_by_save_time(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    first, second, third = (api.make_post(alice.token, cid)["post"]["id"] for _ in range(3))
    for post_id in (second, first, third):
        api.put("/post/save", {"post_id": post_id, "save": True}, token=bob.token)
    assert listed(api, bob.token, saved_only=True, sort="Old") == [third, first, second]
    page = api.get("/post/list", token=bob.token, saved_only=True, limit=2)
    assert [v["post"]["id"] for v in page["posts"]] == [third, first]
    rest = api.get("/post/list", token=bob.token, saved_only=True, limit=2,
                   page_cursor=page["next_page"])
    assert [v["post"]["id"] for v in rest["posts"]] == [second]


def test_liked_and_disliked_only(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    liked = api.make_post(alice.token, cid)["post"]["id"]
    disliked = api.make_post(alice.token, cid)["post"]["id"]
    api.make_post(alice.token, cid)
    own = api.make_post(bob.token, cid)["post"]["id"]  # upvoted by bob, but his own
    api.post("/post/like", {"post_id": liked, "score": 1}, token=bob.token)
    api.post("/post/like", {"post_id": disliked, "score": -1}, token=bob.token)
    assert listed(api, bob.token, type_="All", liked_only=True) == [liked]
    assert listed(api, bob.token, type_="All", disliked_only=True) == [disliked]
    assert own in listed(api, bob.token, type_="All")
    assert api.error("GET", "/post/list", token=bob.token, liked_only=True,
                     disliked_only=True) == "contradicting_filters"


def test_blocks(api: ApiClient) -> None:
    alice, bob, carol = api.make_person(), api.make_person(), api.make_person()
    c_alice = api.make_community(alice.token)["community"]["id"]
    c_carol = api.make_community(carol.token)["community"]["id"]
    c_remote = api.make_community(carol.token)["community"]["id"]
    by_alice = api.make_post(alice.token, c_alice)["post"]["id"]
    alice_elsewhere = api.make_post(alice.token, c_carol)["post"]["id"]
    by_carol = api.make_post(carol.token, c_carol)["post"]["id"]
    remote_post = api.make_post(carol.token, c_remote)["post"]["id"]
    instance_id = make_remote(api, c_remote)
    everything = {by_alice, alice_elsewhere, by_carol, remote_post}
    assert set(listed(api, bob.token, type_="All")) == everything

    api.post("/user/block", {"person_id": alice.person_id, "block": True}, token=bob.token)
    assert set(listed(api, bob.token, type_="All")) == {by_carol, remote_post}
    view = api.get("/post", id=by_alice, token=bob.token)["post_view"]
    assert view["creator_blocked"] is True
    api.post("/community/block", {"community_id": c_carol, "block": True}, token=bob.token)
    assert listed(api, bob.token, type_="All") == [remote_post]
    with db(api).write() as conn:
        conn.execute(insert(t.instance_block).values(person_id=bob.person_id,
                                                     instance_id=instance_id, published=utcnow()))
    assert listed(api, bob.token, type_="All") == []
    # Blocks are Bob's own: nobody else's listing changes.
    assert set(listed(api, type_="All")) == everything
    assert set(listed(api, carol.token, type_="All")) == everything
    api.post("/user/block", {"person_id": alice.person_id, "block": False}, token=bob.token)
    assert listed(api, bob.token, type_="All") == [by_alice]


def test_post_view_flags(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    post_id = api.make_post(bob.token, cid)["post"]["id"]
    with db(api).write() as conn:
        conn.execute(insert(t.community_person_ban).values(
            community_id=cid, person_id=bob.person_id, published=utcnow()))
    (for_bob,) = api.get("/post/list", token=bob.token, type_="All")["posts"]
    assert for_bob["creator_banned_from_community"] is True
    assert for_bob["banned_from_community"] is True
    assert for_bob["creator_is_moderator"] is False
    assert for_bob["subscribed"] == "NotSubscribed" and for_bob["my_vote"] == 1
    (for_alice,) = api.get("/post/list", token=alice.token, type_="All")["posts"]
    assert for_alice["banned_from_community"] is False and for_alice["subscribed"] == "Subscribed"
    assert "my_vote" not in for_alice and for_alice["read"] is False
    (anonymous,) = api.get("/post/list", type_="All")["posts"]
    assert anonymous["subscribed"] == "NotSubscribed" and "my_vote" not in anonymous
    assert anonymous["post"]["id"] == post_id


def test_person_posts_for_profiles(api: ApiClient, admin: str) -> None:
    """person_posts, which GetPersonDetails uses: one creator, read and hidden posts included,
    removed ones only for admins."""
    from moot.views.people import load_viewer
    from moot.views.post_list import person_posts

    alice, bob = api.make_person(), api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    kept, removed, read, hidden = (api.make_post(alice.token, cid)["post"]["id"]
                                   for _ in range(4))
    api.make_post(bob.token, cid)
    set_row(api, t.post, removed, removed=True)
    api.post("/post/mark_as_read", {"post_ids": [read], "read": True}, token=bob.token)
    api.post("/post/hide", {"post_ids": [hidden], "hide": True}, token=bob.token)
    settings(api, bob, show_read_posts=False)
    ctx = api.client.app.state.ctx  # type: ignore[attr-defined]

    def posts_seen_by(token: str | None, **options: Any) -> set[int]:
        with ctx.db.read() as conn:
            viewer = None
            if token:
                user_id = api.get("/site", token=token)["my_user"]["local_user_view"][
                    "local_user"]["id"]
                viewer = load_viewer(conn, user_id, token)
            views = person_posts(ctx, conn, viewer, options.pop("creator", alice.person_id),
                                 sort="New", **options)
        return {v["post"]["id"] for v in views}

    assert posts_seen_by(bob.token) == {kept, read, hidden}
    assert posts_seen_by(None) == {kept, read, hidden}
    assert posts_seen_by(admin) == {kept, removed, read, hidden}
    assert posts_seen_by(None, limit=2, offset=2) == {kept}
    api.put("/post/save", {"post_id": kept, "save": True}, token=bob.token)
    assert posts_seen_by(bob.token, creator=None, saved_only=True) == {kept}
