"""Applying a remote report (``Flag``) of posts or comments, through the report actions the
API uses: it becomes a report there, for the community's moderators.

Shapes accepted: Lemmy's (``object`` one post or comment, the reason in ``summary``), Mbin's
and Mastodon's (``object`` a list naming people and posts, the reason in ``content``). Each post
or comment named and known here is reported; people named are skipped (reports of people do
not exist in Lemmy 0.19). Mastodon reports as its instance actor: that actor is kept as a bot
person and named as the reporter, and a Flag without a reason gets one saying so
(decision 0028). A Flag naming no known post or comment is refused by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from moot.actions.remote import remote_viewer
from moot.actions.reports import do_create_comment_report, do_create_post_report
from moot.context import Context
from moot.federation.actors import KnownActor, get_actor, keep_instance_actor
from moot.federation.parse import Unusable, as_list, id_of

Finder = Callable[[Context, str], "tuple[str, int, int] | None"]


def _reason(flag: dict[str, Any], reporter: str) -> str:
    for key in ("summary", "content"):
        if isinstance(flag.get(key), str) and flag[key].strip():
            return str(flag[key])
    # Mastodon lets a report go without a comment; Moot's reports need a reason.
    return f"(reported from {urlsplit(reporter).netloc} without a reason)"


def _reporter(ctx: Context, actor_id: str) -> KnownActor:
    reporter = get_actor(ctx, actor_id)
    if reporter.kind == "site" and not reporter.local:
        reporter = keep_instance_actor(ctx, actor_id)  # Mastodon reports as its instance
    if reporter.kind != "person":
        raise Unusable("Flag by an actor that is not a person")
    return reporter


def apply_flag(ctx: Context, flag: dict[str, Any], actor_id: str, find: Finder) -> str:
    """File the reports; ``find`` names a known post or comment (apply.find_object)."""
    targets = list(dict.fromkeys(u for u in (id_of(v) for v in as_list(flag.get("object"))) if u))
    found = [f for f in (find(ctx, url) for url in targets) if f is not None]
    if not found:
        raise Unusable("Flag names no post or comment known here (reports of people are "
                       "not handled)")
    reporter = _reporter(ctx, actor_id)
    reason = _reason(flag, actor_id)
    with ctx.db.read() as conn:
        viewer = remote_viewer(conn, reporter.id)
    for kind, object_id, _community_id in found:
        if kind == "post":
            do_create_post_report(ctx, viewer, object_id, reason)
        else:
            do_create_comment_report(ctx, viewer, object_id, reason)
    if len(found) == 1:
        return f"{found[0][0]} report filed"
    return f"{len(found)} reports filed"
