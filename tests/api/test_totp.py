"""Two-factor login: POST /user/totp/generate and /user/totp/update, then login codes."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pyotp

from tests.helpers import PASSWORD, ApiClient, Person


def login(api: ApiClient, name: str, code: str | None = None, expect: int = 200) -> dict:
    body = {"username_or_email": name, "password": PASSWORD}
    if code is not None:
        body["totp_2fa_token"] = code
    return api.post("/user/login", body, expect=expect)  # type: ignore[no-any-return]


def generate(api: ApiClient, person: Person) -> pyotp.TOTP:
    url = api.post("/user/totp/generate", {}, token=person.token)["totp_secret_url"]
    parts = urlsplit(url)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    query = parse_qs(parts.query)
    assert person.name in parts.path and query["issuer"] == ["moot.test"]
    return pyotp.TOTP(query["secret"][0])


def test_enable_login_disable(api: ApiClient) -> None:
    alice = api.make_person()
    totp = generate(api, alice)
    # Generating alone changes nothing: the app has not proved it holds the secret yet.
    assert login(api, alice.name)["jwt"]
    assert api.error("POST", "/user/totp/update", {"totp_token": "000000", "enabled": True},
                     token=alice.token) in ("incorrect_totp_token",)
    assert api.post("/user/totp/update", {"totp_token": totp.now(), "enabled": True},
                    token=alice.token) == {"enabled": True}
    local_user = api.get("/site", token=alice.token)["my_user"]["local_user_view"]["local_user"]
    assert local_user["totp_2fa_enabled"] is True
    assert api.error("POST", "/user/login", {"username_or_email": alice.name,
                                             "password": PASSWORD}) == "missing_totp_token"
    assert login(api, alice.name, "123456", expect=400)["error"] == "incorrect_totp_token"
    # A wrong password still says incorrect_login, whatever the code.
    assert api.error("POST", "/user/login", {"username_or_email": alice.name,
                                             "password": "wrong-pass-12",
                                             "totp_2fa_token": totp.now()},
                     expect=401) == "incorrect_login"
    assert login(api, alice.name, totp.now())["jwt"]
    # One step of clock skew is allowed, two are not.
    assert login(api, alice.name, totp.at(time.time() - 30))["jwt"]
    assert login(api, alice.name, totp.at(time.time() - 90), expect=400)["error"] == \
        "incorrect_totp_token"
    assert api.error("POST", "/user/totp/generate", {}, token=alice.token) == \
        "totp_already_enabled"
    assert api.post("/user/totp/update", {"totp_token": totp.now(), "enabled": False},
                    token=alice.token) == {"enabled": False}
    assert login(api, alice.name)["jwt"]


def test_refusals(api: ApiClient) -> None:
    bob = api.make_person()
    assert api.error("POST", "/user/totp/update", {"totp_token": "123456", "enabled": True},
                     token=bob.token) == "missing_totp_secret"
    assert api.error("POST", "/user/totp/generate", {}, expect=401) == "incorrect_login"
    totp = generate(api, bob)
    api.post("/user/totp/update", {"totp_token": totp.now(), "enabled": True}, token=bob.token)
    # Disabling needs a valid code too.
    assert api.error("POST", "/user/totp/update", {"totp_token": "", "enabled": False},
                     token=bob.token) == "missing_totp_token"
    assert api.error("POST", "/user/totp/update", {"totp_token": "999999x", "enabled": False},
                     token=bob.token) == "incorrect_totp_token"
    assert login(api, bob.name, expect=400)["error"] == "missing_totp_token"
