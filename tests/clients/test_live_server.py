"""The harness itself: a real server process answers on its own port and stops cleanly."""

from __future__ import annotations

import httpx

from tests.clients.live import LiveServer


def test_live_server_answers_and_knows_its_url(live_server: str, live_process: LiveServer) -> None:
    site = httpx.get(f"{live_server}/api/v3/site", timeout=10).json()
    assert site["site_view"]["site"]["name"]
    assert "my_user" not in site
    login = httpx.post(f"{live_server}/api/v3/user/login", timeout=10,
                       json={"username_or_email": "admin", "password": "admin-password-1"})
    assert login.status_code == 200, login.text
    token = login.json()["jwt"]
    me = httpx.get(f"{live_server}/api/v3/site", timeout=10,
                   headers={"Authorization": f"Bearer {token}"}).json()
    assert me["my_user"]["local_user_view"]["person"]["name"] == "admin"
    assert live_process.process.poll() is None
