"""resolve_object: find, or fetch and keep, what a URL or ``!community@host`` / ``@person@host``
names. Every outgoing request goes through the guarded client, within one fetch budget."""

from __future__ import annotations

import json
from urllib.parse import quote

from moot.context import Context
from moot.federation.actors import (
    BadActor,
    find_known,
    get_actor,
    http_for,
    is_local_url,
    site_signer,
)
from moot.federation.apply import Budget, apply_content, find_object
from moot.federation.backfill import backfill_community
from moot.federation.http import FetchError
from moot.federation.parse import Unusable

Found = tuple[str, int]  # ("post" | "comment" | "community" | "person", row id)


def _webfinger(ctx: Context, handle: str, want: str) -> str:
    """The actor URL a ``name@host`` handle names (a Group for ``!``, a Person for ``@``)."""
    name, _, host = handle.partition("@")
    if not name or not host:
        raise Unusable("not a handle")
    resource = quote(f"acct:{name}@{host}", safe=":@")
    last_error: Exception = Unusable("no webfinger answer")
    for scheme in ("https", "http"):
        try:
            status, body = http_for(ctx).fetch_raw(
                f"{scheme}://{host}/.well-known/webfinger?resource={resource}")
        except FetchError as exc:
            last_error = exc
            continue
        if status != 200:
            raise Unusable(f"webfinger answered {status}")
        try:
            links = json.loads(body).get("links", [])
        except (ValueError, AttributeError) as exc:
            raise Unusable("webfinger answer is not JSON") from exc
        for link in links:
            kind = (link.get("properties") or {}).get("https://www.w3.org/ns/activitystreams#type")
            if link.get("rel") == "self" and str(link.get("type", "")).startswith("application/") \
                    and kind in (want, None) and isinstance(link.get("href"), str):
                return str(link["href"])
        raise Unusable("webfinger names no such actor")
    raise last_error


def resolve(ctx: Context, query: str) -> Found:
    """What ``query`` names, fetched when unknown; Unusable/FetchError/BadActor if nothing."""
    query = query.strip()
    if query.startswith(("!", "@")) or ("@" in query and "://" not in query):
        want = "Person" if query.startswith("@") else "Group"
        url = _webfinger(ctx, query.lstrip("!@"), want)
    else:
        url = query
    found = find_object(ctx, url)
    if found is not None:
        return found[0], found[1]
    try:
        known = find_known(ctx, url)
        actor = get_actor(ctx, url)
        if known is None and actor.kind == "community" and not actor.local:
            backfill_community(ctx, actor.id)  # first sight: its mods and recent posts
        if actor.kind in ("person", "community"):
            return actor.kind, actor.id
    except BadActor:
        pass
    if is_local_url(ctx, url):
        raise Unusable("nothing here has that URL")
    document = http_for(ctx).fetch_json(url, site_signer(ctx))
    apply_content(ctx, document, None, Budget(), None)
    found = find_object(ctx, url)
    if found is None:
        raise Unusable("could not be resolved")
    return found[0], found[1]
