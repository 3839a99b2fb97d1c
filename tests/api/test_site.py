from tests.helpers import ApiClient


def test_anonymous_site_has_languages_admins_and_version(api: ApiClient) -> None:
    site = api.get("/site")
    assert site["version"].startswith("0.19.")
    assert "my_user" not in site
    assert site["all_languages"][0] == {"id": 0, "code": "und", "name": "Undetermined"}
    assert len(site["all_languages"]) == 184
    assert [a["person"]["name"] for a in site["admins"]] == ["admin"]
    local_site = site["site_view"]["local_site"]
    assert local_site["site_setup"] is True
    assert local_site["enable_downvotes"] is True
    assert site["site_view"]["local_site_rate_limit"]["post_per_second"] == 600
    assert site["site_view"]["site"]["name"] == "Moot Test"
    assert site["site_view"]["site"]["published"].endswith("Z")


def test_site_with_login_has_my_user(api: ApiClient, admin: str) -> None:
    site = api.get("/site", token=admin)
    view = site["my_user"]["local_user_view"]
    assert view["person"]["name"] == "admin"
    assert view["local_user"]["admin"] is True
    assert "password_encrypted" not in view["local_user"]
    assert site["my_user"]["follows"] == []


def test_invalid_token_is_anonymous(api: ApiClient) -> None:
    site = api.get("/site", token="not-a-token")
    assert "my_user" not in site


def test_admin_edits_site(api: ApiClient, admin: str) -> None:
    result = api.put("/site", {"name": "Renamed", "enable_downvotes": False,
                               "rate_limit_post": 3, "default_sort_type": "Hot"}, token=admin)
    assert result["site_view"]["site"]["name"] == "Renamed"
    site = api.get("/site")
    assert site["site_view"]["local_site"]["enable_downvotes"] is False
    assert site["site_view"]["local_site"]["default_sort_type"] == "Hot"
    assert site["site_view"]["local_site_rate_limit"]["post"] == 3
    assert site["site_view"]["site"]["updated"].endswith("Z")


def test_non_admin_cannot_edit_site(api: ApiClient) -> None:
    person = api.make_person()
    assert api.error("PUT", "/site", {"name": "Mine"}, token=person.token) == "not_an_admin"
    assert api.error("PUT", "/site", {"name": "Mine"}, expect=401) == "incorrect_login"


def test_edit_site_refuses_bad_values(api: ApiClient, admin: str) -> None:
    assert api.error("PUT", "/site", {"name": "x" * 21}, token=admin) == "site_name_length_overflow"
    assert api.error("PUT", "/site", {"default_sort_type": "Sideways"}, token=admin) == "unknown"
    assert api.get("/site")["site_view"]["site"]["name"] == "Moot Test"


def test_nodeinfo_says_lemmy(api: ApiClient) -> None:
    links = api.get("/.well-known/nodeinfo")["links"]
    assert links[0]["href"].endswith("/nodeinfo/2.1")
    info = api.get("/nodeinfo/2.1")
    assert info["software"]["name"] == "lemmy"
    assert info["software"]["version"].startswith("0.19.")
    assert api.get("/nodeinfo/2.0.json")["software"]["name"] == "lemmy"  # after the redirect


def test_malformed_requests_get_named_errors(api: ApiClient) -> None:
    response = api.client.post("/api/v3/user/login", content=b'{"username_or_email": ',
                               headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == "unknown"
    assert "JSON" in response.json()["message"]
    response = api.client.get("/api/v3/no/such/endpoint")
    assert response.status_code == 404
    assert "error" in response.json()


def test_cors_is_permissive(api: ApiClient) -> None:
    response = api.client.options("/api/v3/site", headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "https://app.example")


def test_openapi_document_lists_v3_endpoints(api: ApiClient) -> None:
    doc = api.client.get("/api/v3/openapi.json").json()
    assert "/api/v3/site" in doc["paths"]
    assert "GetSiteResponse" in doc["components"]["schemas"]
