"""Reports of private messages: only their recipient files one, only admins work the queue."""

from typing import Any

from tests.helpers import ApiClient, Person


def _message(api: ApiClient, sender: Person, recipient: Person, text: str = "buy pills") -> Any:
    return api.post("/private_message", {"content": text, "recipient_id": recipient.person_id},
                    token=sender.token)["private_message_view"]["private_message"]


def _report(api: ApiClient, person: Person, message_id: int, reason: str = "spam") -> Any:
    return api.post("/private_message/report", {"private_message_id": message_id,
                                                "reason": reason},
                    token=person.token)["private_message_report_view"]


def test_recipient_reports_a_message(api: ApiClient) -> None:
    spammer, victim = api.make_person(), api.make_person()
    message = _message(api, spammer, victim)
    view = _report(api, victim, message["id"], "  unsolicited ads  ")
    report = view["private_message_report"]
    assert (report["reason"], report["original_pm_text"], report["resolved"]) == \
        ("unsolicited ads", "buy pills", False)
    assert report["creator_id"] == victim.person_id
    assert view["creator"]["id"] == victim.person_id
    assert view["private_message_creator"]["id"] == spammer.person_id
    assert view["private_message"]["id"] == message["id"]
    assert "resolver" not in view
    # The report keeps the words as they were when reported.
    api.put("/private_message", {"private_message_id": message["id"], "content": "hello"},
            token=spammer.token)
    admin_view = api.get("/private_message/report/list",
                         token=api.login("admin", "admin-password-1"))["private_message_reports"]
    assert admin_view[0]["private_message_report"]["original_pm_text"] == "buy pills"
    assert admin_view[0]["private_message"]["content"] == "hello"


def test_report_refusals(api: ApiClient) -> None:
    spammer, victim, other = api.make_person(), api.make_person(), api.make_person()
    message = _message(api, spammer, victim)
    body = {"private_message_id": message["id"], "reason": "spam"}
    # Neither the sender nor a third person may report it.
    assert api.error("POST", "/private_message/report", body,
                     token=spammer.token) == "couldnt_create_report"
    assert api.error("POST", "/private_message/report", body,
                     token=other.token) == "couldnt_create_report"
    assert api.error("POST", "/private_message/report", body, expect=401) == "incorrect_login"
    assert api.error("POST", "/private_message/report", {**body, "reason": "   "},
                     token=victim.token) == "report_reason_required"
    assert api.error("POST", "/private_message/report", {**body, "reason": "x" * 1001},
                     token=victim.token) == "report_too_long"
    assert api.error("POST", "/private_message/report", {**body, "private_message_id": 999999},
                     token=victim.token, expect=404) == "couldnt_find_private_message"
    _report(api, victim, message["id"])
    # Lemmy keeps one report per person and message.
    assert api.error("POST", "/private_message/report", body,
                     token=victim.token) == "couldnt_create_report"


def test_admins_list_resolve_and_count(api: ApiClient, admin: str) -> None:
    spammer, victim, mod = api.make_person(), api.make_person(), api.make_person()
    api.make_community(mod.token)
    first = _report(api, victim, _message(api, spammer, victim, "one")["id"])
    second = _report(api, victim, _message(api, spammer, victim, "two")["id"])
    first_id = first["private_message_report"]["id"]
    second_id = second["private_message_report"]["id"]
    # Moderators and members are no admins.
    for person in (mod, victim):
        assert api.error("GET", "/private_message/report/list",
                         token=person.token) == "not_an_admin"
        assert api.error("PUT", "/private_message/report/resolve",
                         {"report_id": first_id, "resolved": True},
                         token=person.token) == "not_an_admin"
        assert "private_message_reports" not in api.get("/user/report_count",
                                                        token=person.token)
    listed = api.get("/private_message/report/list", token=admin)["private_message_reports"]
    assert [r["private_message_report"]["id"] for r in listed] == [second_id, first_id]
    assert api.get("/user/report_count", token=admin)["private_message_reports"] == 2
    view = api.put("/private_message/report/resolve", {"report_id": first_id, "resolved": True},
                   token=admin)["private_message_report_view"]
    assert view["private_message_report"]["resolved"] is True
    assert view["resolver"]["name"] == "admin"
    assert api.get("/user/report_count", token=admin)["private_message_reports"] == 1
    # A community's count never includes them.
    community_id = api.get("/community/list", limit=1)["communities"][0]["community"]["id"]
    assert "private_message_reports" not in api.get("/user/report_count", token=admin,
                                                    community_id=community_id)
    unresolved = api.get("/private_message/report/list", token=admin,
                         unresolved_only=True)["private_message_reports"]
    assert [r["private_message_report"]["id"] for r in unresolved] == [second_id]
    api.put("/private_message/report/resolve", {"report_id": first_id, "resolved": False},
            token=admin)
    assert api.get("/user/report_count", token=admin)["private_message_reports"] == 2
    assert api.error("PUT", "/private_message/report/resolve",
                     {"report_id": 999999, "resolved": True}, token=admin,
                     expect=404) == "couldnt_find_private_message_report"
