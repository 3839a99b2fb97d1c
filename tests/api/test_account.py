from tests.helpers import PASSWORD, ApiClient


def register(api: ApiClient, name: str, expect: int = 200, **extra: object) -> dict:
    body = {"username": name, "password": PASSWORD, "password_verify": PASSWORD, **extra}
    return api.post("/user/register", body, expect=expect)


def test_register_login_validate_logout(api: ApiClient) -> None:
    result = register(api, "alice")
    assert result["registration_created"] is False and result["jwt"]
    token = api.login("alice")
    assert api.get("/user/validate_auth", token=token) == {"success": True}
    api.post("/user/logout", {}, token=token)
    assert api.error("GET", "/user/validate_auth", token=token) == "not_logged_in"
    # The other session, from registration, still works.
    assert api.get("/user/validate_auth", token=result["jwt"]) == {"success": True}


def test_login_by_email_and_wrong_password(api: ApiClient) -> None:
    register(api, "bob", email="bob@example.com")
    assert api.login("bob@example.com")
    assert api.login("BOB")
    error = api.error("POST", "/user/login", {"username_or_email": "bob", "password": "wrong-pass-1"},
                      expect=401)
    assert error == "incorrect_login"
    error = api.error("POST", "/user/login", {"username_or_email": "nobody", "password": PASSWORD},
                      expect=401)
    assert error == "incorrect_login"


def test_register_refusals(api: ApiClient) -> None:
    register(api, "carol")
    assert api.error("POST", "/user/register", {"username": "carol", "password": PASSWORD,
                                                "password_verify": PASSWORD}) == "user_already_exists"
    assert api.error("POST", "/user/register", {"username": "CAROL", "password": PASSWORD,
                                                "password_verify": PASSWORD}) == "user_already_exists"
    assert api.error("POST", "/user/register", {"username": "dave", "password": "short",
                                                "password_verify": "short"}) == "invalid_password"
    assert api.error("POST", "/user/register", {"username": "dave", "password": PASSWORD,
                                                "password_verify": PASSWORD + "x"}) == "passwords_do_not_match"
    for bad in ("a b", "x", "dave!", "d" * 21):
        assert api.error("POST", "/user/register", {"username": bad, "password": PASSWORD,
                                                    "password_verify": PASSWORD}) == "invalid_name"
    register(api, "erin", email="same@example.com")
    assert api.error("POST", "/user/register", {"username": "frank", "password": PASSWORD,
                                                "password_verify": PASSWORD,
                                                "email": "SAME@example.com"}) == "email_already_exists"
    assert api.error("POST", "/user/register", {"username": "frank"}) == "unknown"


def test_arabic_and_cyrillic_names(api: ApiClient) -> None:
    assert register(api, "تجريب")["jwt"]
    assert register(api, "Иван_1")["jwt"]


def test_registration_closed(api: ApiClient, admin: str) -> None:
    api.put("/site", {"registration_mode": "Closed"}, token=admin)
    assert api.error("POST", "/user/register", {"username": "gina", "password": PASSWORD,
                                                "password_verify": PASSWORD}) == "registration_closed"


def test_registration_requires_application(api: ApiClient, admin: str) -> None:
    api.put("/site", {"registration_mode": "RequireApplication",
                      "application_question": "Why?"}, token=admin)
    assert api.error("POST", "/user/register", {
        "username": "hank", "password": PASSWORD, "password_verify": PASSWORD,
    }) == "registration_application_answer_required"
    result = register(api, "hank", answer="I like forums")
    assert result == {"registration_created": True, "verify_email_sent": False}
    error = api.error("POST", "/user/login", {"username_or_email": "hank", "password": PASSWORD})
    assert error == "registration_application_is_pending"


def test_bearer_or_cookie(api: ApiClient) -> None:
    token = register(api, "ivy")["jwt"]
    api.client.cookies.set("jwt", token)
    site = api.client.get("/api/v3/site").json()
    api.client.cookies.clear()
    assert site["my_user"]["local_user_view"]["person"]["name"] == "ivy"


def test_first_user_of_unset_site_becomes_admin(api: ApiClient, app) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import delete, update

    from moot.db import tables as t

    db = app.state.ctx.db
    with db.write() as conn:
        conn.execute(update(t.local_site).values(site_setup=False))
        conn.execute(delete(t.person))
    app.state.ctx.site_changed()
    first = register(api, "founder")
    second = register(api, "follower")
    assert api.get("/site", token=first["jwt"])["my_user"]["local_user_view"]["local_user"]["admin"]
    assert not api.get("/site", token=second["jwt"])["my_user"]["local_user_view"]["local_user"]["admin"]
