"""Real Moot server processes for tests that drive it with outside clients.

``start_server(database_url)`` runs ``python -m moot.cli serve`` on a free local port, waits until
``GET /api/v3/site`` answers and returns a LiveServer; ``stop()`` ends it. Nothing here is tied to one
instance, so federation tests can start several (each on its own database).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import ADMIN_NAME, ADMIN_PASSWORD

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 30.0  # generous: CI machines may be busy running other tests


class ServerStartError(RuntimeError):
    pass


@dataclass
class LiveServer:
    url: str
    port: int
    database_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(repr=False)

    def log(self) -> str:
        """Everything the server wrote to stderr and stdout so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log_path.unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, port: int, public_host: str = "127.0.0.1",
               **settings: str) -> dict[str, str]:
    """The process environment: this one without any MOOT_* leaking in, plus the server's settings.

    ``settings`` are extra MOOT_* values by setting name, e.g. ``allow_private_network="true"``.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOOT_")}
    env.update({
        "MOOT_DATABASE_URL": database_url,
        "MOOT_PUBLIC_URL": f"http://{public_host}:{port}",
        "MOOT_SETUP_ADMIN_USERNAME": ADMIN_NAME,
        "MOOT_SETUP_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "MOOT_SETUP_SITE_NAME": "Moot Live Test",
        # A response that does not match its declared model becomes a 500 with the reason logged.
        "MOOT_VALIDATE_RESPONSES": "true",
        "MOOT_THREADS": "8",
        "MOOT_LOG_LEVEL": "warning",
        # Library deprecation chatter would bury the errors the log is read for.
        "PYTHONWARNINGS": "ignore",
    })
    env.update({"MOOT_" + name.upper(): value for name, value in settings.items()})
    return env


def _wait_ready(server: LiveServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise ServerStartError(f"moot serve exited with code {server.process.returncode}:\n"
                                   f"{server.log_tail(200)}")
        try:
            if httpx.get(server.url + "/api/v3/site", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise ServerStartError(f"moot serve did not answer GET /api/v3/site within {timeout:.0f}"
                                   f" s:\n{server.log_tail(200)}")
        time.sleep(0.1)


def start_server(database_url: str, *, timeout: float = STARTUP_TIMEOUT,
                 public_host: str = "127.0.0.1", **settings: str) -> LiveServer:
    """Start ``moot serve`` on ``database_url`` and return once it answers.

    ``public_host`` names the instance in its ids (federation tests map moot-alpha, moot-beta
    and moot-gamma to 127.0.0.1 in /etc/hosts); a fresh database is created with that URL."""
    for attempt in range(3):
        port = free_port()
        env = server_env(database_url, port, public_host, **settings)
        fd, log_name = tempfile.mkstemp(prefix="moot-live-", suffix=".log")
        with os.fdopen(fd, "wb") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "moot.cli", "serve", "--host", "127.0.0.1", "--port",
                 str(port)],
                cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log_file,
                stderr=subprocess.STDOUT)
        server = LiveServer(url=f"http://{public_host}:{port}", port=port, database_url=database_url,
                            process=process, log_path=Path(log_name), env=env)
        try:
            _wait_ready(server, timeout)
            return server
        except ServerStartError:
            # Another process may have taken the port between free_port() and the bind.
            raced = "address already in use" in server.log().lower()
            server.stop()
            if not raced or attempt == 2:
                raise
    raise AssertionError("unreachable")


@dataclass
class VotingForum:
    """A live server's community with a post and a comment by the admin, and voters."""

    server: LiveServer
    post_id: int
    comment_id: int
    voters: list[str]  # login tokens

    def vote(self, token: str, path: str, body: dict[str, Any]) -> httpx.Response:
        """POST /api/v3/<path> on a new connection (with several processes, any may answer)."""
        with httpx.Client() as client:
            return client.post(self.server.url + "/api/v3/" + path, json=body,
                               headers={"Authorization": f"Bearer {token}"})

    def post_counts(self) -> dict[str, Any]:
        return dict(httpx.get(self.server.url + "/api/v3/post", params={"id": self.post_id}
                              ).json()["post_view"]["counts"])


def voting_forum(server: LiveServer, voters: int) -> VotingForum:
    """Open registration, then a community, a post and a comment by the admin, and ``voters``
    people registered (each from its own address, so each has its own rate-limit bucket)."""
    jwt = httpx.post(server.url + "/api/v3/user/login", json={
        "username_or_email": ADMIN_NAME, "password": ADMIN_PASSWORD}).json()["jwt"]
    admin = {"Authorization": f"Bearer {jwt}"}
    assert httpx.put(server.url + "/api/v3/site", json={"registration_mode": "Open"},
                     headers=admin).status_code == 200
    community = httpx.post(server.url + "/api/v3/community", json={
        "name": "votes", "title": "Votes"}, headers=admin).json()
    post = httpx.post(server.url + "/api/v3/post", json={
        "name": "Vote here", "community_id": community["community_view"]["community"]["id"],
    }, headers=admin).json()["post_view"]["post"]
    comment = httpx.post(server.url + "/api/v3/comment", json={
        "post_id": post["id"], "content": "and here"}, headers=admin).json()
    tokens = [httpx.post(server.url + "/api/v3/user/register", json={
        "username": f"voter{i}", "password": "password-123", "password_verify": "password-123"},
        headers={"X-Forwarded-For": f"10.0.0.{i}"}).json()["jwt"] for i in range(voters)]
    return VotingForum(server, post["id"], comment["comment_view"]["comment"]["id"], tokens)
