"""Connect only to the addresses the SSRF guard approved (the DNS-rebinding guard).

``Http.check_url`` resolves a host and refuses private, loopback and link-local answers, but a
host whose DNS answer changes between that check and the connection (DNS rebinding) would slip
through if the HTTP library resolved the name again. So the real transport connects through
``PinnedBackend``: it resolves the name once, checks every answer, and opens the TCP connection
to a checked address itself. TLS still verifies the certificate and sends SNI for the host name,
since httpcore takes those from the request, not from the socket's peer.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

Resolver = Callable[[str], list[str]]


class AddressRefused(Exception):
    """The host resolved to an address the guard forbids; raised at connection time."""


def forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast


def checked_addresses(host: str, resolver: Resolver, allow_private: bool) -> list[str]:
    """The addresses to connect to for ``host``, every one of them allowed."""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = resolver(host)
    if not allow_private:
        refused = [a for a in addresses if forbidden(a)]
        if refused:
            raise AddressRefused(f"{host} is a private, loopback or link-local address")
    return addresses


class PinnedBackend(httpcore.SyncBackend):
    def __init__(self, resolver: Resolver, allow_private: bool) -> None:
        self.resolver = resolver
        self.allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        addresses = checked_addresses(host, self.resolver, self.allow_private)
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address,
                                           socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise last if last is not None else httpcore.ConnectError(f"{host} has no address")


def pinned_transport(resolver: Resolver, allow_private: bool) -> httpx.HTTPTransport:
    """httpx's own transport, with its connection pool opening sockets through PinnedBackend."""
    transport = httpx.HTTPTransport()
    # httpx 0.28 exposes no network_backend option; the pool is rebuilt with the same defaults.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), max_connections=100,
        max_keepalive_connections=20, keepalive_expiry=5.0,
        network_backend=PinnedBackend(resolver, allow_private))
    return transport
