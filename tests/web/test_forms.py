"""Writing through the pages: accounts, posts, comments, votes; CSRF and inert user content."""

from __future__ import annotations

from tests.helpers import PASSWORD, ApiClient
from tests.web.conftest import WebClient
from tests.web.page import parse

JSON = {"X-Requested-With": "moot"}


def _setup(api: ApiClient) -> tuple[object, int, int]:
    alice = api.make_person("alice")
    community = api.make_community(alice.token, "main")
    post = api.make_post(alice.token, community["community"]["id"], "A post")
    return alice, community["community"]["id"], post["post"]["id"]


def _comments(api: ApiClient, post_id: int) -> list[dict[str, object]]:
    return api.get("/comment/list", post_id=post_id)["comments"]  # type: ignore[no-any-return]


def test_signup_sets_an_httponly_lax_cookie_and_logout_ends_the_login(web: WebClient) -> None:
    response = web.form("/signup", {"username": "carol", "password": PASSWORD,
                                    "password_verify": PASSWORD}, page="/signup")
    assert response.headers["location"] == "/"
    cookie = next(v for k, v in response.headers.multi_items()
                  if k == "set-cookie" and v.startswith("jwt="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    front = web.get("/").text
    assert 'href="/u/carol"' in front and "Log out" in front
    # The cookie is the API's login too.
    assert web.client.get("/api/v3/user/validate_auth").status_code == 200
    web.form("/logout", {})
    assert "Log in" in web.get("/").text
    assert web.client.get("/api/v3/user/validate_auth").status_code == 400


def test_signup_and_login_refusals_are_shown_on_the_form(api: ApiClient, web: WebClient) -> None:
    api.make_person("dave")
    taken = web.form("/signup", {"username": "dave", "password": PASSWORD,
                                 "password_verify": PASSWORD}, page="/signup", expect=400)
    assert "That name is taken" in taken.text
    wrong = web.form("/login", {"username_or_email": "dave", "password": "wrong-password"},
                     page="/login", expect=400)
    assert "Wrong name or password" in wrong.text and 'value="dave"' in wrong.text
    ok = web.form("/login", {"username_or_email": "dave", "password": PASSWORD,
                             "next": "//evil.example/x"}, page="/login")
    assert ok.headers["location"] == "/"  # no open redirect


def test_pages_that_need_a_login_redirect_to_it(web: WebClient) -> None:
    response = web.get("/create_post", expect=303)
    assert response.headers["location"] == "/login?next=/create_post"


def test_create_community_post_comment_reply_vote_and_edit(api: ApiClient, web: WebClient) -> None:
    api.make_person("erin")
    web.login("erin")
    web.form("/create_community", {"name": "gardens", "title": "Gardens"},
             page="/create_community")
    created = web.form("/create_post", {"community": "gardens", "name": "My roses",
                                        "body": "They are *red*", "url": ""}, page="/create_post")
    post_id = int(created.headers["location"].rsplit("/", 1)[1])
    web.form(f"/post/{post_id}/comment", {"content": "First!"}, page=f"/post/{post_id}")
    first = _comments(api, post_id)[0]["comment"]["id"]  # type: ignore[index]
    web.form(f"/post/{post_id}/comment", {"content": "Replying", "parent_id": str(first)},
             page=f"/post/{post_id}")
    web.form(f"/comment/{first}/vote", {"score": "-1"}, page=f"/post/{post_id}")
    web.form(f"/post/{post_id}/edit", {"name": "My red roses", "body": "Changed", "url": ""},
             page=f"/post/{post_id}/edit")
    web.form(f"/comment/{first}/edit", {"content": "First, edited"}, page=f"/comment/{first}/edit")
    doc = parse(web.get(f"/post/{post_id}").text)
    assert doc.by_id("post-title").text() == "My red roses"
    assert doc.first("article", "post").all("span", "edited")
    top = doc.by_id(f"c{first}")
    assert "First, edited" in top.first("div", "content").text()
    assert top.first("summary").all("span", "edited")
    assert top.first("button", "down").attrs["aria-pressed"] == "true"
    reply = top.first("div", "children").first("article", "comment")
    assert "Replying" in reply.text() and reply.first("summary").all("span", "op")


def test_script_requests_get_json_back(api: ApiClient, web: WebClient) -> None:
    _alice, _community, post_id = _setup(api)
    api.make_person("frank")
    web.login("frank")
    voted = web.form(f"/post/{post_id}/vote", {"score": "1"}, page=f"/post/{post_id}",
                     headers=JSON, expect=200).json()
    assert voted == {"upvotes": 2, "downvotes": 0, "my_vote": 1, "saved": False}
    added = web.form(f"/post/{post_id}/comment", {"content": "Via *script*"},
                     page=f"/post/{post_id}", headers=JSON, expect=200).json()
    fragment = parse(added["html"])
    assert fragment.by_id(f"c{added['id']}") and "<em>script</em>" in added["html"]
    refused = web.form(f"/post/{post_id}/vote", {"score": "7"}, page=f"/post/{post_id}",
                       headers=JSON, expect=400).json()
    assert refused["error"]


def test_forms_without_the_right_csrf_token_are_refused(api: ApiClient, web: WebClient,
                                                        other_web: WebClient) -> None:
    _alice, _community, post_id = _setup(api)
    web.login("alice")
    other_web.login("alice")
    path = f"/post/{post_id}/comment"
    missing = web.client.post(path, data={"content": "no token"}, follow_redirects=False)
    assert missing.status_code == 403 and "out of date" in missing.text
    # A token from another browser (another login of the same person) is not this one's.
    stolen = other_web.csrf(f"/post/{post_id}")
    other = web.client.post(path, data={"content": "x", "csrf": stolen}, follow_redirects=False)
    assert other.status_code == 403
    # The right token, but posted from another site: the login cookie does not even count.
    token = web.csrf(f"/post/{post_id}")
    cross = web.client.post(path, data={"content": "cross-site", "csrf": token},
                            headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert cross.status_code in (401, 403)
    # Logging out changes the token: a page kept open before cannot post afterwards.
    old = web.csrf(f"/post/{post_id}")
    web.form("/logout", {})
    assert web.client.post("/logout", data={"csrf": old},
                           follow_redirects=False).status_code == 403
    assert _comments(api, post_id) == []
    web.login("alice")
    web.form(path, {"content": "fine"}, page=f"/post/{post_id}",
             headers={"Origin": "http://testserver"})
    assert len(_comments(api, post_id)) == 1


def test_hostile_content_renders_inert(api: ApiClient, web: WebClient) -> None:
    alice, community_id, _post = _setup(api)
    post = api.make_post(alice.token, community_id, '<script>alert("t")</script> title',  # type: ignore[attr-defined]
                         body='<img src=x onerror=alert(1)> [go](javascript:alert(2))')
    post_id = post["post"]["id"]
    hostile = ('<script>alert(3)</script>\n\n<a href="javascript:alert(4)" onclick="x()">a</a>\n\n'
               '[click](javascript:alert(5)) ![i](javascript:alert(6)) '
               '<b onmouseover="alert(7)">b</b> [ok](https://example.com/"onmouseover="alert(8))')
    comment = api.make_comment(alice.token, post_id, hostile)  # type: ignore[attr-defined]
    for path in (f"/post/{post_id}", f"/comment/{comment['comment']['id']}", "/", "/u/alice",
                 "/search?q=alert"):
        html = web.get(path).text
        doc = parse(html)
        assert all(s.attrs.get("src", "").startswith("/static/") for s in doc.all("script")), path
        for element in doc.iter():
            assert not any(name.startswith("on") for name in element.attrs), (path, element.tag)
            for name in ("href", "src"):
                value = (element.attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:text")), (path, value)
        assert "&lt;script&gt;" in html or path == "/u/alice"


def test_api_writes_from_another_site_do_not_count_the_cookie(api: ApiClient,
                                                              web: WebClient) -> None:
    _alice, _community, post_id = _setup(api)
    web.login("alice")
    body = {"post_id": post_id, "content": "sent by another site"}
    cross = web.client.post("/api/v3/comment", json=body,
                            headers={"Origin": "https://evil.example"})
    assert cross.status_code == 401 and cross.json() == {"error": "incorrect_login"}
    same = web.client.post("/api/v3/comment", json=body,
                           headers={"Origin": "http://testserver"})
    assert same.status_code == 200
    # An app sending its token in the header is not a browser riding a cookie.
    header = web.client.post("/api/v3/comment", json=body, headers={
        "Origin": "https://app.example", "Authorization": f"Bearer {_alice.token}"})  # type: ignore[attr-defined]
    assert header.status_code == 200
    assert len(_comments(api, post_id)) == 2


def test_web_forms_spend_the_api_rate_limit_buckets(api: ApiClient, web: WebClient,
                                                    admin: str) -> None:
    api.put("/site", {"rate_limit_register": 2, "rate_limit_register_per_second": 3600},
            token=admin)
    data = {"username_or_email": "nobody", "password": "wrong-password"}
    for _ in range(2):
        web.form("/login", data, page="/login", expect=400)
    refused = web.form("/login", data, page="/login", expect=400)
    assert refused.json() == {"error": "rate_limit_error"}
