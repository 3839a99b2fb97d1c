"""Fixtures for the server-side page tests: a browser-like client over the test app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.helpers import PASSWORD

_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


class WebClient:
    """Keeps cookies like a browser; ``form`` posts a form with the CSRF token of a page."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, path: str, expect: int = 200, **kwargs: Any) -> httpx.Response:
        response = self.client.get(path, follow_redirects=False, **kwargs)
        assert response.status_code == expect, (path, response.status_code, response.text[:800])
        return response

    def csrf(self, path: str = "/") -> str:
        match = _CSRF.search(self.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def form(self, path: str, data: dict[str, Any], *, expect: int = 303,
             page: str = "/", headers: dict[str, str] | None = None) -> httpx.Response:
        body = {"csrf": self.csrf(page), **data}
        response = self.client.post(path, data=body, headers=headers or {},
                                    follow_redirects=False)
        assert response.status_code == expect, (path, response.status_code, response.text[:800])
        return response

    def login(self, name: str, password: str = PASSWORD) -> None:
        self.form("/login", {"username_or_email": name, "password": password}, page="/login")


@pytest.fixture
def web(app: object) -> Iterator[WebClient]:
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        yield WebClient(client)


@pytest.fixture
def other_web(app: object) -> Iterator[WebClient]:
    """A second browser (its own cookies) on the same server."""
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        yield WebClient(client)


# The real-server fixtures (start_live_server, live_process, live_server) for browser tests.
from tests.clients.conftest import live_process, live_server, start_live_server  # noqa: F401
