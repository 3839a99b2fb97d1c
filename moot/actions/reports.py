"""Reports of posts, comments and private messages: filing one, and resolving or reopening it
(a moderator for posts and comments, an admin for private messages).

The only code that writes report rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from moot.actions.comments import load_comment
from moot.actions.communities import (
    check_community_mod_action,
    community_for_user_action,
    load_community,
)
from moot.actions.content_filters import check_slurs
from moot.actions.posts import load_post
from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.federation.outbox_people import federate_report
from moot.views.people import Viewer

REASON_MAX = 1000  # characters, as Lemmy's check_report_reason


def check_report_reason(ctx: Context, reason: str) -> str:
    """The reason, trimmed; Lemmy refuses an empty one and one over 1000 characters."""
    reason = reason.strip()
    check_slurs(ctx, reason)
    if not reason:
        raise MootError("report_reason_required")
    if len(reason) > REASON_MAX:
        raise MootError("report_too_long")
    return reason


def _upsert(conn: Connection, table: Table, target: str, values: dict[str, Any]) -> int:
    """Insert the report, or refresh a person's earlier report of the same thing (Lemmy keeps
    one per person and target, and a second report replaces its reason and snapshot)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    changes = {k: v for k, v in values.items() if k not in (target, "creator_id", "published")}
    conn.execute(dialect.insert(table).values(values).on_conflict_do_update(
        index_elements=[target, "creator_id"], set_=changes))
    report_id = conn.execute(select(table.c.id).where(
        table.c[target] == values[target], table.c.creator_id == values["creator_id"])).scalar()
    return int(report_id)  # type: ignore[arg-type]


def do_create_post_report(ctx: Context, viewer: Viewer, post_id: int, reason: str) -> int:
    reason = check_report_reason(ctx, reason)
    with ctx.db.write() as conn:
        post = load_post(conn, post_id)
        community_for_user_action(conn, viewer, post["community_id"])
        report_id = _upsert(conn, t.post_report, "post_id", {
            "creator_id": viewer.person_id, "post_id": post_id,
            "original_post_name": post["name"], "original_post_url": post["url"],
            "original_post_body": post["body"], "reason": reason, "published": utcnow()})
        federate_report(ctx, conn, viewer.person_id, post["community_id"], post["ap_id"], reason)
        return report_id


def do_create_comment_report(ctx: Context, viewer: Viewer, comment_id: int, reason: str) -> int:
    reason = check_report_reason(ctx, reason)
    with ctx.db.write() as conn:
        comment = load_comment(conn, comment_id)
        community_for_user_action(conn, viewer, comment.community_id)
        report_id = _upsert(conn, t.comment_report, "comment_id", {
            "creator_id": viewer.person_id, "comment_id": comment_id,
            "original_comment_text": comment.content, "reason": reason, "published": utcnow()})
        federate_report(ctx, conn, viewer.person_id, comment.community_id, comment.ap_id, reason)
        return report_id


def _report_community(conn: Connection, table: Table, report_id: int) -> int:
    """The community of a report's post or comment."""
    if table is t.post_report:
        query = (select(t.post.c.community_id)
                 .join(t.post_report, t.post_report.c.post_id == t.post.c.id))
    else:
        query = (select(t.post.c.community_id)
                 .join(t.comment, t.comment.c.post_id == t.post.c.id)
                 .join(t.comment_report, t.comment_report.c.comment_id == t.comment.c.id))
    community_id = conn.execute(query.where(table.c.id == report_id)).scalar()
    if community_id is None:
        raise MootError(f"couldnt_find_{table.name}", status=404)
    return int(community_id)


def do_resolve_report(ctx: Context, viewer: Viewer, table: Table, report_id: int,
                      resolved: bool) -> None:
    """Resolve (or reopen) a post_report or comment_report; the community's mods and admins may.
    The resolver is kept on reopening too, as Lemmy does: it names who last touched it."""
    with ctx.db.write() as conn:
        community = load_community(conn, _report_community(conn, table, report_id))
        check_community_mod_action(conn, viewer, community, allow_deleted=True)
        conn.execute(update(table).where(table.c.id == report_id).values(
            resolved=resolved, resolver_id=viewer.person_id, updated=utcnow()))


def resolve_all_for(conn: Connection, viewer: Viewer, table: Table, target: str,
                    target_id: int) -> None:
    """Lemmy's resolve_all_for_object: a moderator's removal (or restoration) settles every
    report of the thing, and names the moderator as their resolver."""
    conn.execute(update(table).where(table.c[target] == target_id).values(
        resolved=True, resolver_id=viewer.person_id, updated=utcnow()))


# Private messages ---------------------------------------------------------------------------


def do_create_message_report(ctx: Context, viewer: Viewer, message_id: int, reason: str) -> int:
    """Only the recipient may report a message, once (Lemmy 0.19: couldnt_create_report)."""
    reason = check_report_reason(ctx, reason)
    table = t.private_message_report
    with ctx.db.write() as conn:
        message = conn.execute(select(t.private_message).where(
            t.private_message.c.id == message_id)).first()
        if message is None:
            raise MootError("couldnt_find_private_message", status=404)
        if message.recipient_id != viewer.person_id:
            raise MootError("couldnt_create_report")
        earlier = conn.execute(select(table.c.id).where(
            table.c.private_message_id == message_id,
            table.c.creator_id == viewer.person_id)).first()
        if earlier is not None:
            raise MootError("couldnt_create_report")
        return int(conn.execute(insert(table).values(
            creator_id=viewer.person_id, private_message_id=message_id,
            original_pm_text=message.content, reason=reason, published=utcnow(),
        ).returning(table.c.id)).scalar_one())


def do_resolve_message_report(ctx: Context, admin: Viewer, report_id: int,
                              resolved: bool) -> None:
    """Admins only (the route checks)."""
    table = t.private_message_report
    with ctx.db.write() as conn:
        done = conn.execute(update(table).where(table.c.id == report_id).values(
            resolved=resolved, resolver_id=admin.person_id, updated=utcnow())).rowcount
        if not done:
            raise MootError("couldnt_find_private_message_report", status=404)
