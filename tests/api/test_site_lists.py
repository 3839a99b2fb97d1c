"""Taglines, custom emojis and the federation allow/block lists an admin keeps (PUT /site,
/custom_emoji) and their public reads (GET /site, GET /federated_instances)."""

from __future__ import annotations

from typing import Any

from tests.helpers import ApiClient


def _emoji(shortcode: str, **extra: Any) -> dict[str, Any]:
    return {"category": "faces", "shortcode": shortcode, "image_url": "https://img.example/a.png",
            "alt_text": "a face", "keywords": ["Happy", " smile ", "happy"], **extra}


def test_taglines_are_replaced_kept_and_shown(api: ApiClient, admin: str) -> None:
    person = api.make_person()
    assert api.error("PUT", "/site", {"taglines": ["hi"]}, token=person.token) == "not_an_admin"
    result = api.put("/site", {"taglines": ["Welcome *in*", "  ", "Second line"]}, token=admin)
    assert [line["content"] for line in result["taglines"]] == ["Welcome *in*", "Second line"]
    shown = api.get("/site")["taglines"]
    assert [line["content"] for line in shown] == ["Welcome *in*", "Second line"]
    assert all(isinstance(line["id"], int) and line["published"] for line in shown)
    # A PUT without the list keeps it; an empty list clears it.
    api.put("/site", {"name": "Renamed"}, token=admin)
    assert len(api.get("/site")["taglines"]) == 2
    api.put("/site", {"taglines": []}, token=admin)
    assert api.get("/site")["taglines"] == []


def test_custom_emojis_lifecycle(api: ApiClient, admin: str) -> None:
    person = api.make_person()
    assert api.error("POST", "/custom_emoji", _emoji("nope"), token=person.token) == "not_an_admin"
    created = api.post("/custom_emoji", _emoji(" Wave "), token=admin)["custom_emoji"]
    emoji = created["custom_emoji"]
    assert emoji["shortcode"] == "wave"
    assert sorted(k["keyword"] for k in created["keywords"]) == ["happy", "smile"]
    assert api.error("POST", "/custom_emoji", _emoji("wave"), token=admin) == "unknown"
    assert api.error("POST", "/custom_emoji", _emoji("bad", image_url="javascript:x"),
                     token=admin) == "invalid_url_scheme"
    listed = api.get("/site")["custom_emojis"]
    assert [e["custom_emoji"]["shortcode"] for e in listed] == ["wave"]

    edited = api.put("/custom_emoji", {"id": emoji["id"], "category": "hands",
                                       "image_url": "https://img.example/b.png",
                                       "alt_text": "a hand", "keywords": ["hello"]},
                     token=admin)["custom_emoji"]
    assert edited["custom_emoji"]["shortcode"] == "wave"  # an edit keeps the shortcode
    assert edited["custom_emoji"]["category"] == "hands"
    assert [k["keyword"] for k in edited["keywords"]] == ["hello"]
    assert api.error("PUT", "/custom_emoji", {"id": emoji["id"], "category": "x",
                                              "image_url": "https://img.example/c.png",
                                              "alt_text": "", "keywords": []},
                     token=person.token) == "not_an_admin"

    api.post("/custom_emoji/delete", {"id": emoji["id"]}, token=admin)
    assert api.get("/site")["custom_emojis"] == []
    assert api.error("POST", "/custom_emoji/delete", {"id": emoji["id"]}, token=admin,
                     expect=404) == "couldnt_find_object"


def _domains(instances: list[dict[str, Any]]) -> list[str]:
    return sorted(i["domain"] for i in instances)


def test_federation_lists_are_stored_and_listed(api: ApiClient, admin: str) -> None:
    person = api.make_person()
    assert api.error("PUT", "/site", {"blocked_instances": ["spam.example"]},
                     token=person.token) == "not_an_admin"
    assert api.error("PUT", "/site", {"blocked_instances": ["not a domain"]},
                     token=admin) == "invalid_url"
    api.put("/site", {"allowed_instances": ["Lemmy.Example", "friends.example", "lemmy.example"],
                      "blocked_instances": ["spam.example"]}, token=admin)
    listed = api.get("/federated_instances")["federated_instances"]
    assert _domains(listed["allowed"]) == ["friends.example", "lemmy.example"]
    assert _domains(listed["blocked"]) == ["spam.example"]
    assert _domains(listed["linked"]) == ["friends.example", "lemmy.example"]
    site = api.get("/site")
    assert "admin" not in site  # the lists themselves are read through federated_instances
    # Replacing one list leaves the other as it was.
    api.put("/site", {"allowed_instances": []}, token=admin)
    listed = api.get("/federated_instances")["federated_instances"]
    assert listed["allowed"] == []
    assert _domains(listed["blocked"]) == ["spam.example"]


def test_federated_instances_empty_when_federation_is_off(api: ApiClient, admin: str) -> None:
    api.put("/site", {"federation_enabled": False, "blocked_instances": ["spam.example"]},
            token=admin)
    assert api.get("/federated_instances") == {}
