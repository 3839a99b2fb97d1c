"""The DNS-rebinding guard: the real transport connects only to addresses it checked itself,
so a name whose answer turns private after the first check is still refused."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from moot.config import Settings
from moot.federation.http import FetchError, Http

PUBLIC_IP = "93.184.216.34"


class _Actor(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        host = self.headers["Host"]
        body = json.dumps({"id": f"http://{host}{self.path}", "type": "Person"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/activity+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Actor)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_an_answer_that_turns_private_after_the_check_is_refused(server: int) -> None:
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])  # the check sees a public address, then not
    http = Http(Settings(allow_private_network=False), resolver=lambda host: next(answers))
    with pytest.raises(FetchError, match="private, loopback or link-local"):
        http.fetch_json(f"http://rebind.example:{server}/u/alice")


def test_the_connection_goes_to_the_checked_address(server: int) -> None:
    # "pinned.example" does not exist in DNS: reaching the server proves the socket was opened
    # to the address the guard resolved, while Host (and TLS SNI) keep the name.
    http = Http(Settings(allow_private_network=True), resolver=lambda host: ["127.0.0.1"])
    url = f"http://pinned.example:{server}/u/alice"
    assert http.fetch_json(url) == {"id": url, "type": "Person"}
