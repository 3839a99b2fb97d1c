from tests.helpers import PASSWORD, ApiClient


def test_register_bucket_refuses_over_the_limit(api: ApiClient, admin: str) -> None:
    api.put("/site", {"rate_limit_register": 2, "rate_limit_register_per_second": 3600},
            token=admin)
    login = {"username_or_email": "admin", "password": "admin-password-1"}
    api.post("/user/login", login)
    api.post("/user/login", login)
    assert api.error("POST", "/user/login", login) == "rate_limit_error"
    # Another client address has its own bucket.
    response = api.client.post("/api/v3/user/login", json=login,
                               headers={"X-Forwarded-For": "10.1.2.3"})
    assert response.status_code == 200
    # Other buckets are untouched.
    assert api.get("/site")["version"]


def test_message_bucket_covers_every_api_call(api: ApiClient, admin: str) -> None:
    api.put("/site", {"rate_limit_message": 3, "rate_limit_message_per_second": 60}, token=admin)
    results = [api.client.get("/api/v3/site").status_code for _ in range(5)]
    assert results.count(200) >= 2 and results[-1] == 400
    assert api.client.get("/api/v3/site").json() == {"error": "rate_limit_error"}
    # NodeInfo is not part of the API scope.
    assert api.client.get("/nodeinfo/2.1").status_code == 200


def test_zero_switches_a_bucket_off(api: ApiClient, admin: str) -> None:
    api.put("/site", {"rate_limit_register": 0}, token=admin)
    for i in range(5):
        api.post("/user/register", {"username": f"many{i}", "password": PASSWORD,
                                    "password_verify": PASSWORD})
