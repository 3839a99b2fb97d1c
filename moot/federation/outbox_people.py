"""Recording outgoing activities about people: bans (``Block``), account deletion, reports
(``Flag``) and private messages (``ChatMessage``), in Lemmy 0.19's shapes.

Like outbox.py, each function is called by an action inside its own write transaction. Who
receives what follows Lemmy: a community ban goes the way of any moderator action in the
community (announced to its followers, or sent to a remote community's inbox); a site ban and
an account deletion go to every instance this one knows; a report goes to the community's
inbox; a private message goes to the recipient's inbox only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from moot.db import tables as t
from moot.federation.objects import PUBLIC, iso
from moot.federation.outbox import (
    _community,
    _local_actor,
    _person,
    activity_id,
    append,
    domain_of,
    send_in_community,
)
from moot.text.markdown import render


def instance_inboxes(conn: Connection) -> list[str]:
    """One inbox per remote instance this one knows people or communities of (Lemmy's
    "all instances"), a shared inbox where there is one."""
    chosen: dict[str, str] = {}
    for table in (t.person, t.community):
        rows = conn.execute(select(table.c.shared_inbox_url, table.c.inbox_url)
                            .where(table.c.local.is_(False))
                            .order_by(table.c.shared_inbox_url.is_(None), table.c.id))
        for shared, inbox in rows:
            address = shared or inbox  # rows with a shared inbox come first
            chosen.setdefault(domain_of(address), address)
    return sorted(chosen.values())


def _undo(ctx: Any, actor: str, inner: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "Undo", "id": activity_id(ctx, "Undo"), "actor": actor, "object": inner,
            **extra}


def _block(ctx: Any, actor: str, person: str, target: str, remove_data: bool,
           reason: str | None, expires: datetime | None, cc: list[str]) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "Block", "id": activity_id(ctx, "Block"), "actor": actor, "to": [PUBLIC],
        "object": person, "cc": cc, "target": target, "removeData": remove_data}
    if reason:
        block["summary"] = reason
    if expires is not None:  # Lemmy 0.19 sends both names
        block["expires"] = block["endTime"] = iso(expires)
    return block


def federate_community_ban(ctx: Any, conn: Connection, mod_id: int, community_id: int,
                           person_id: int, ban: bool, remove_data: bool, reason: str | None,
                           expires: datetime | None) -> None:
    """A local moderator bans (``Block``, target the community) or unbans (``Undo``)."""
    actor = _local_actor(conn, mod_id)
    if actor is None:
        return  # a remote moderator's ban is announced by the worker, not re-sent
    community = _community(conn, community_id)
    person = _person(conn, person_id)
    group = community["actor_id"]
    block = _block(ctx, actor["actor_id"], person["actor_id"], group, remove_data, reason,
                   expires, [group])
    block["audience"] = group
    activity = block if ban else _undo(ctx, actor["actor_id"], block, to=[PUBLIC], cc=[group],
                                       audience=group)
    # As Lemmy, the banned person's instance gets it too: a ban ends their following.
    banned_inbox = None if person["local"] else person["shared_inbox_url"] or person["inbox_url"]
    send_in_community(ctx, conn, community_id, activity, [banned_inbox] if banned_inbox else None)


def federate_site_ban(ctx: Any, conn: Connection, admin_id: int, person_id: int, ban: bool,
                      remove_data: bool, reason: str | None,
                      expires: datetime | None) -> None:
    """A local admin bans a local person from the site: ``Block`` with the instance actor as
    target, to every known instance. Receivers apply it only to a person of the sender's own
    instance (Lemmy's rule), so the ban of a remote person is not sent."""
    actor, person = _local_actor(conn, admin_id), _person(conn, person_id)
    if actor is None or not person["local"]:
        return
    site = ctx.site().site["actor_id"]
    block = _block(ctx, actor["actor_id"], person["actor_id"], site, remove_data, reason,
                   expires, [])
    activity = block if ban else _undo(ctx, actor["actor_id"], block, to=[PUBLIC], cc=[])
    append(conn, activity, inboxes=instance_inboxes(conn))


def federate_account_deletion(ctx: Any, conn: Connection, person_id: int,
                              remove_data: bool) -> None:
    """A local person deleted their account: ``Delete`` of the Person, to every instance."""
    actor = _local_actor(conn, person_id)
    if actor is None:
        return
    append(conn, {"type": "Delete", "id": activity_id(ctx, "Delete"),
                  "actor": actor["actor_id"], "to": [PUBLIC], "object": actor["actor_id"],
                  "cc": [], "removeData": remove_data}, inboxes=instance_inboxes(conn))


def federate_report(ctx: Any, conn: Connection, reporter_id: int, community_id: int,
                    object_ap_id: str, reason: str) -> None:
    """A local person reports a post or comment of a remote community: ``Flag`` to its inbox."""
    actor = _local_actor(conn, reporter_id)
    community = _community(conn, community_id)
    if actor is None or community["local"]:
        return
    group = community["actor_id"]
    append(conn, {"type": "Flag", "id": activity_id(ctx, "Flag"), "actor": actor["actor_id"],
                  "to": [group], "object": object_ap_id, "summary": reason, "audience": group},
           inboxes=[community["shared_inbox_url"] or community["inbox_url"]])


# Private messages ----------------------------------------------------------------------------


def _people(conn: Connection, message: Any) -> tuple[Any, Any]:
    return _person(conn, message["creator_id"]), _person(conn, message["recipient_id"])


def chat_message_json(conn: Connection, message: Any) -> dict[str, Any]:
    """A private message as Lemmy's ``ChatMessage``, addressed to its recipient only."""
    creator, recipient = _people(conn, message)
    document: dict[str, Any] = {
        "type": "ChatMessage", "id": message["ap_id"], "attributedTo": creator["actor_id"],
        "to": [recipient["actor_id"]], "content": render(message["content"]),
        "mediaType": "text/html",
        "source": {"content": message["content"], "mediaType": "text/markdown"},
        "published": iso(message["published"])}
    if message["updated"] is not None:
        document["updated"] = iso(message["updated"])
    return document


def federate_message(ctx: Any, conn: Connection, message_id: int, verb: str) -> None:
    """Create, Update, Delete or Undo (Delete) of a local person's message to a remote one,
    straight to the recipient's inbox."""
    message = conn.execute(select(t.private_message).where(
        t.private_message.c.id == message_id)).mappings().one()
    creator, recipient = _people(conn, message)
    if not creator["local"] or recipient["local"]:
        return
    actor, to = creator["actor_id"], [recipient["actor_id"]]
    if verb in ("Create", "Update"):
        activity = {"type": verb, "id": activity_id(ctx, verb), "actor": actor, "to": to,
                    "object": chat_message_json(conn, message)}
    else:
        delete = {"type": "Delete", "id": activity_id(ctx, "Delete"), "actor": actor, "to": to,
                  "object": message["ap_id"]}
        activity = delete if verb == "Delete" else _undo(ctx, actor, delete, to=to)
    inbox = recipient["shared_inbox_url"] or recipient["inbox_url"]
    append(conn, activity, inboxes=[inbox])

