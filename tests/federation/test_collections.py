"""A remote community's collections, read when it is first resolved (moderators, outbox,
featured posts), and the Add/Remove and Mastodon-style Announce(Page) that change them, in
Lemmy 0.19's shapes. The remote instance is a set of documents behind a mock transport."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from moot.errors import MootError
from moot.federation.apply import apply_activity
from moot.federation.http import Http
from moot.federation.keys import generate_keypair
from moot.federation.parse import Unusable
from tests.federation.fake import AP, PUBLIC_IP
from tests.helpers import ApiClient

HOST = "https://lemmy.example"
GROUP = f"{HOST}/c/main"
OTHER_HOST = "https://elsewhere.example"  # a person there is trusted only as a listed moderator
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_, KEY = generate_keypair()


def _actor(kind: str, name: str, host: str = HOST, **more: Any) -> dict[str, Any]:
    url = f"{host}/{'c' if kind == 'Group' else 'u'}/{name}"
    return {"id": url, "type": kind, "preferredUsername": name, "inbox": url + "/inbox",
            "publicKey": {"id": url + "#main-key", "owner": url, "publicKeyPem": KEY}, **more}


def _page(number: int, **more: Any) -> dict[str, Any]:
    return {"id": f"{HOST}/post/{number}", "type": "Page", "attributedTo": f"{HOST}/u/author",
            "to": [GROUP, PUBLIC], "audience": GROUP, "name": f"Post {number}",
            "published": f"2026-01-0{number}T10:00:00Z", **more}


def _announce(obj: Any) -> dict[str, Any]:
    return {"type": "Announce", "id": f"{HOST}/activities/announce/{json.dumps(obj)[-12:]}",
            "actor": GROUP, "to": [PUBLIC], "object": obj}


def _collection(url: str, items: list[Any]) -> dict[str, Any]:
    return {"id": url, "type": "OrderedCollection", "totalItems": len(items),
            "orderedItems": items}


def _documents() -> dict[str, dict[str, Any]]:
    pages = [_page(1), _page(2, commentsEnabled=False), _page(3, stickied=True)]
    creates = [{"type": "Create", "id": f"{HOST}/activities/create/{n}", "actor": p["attributedTo"],
                "to": [PUBLIC], "cc": [GROUP], "object": p} for n, p in enumerate(pages)]
    docs = {d["id"]: d for d in [
        _actor("Group", "main", attributedTo=GROUP + "/moderators", featured=GROUP + "/featured",
               outbox=GROUP + "/outbox"),
        _actor("Person", "author"), _actor("Person", "mod"), _actor("Person", "other", OTHER_HOST),
        _collection(GROUP + "/moderators", [f"{HOST}/u/mod"]),
        _collection(GROUP + "/outbox", [_announce(c) for c in reversed(creates)]),
        _collection(GROUP + "/featured", [pages[2]]),
        _page(4), _page(5)]}
    return docs


@pytest.fixture()
def remote(app: Any) -> dict[str, dict[str, Any]]:
    documents = _documents()

    def handler(request: httpx.Request) -> httpx.Response:
        document = documents.get(str(request.url))
        if document is None or request.method != "GET":
            return httpx.Response(404)
        return httpx.Response(200, headers={"content-type": AP}, content=json.dumps(document))

    ctx = app.state.ctx
    ctx.http = Http(ctx.settings, httpx.MockTransport(handler), resolver=lambda host: [PUBLIC_IP])
    return documents


def _posts(api: ApiClient, admin: str, community_id: int) -> dict[str, dict[str, Any]]:
    posts = api.get("/post/list", community_id=community_id, sort="Old", token=admin)["posts"]
    return {p["post"]["ap_id"]: p["post"] for p in posts}


def _mods(api: ApiClient, community_id: int) -> list[str]:
    return [m["moderator"]["actor_id"]
            for m in api.get("/community", id=community_id)["moderators"]]


def _act(kind: str, actor: str, obj: str, target: str) -> dict[str, Any]:
    host = actor.rsplit("/u/", 1)[0]
    return {"type": kind, "id": f"{host}/activities/{kind.lower()}/{obj[-6:]}{target[-3:]}",
            "actor": actor, "to": [PUBLIC], "cc": [GROUP], "object": obj, "target": target,
            "audience": GROUP}


def _create(page: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Create", "id": f"{page['id']}/create", "actor": page["attributedTo"],
            "to": [PUBLIC], "cc": [GROUP], "object": page, "audience": GROUP}


def _vote(obj: str) -> dict[str, Any]:
    return {"type": "Like", "id": f"{obj}/like", "actor": f"{HOST}/u/author", "object": obj,
            "audience": GROUP}


def _follow(api: ApiClient, token: str, community_id: int) -> None:
    api.post("/community/follow", {"community_id": community_id, "follow": True}, token=token)


def test_a_new_community_comes_with_its_moderators_posts_and_pins(
        app: Any, api: ApiClient, admin: str, remote: Any) -> None:
    found = api.get("/resolve_object", q=GROUP, token=admin)["community"]["community"]
    posts = _posts(api, admin, found["id"])
    assert sorted(posts) == [f"{HOST}/post/{n}" for n in (1, 2, 3)]
    assert [posts[f"{HOST}/post/{n}"]["locked"] for n in (1, 2, 3)] == [False, True, False]
    assert [posts[f"{HOST}/post/{n}"]["featured_community"] for n in (1, 2, 3)] == \
        [False, False, True]
    assert _mods(api, found["id"]) == [f"{HOST}/u/mod"]
    ctx, mod, other = app.state.ctx, f"{HOST}/u/mod", f"{OTHER_HOST}/u/other"
    featured, moderators = GROUP + "/featured", GROUP + "/moderators"
    post = f"{HOST}/post/1"

    # Until someone here follows it, nothing sent in the community is taken (Lemmy's
    # CommunityHasNoFollowers), announced or not, whatever the activity.
    for activity in (_announce(_act("Add", mod, post, featured)),
                     _announce(_create(_page(7))), _announce(_vote(f"{HOST}/post/2"))):
        with pytest.raises(Unusable, match="community_has_no_followers"):
            apply_activity(ctx, activity, GROUP)
    with pytest.raises(Unusable, match="community_has_no_followers"):
        apply_activity(ctx, _vote(f"{HOST}/post/2"), f"{HOST}/u/author")
    assert f"{HOST}/post/7" not in _posts(api, admin, found["id"])
    _follow(api, admin, found["id"])  # a pending follow is enough, as in Lemmy

    # The listed moderator pins and unpins (Add/Remove to the featured collection) ...
    assert apply_activity(ctx, _announce(_act("Add", mod, post, featured)), GROUP).applied
    assert _posts(api, admin, found["id"])[post]["featured_community"] is True
    apply_activity(ctx, _announce(_act("Remove", mod, post, featured)), GROUP)
    assert _posts(api, admin, found["id"])[post]["featured_community"] is False
    # ... and a post only fetched for it (post 4) is pinned too.
    apply_activity(ctx, _announce(_act("Add", mod, f"{HOST}/post/4", featured)), GROUP)
    assert _posts(api, admin, found["id"])[f"{HOST}/post/4"]["featured_community"] is True

    # Someone not listed, on another instance, may not act by sending it directly; announced by
    # the group, the community's own instance vouches for it (decision 0022).
    with pytest.raises(MootError, match="not_a_mod_or_admin"):
        apply_activity(ctx, _act("Add", other, post, featured), other)
    # The moderator adds another, who may then act; then removes them.
    apply_activity(ctx, _announce(_act("Add", mod, other, moderators)), GROUP)
    assert _mods(api, found["id"]) == [mod, other]
    apply_activity(ctx, _announce(_act("Add", other, post, featured)), GROUP)
    assert _posts(api, admin, found["id"])[post]["featured_community"] is True
    apply_activity(ctx, _announce(_act("Remove", mod, other, moderators)), GROUP)
    assert _mods(api, found["id"]) == [mod]
    modlog = api.get("/modlog", community_id=found["id"], token=admin)
    assert len(modlog["added_to_community"]) == 2 and len(modlog["featured_posts"]) == 4

    # A collection of no known community is refused with its reason.
    with pytest.raises(Unusable, match="no known community"):
        apply_activity(ctx, _act("Add", mod, post, f"{HOST}/elsewhere/featured"), mod)


def test_a_group_announcing_a_bare_page_creates_it_once(
        app: Any, api: ApiClient, admin: str, remote: Any) -> None:
    """Mastodon-style boosts by the group (and Lemmy's extra Announce(Page)): the object's
    Create; by its id only, it is fetched; a repeat changes nothing."""
    community_id = api.get("/resolve_object", q=GROUP, token=admin)["community"][
        "community"]["id"]
    _follow(api, admin, community_id)
    ctx = app.state.ctx
    outcome = apply_activity(ctx, _announce(_page(6, content="<p>boosted</p>")), GROUP)
    assert (outcome.applied, outcome.reason) == (True, "announced object applied as its Create")
    assert apply_activity(ctx, _announce(f"{HOST}/post/5"), GROUP).applied
    again = apply_activity(ctx, _announce(_page(6, content="<p>changed</p>")), GROUP)
    assert (again.applied, again.reason) == (False, "announced object is already known")
    posts = _posts(api, admin, community_id)
    assert {f"{HOST}/post/5", f"{HOST}/post/6"} <= set(posts)
    assert posts[f"{HOST}/post/6"]["body"] == "boosted"
