"""Several real Moot instances on loopback, each under its own host name and database.

moot-alpha, moot-beta and moot-gamma must resolve to 127.0.0.1 (/etc/hosts; .ci/run adds them).
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from moot.db.engine import normalise_url
from tests.clients.live import LiveServer, start_server
from tests.conftest import ADMIN_NAME, ADMIN_PASSWORD, DATABASES, PG_ADMIN_URL
from tests.helpers import ApiClient

NAMES = ("moot-alpha", "moot-beta", "moot-gamma")
_BUCKETS = ("message", "post", "register", "image", "comment", "search")


@dataclass
class Instance:
    server: LiveServer
    api: ApiClient
    admin: str  # the setup admin's token

    @property
    def host(self) -> str:
        return self.server.url.split("://", 1)[1]


def _resolvable(name: str) -> bool:
    try:
        return socket.gethostbyname(name) == "127.0.0.1"
    except OSError:
        return False


class _Databases:
    """An empty database per instance (each instance creates its own site with its own URL)."""

    def __init__(self, kind: str, root: Path) -> None:
        self.kind, self.root, self.made = kind, root, []  # type: list[str]
        self.admin = create_engine(normalise_url(PG_ADMIN_URL), isolation_level="AUTOCOMMIT") \
            if kind == "postgresql" else None

    def new(self, name: str) -> str:
        if self.admin is None:
            return f"sqlite:///{self.root / name}.db"
        database = f"moot_fed_{name.split('-')[1]}_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{database}"'))
        self.made.append(database)
        return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{database}"

    def drop_all(self) -> None:
        if self.admin is None:
            return
        with self.admin.connect() as conn:
            for database in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def instances(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Instance]]:
    missing = [name for name in NAMES if not _resolvable(name)]
    if missing:
        pytest.fail(f"{', '.join(missing)} must map to 127.0.0.1 in /etc/hosts (see .ci/run)")
    databases = _Databases(request.param, tmp_path_factory.mktemp("fed"))
    started: dict[str, Instance] = {}
    try:
        for name in NAMES:
            # A generous start-up timeout: these tests run beside the whole suite on 2 cores.
            server = start_server(databases.new(name), public_host=name, timeout=120,
                                  allow_private_network="true")
            api = ApiClient(httpx.Client(base_url=server.url, timeout=20))  # type: ignore[arg-type]
            admin = api.login(ADMIN_NAME, ADMIN_PASSWORD)
            # Tests act faster than people: rate limits off (0 switches a bucket off).
            api.put("/site", {f"rate_limit_{bucket}": 0 for bucket in _BUCKETS}, token=admin)
            started[name.split("-")[1]] = Instance(server, api, admin)
        yield started
    finally:
        for instance in started.values():
            if instance.server.process.poll() is not None:
                print(instance.server.log_tail())
            instance.server.stop()
        databases.drop_all()


def eventually(check: Callable[[], Any], timeout: float = 20.0, what: str = "") -> Any:
    """Call ``check`` until it returns something truthy without raising; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: object = None  # the last error or falsy result, for the failure message
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
            last = f"last result: {result!r}"
        except AssertionError as exc:
            last = exc
        time.sleep(0.25)
    raise AssertionError(f"not within {timeout:.0f} s: {what} ({last})")
