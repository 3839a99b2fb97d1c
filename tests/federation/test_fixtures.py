"""Every real payload in ../shared/fixtures/activitypub is applied or refused with a clear
reason; none raises. Fetches are answered from the fixtures themselves (an actor that no
fixture holds is made up from its URL), the one place a test stands in for the network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from moot.errors import MootError
from moot.federation.actors import BadActor, parse_actor
from moot.federation.apply import apply_activity
from moot.federation.http import FetchError, Http
from moot.federation.keys import generate_keypair
from moot.federation.parse import POST_TYPES, Unusable, id_of, parse_content
from tests.federation.fake import AP, PUBLIC_IP
from tests.helpers import ApiClient, ApiError

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "activitypub"
if not FIXTURES.is_dir():  # the worktree may sit elsewhere; fall back to the shared path
    FIXTURES = Path("/work/shared/fixtures/activitypub")
_, PUBLIC_KEY = generate_keypair()
ACTOR_TYPES = ("Person", "Group", "Service", "Organization", "Application")
# Applied before the others, so that votes and deletions find what they act on.
ORDER = ("follow", "create", "update", "like", "dislike", "delete", "undo", "announce")
# What must really be applied (the rest may be refused, with a reason).
MUST_APPLY = {
    "lemmy/activities/create_or_update/create_page.json",
    "lemmy/activities/create_or_update/update_page.json",
    "lemmy/activities/voting/dislike_page.json",
    "lemmy/activities/voting/undo_dislike_page.json",
    "lemmy/activities/deletion/delete_page.json",
    "lemmy/activities/deletion/undo_delete_page.json",
    "lemmy-1.0/activities/create_or_update/create_page.json",
}


def _documents() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(FIXTURES.rglob("*.json")):
        document = json.loads(path.read_text())
        if isinstance(document, dict) and isinstance(document.get("id"), str):
            found.setdefault(document["id"], document)
    return found


def _made_up_actor(url: str) -> dict[str, Any] | None:
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if len(parts) != 2 or parts[0] not in ("u", "c", "m", "users", "user", "profile"):
        return None
    kind = "Group" if parts[0] in ("c", "m") else "Person"
    return {"id": url, "type": kind, "preferredUsername": parts[1], "inbox": url + "/inbox",
            "outbox": url + "/outbox",
            "publicKey": {"id": url + "#main-key", "owner": url, "publicKeyPem": PUBLIC_KEY}}


def _transport(documents: dict[str, dict[str, Any]]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        document = documents.get(url) or _made_up_actor(url)
        if document is None or request.method != "GET":
            return httpx.Response(404)
        return httpx.Response(200, headers={"content-type": AP}, content=json.dumps(document))
    return httpx.MockTransport(handler)


def _rank(path: Path) -> tuple[str, int, str]:
    """One software's fixtures after another, each in ORDER (they share object ids)."""
    software = path.relative_to(FIXTURES).parts[0]
    rank = next((i for i, prefix in enumerate(ORDER) if path.name.startswith(prefix)), len(ORDER))
    if path.name == "delete_user.json":  # last: a deleted account's later activities are refused
        software = "~"
    return software, rank, str(path)


def _outcome(ctx: Any, document: dict[str, Any]) -> str:
    try:
        if "actor" in document and document.get("type") not in ACTOR_TYPES + POST_TYPES:
            result = apply_activity(ctx, document, str(id_of(document["actor"])))
            return ("applied: " if result.applied else "ignored: ") + result.reason
        if document.get("type") in ACTOR_TYPES:
            return "parsed: " + parse_actor(document).kind
        if "orderedItems" in document or "totalItems" in document:
            return "collection: not applied on its own"
        return "parsed: " + parse_content(document).kind
    except MootError as error:
        return "refused: " + error.name
    except (Unusable, BadActor, FetchError) as error:
        return "refused: " + str(error)


def _follow_their_communities(api: ApiClient, admin: str,
                              documents: dict[str, dict[str, Any]]) -> None:
    """Someone here follows each community the fixtures act in: Moot, like Lemmy, takes no
    activity in a remote community nobody follows (test_collections.py shows the refusal)."""
    groups = {str(d["audience"]) for d in documents.values() if isinstance(d.get("audience"), str)}
    groups |= {url for url, d in documents.items() if d.get("type") == "Group"}
    for url in sorted(groups):
        try:
            found = api.get("/resolve_object", q=url, token=admin).get("community")
        except ApiError:
            continue  # not a community (a person as audience, or no document)
        if found is not None:
            api.post("/community/follow", {"community_id": found["community"]["id"],
                                           "follow": True}, token=admin)


def test_every_fixture_is_applied_or_refused_with_a_reason(app: Any, api: ApiClient,
                                                           admin: str) -> None:
    ctx = app.state.ctx
    documents = _documents()
    ctx.http = Http(ctx.settings, _transport(documents), resolver=lambda host: [PUBLIC_IP])
    _follow_their_communities(api, admin, documents)
    outcomes: dict[str, str] = {}
    for path in sorted(FIXTURES.rglob("*.json"), key=_rank):
        relative = str(path.relative_to(FIXTURES))
        outcomes[relative] = _outcome(ctx, json.loads(path.read_text()))
    assert len(outcomes) > 100
    for name, outcome in outcomes.items():
        kind, _, reason = outcome.partition(": ")
        assert kind in ("applied", "ignored", "parsed", "collection", "refused"), name
        assert reason.strip(), f"{name}: no reason given"
    not_applied = {name: outcomes[name] for name in MUST_APPLY
                   if not outcomes[name].startswith("applied")}
    assert not_applied == {}
    # Refusals name their reason; a few, pinned, as the parser's contract:
    assert outcomes["lemmy/objects/chat_message.json"] == \
        "refused: object type 'ChatMessage' is not a post or comment"
    assert outcomes["lemmy/activities/following/follow.json"] == \
        "ignored: only local communities can be followed"
    assert outcomes["pleroma/objects/note.json"].startswith("parsed: ")


@pytest.mark.parametrize("name", ["lemmy/objects/group.json", "lemmy/objects/person.json",
                                  "mastodon/objects/person.json", "lotide/objects/group.json"])
def test_actor_fixtures_parse(name: str) -> None:
    actor = parse_actor(json.loads((FIXTURES / name).read_text()))
    assert actor.public_key.startswith("-----BEGIN PUBLIC KEY-----")
    assert actor.inbox_url.startswith("http")


def test_mastodon_note_without_a_title_becomes_a_post_titled_by_its_first_line() -> None:
    note = {"id": "https://masto.example/statuses/1", "type": "Note",
            "attributedTo": "https://masto.example/users/a",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": ["https://lemmy.example/c/main"],
            "content": "<p>@main@lemmy.example Hello there</p><p>body</p>"}
    content = parse_content(note)
    assert (content.kind, content.title) == ("post", "Hello there")
