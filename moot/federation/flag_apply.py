"""Applying a remote report (``Flag``) of a post or comment, through the report actions the
API uses: it becomes a report there, for the community's moderators.

Shapes accepted: Lemmy's (``object`` one post or comment, the reason in ``summary``), Mbin's
and Mastodon's (``object`` a list naming people and posts, the reason in ``content``). The first
post or comment known here is reported; a Flag naming only people, or sent by an instance
actor (Mastodon reports as its instance), is refused by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moot.actions.remote import remote_viewer
from moot.actions.reports import do_create_comment_report, do_create_post_report
from moot.context import Context
from moot.federation.actors import get_actor
from moot.federation.parse import Unusable, as_list, id_of

Finder = Callable[[Context, str], "tuple[str, int, int] | None"]


def _reason(flag: dict[str, Any]) -> str:
    for key in ("summary", "content"):
        if isinstance(flag.get(key), str) and flag[key].strip():
            return str(flag[key])
    return ""  # the report action refuses it as report_reason_required


def apply_flag(ctx: Context, flag: dict[str, Any], actor_id: str, find: Finder) -> str:
    """File the report; ``find`` names a known post or comment (apply.find_object)."""
    reporter = get_actor(ctx, actor_id)
    if reporter.kind != "person":
        raise Unusable("Flag by an instance actor: there is no person to name as reporter")
    targets = [u for u in (id_of(v) for v in as_list(flag.get("object"))) if u]
    found = next((f for f in (find(ctx, url) for url in targets) if f is not None), None)
    if found is None:
        raise Unusable("Flag names no post or comment known here (reports of people are "
                       "not handled)")
    kind, object_id, _community_id = found
    with ctx.db.read() as conn:
        viewer = remote_viewer(conn, reporter.id)
    if kind == "post":
        do_create_post_report(ctx, viewer, object_id, _reason(flag))
    else:
        do_create_comment_report(ctx, viewer, object_id, _reason(flag))
    return f"{kind} report filed"
