"""The settings backup of GET /user/export_settings, in Lemmy's UserSettingsBackup shape."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from moot.context import Context
from moot.db import tables as t
from moot.views.people import Viewer, local_user_json


def _column(conn: Connection, column: Any, link: Any, owner: Any, person_id: int) -> list[str]:
    rows = conn.execute(select(column).select_from(link.table).join(
        column.table, link == column.table.c.id).where(owner == person_id).order_by(column))
    return [str(value) for value in rows.scalars()]


def export_settings(ctx: Context, viewer: Viewer) -> dict[str, Any]:
    """Remote objects are named by their ActivityPub ids, so that any server can import them."""
    pid = viewer.person_id
    person = viewer.person
    with ctx.db.read() as conn:
        f, cb, pb = t.community_follower, t.community_block, t.person_block
        sp, sc, ib = t.post_saved, t.comment_saved, t.instance_block
        backup: dict[str, Any] = {
            "display_name": person["display_name"], "bio": person["bio"],
            "avatar": person["avatar"], "banner": person["banner"],
            "matrix_id": person["matrix_user_id"], "bot_account": person["bot_account"],
            "settings": local_user_json(viewer.local_user),
            "followed_communities": _column(conn, t.community.c.actor_id, f.c.community_id,
                                            f.c.person_id, pid),
            "saved_posts": _column(conn, t.post.c.ap_id, sp.c.post_id, sp.c.person_id, pid),
            "saved_comments": _column(conn, t.comment.c.ap_id, sc.c.comment_id, sc.c.person_id,
                                      pid),
            "blocked_communities": _column(conn, t.community.c.actor_id, cb.c.community_id,
                                           cb.c.person_id, pid),
            "blocked_users": _column(conn, t.person.c.actor_id, pb.c.target_id, pb.c.person_id,
                                     pid),
            "blocked_instances": _column(conn, t.instance.c.domain, ib.c.instance_id,
                                         ib.c.person_id, pid),
        }
    # Lemmy leaves out what is unset rather than writing null.
    return {k: v for k, v in backup.items() if v is not None}
