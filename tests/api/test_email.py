"""E-mail: address verification at registration and on change, and password resets, sent to a
real SMTP server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from moot.config import Settings
from moot.db import tables as t
from moot.db.types import utcnow
from tests.conftest import base_settings
from tests.helpers import PASSWORD, ApiClient
from tests.mailbox import Mailbox, free_port, run_mailbox

NEW = "brand-new-password-1"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    yield from run_mailbox()


@pytest.fixture
def settings(database_url: str, mailbox: Mailbox) -> Settings:
    return base_settings(database_url, smtp_host="127.0.0.1", smtp_port=mailbox.port,
                         smtp_tls="none", smtp_from="moot@moot.test")


def smtp_down(app: Any) -> None:
    ctx = app.state.ctx
    ctx.settings = ctx.settings.replace(smtp_port=free_port())  # nothing listens there


def register(api: ApiClient, name: str, expect: int = 200, **extra: Any) -> Any:
    return api.post("/user/register", {"username": name, "password": PASSWORD,
                                       "password_verify": PASSWORD, **extra}, expect=expect)


def login_error(api: ApiClient, name: str, password: str = PASSWORD, expect: int = 400) -> str:
    return api.error("POST", "/user/login", {"username_or_email": name, "password": password},
                     expect=expect)


def test_registration_needs_a_verified_address(api: ApiClient, admin: str,
                                               mailbox: Mailbox) -> None:
    api.put("/site", {"require_email_verification": True}, token=admin)
    assert register(api, "nomail", expect=400)["error"] == "email_required"
    result = register(api, "gina", email="Gina@Example.com")
    assert result == {"registration_created": False, "verify_email_sent": True}
    (message,) = mailbox.to("gina@example.com")
    assert message["From"] == "moot@moot.test" and "Verify" in message["Subject"]
    assert login_error(api, "gina") == "email_not_verified"
    assert api.error("POST", "/user/verify_email", {"token": "nope"}) == "token_not_found"
    token = mailbox.token("gina@example.com")
    assert api.post("/user/verify_email", {"token": token}) == {"success": True}
    jwt = api.login("gina")
    local_user = api.get("/site", token=jwt)["my_user"]["local_user_view"]["local_user"]
    assert local_user["email_verified"] is True
    assert api.error("POST", "/user/verify_email", {"token": token}) == "token_not_found"


def test_expired_verification(api: ApiClient, admin: str, app: Any, mailbox: Mailbox) -> None:
    api.put("/site", {"require_email_verification": True}, token=admin)
    register(api, "hal", email="hal@example.com")
    with app.state.ctx.db.write() as conn:
        conn.execute(update(t.email_verification).values(published=utcnow() - timedelta(days=8)))
    assert api.error("POST", "/user/verify_email",
                     {"token": mailbox.token("hal@example.com")}) == "token_not_found"


def test_registration_without_mail_server(api: ApiClient, admin: str, app: Any) -> None:
    api.put("/site", {"require_email_verification": True}, token=admin)
    ctx = app.state.ctx
    ctx.settings = ctx.settings.replace(smtp_host="")
    assert register(api, "ivy", email="ivy@example.com", expect=400)["error"] == "no_email_setup"
    assert login_error(api, "ivy", expect=401) == "incorrect_login"  # no account was made


def test_failing_mail_server_loses_nothing(api: ApiClient, admin: str, app: Any,
                                           mailbox: Mailbox) -> None:
    api.put("/site", {"require_email_verification": True}, token=admin)
    smtp_down(app)
    assert register(api, "jan", email="jan@example.com", expect=400)["error"] == \
        "email_send_failed"
    assert login_error(api, "jan") == "email_not_verified"  # the account is there
    assert mailbox.messages == []
    # Once the server is back, a refused login mails a fresh check (at most every 10 minutes).
    app.state.ctx.settings = app.state.ctx.settings.replace(smtp_port=mailbox.port)
    assert login_error(api, "jan") == "email_not_verified"
    assert mailbox.messages == []
    with app.state.ctx.db.write() as conn:
        conn.execute(update(t.email_verification).values(
            published=utcnow() - timedelta(minutes=11)))
    assert login_error(api, "jan") == "email_not_verified"
    assert login_error(api, "jan") == "email_not_verified"
    assert len(mailbox.to("jan@example.com")) == 1
    api.post("/user/verify_email", {"token": mailbox.token("jan@example.com")})
    assert api.login("jan")
    smtp_down(app)
    api.put("/site", {"require_email_verification": False}, token=admin)
    assert api.error("POST", "/user/password_reset", {"email": "jan@example.com"}) == \
        "email_send_failed"
    assert api.login("jan")  # the password is untouched


def test_password_reset(api: ApiClient, mailbox: Mailbox, app: Any) -> None:
    kim = api.make_person(email="kim@example.com")
    assert api.post("/user/password_reset", {"email": "KIM@example.com"}) == {"success": True}
    # An unknown address gets the same answer, and no mail goes anywhere.
    assert api.post("/user/password_reset", {"email": "nobody@example.com"}) == {"success": True}
    assert len(mailbox.messages) == 1
    token = mailbox.token("kim@example.com")

    def change(tok: str, password: str = NEW, verify: str = NEW) -> Any:
        return api.call("POST", "/user/password_change",
                        {"token": tok, "password": password, "password_verify": verify},
                        expect=200 if tok == token and password == verify == NEW else 400)

    assert change("wrong-token")["error"] == "token_not_found"
    assert change(token, verify=NEW + "x")["error"] == "passwords_do_not_match"
    assert change(token, password="short", verify="short")["error"] == "invalid_password"
    assert change(token) == {"success": True}
    assert api.error("GET", "/user/validate_auth", token=kim.token) == "not_logged_in"
    assert login_error(api, kim.name, expect=401) == "incorrect_login"
    assert api.login(kim.name, NEW)
    assert api.call("POST", "/user/password_change", {"token": token, "password": NEW,
                                                      "password_verify": NEW},
                    expect=400)["error"] == "token_not_found"  # single use

    api.post("/user/password_reset", {"email": "kim@example.com"})
    with app.state.ctx.db.write() as conn:
        conn.execute(update(t.password_reset_request).values(
            published=utcnow() - timedelta(hours=2)))
    assert api.call("POST", "/user/password_change",
                    {"token": mailbox.token("kim@example.com"), "password": PASSWORD,
                     "password_verify": PASSWORD}, expect=400)["error"] == "token_not_found"


def test_email_change_is_verified(api: ApiClient, mailbox: Mailbox) -> None:
    lee = api.make_person(email="lee@example.com")
    api.put("/user/save_user_settings", {"email": "lee2@example.com"}, token=lee.token)
    token = mailbox.token("lee2@example.com")
    api.post("/user/verify_email", {"token": token})
    local_user = api.get("/site", token=lee.token)["my_user"]["local_user_view"]["local_user"]
    assert local_user["email"] == "lee2@example.com" and local_user["email_verified"] is True
