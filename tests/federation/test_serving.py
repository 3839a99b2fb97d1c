"""Actors, objects and collections as other servers read them; web requests pass through."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PUBLIC_URL
from tests.helpers import ApiClient

AP = {"Accept": "application/activity+json"}
LD = {"Accept": 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'}


def _get(api: ApiClient, path: str, headers: dict[str, str], status: int = 200) -> Any:
    response = api.client.get(PUBLIC_URL + path, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/activity+json"
    return response.json()


@pytest.mark.parametrize("headers", [AP, LD])
def test_person_group_page_note_and_instance(api: ApiClient, admin: str,
                                             headers: dict[str, str]) -> None:
    community = api.make_community(admin, "tenforward", title="Ten Forward",
                                   description="the **lounge**")["community"]
    post = api.make_post(admin, community["id"], "A page", url="https://example.com/l",
                         body="text")["post"]
    top = api.make_comment(admin, post["id"], "top")["comment"]
    reply = api.make_comment(admin, post["id"], "reply", parent_id=top["id"])["comment"]

    group = _get(api, "/c/tenforward", headers)
    assert group["@context"][0] == "https://join-lemmy.org/context.json"
    assert (group["type"], group["preferredUsername"], group["name"]) == \
        ("Group", "tenforward", "Ten Forward")
    assert group["summary"] == "<p>the <strong>lounge</strong></p>\n"
    assert group["attributedTo"] == community["actor_id"] + "/moderators"
    assert group["endpoints"]["sharedInbox"] == PUBLIC_URL + "/inbox"
    person = _get(api, "/u/admin", headers)
    assert person["type"] == "Person" and person["inbox"] == PUBLIC_URL + "/u/admin/inbox"
    assert person["publicKey"] == {"id": PUBLIC_URL + "/u/admin#main-key",
                                   "owner": PUBLIC_URL + "/u/admin",
                                   "publicKeyPem": person["publicKey"]["publicKeyPem"]}
    page = _get(api, f"/post/{post['id']}", headers)
    assert (page["type"], page["name"], page["attributedTo"], page["audience"]) == \
        ("Page", "A page", person["id"], group["id"])
    assert page["to"] == [group["id"], "https://www.w3.org/ns/activitystreams#Public"]
    assert page["attachment"] == [{"type": "Link", "href": "https://example.com/l"}]
    assert page["source"] == {"content": "text", "mediaType": "text/markdown"}
    note = _get(api, f"/comment/{reply['id']}", headers)
    assert (note["type"], note["inReplyTo"], note["content"]) == \
        ("Note", top["ap_id"], "<p>reply</p>\n")
    assert note["cc"] == [group["id"], person["id"]]
    assert _get(api, f"/comment/{top['id']}", headers)["inReplyTo"] == page["id"]
    instance = _get(api, "/", headers)
    assert instance["type"] == "Application" and instance["id"] == PUBLIC_URL + "/"


def test_deleted_objects_are_tombstones_and_unknown_ones_404(api: ApiClient, admin: str) -> None:
    community = api.make_community(admin)["community"]
    post = api.make_post(admin, community["id"])["post"]
    api.post("/post/delete", {"post_id": post["id"], "deleted": True}, token=admin)
    tombstone = _get(api, f"/post/{post['id']}", AP, status=410)
    assert (tombstone["type"], tombstone["id"]) == ("Tombstone", post["ap_id"])
    _get(api, "/post/999999", AP, status=404)
    _get(api, "/u/nobody", AP, status=404)


def test_requests_without_an_activitypub_accept_pass_through(api: ApiClient) -> None:
    response = api.client.get(PUBLIC_URL + "/u/admin", headers={"Accept": "text/html"})
    assert response.headers.get("content-type") != "application/activity+json"
    response = api.client.get(PUBLIC_URL + "/api/v3/site", headers=AP)
    assert response.status_code == 200 and "site_view" in response.json()


def test_webfinger_lists_person_then_group(api: ApiClient, admin: str) -> None:
    api.make_community(admin, "admin")
    found = api.get("/.well-known/webfinger", resource="acct:admin@moot.test")
    selves = [link for link in found["links"] if link["rel"] == "self"]
    kinds = [link["properties"]["https://www.w3.org/ns/activitystreams#type"] for link in selves]
    assert kinds == ["Person", "Group"]
    assert selves[-1]["href"] == PUBLIC_URL + "/c/admin"
    api.get("/.well-known/webfinger", resource="acct:nobody@moot.test", expect=404)
    api.get("/.well-known/webfinger", resource="acct:admin@elsewhere.example", expect=404)


def test_collections(api: ApiClient, admin: str) -> None:
    community = api.make_community(admin)["community"]
    api.make_post(admin, community["id"], "Outboxed")
    name = community["name"]
    outbox = _get(api, f"/c/{name}/outbox", {})
    assert outbox["type"] == "OrderedCollection"
    # Lemmy's shape: the community's Announce of the author's Create of the Page.
    assert [(item["type"], item["object"]["type"], item["object"]["object"]["name"])
            for item in outbox["orderedItems"]] == [("Announce", "Create", "Outboxed")]
    followers = _get(api, f"/c/{name}/followers", {})
    assert (followers["type"], followers["totalItems"]) == ("Collection", 1)
    moderators = _get(api, f"/c/{name}/moderators", {})
    assert moderators["orderedItems"] == [PUBLIC_URL + "/u/admin"]
    # Listed in the order they became moderators, as the v3 view ranks them, even after the
    # first one's person row is written again (which moves it on PostgreSQL's heap).
    other = api.make_person()
    api.post("/community/mod", {"community_id": community["id"], "person_id": other.person_id,
                                "added": True}, token=admin)
    api.put("/user/save_user_settings", {"bio": "Moved"}, token=admin)
    moderators = _get(api, f"/c/{name}/moderators", {})
    assert moderators["orderedItems"] == [PUBLIC_URL + "/u/admin",
                                          f"{PUBLIC_URL}/u/{other.name}"]
    assert _get(api, f"/c/{name}/featured", {})["orderedItems"] == []
