"""Delivery's sender against a real local server: the address guard, kept connections, a kept
connection the server closed, answers it does not keep the line for, and no answer at all."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from moot.config import Settings
from moot.federation.http import FetchError, Http, Signer
from moot.federation.keys import generate_keypair
from moot.federation.sender import Sender, SendFailed

PUBLIC_IP = "93.184.216.34"


@dataclass
class Inbox:
    """A loopback inbox; ``answers`` maps a path to the raw answer it gets (default 202)."""

    port: int = 0
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    connections: int = 0
    answers: dict[str, bytes] = field(default_factory=dict)
    close_after_answer: bool = False


def _serve(inbox: Inbox, listener: socket.socket) -> None:
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        inbox.connections += 1
        threading.Thread(target=_talk, args=(inbox, conn), daemon=True).start()


def _talk(inbox: Inbox, conn: socket.socket) -> None:
    stream = conn.makefile("rb")
    with conn:
        while True:
            line = stream.readline().decode()
            if not line:
                return
            path = line.split()[1]
            headers = {}
            while (header := stream.readline().decode().strip()):
                name, _, value = header.partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers.get("content-length", 0)))
            inbox.requests.append((path, headers, body))
            conn.sendall(inbox.answers.get(path, b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"))
            if inbox.close_after_answer:
                return


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    state = Inbox(port=listener.getsockname()[1])
    threading.Thread(target=_serve, args=(state, listener), daemon=True).start()
    yield state
    listener.close()


def _sender(answer: str = "127.0.0.1", allow_private: bool = True) -> Sender:
    return Sender(lambda host: [answer], allow_private, "moot-test")


def test_posts_to_the_checked_address_with_the_host_name_and_keeps_the_connection(
        inbox: Inbox) -> None:
    sender = _sender()
    url = f"http://inbox.example:{inbox.port}/inbox"  # not in DNS: the pinned address is used
    for n in range(3):
        assert sender.run(sender.post(url, b'{"n": %d}' % n, {"host": "inbox.example"})) == 202
    assert [body for _, _, body in inbox.requests] == [b'{"n": 0}', b'{"n": 1}', b'{"n": 2}']
    assert inbox.requests[0][1]["host"] == "inbox.example"
    assert inbox.requests[0][1]["user-agent"] == "moot-test"
    assert inbox.connections == 1  # kept alive between sends


def test_a_kept_connection_the_server_closed_is_replaced_once(inbox: Inbox) -> None:
    inbox.close_after_answer = True  # but it does not say "Connection: close"
    sender = _sender()
    url = f"http://127.0.0.1:{inbox.port}/inbox"
    assert sender.run(sender.post(url, b"{}", {})) == 202
    assert sender.run(sender.post(url, b"{}", {})) == 202
    assert inbox.connections == 2 and len(inbox.requests) == 2


def test_answers_without_a_length_or_over_the_cap_give_their_status_and_drop_the_line(
        inbox: Inbox) -> None:
    inbox.answers["/chunked"] = (b"HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 b"2\r\nno\r\n0\r\n\r\n")
    inbox.answers["/huge"] = b"HTTP/1.1 500 Oops\r\nContent-Length: 99999999\r\n\r\n"
    sender = _sender()
    base = f"http://127.0.0.1:{inbox.port}"
    assert sender.run(sender.post(base + "/chunked", b"{}", {})) == 400
    assert sender.run(sender.post(base + "/huge", b"{}", {})) == 500
    assert sender.run(sender.post(base + "/inbox", b"{}", {})) == 202
    assert inbox.connections == 3


def test_a_private_answer_is_refused_for_good_unless_the_network_is_trusted(
        inbox: Inbox) -> None:
    sender = _sender(allow_private=False)
    with pytest.raises(SendFailed, match="private, loopback or link-local") as refused:
        sender.run(sender.post(f"http://rebind.example:{inbox.port}/inbox", b"{}", {}))
    assert refused.value.transient is False
    assert inbox.requests == []


def test_nobody_listening_is_a_transient_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    sender = _sender()
    with pytest.raises(SendFailed) as failed:
        sender.run(sender.post(f"http://127.0.0.1:{port}/inbox", b"{}", {}))
    assert failed.value.transient is True


def test_http_signs_what_the_sender_posts(inbox: Inbox) -> None:
    private, _ = generate_keypair()
    http = Http(Settings(allow_private_network=True), resolver=lambda host: ["127.0.0.1"])
    assert http.sender is not None
    status = http.sender.run(http.post_activity_async(
        f"http://remote.example:{inbox.port}/inbox", b'{"type": "Like"}',
        Signer("https://moot.example/u/a#main-key", private)))
    assert status == 202
    _, headers, body = inbox.requests[0]
    assert body == b'{"type": "Like"}'
    assert headers["host"] == f"remote.example:{inbox.port}"
    assert headers["content-type"] == "application/activity+json"
    assert 'keyId="https://moot.example/u/a#main-key"' in headers["signature"]
    assert headers["digest"].startswith("SHA-256=")


def test_http_refuses_a_target_the_admins_block_before_connecting(inbox: Inbox) -> None:
    private, _ = generate_keypair()
    http = Http(Settings(allow_private_network=True), resolver=lambda host: ["127.0.0.1"],
                policy=lambda url: "domain_blocked")
    assert http.sender is not None
    with pytest.raises(FetchError, match="domain_blocked"):
        http.sender.run(http.post_activity_async(f"http://blocked.example:{inbox.port}/inbox",
                                                 b"{}", Signer("k", private)))
    assert inbox.requests == []


def test_the_loop_is_shared_by_callers_on_several_threads(inbox: Inbox) -> None:
    sender = _sender()
    url = f"http://127.0.0.1:{inbox.port}/inbox"

    async def many() -> list[int]:
        return list(await asyncio.gather(*(sender.post(url, b"{}", {}) for _ in range(20))))

    results: list[list[int]] = []
    threads = [threading.Thread(target=lambda: results.append(sender.run(many())))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[202] * 20] * 3
    assert len(inbox.requests) == 60
