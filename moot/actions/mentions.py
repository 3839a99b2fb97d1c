"""Mentions: ``@name`` or ``@name@host`` of a local person in a comment notifies them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import Connection, func, insert, select, update

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.views.people import Viewer

# Lemmy's name and domain characters. The look-behind keeps addresses such as bob@example.com
# (and !community@host) from mentioning "example.com" or "host".
_MENTION = re.compile(r"(?<![\w@])@([\w.]+?)(?:@([a-zA-Z0-9._:-]*[a-zA-Z0-9]))?(?![\w@])")


def _local_hosts(ctx: Context) -> set[str]:
    # The instance's hostname (with its port, if any), and the bare host name too.
    host = ctx.settings.hostname.lower()
    return {host, urlsplit(f"//{host}").hostname or host}


def scrape_mentions(ctx: Context, text: str) -> list[str]:
    """Lower-cased names mentioned on this instance, once each, in order of appearance."""
    hosts = _local_hosts(ctx)
    names: list[str] = []
    for match in _MENTION.finditer(text):
        name, host = match.group(1).rstrip("."), match.group(2)
        if host is not None and host.lower() not in hosts:
            continue
        if name and name.lower() not in names:
            names.append(name.lower())
    return names


def notify_mentions(ctx: Context, conn: Connection, comment_id: int, author_id: int,
                    content: str) -> list[int]:
    """Writes a person_mention for each local person the comment names (not its author).

    Runs on create and on every edit; a person already told is not told twice. Returns the
    local_user ids mentioned, for the comment's ``recipient_ids``.
    """
    names = scrape_mentions(ctx, content)
    if not names:
        return []
    rows = conn.execute(
        select(t.person.c.id, t.local_user.c.id.label("local_user_id"))
        .join(t.local_user, t.local_user.c.person_id == t.person.c.id)
        .where(func.lower(t.person.c.name).in_(names), t.person.c.local.is_(True),
               t.person.c.id != author_id)).all()
    mention = t.person_mention
    for row in rows:
        known = conn.execute(select(mention.c.id).where(
            mention.c.comment_id == comment_id, mention.c.recipient_id == row.id)).first()
        if known is None:
            conn.execute(insert(mention).values(recipient_id=row.id, comment_id=comment_id,
                                                read=False, published=utcnow()))
    return sorted(int(row.local_user_id) for row in rows)


def do_mark_mention_read(ctx: Context, viewer: Viewer, mention_id: int, read: bool) -> None:
    with ctx.db.write() as conn:
        recipient = conn.execute(select(t.person_mention.c.recipient_id).where(
            t.person_mention.c.id == mention_id)).scalar()
        if recipient is None:
            raise MootError("couldnt_find_person_mention", status=404)
        if recipient != viewer.person_id:
            raise MootError("couldnt_update_comment")  # Lemmy's answer for someone else's
        conn.execute(update(t.person_mention).where(t.person_mention.c.id == mention_id)
                     .values(read=read))
