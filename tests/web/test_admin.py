"""The /admin page: site settings, registration applications, admins and site bans."""

from __future__ import annotations

from typing import Any

from tests.conftest import ADMIN_NAME, ADMIN_PASSWORD
from tests.helpers import PASSWORD, ApiClient
from tests.web.conftest import WebClient
from tests.web.page import parse


def _site_form(untick: tuple[str, ...] = (), **changes: str) -> dict[str, str]:
    """The site form as a browser sends it: every text field, only the ticked boxes."""
    form = {"name": "Moot", "description": "", "sidebar": "", "icon": "", "banner": "",
            "legal_information": "", "application_question": "",
            "registration_mode": "Open", "enable_downvotes": "on", "federation_enabled": "on"}
    form.update(changes)
    for box in untick:
        form.pop(box)
    return form


def _apply(api: ApiClient, name: str) -> None:
    result = api.post("/user/register", {"username": name, "password": PASSWORD,
                                         "password_verify": PASSWORD, "answer": "I like it"})
    assert result["registration_created"] is True


def _admin_names(api: ApiClient) -> list[str]:
    return [a["person"]["name"] for a in api.get("/site")["admins"]]


def test_only_admins_see_the_page(api: ApiClient, web: WebClient) -> None:
    assert web.get("/admin", expect=303).headers["location"] == "/login?next=/admin"
    api.make_person("eve")
    web.login("eve")
    refused = web.get("/admin", expect=403).text
    assert 'data-error="not_an_admin"' in refused and 'href="/admin"' not in refused


def test_site_settings_form_changes_what_the_api_shows(api: ApiClient, web: WebClient) -> None:
    web.login(ADMIN_NAME, ADMIN_PASSWORD)
    html = web.get("/admin").text
    assert 'href="/admin"' in html
    page = parse(html)
    labelled = {label.attrs.get("for") for label in page.all("label")}
    for control in page.all("input") + page.all("select") + page.all("textarea"):
        if control.attrs.get("type") != "hidden":
            assert control.attrs.get("id") in labelled, control.attrs
    web.form("/admin/site", _site_form(
        name="Tea Forum", sidebar="All about *tea*", description="Tea talk",
        registration_mode="RequireApplication", application_question="Why tea?",
        private_instance="on", enable_nsfw="on", untick=("enable_downvotes",)), page="/admin")
    site = api.get("/site")["site_view"]
    assert site["site"]["name"] == "Tea Forum" and site["site"]["sidebar"] == "All about *tea*"
    assert site["site"]["description"] == "Tea talk"
    local = site["local_site"]
    assert local["registration_mode"] == "RequireApplication"
    assert local["application_question"] == "Why tea?"
    assert local["private_instance"] and local["enable_nsfw"]
    assert not local["enable_downvotes"] and not local["community_creation_admin_only"]
    assert 'value="Tea Forum"' in web.get("/admin").text
    # A refused form names the error and changes nothing.
    refused = web.form("/admin/site", _site_form(name=""), page="/admin", expect=400)
    assert 'data-error="site_name_length_overflow"' in refused.text
    bad_mode = web.form("/admin/site", _site_form(registration_mode="Whoever"), page="/admin",
                        expect=400)
    assert 'data-error="unknown"' in bad_mode.text
    assert api.get("/site")["site_view"]["site"]["name"] == "Tea Forum"


