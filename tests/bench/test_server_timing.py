"""Every response says how long the server spent on it (the benchmarks read this)."""

from __future__ import annotations

import re

from tests.helpers import ApiClient


def test_responses_carry_server_timing(api: ApiClient) -> None:
    for path in ("/api/v3/site", "/api/v3/post/list", "/api/v3/post?id=999999"):
        response = api.client.get(path)
        match = re.fullmatch(r"app;dur=(\d+\.\d\d)", response.headers["server-timing"])
        assert match and float(match.group(1)) >= 0, response.headers
