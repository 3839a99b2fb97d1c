"""A followed remote community is read again once its row is older than
``community_refresh_hours``: its Group, moderators and featured posts, by the worker, from a real
HTTP server on loopback. A community nobody here follows is left alone; one that cannot be read
waits as long before the next try."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from sqlalchemy import update

from moot.db import tables as t
from moot.db.types import utcnow
from moot.federation import refresh
from moot.federation.http import Http
from moot.federation.keys import generate_keypair
from tests.helpers import ApiClient

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_, KEY = generate_keypair()


class _Remote(BaseHTTPRequestHandler):
    documents: ClassVar[dict[str, dict[str, Any]]] = {}

    def do_GET(self) -> None:
        document = self.documents.get(self.path)
        body = json.dumps(document).encode()
        self.send_response(200 if document is not None else 404)
        self.send_header("Content-Type", "application/activity+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _site(base: str) -> dict[str, dict[str, Any]]:
    def actor(kind: str, path: str, **more: Any) -> dict[str, Any]:
        url = base + path
        return {"id": url, "type": kind, "preferredUsername": path.rsplit("/", 1)[1],
                "inbox": url + "/inbox",
                "publicKey": {"id": url + "#main-key", "owner": url, "publicKeyPem": KEY}, **more}

    def page(number: int) -> dict[str, Any]:
        return {"id": f"{base}/post/{number}", "type": "Page", "name": f"Post {number}",
                "attributedTo": base + "/u/author", "to": [base + "/c/main", PUBLIC],
                "audience": base + "/c/main", "published": "2026-01-01T10:00:00Z"}

    def collection(path: str, items: list[Any]) -> dict[str, Any]:
        return {"id": base + path, "type": "OrderedCollection", "totalItems": len(items),
                "orderedItems": items}

    documents = [
        actor("Group", "/c/main", name="Main", attributedTo=base + "/c/main/moderators",
              featured=base + "/c/main/featured"),
        actor("Group", "/c/quiet", name="Quiet"),
        actor("Person", "/u/author"), actor("Person", "/u/mod"), actor("Person", "/u/mod2"),
        collection("/c/main/moderators", [base + "/u/mod"]),
        collection("/c/main/featured", [page(1)]), collection("/c/main/outbox", []),
        collection("/c/quiet/outbox", []), page(1), page(2)]
    return {d["id"][len(base):]: d for d in documents}


@pytest.fixture
def remote(app: Any) -> Iterator[tuple[str, dict[str, dict[str, Any]]]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Remote)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    _Remote.documents = _site(base)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    ctx = app.state.ctx
    ctx.http = Http(ctx.settings.replace(allow_private_network=True))
    yield base, _Remote.documents
    httpd.shutdown()
    httpd.server_close()


def _age(app: Any, community_id: int, hours: int) -> None:
    with app.state.ctx.db.write() as conn:
        conn.execute(update(t.community).where(t.community.c.id == community_id)
                     .values(last_refreshed_at=utcnow() - timedelta(hours=hours)))


def _round(app: Any) -> int:
    refresh._last_run["at"] = float("-inf")  # a round runs at most once a minute per process
    return refresh.maybe_refresh(app.state.ctx)


def _state(api: ApiClient, admin: str, community_id: int) -> tuple[str, list[str], list[str]]:
    view = api.get("/community", id=community_id, token=admin)
    posts = api.get("/post/list", community_id=community_id, token=admin)["posts"]
    return (view["community_view"]["community"]["title"],
            [m["moderator"]["actor_id"] for m in view["moderators"]],
            sorted(p["post"]["ap_id"] for p in posts if p["post"]["featured_community"]))


def test_a_followed_community_is_read_again_once_stale(app: Any, api: ApiClient, admin: str,
                                                       remote: Any) -> None:
    base, documents = remote
    main = api.get("/resolve_object", q=base + "/c/main", token=admin)["community"]["community"]
    quiet = api.get("/resolve_object", q=base + "/c/quiet", token=admin)["community"]["community"]
    api.post("/community/follow", {"community_id": main["id"], "follow": True}, token=admin)
    assert _state(api, admin, main["id"]) == ("Main", [base + "/u/mod"], [base + "/post/1"])

    # The remote side changes: another title, moderator and pinned post.
    documents["/c/main"]["name"] = "Main, renamed"
    documents["/c/main/moderators"]["orderedItems"] = [base + "/u/mod2"]
    documents["/c/main/featured"]["orderedItems"] = [documents["/post/2"]]
    documents["/c/quiet"]["name"] = "Quiet, renamed"
    assert _round(app) == 0  # fresh rows are not read again
    _age(app, main["id"], 25)
    _age(app, quiet["id"], 25)  # stale too, but nobody here follows it
    assert _round(app) == 1
    assert _state(api, admin, main["id"]) == \
        ("Main, renamed", [base + "/u/mod2"], [base + "/post/2"])
    assert refresh.stale_communities(app.state.ctx, timedelta(hours=24), 10) == []
    assert api.get("/community", id=quiet["id"])["community_view"]["community"]["title"] == \
        "Quiet"

    # A community that cannot be read keeps what it had and waits another period.
    del documents["/c/main"]
    _age(app, main["id"], 25)
    assert _round(app) == 0
    assert refresh.stale_communities(app.state.ctx, timedelta(hours=24), 10) == []
    assert _state(api, admin, main["id"])[0] == "Main, renamed"
