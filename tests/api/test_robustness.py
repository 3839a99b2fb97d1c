"""Every v3 endpoint, fed malformed, mistyped and out-of-range input, answers with a named JSON
error or a valid response — never a 5xx, never a stack trace.

The endpoint list comes from the OpenAPI document, so new endpoints are covered automatically.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import ApiClient

HUGE_INT = 2**63
BAD_VALUES: list[Any] = ["not-a-number", -1, 0, HUGE_INT, None, [], {"x": 1}, "x" * 100_000,
                         True, 1.5, "\u0000", "' OR 1=1 --"]


def _operations(api: ApiClient) -> list[tuple[str, str, dict[str, Any]]]:
    doc = api.client.get("/api/v3/openapi.json").json()
    schemas = doc["components"]["schemas"]
    found = []
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            fields: dict[str, Any] = {}
            for parameter in operation.get("parameters", []):
                fields[parameter["name"]] = parameter.get("schema", {})
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                ref = body["schema"].get("$ref", "")
                fields.update(schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))
            found.append((method.upper(), path, fields))
    return found


def _check(response: Any, label: str) -> None:
    assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body.get("error"), str) and body["error"], f"{label}: {body}"
        assert "Traceback" not in response.text


def _send(api: ApiClient, method: str, path: str, values: dict[str, Any],
          token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "GET":
        params = {k: ("x" if v is None else str(v)[:2000]) for k, v in values.items()}
        return api.client.get(path, params=params, headers=headers)
    return api.client.request(method, path, json=values, headers=headers)


@pytest.mark.parametrize("logged_in", [False, True])
def test_no_endpoint_crashes_on_bad_input(api: ApiClient, admin: str, logged_in: bool) -> None:
    token = admin if logged_in else None
    operations = _operations(api)
    assert len(operations) >= 8
    for method, path, fields in operations:
        _check(_send(api, method, path, {}, token), f"{method} {path} empty")
        for value in BAD_VALUES:
            values = {name: value for name in fields}
            _check(_send(api, method, path, values, token), f"{method} {path} all={value!r:.30}")
        if method != "GET":
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            for raw in (b"{", b"[1,2]", b"null", b'"text"', b"\xff\xfe", b'{"a":' * 50):
                response = api.client.request(method, path, content=raw, headers={
                    **headers, "content-type": "application/json"})
                _check(response, f"{method} {path} raw={raw[:10]!r}")
