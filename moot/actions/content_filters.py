"""The site's content rules that admins set: the slur filter, the URL blocklist and the
discussion languages.

Lemmy 0.19's split, followed here: a slur in a name or a title refuses the whole write
(``slurs``), while a slur in a body (post, comment, message, community sidebar) is masked as
``*removed*``. A blocked URL refuses the write (``blocked_url``), whether it is the post's link
or a link inside a body.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sqlalchemy import Connection, select

from moot.context import Context
from moot.db import tables as t
from moot.errors import MootError

SLUR_MASK = "*removed*"
# Links in markdown bodies: [text](target), <target> and bare http(s) URLs.
_BODY_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|<([a-z][a-z0-9+.-]*:[^>\s]+)>|(https?://[^\s)>\]]+)",
                        re.IGNORECASE)


@lru_cache(maxsize=8)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def slur_regex(ctx: Context) -> re.Pattern[str] | None:
    pattern = ctx.site().local_site.get("slur_filter_regex")
    return _compile(pattern) if pattern else None


def check_slurs(ctx: Context, *texts: str | None) -> None:
    """Refuse names and titles that contain a slur."""
    regex = slur_regex(ctx)
    if regex is not None and any(text and regex.search(text) for text in texts):
        raise MootError("slurs")


def remove_slurs(ctx: Context, text: str | None) -> str | None:
    """A body with every slur masked; None stays None."""
    regex = slur_regex(ctx)
    if regex is None or not text:
        return text
    return regex.sub(SLUR_MASK, text)


def blocked_urls(conn: Connection) -> list[str]:
    return list(conn.execute(select(t.local_site_url_blocklist.c.url)).scalars())


def check_url_not_blocked(conn: Connection, url: str | None) -> None:
    """Lemmy matches each blocked entry (stored without scheme) anywhere in the URL."""
    if not url:
        return
    lowered = url.lower()
    if any(entry.lower() in lowered for entry in blocked_urls(conn)):
        raise MootError("blocked_url")


def check_body_links(conn: Connection, body: str | None) -> None:
    """Refuse a body whose links point at a blocked URL."""
    if not body:
        return
    entries = [e.lower() for e in blocked_urls(conn)]
    if not entries:
        return
    for match in _BODY_LINK.finditer(body):
        link = next(g for g in match.groups() if g).lower()
        if any(entry in link for entry in entries):
            raise MootError("blocked_url")


def site_languages(conn: Connection, site_id: int) -> list[int]:
    """The site's discussion languages; an empty list means all of them."""
    return sorted(conn.execute(select(t.site_language.c.language_id)
                               .where(t.site_language.c.site_id == site_id)).scalars())


def check_language_allowed(ctx: Context, conn: Connection, language_id: int | None) -> None:
    """A language the writer chose must be one the site discusses (Lemmy checks the
    community's languages, which are always a subset of the site's)."""
    if language_id is None:
        return
    allowed = site_languages(conn, ctx.site().site["id"])
    if allowed and language_id not in allowed:
        raise MootError("language_not_allowed")
