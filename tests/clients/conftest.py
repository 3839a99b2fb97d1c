"""Fixtures for tests that drive a real ``moot serve`` process (see tests/clients/live.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.clients.live import LiveServer, start_server


@pytest.fixture
def start_live_server() -> Iterator[Callable[..., LiveServer]]:
    """Starts servers on demand (``start(database_url, **settings)``); all stop after the test."""
    started: list[LiveServer] = []

    def start(database_url: str, **settings: str) -> LiveServer:
        server = start_server(database_url, **settings)
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()


@pytest.fixture
def live_process(database_url: str, start_live_server: Callable[..., LiveServer]) -> LiveServer:
    """The running server on this test's database (SQLite or PostgreSQL), with its log."""
    return start_live_server(database_url)


@pytest.fixture
def live_server(live_process: LiveServer) -> str:
    """The base URL (``http://127.0.0.1:<port>``) of a real server on this test's database."""
    return live_process.url
