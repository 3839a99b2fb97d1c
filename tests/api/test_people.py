"""GET /user (person details) and POST /user/block."""

from typing import Any

from sqlalchemy import update

from moot.db import tables as t
from tests.helpers import ApiClient


def _set(app: Any, table: Any, row_id: int, **values: Any) -> None:
    with app.state.ctx.db.write() as conn:
        conn.execute(update(table).where(table.c.id == row_id).values(**values))


# POST /user/block -------------------------------------------------------------------------------


def test_block_and_unblock_person(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    result = api.post("/user/block", {"person_id": alice.person_id, "block": True},
                      token=bob.token)
    assert result["blocked"] is True
    assert result["person_view"]["person"]["id"] == alice.person_id
    assert result["person_view"]["is_admin"] is False
    assert result["person_view"]["counts"] == {"person_id": alice.person_id, "post_count": 0,
                                               "comment_count": 0}
    blocks = api.get("/site", token=bob.token)["my_user"]["person_blocks"]
    assert [(b["person"]["id"], b["target"]["name"]) for b in blocks] == \
        [(bob.person_id, alice.name)]
    assert api.get("/site", token=alice.token)["my_user"]["person_blocks"] == []
    # Blocking twice keeps one block.
    api.post("/user/block", {"person_id": alice.person_id, "block": True}, token=bob.token)
    assert len(api.get("/site", token=bob.token)["my_user"]["person_blocks"]) == 1
    result = api.post("/user/block", {"person_id": alice.person_id, "block": False},
                      token=bob.token)
    assert result["blocked"] is False
    assert api.get("/site", token=bob.token)["my_user"]["person_blocks"] == []


def test_block_person_refusals(api: ApiClient, admin: str) -> None:
    bob = api.make_person()
    admin_id = api.get("/site", token=admin)["my_user"]["local_user_view"]["person"]["id"]

    def block(person_id: int, **kw: Any) -> str:
        return api.error("POST", "/user/block", {"person_id": person_id, "block": True}, **kw)

    assert block(bob.person_id, token=bob.token) == "cant_block_yourself"
    assert block(admin_id, token=bob.token) == "cant_block_admin"
    assert block(9999, token=bob.token, expect=404) == "couldnt_find_person"
    assert block(admin_id, expect=401) == "incorrect_login"
    assert api.get("/site", token=bob.token)["my_user"]["person_blocks"] == []
    # An admin may be unblocked (a block made before they became admin must be removable).
    assert api.post("/user/block", {"person_id": admin_id, "block": False},
                    token=bob.token)["blocked"] is False


# GET /user --------------------------------------------------------------------------------------


def test_person_details_by_id_and_by_name(api: ApiClient, admin: str) -> None:
    alice = api.make_person("Alice_D")
    by_id = api.get("/user", person_id=alice.person_id)
    view = by_id["person_view"]
    assert view["person"]["name"] == "Alice_D"
    assert view["person"]["actor_id"] == "http://moot.test/u/Alice_D"
    assert view["is_admin"] is False
    assert view["counts"] == {"person_id": alice.person_id, "post_count": 0, "comment_count": 0}
    assert by_id["moderates"] == [] and by_id["posts"] == [] and by_id["comments"] == []
    assert "site" not in by_id
    for username in ("Alice_D", "alice_d", "Alice_D@moot.test", "@alice_d@moot.test"):
        got = api.get("/user", username=username, token=admin)
        assert got["person_view"]["person"]["id"] == alice.person_id, username
    assert api.get("/user", username="admin")["person_view"]["is_admin"] is True


def test_person_details_refusals(api: ApiClient, app: Any) -> None:
    alice = api.make_person()
    assert api.error("GET", "/user") == "no_id_given"
    assert api.error("GET", "/user", person_id=9999, expect=404) == "couldnt_find_person"
    assert api.error("GET", "/user", username="nobody_here", expect=404) == "couldnt_find_person"
    assert api.error("GET", "/user", username=f"{alice.name}@elsewhere.test",
                     expect=404) == "couldnt_find_person"
    assert api.error("GET", "/user", person_id=alice.person_id, page=0) == "unknown"
    assert api.error("GET", "/user", person_id=alice.person_id, limit=51) == "unknown"
    _set(app, t.person, alice.person_id, deleted=True)
    assert api.error("GET", "/user", person_id=alice.person_id, expect=404) \
        == "couldnt_find_person"


def test_person_details_private_instance(api: ApiClient, admin: str) -> None:
    alice = api.make_person()
    api.put("/site", {"private_instance": True}, token=admin)
    assert api.error("GET", "/user", person_id=alice.person_id) == "instance_is_private"
    assert api.get("/user", person_id=alice.person_id, token=alice.token)["person_view"]


def test_person_details_moderates(api: ApiClient, app: Any, admin: str) -> None:
    alice, bob = api.make_person(), api.make_person()
    ids = {name: api.make_community(alice.token, name)["community"]["id"]
           for name in ("first_mod", "second_mod", "deleted_mod", "removed_mod", "local_mod")}
    api.make_community(bob.token, "bobs_own")
    _set(app, t.community, ids["deleted_mod"], deleted=True)
    _set(app, t.community, ids["removed_mod"], removed=True)
    _set(app, t.community, ids["local_mod"], visibility="LocalOnly")

    def moderates(token: str | None) -> list[str]:
        got = api.get("/user", person_id=alice.person_id, token=token)["moderates"]
        assert all(m["moderator"]["id"] == alice.person_id for m in got)
        return [m["community"]["name"] for m in got]

    # In the order they became moderator; LocalOnly hidden from anonymous readers, deleted
    # shown to the moderator only, removed to admins only (Lemmy's CommunityModeratorView).
    assert moderates(None) == ["first_mod", "second_mod"]
    assert moderates(bob.token) == ["first_mod", "second_mod", "local_mod"]
    assert moderates(alice.token) == ["first_mod", "second_mod", "deleted_mod", "local_mod"]
    assert moderates(admin) == ["first_mod", "second_mod", "removed_mod", "local_mod"]
    got = api.get("/user", username=bob.name)["moderates"]
    assert [m["community"]["name"] for m in got] == ["bobs_own"]
