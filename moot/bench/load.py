"""The load generator: keep-alive HTTP/1.1 connections on asyncio, timing every request.

A hand-written client rather than httpx: on a two-core machine the client shares the CPU with
the server, and a general-purpose client would spend more per request than the server does,
measuring itself. This one writes a request, reads the head and a Content-Length body, and
reads the server's own time from its ``Server-Timing: app;dur=`` header.
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_SERVER_TIMING = re.compile(rb"app;dur=([0-9.]+)")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: dict[str, Any] | None = None
    token: str | None = None
    # A web page's login: the token in the ``jwt`` cookie, as a browser sends it.
    cookie: str | None = None

    def encode(self, host: str) -> bytes:
        payload = json.dumps(self.body).encode() if self.body is not None else b""
        head = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}", "Accept: application/json"]
        if self.token:
            head.append(f"Authorization: Bearer {self.token}")
        if self.cookie:
            head.append(f"Cookie: jwt={self.cookie}")
        if self.body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        return ("\r\n".join(head) + "\r\n\r\n").encode() + payload


@dataclass
class Response:
    status: int
    body: bytes
    server_ms: float | None

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Sample:
    """What one measurement saw: per-request client and server times, in milliseconds."""

    seconds: float = 0.0
    client_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {"requests": len(self.client_ms), "errors": self.errors,
                "per_second": round(len(self.client_ms) / self.seconds, 1) if self.seconds else 0,
                "client_p50_ms": percentile(self.client_ms, 50),
                "client_p99_ms": percentile(self.client_ms, 99),
                "server_p50_ms": percentile(self.server_ms, 50),
                "server_p99_ms": percentile(self.server_ms, 99),
                "statuses": {str(k): v for k, v in sorted(self.statuses.items())}}


def percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1], 2)


class Connection:
    """One keep-alive connection; requests on it run one after another."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def send(self, request: Request) -> Response:
        reader, writer = await self._open()
        writer.write(request.encode(f"{self.host}:{self.port}"))
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if b":" in line:
                name, value = line.split(b":", 1)
                headers[name.strip().lower()] = value.strip()
        body = await self._body(reader, headers)
        if headers.get(b"connection", b"").lower() == b"close":
            self.close()
        timing = _SERVER_TIMING.search(headers.get(b"server-timing", b""))
        return Response(status, body, float(timing.group(1)) if timing else None)

    @staticmethod
    async def _body(reader: asyncio.StreamReader, headers: dict[bytes, bytes]) -> bytes:
        if b"content-length" in headers:
            return await reader.readexactly(int(headers[b"content-length"]))
        if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            chunks = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                chunks.append(await reader.readexactly(size + 2))
                if size == 0:
                    return b"".join(chunks)[:-2]
        return b""

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


async def measure(host: str, port: int, make: Callable[[int, int], Request], *,
                  connections: int, seconds: float) -> Sample:
    """``connections`` clients send ``make(n, i)`` for a while: n numbers the client, i counts
    its requests."""
    sample = Sample()

    async def client(n: int) -> None:
        conn = Connection(host, port)
        i = 0
        try:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    response = await conn.send(make(n, i))
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    sample.errors += 1
                    conn.close()
                    continue
                sample.client_ms.append((time.perf_counter() - start) * 1000)
                sample.statuses[response.status] = sample.statuses.get(response.status, 0) + 1
                if response.status >= 400:
                    sample.errors += 1
                if response.server_ms is not None:
                    sample.server_ms.append(response.server_ms)
                i += 1
        finally:
            conn.close()

    began = time.perf_counter()
    deadline = began + seconds
    await asyncio.gather(*(client(n) for n in range(connections)))
    sample.seconds = time.perf_counter() - began
    return sample


async def fetch(host: str, port: int, request: Request) -> Response:
    conn = Connection(host, port)
    try:
        return await conn.send(request)
    finally:
        conn.close()
