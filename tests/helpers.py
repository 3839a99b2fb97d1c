"""A thin client for the v3 API, and builders for the nouns tests need (make_person, …)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

_names = itertools.count(1)
PASSWORD = "password-123"


class ApiError(AssertionError):
    pass


@dataclass
class Person:
    token: str
    person_id: int
    name: str


class ApiClient:
    """Calls /api/v3 like an app does; ``expect`` names the status a call must answer with."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def call(self, method: str, path: str, body: dict[str, Any] | None = None, *,
             token: str | None = None, expect: int = 200, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        root_paths = ("/api/", "/nodeinfo", "/.well-known", "/version", "/pictrs")
        url = path if path.startswith(root_paths) else "/api/v3" + path
        query = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in params.items()
                 if v is not None}
        response = self.client.request(method, url, json=body, params=query, headers=headers)
        if response.status_code != expect:
            raise ApiError(f"{method} {path}: expected {expect}, got {response.status_code}: "
                           f"{response.text[:500]}")
        return response.json()

    def get(self, path: str, *, token: str | None = None, expect: int = 200, **params: Any) -> Any:
        return self.call("GET", path, token=token, expect=expect, **params)

    def post(self, path: str, body: dict[str, Any], *, token: str | None = None,
             expect: int = 200) -> Any:
        return self.call("POST", path, body, token=token, expect=expect)

    def put(self, path: str, body: dict[str, Any], *, token: str | None = None,
            expect: int = 200) -> Any:
        return self.call("PUT", path, body, token=token, expect=expect)

    def error(self, method: str, path: str, body: dict[str, Any] | None = None, *,
              token: str | None = None, expect: int = 400, **params: Any) -> str:
        """Make a call that must fail; returns the error name."""
        result = self.call(method, path, body, token=token, expect=expect, **params)
        assert set(result) <= {"error", "message"}, result
        return str(result["error"])

    # Builders -------------------------------------------------------------------------------

    def login(self, name: str, password: str = PASSWORD) -> str:
        return str(self.post("/user/login", {"username_or_email": name, "password": password})["jwt"])

    def make_person(self, name: str | None = None, **extra: Any) -> Person:
        name = name or f"person{next(_names)}"
        result = self.post("/user/register", {"username": name, "password": PASSWORD,
                                              "password_verify": PASSWORD, **extra})
        token = result["jwt"]
        site = self.get("/site", token=token)
        return Person(token, site["my_user"]["local_user_view"]["person"]["id"], name)

    def make_community(self, token: str, name: str | None = None, **extra: Any) -> dict[str, Any]:
        name = name or f"community{next(_names)}"
        body = {"name": name, "title": extra.pop("title", name.title()), **extra}
        return self.post("/community", body, token=token)["community_view"]  # type: ignore[no-any-return]

    def make_post(self, token: str, community_id: int, name: str | None = None,
                  **extra: Any) -> dict[str, Any]:
        body = {"name": name or f"Post number {next(_names)}", "community_id": community_id, **extra}
        return self.post("/post", body, token=token)["post_view"]  # type: ignore[no-any-return]

    def make_comment(self, token: str, post_id: int, content: str | None = None,
                     parent_id: int | None = None, **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"post_id": post_id, "content": content or f"Comment {next(_names)}",
                                **extra}
        if parent_id is not None:
            body["parent_id"] = parent_id
        return self.post("/comment", body, token=token)["comment_view"]  # type: ignore[no-any-return]
