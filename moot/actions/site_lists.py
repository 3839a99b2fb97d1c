"""The lists an admin sends with PUT /site: taglines, blocked URLs, discussion languages and
the federation allow and block lists. A list that is sent replaces the stored one; a list that
is left out stays as it is (Lemmy's rule)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, delete, insert, select

from moot.actions.site import ensure_instance
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.validation import check_body

LIST_FIELDS = ("taglines", "blocked_urls", "discussion_languages", "allowed_instances",
               "blocked_instances")
TAGLINE_MAX = 10_000
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")


def clean_blocked_url(url: str) -> str:
    """Lemmy's stored form: no scheme, no trailing slash ("example.com/spam"); invalid_url."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError as exc:
        raise MootError("invalid_url") from exc
    if not host or any(c.isspace() for c in text):
        raise MootError("invalid_url")
    out = parts.netloc.lower() + parts.path + (f"?{parts.query}" if parts.query else "")
    return out.rstrip("/")


def clean_domain(domain: str) -> str:
    cleaned = domain.strip().lower()
    if not _DOMAIN.match(cleaned):
        raise MootError("invalid_url")
    return cleaned


def check_site_lists(form: dict[str, Any]) -> dict[str, list[Any]]:
    """The lists of the form, cleaned and without duplicates, in the order given."""
    lists: dict[str, list[Any]] = {}
    if form.get("taglines") is not None:
        lists["taglines"] = [check_body(line, TAGLINE_MAX) for line in form["taglines"]
                             if line.strip()]
    if form.get("blocked_urls") is not None:
        lists["blocked_urls"] = list(dict.fromkeys(
            clean_blocked_url(u) for u in form["blocked_urls"] if u.strip()))
    for key in ("allowed_instances", "blocked_instances"):
        if form.get(key) is not None:
            lists[key] = list(dict.fromkeys(clean_domain(d) for d in form[key] if d.strip()))
    if form.get("discussion_languages") is not None:
        lists["discussion_languages"] = list(dict.fromkeys(form["discussion_languages"]))
    return lists


def do_replace_site_lists(conn: Connection, lists: dict[str, list[Any]]) -> None:
    now = utcnow()
    local_site_id, site_id = conn.execute(select(t.local_site.c.id, t.local_site.c.site_id)).one()
    if "taglines" in lists:
        conn.execute(delete(t.tagline))
        _insert(conn, t.tagline, [{"local_site_id": local_site_id, "content": c, "published": now}
                                  for c in lists["taglines"]])
    if "blocked_urls" in lists:
        conn.execute(delete(t.local_site_url_blocklist))
        _insert(conn, t.local_site_url_blocklist,
                [{"url": u, "published": now} for u in lists["blocked_urls"]])
    if "discussion_languages" in lists:
        _replace_languages(conn, site_id, lists["discussion_languages"])
    for key, table in (("allowed_instances", t.federation_allowlist),
                       ("blocked_instances", t.federation_blocklist)):
        if key in lists:
            conn.execute(delete(table))
            _insert(conn, table, [{"instance_id": ensure_instance(conn, d), "published": now}
                                  for d in lists[key]])


def _replace_languages(conn: Connection, site_id: int, language_ids: list[int]) -> None:
    known = set(conn.execute(select(t.language.c.id)).scalars())
    if any(i not in known for i in language_ids):
        raise MootError("language_not_allowed")
    conn.execute(delete(t.site_language).where(t.site_language.c.site_id == site_id))
    # No rows stands for "all languages", which is also what an empty list means in Lemmy.
    if set(language_ids) != known:
        _insert(conn, t.site_language, [{"site_id": site_id, "language_id": i}
                                        for i in language_ids])


def _insert(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(table), rows)
