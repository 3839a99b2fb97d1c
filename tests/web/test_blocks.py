"""Block and unblock buttons on people's and communities' pages."""

from __future__ import annotations

from tests.helpers import ApiClient
from tests.web.conftest import WebClient


def test_block_and_unblock_a_person_and_a_community(api: ApiClient, web: WebClient) -> None:
    alice, bob = api.make_person("alice"), api.make_person("bob")
    community_id = api.make_community(bob.token, "bobs")["community"]["id"]
    web.login("alice")
    assert 'action="/person/' not in web.get("/u/alice").text  # no blocking oneself
    web.form(f"/person/{bob.person_id}/block", {"block": "true", "next": "/u/bob"}, page="/u/bob")
    web.form(f"/community/{community_id}/block", {"block": "true"}, page="/c/bobs")
    mine = api.get("/site", token=alice.token)["my_user"]
    assert [b["target"]["name"] for b in mine["person_blocks"]] == ["bob"]
    assert [b["community"]["name"] for b in mine["community_blocks"]] == ["bobs"]
    assert "Unblock bob" in web.get("/u/bob").text
    assert "Unblock this community" in web.get("/c/bobs").text
    web.form(f"/person/{bob.person_id}/block", {"block": "false"}, page="/u/bob")
    web.form(f"/community/{community_id}/block", {"block": "false"}, page="/c/bobs")
    mine = api.get("/site", token=alice.token)["my_user"]
    assert mine["person_blocks"] == [] and mine["community_blocks"] == []
    assert "Block bob" in web.get("/u/bob").text
    refused = web.form(f"/person/{alice.person_id}/block", {"block": "true"}, expect=400)
    assert "cant_block_yourself" in refused.text
