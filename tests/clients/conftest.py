"""Fixtures for tests that drive a real ``moot serve`` process (see tests/clients/live.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.clients.live import LiveServer, start_server


@pytest.fixture
def live_process(database_url: str) -> Iterator[LiveServer]:
    """The running server on this test's database (SQLite or PostgreSQL), with its log."""
    server = start_server(database_url)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def live_server(live_process: LiveServer) -> str:
    """The base URL (``http://127.0.0.1:<port>``) of a real server on this test's database."""
    return live_process.url