def test_applications_are_approved_and_denied(api: ApiClient, admin: str,
                                              web: WebClient) -> None:
    api.put("/site", {"registration_mode": "RequireApplication",
                      "application_question": "Why?"}, token=admin)
    _apply(api, "carol")
    _apply(api, "dave")
    web.login(ADMIN_NAME, ADMIN_PASSWORD)
    page = web.get("/admin").text
    assert "Approve carol" in page and "Deny dave" in page and "I like it" in page
    found = {a["creator"]["name"]: a["registration_application"]["id"] for a in
             api.get("/admin/registration_application/list",
                     token=admin)["registration_applications"]}
    web.form(f"/admin/application/{found['carol']}", {"approve": "true"}, page="/admin")
    web.form(f"/admin/application/{found['dave']}", {"approve": "false",
                                                    "deny_reason": "no bots"}, page="/admin")
    api.login("carol")
    denied = api.post("/user/login", {"username_or_email": "dave", "password": PASSWORD},
                      expect=400)
    assert denied["error"] == "registration_denied"
    dave = api.get("/admin/registration_application/list", token=admin)
    reasons = {a["creator"]["name"]: a["registration_application"].get("deny_reason")
               for a in dave["registration_applications"]}
    assert reasons["dave"] == "no bots"
    assert "No application is waiting." in web.get("/admin").text


def test_admins_are_added_and_removed(api: ApiClient, web: WebClient) -> None:
    bob = api.make_person("bob")
    web.login(ADMIN_NAME, ADMIN_PASSWORD)
    missing = web.form("/admin/admins", {"username": "nobody"}, page="/admin", expect=400)
    assert 'data-error="couldnt_find_person"' in missing.text
    web.form("/admin/admins", {"username": "bob"}, page="/admin")
    assert _admin_names(api) == [ADMIN_NAME, "bob"]
    assert f'action="/admin/admins/{bob.person_id}/remove"' in web.get("/admin").text
    web.form(f"/admin/admins/{bob.person_id}/remove", {}, page="/admin")
    assert _admin_names(api) == [ADMIN_NAME]


def test_banned_people_are_listed_and_unbanned(api: ApiClient, admin: str,
                                               web: WebClient) -> None:
    bob = api.make_person("bob")
    api.post("/user/ban", {"person_id": bob.person_id, "ban": True, "reason": "spam"},
             token=admin)
    web.login(ADMIN_NAME, ADMIN_PASSWORD)
    assert "Unban bob" in web.get("/admin").text
    web.form(f"/admin/banned/{bob.person_id}/unban", {}, page="/admin")
    assert api.get("/user/banned", token=admin)["banned"] == []
    person: dict[str, Any] = api.get("/user", person_id=bob.person_id)["person_view"]["person"]
    assert not person["banned"]
    assert "Nobody is banned." in web.get("/admin").text


def test_forged_and_csrf_less_posts_are_refused(api: ApiClient, admin: str, web: WebClient,
                                                other_web: WebClient) -> None:
    bob = api.make_person("bob")
    api.make_person("eve")
    api.post("/user/ban", {"person_id": bob.person_id, "ban": True}, token=admin)
    api.put("/site", {"registration_mode": "RequireApplication",
                      "application_question": "Why?"}, token=admin)
    _apply(api, "carol")
    application_id = api.get("/admin/registration_application/list", token=admin
                             )["registration_applications"][0]["registration_application"]["id"]
    web.login("eve")  # a plain user with a valid CSRF token of her own
    forged: tuple[tuple[str, dict[str, Any]], ...] = (("/admin/site", _site_form(name="Eve's now")),
              (f"/admin/application/{application_id}", {"approve": "true"}),
              ("/admin/admins", {"username": "eve"}),
              (f"/admin/banned/{bob.person_id}/unban", {}))
    for path, data in forged:
        refused = web.form(path, data, expect=403)
        assert 'data-error="not_an_admin"' in refused.text, path
    other_web.login(ADMIN_NAME, ADMIN_PASSWORD)
    for path, data in forged:
        response = other_web.client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403 and "csrf_failed" in response.text, path
    # Nothing changed.
    assert api.get("/site")["site_view"]["site"]["name"] != "Eve's now"
    assert _admin_names(api) == [ADMIN_NAME]
    assert [b["person"]["name"] for b in api.get("/user/banned", token=admin)["banned"]] == ["bob"]
    waiting = api.get("/admin/registration_application/count", token=admin)
    assert waiting["registration_applications"] == 1
