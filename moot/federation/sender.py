"""Delivery's POSTs: asyncio keep-alive connections, pinned to checked addresses.

Delivery sends thousands of small POSTs and reads nothing but the status. Through httpx on a
pool of threads each cost about 10 ms of CPU on two cores, most of it the client's machinery and
threads contending for the GIL. Here one event loop, on its own thread for the life of the
process, carries every send: hundreds in flight cost no threads, and idle connections are kept
for the next run.

The guard is ``pinning.PinnedBackend``'s: a new connection resolves the host once, refuses
private, loopback and link-local answers (unless the network is trusted), and connects to a
checked address itself, so a DNS answer that turns private later (DNS rebinding) is never used.
TLS verifies the certificate for the host name.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TypeVar
from urllib.parse import urlsplit

from moot.federation.pinning import AddressRefused, checked_addresses

Resolver = Callable[[str], list[str]]
T = TypeVar("T")
CONNECT_TIMEOUT = 5.0
ANSWER_TIMEOUT = 30.0
MAX_IDLE = 256  # idle connections kept in all, the least recently used closed first
MAX_IDLE_PER_HOST = 32
MAX_BODY = 1024 * 1024
MAX_HEAD = 64 * 1024

Key = tuple[str, str, int]
Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class SendFailed(Exception):
    """The POST got no answer; ``transient`` unless the address itself was refused."""

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


class _Closing(Exception):
    """The answer came, but the connection cannot carry another request."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Sender:
    def __init__(self, resolver: Resolver, allow_private: bool, user_agent: str) -> None:
        self.resolver = resolver
        self.allow_private = allow_private
        self.user_agent = user_agent
        self.tls = ssl.create_default_context()
        self._idle: OrderedDict[Key, list[Stream]] = OrderedDict()
        self._idle_count = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._start = threading.Lock()

    def run(self, work: Awaitable[T]) -> T:
        """Run a coroutine on the sender's event loop (started on first use) and wait for it."""
        with self._start:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="moot-sender",
                                 daemon=True).start()
                self._loop = loop
        return asyncio.run_coroutine_threadsafe(work, self._loop).result()  # type: ignore[arg-type]

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST ``body`` and return the status. A kept connection the other side has closed
        in the meantime is replaced once: that is no failure of the instance."""
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname or ""
        key = (scheme, host, parts.port or (443 if scheme == "https" else 80))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = self._request(path, key, body, headers)
        stream, reused = self._take(key)
        while True:
            try:
                if stream is None:
                    stream = await self._connect(key)
                status = await asyncio.wait_for(self._exchange(stream, request),
                                                timeout=ANSWER_TIMEOUT)
            except _Closing as answer:
                stream[1].close()  # type: ignore[index]
                return answer.status
            except (TimeoutError, OSError, asyncio.IncompleteReadError,
                    asyncio.LimitOverrunError, ValueError) as exc:
                if stream is not None:
                    stream[1].close()
                if reused:
                    stream, reused = None, False
                    continue
                raise SendFailed(f"POST {url[:200]} failed: {type(exc).__name__}") from exc
            self._give_back(key, stream)
            return status

    def _request(self, path: str, key: Key, body: bytes, headers: dict[str, str]) -> bytes:
        scheme, host, port = key
        fields = {**headers, "User-Agent": self.user_agent, "Content-Length": str(len(body))}
        if not any(name.lower() == "host" for name in fields):
            fields["Host"] = host if port == (443 if scheme == "https" else 80) else f"{host}:{port}"
        head = "".join(f"{name}: {value}\r\n" for name, value in fields.items()
                       if "\r" not in value and "\n" not in value)
        return f"POST {path} HTTP/1.1\r\n{head}\r\n".encode("latin-1") + body

    async def _connect(self, key: Key) -> Stream:
        scheme, host, port = key
        try:
            addresses = await asyncio.to_thread(checked_addresses, host, self.resolver,
                                                self.allow_private)
        except AddressRefused as exc:
            raise SendFailed(str(exc), transient=False) from exc
        last: Exception = OSError(f"no address for {host}")
        for address in addresses:
            try:
                # SNI and the certificate check use the host name, not the address.
                return await asyncio.wait_for(asyncio.open_connection(
                    address, port, ssl=self.tls if scheme == "https" else None,
                    server_hostname=host if scheme == "https" else None,
                    limit=MAX_HEAD), timeout=CONNECT_TIMEOUT)
            except (TimeoutError, OSError) as exc:
                last = exc
        raise last

    async def _exchange(self, stream: Stream, request: bytes) -> int:
        reader, writer = stream
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        version, status = lines[0].split(" ", 2)[:2]
        fields = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip().lower()
        keep = version == "HTTP/1.1" and fields.get("connection") != "close"
        code = int(status)
        length = 0 if code in (204, 304) else int(fields.get("content-length", "-1"))
        if length < 0 or length > MAX_BODY or not keep:
            # A body without a length (chunked, or up to the close), one over the cap, or a
            # connection the server ends: the status is known; the line is not kept.
            raise _Closing(code)
        await reader.readexactly(length)
        return code

    def _take(self, key: Key) -> tuple[Stream | None, bool]:
        idle = self._idle.get(key)
        if not idle:
            return None, False
        self._idle_count -= 1
        stream = idle.pop()
        if not idle:
            del self._idle[key]
        return stream, True

    def _give_back(self, key: Key, stream: Stream) -> None:
        idle = self._idle.setdefault(key, [])
        self._idle.move_to_end(key)
        if len(idle) >= MAX_IDLE_PER_HOST:
            stream[1].close()
            return
        idle.append(stream)
        self._idle_count += 1
        while self._idle_count > MAX_IDLE:
            oldest_key, oldest = next(iter(self._idle.items()))
            oldest.pop(0)[1].close()
            self._idle_count -= 1
            if not oldest:
                del self._idle[oldest_key]
