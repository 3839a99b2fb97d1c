"""Who may act against whom: admins outrank moderators, earlier ones outrank later ones
(Lemmy 0.19.9's is_higher_mod_or_admin_check), refused as not_higher_mod."""

from typing import Any

from tests.helpers import ApiClient, Person


def _add_mod(api: ApiClient, token: str, community_id: int, person: Person,
             added: bool = True) -> None:
    api.post("/community/mod", {"community_id": community_id, "person_id": person.person_id,
                                "added": added}, token=token)


def _mod_ids(api: ApiClient, community_id: int) -> list[int]:
    mods = api.get("/community", id=community_id)["moderators"]
    return [m["moderator"]["id"] for m in mods]


def _attempts(api: ApiClient, token: str, community_id: int, target: Person | int,
              post: dict[str, Any], comment: dict[str, Any]) -> list[str]:
    """The errors of each act against the target: remove their post and comment, ban them from
    the community and take away their moderator rank (each must be refused)."""
    person_id = target if isinstance(target, int) else target.person_id
    calls: list[tuple[str, dict[str, Any]]] = [
        ("/post/remove", {"post_id": post["id"], "removed": True}),
        ("/comment/remove", {"comment_id": comment["id"], "removed": True}),
        ("/community/ban_user", {"community_id": community_id, "person_id": person_id,
                                 "ban": True}),
        ("/community/mod", {"community_id": community_id, "person_id": person_id,
                            "added": False}),
    ]
    return [api.error("POST", path, body, token=token) for path, body in calls]


def test_later_moderator_cannot_act_against_earlier_one(api: ApiClient) -> None:
    top, second = api.make_person(), api.make_person()
    community = api.make_community(top.token)["community"]
    cid = community["id"]
    _add_mod(api, top.token, cid, second)
    post = api.make_post(top.token, cid)["post"]
    comment = api.make_comment(top.token, post["id"])["comment"]
    assert _attempts(api, second.token, cid, top, post, comment) == ["not_higher_mod"] * 4
    assert api.get("/post", id=post["id"])["post_view"]["post"]["removed"] is False
    assert _mod_ids(api, cid) == [top.person_id, second.person_id]
    # Adding needs no rank, and a later moderator outranks one added after them.
    third = api.make_person()
    _add_mod(api, second.token, cid, third)
    _add_mod(api, second.token, cid, third, added=False)
    assert _mod_ids(api, cid) == [top.person_id, second.person_id]
    # The top moderator acts against the second, who may still act on their own things.
    own = api.make_post(second.token, cid)["post"]
    api.post("/post/remove", {"post_id": own["id"], "removed": True}, token=second.token)
    api.post("/community/ban_user", {"community_id": cid, "person_id": second.person_id,
                                     "ban": True}, token=top.token)
    _add_mod(api, top.token, cid, second, added=False)
    assert _mod_ids(api, cid) == [top.person_id]


def test_moderator_cannot_act_against_an_admin(api: ApiClient, admin: str) -> None:
    admin_id = api.get("/site", token=admin)["my_user"]["local_user_view"]["person"]["id"]
    mod, member = api.make_person(), api.make_person()
    community = api.make_community(admin)["community"]
    cid = community["id"]
    _add_mod(api, admin, cid, mod)
    # The admin is the top moderator here; an admin who moderates nothing ranks above too.
    post = api.make_post(admin, cid)["post"]
    comment = api.make_comment(admin, post["id"])["comment"]
    assert _attempts(api, mod.token, cid, admin_id, post, comment) == ["not_higher_mod"] * 4
    # The moderator still acts against a plain member.
    member_post = api.make_post(member.token, cid)["post"]
    api.post("/post/remove", {"post_id": member_post["id"], "removed": True}, token=mod.token)
    api.post("/community/ban_user", {"community_id": cid, "person_id": member.person_id,
                                     "ban": True}, token=mod.token)


def test_admin_acts_against_moderators_but_not_a_higher_admin(api: ApiClient,
                                                              admin: str) -> None:
    admin_id = api.get("/site", token=admin)["my_user"]["local_user_view"]["person"]["id"]
    top, second_admin = api.make_person(), api.make_person()
    api.post("/admin/add", {"person_id": second_admin.person_id, "added": True}, token=admin)
    community = api.make_community(top.token)["community"]
    cid = community["id"]
    _add_mod(api, top.token, cid, second_admin)
    # A later admin, moderating or not, is refused against the first admin ...
    post = api.make_post(admin, cid)["post"]
    comment = api.make_comment(admin, post["id"])["comment"]
    assert _attempts(api, second_admin.token, cid, admin_id, post, comment) == \
        ["not_higher_mod"] * 4
    # ... but outranks the community's top moderator, who is no admin.
    top_post = api.make_post(top.token, cid)["post"]
    api.post("/post/remove", {"post_id": top_post["id"], "removed": True},
             token=second_admin.token)
    api.post("/community/ban_user", {"community_id": cid, "person_id": top.person_id,
                                     "ban": True}, token=second_admin.token)
    _add_mod(api, second_admin.token, cid, top, added=False)
    assert _mod_ids(api, cid) == [second_admin.person_id]
    # The first admin, moderator of nothing, acts against the second.
    api.post("/community/ban_user", {"community_id": cid, "person_id": second_admin.person_id,
                                     "ban": True}, token=admin)
    _add_mod(api, admin, cid, second_admin, added=False)
    assert _mod_ids(api, cid) == []
