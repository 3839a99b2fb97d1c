"""Registration applications: admins list, count, read and decide them; login follows."""

from __future__ import annotations

from typing import Any

from tests.helpers import PASSWORD, ApiClient

LOGIN = "/user/login"


def require_applications(api: ApiClient, admin: str) -> None:
    api.put("/site", {"registration_mode": "RequireApplication",
                      "application_question": "Why join?"}, token=admin)


def apply(api: ApiClient, name: str, answer: str = "I like forums") -> None:
    result = api.post("/user/register", {"username": name, "password": PASSWORD,
                                         "password_verify": PASSWORD, "answer": answer})
    assert result["registration_created"] is True


def applications(api: ApiClient, admin: str, **query: Any) -> list[dict[str, Any]]:
    return api.get("/admin/registration_application/list", token=admin,  # type: ignore[no-any-return]
                   **query)["registration_applications"]


def unread(api: ApiClient, admin: str) -> int:
    return int(api.get("/admin/registration_application/count",
                       token=admin)["registration_applications"])


def login_error(api: ApiClient, name: str) -> dict[str, Any]:
    return api.post(LOGIN, {"username_or_email": name, "password": PASSWORD},  # type: ignore[no-any-return]
                    expect=400)


def test_routes_refuse_non_admins(api: ApiClient) -> None:
    alice = api.make_person()
    assert api.error("GET", "/admin/registration_application/count",
                     token=alice.token) == "not_an_admin"
    assert api.error("GET", "/admin/registration_application/list",
                     token=alice.token) == "not_an_admin"
    assert api.error("PUT", "/admin/registration_application/approve",
                     {"id": 1, "approve": True}, token=alice.token) == "not_an_admin"
    assert api.error("GET", "/admin/registration_application", token=alice.token,
                     person_id=alice.person_id) == "not_an_admin"


def test_list_and_count(api: ApiClient, admin: str) -> None:
    require_applications(api, admin)
    assert unread(api, admin) == 0
    apply(api, "hank", "First answer")
    apply(api, "ivy", "Second answer")
    assert unread(api, admin) == 2
    views = applications(api, admin, unread_only=True)
    assert [v["creator"]["name"] for v in views] == ["ivy", "hank"]  # newest first
    view = views[1]
    assert view["registration_application"]["answer"] == "First answer"
    assert "admin_id" not in view["registration_application"] and "admin" not in view
    assert view["creator_local_user"]["accepted_application"] is False
    assert view["creator_local_user"]["person_id"] == view["creator"]["id"]
    assert len(applications(api, admin, limit=1)) == 1
    assert [v["creator"]["name"] for v in applications(api, admin, page=2, limit=1)] == ["hank"]


def test_approve_lets_the_applicant_in(api: ApiClient, admin: str) -> None:
    require_applications(api, admin)
    apply(api, "hank")
    assert login_error(api, "hank")["error"] == "registration_application_is_pending"
    (view,) = applications(api, admin)
    app_id = view["registration_application"]["id"]
    result = api.put("/admin/registration_application/approve",
                     {"id": app_id, "approve": True}, token=admin)["registration_application"]
    admin_view = api.get("/site", token=admin)["my_user"]["local_user_view"]["person"]
    assert result["registration_application"]["admin_id"] == admin_view["id"]
    assert result["admin"]["name"] == admin_view["name"]
    assert result["creator_local_user"]["accepted_application"] is True
    assert unread(api, admin) == 0
    assert applications(api, admin, unread_only=True) == []
    assert len(applications(api, admin)) == 1
    api.login("hank")


def test_deny_gives_the_reason_at_login(api: ApiClient, admin: str) -> None:
    require_applications(api, admin)
    apply(api, "hank")
    (view,) = applications(api, admin)
    result = api.put("/admin/registration_application/approve",
                     {"id": view["registration_application"]["id"], "approve": False,
                      "deny_reason": "Not a forum person"}, token=admin)["registration_application"]
    assert result["registration_application"]["deny_reason"] == "Not a forum person"
    assert result["creator_local_user"]["accepted_application"] is False
    assert unread(api, admin) == 0
    error = login_error(api, "hank")
    assert error == {"error": "registration_denied", "message": "Not a forum person"}


def test_deny_without_reason(api: ApiClient, admin: str) -> None:
    require_applications(api, admin)
    apply(api, "hank")
    (view,) = applications(api, admin)
    api.put("/admin/registration_application/approve",
            {"id": view["registration_application"]["id"], "approve": False}, token=admin)
    assert login_error(api, "hank")["error"] == "registration_denied"


def test_read_by_person_and_not_found(api: ApiClient, admin: str) -> None:
    require_applications(api, admin)
    apply(api, "hank", "Because")
    (view,) = applications(api, admin)
    person_id = view["creator"]["id"]
    read = api.get("/admin/registration_application", token=admin, person_id=person_id)
    assert read["registration_application"] == view
    admin_id = api.get("/site", token=admin)["my_user"]["local_user_view"]["person"]["id"]
    assert api.error("GET", "/admin/registration_application", token=admin, person_id=admin_id,
                     expect=404) == "couldnt_find_registration_application"
    assert api.error("PUT", "/admin/registration_application/approve",
                     {"id": 999_999, "approve": True}, token=admin,
                     expect=404) == "couldnt_find_registration_application"
