"""/inbox (replies, mentions, private messages) and the public /modlog."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from moot.actions.inbox import do_mark_all_read
from moot.views.inbox import list_replies
from moot.views.messages import list_mentions, list_messages
from moot.views.modlog import ModlogQuery, get_modlog
from moot.web import render, session
from moot.web.routing import redirect, web_router
from moot.web.session import Form, MaybeUser, User

router = web_router()


@router.get("/inbox")
def inbox_page(request: Request, viewer: User, unread_only: bool = False) -> Response:
    ctx = session.get_context(request)
    return render.page(
        request, "inbox.html", unread_only=unread_only,
        replies=list_replies(ctx, viewer, "New", 1, 50, unread_only),
        mentions=list_mentions(ctx, viewer, "New", 1, 50, unread_only),
        messages=list_messages(ctx, viewer, unread_only, 1, 50, None))


@router.post("/inbox/mark_all_read")
def mark_all_read(request: Request, viewer: User, form: Form) -> Response:
    do_mark_all_read(session.get_context(request), viewer)
    return redirect("/inbox")


def modlog_entries(log: dict[str, Any]) -> list[dict[str, Any]]:
    """Every list of GetModlogResponse as one list of rows, newest first."""
    entries = []
    for key, items in log.items():
        for item in items:
            action = next(v for v in item.values() if isinstance(v, dict) and "when_" in v)
            others = [v for k, v in item.items() if k not in ("moderator", "post", "comment",
                                                                "community") and v is not action]
            entries.append({"kind": key.replace("_", " "), "action": action,
                            "moderator": item.get("moderator"), "post": item.get("post"),
                            "comment": item.get("comment"), "community": item.get("community"),
                            "person": next((o for o in others if isinstance(o, dict)), None)})
    return sorted(entries, key=lambda e: e["action"]["when_"], reverse=True)


@router.get("/modlog")
def modlog_page(request: Request, viewer: MaybeUser, page: int = 1) -> Response:
    page = min(max(page, 1), 100)
    log = get_modlog(session.get_context(request), viewer, ModlogQuery(page=page, limit=50))
    return render.page(request, "modlog.html", entries=modlog_entries(log), page=page)
