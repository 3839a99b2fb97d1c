"""Moderators' and admins' buttons: remove, lock, feature, distinguish, ban.

Every route calls the same action as the API, so the rules (who may, the higher rank, the
modlog row) are the actions' alone; the pages only decide whether to show the controls.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import Request, Response

from moot.actions.admin import do_ban_person
from moot.actions.moderation import (
    do_ban_from_community,
    do_distinguish_comment,
    do_feature_post,
    do_lock_post,
    do_remove_comment,
    do_remove_post,
)
from moot.errors import MootError
from moot.views.comments import get_comment_view
from moot.views.communities import moderators
from moot.web import render, session
from moot.web.routing import redirect, safe_next, web_router
from moot.web.session import Form, User, field_int

router = web_router()


def can_moderate(viewer: Any, moderators: list[dict[str, Any]]) -> bool:
    """Whether to show the controls: an admin, or one of the community's moderators."""
    if viewer is None:
        return False
    return viewer.admin or any(m["moderator"]["id"] == viewer.person_id for m in moderators)


def _on(form: dict[str, str], name: str) -> bool:
    return form.get(name) == "true"


def _expires(form: dict[str, str]) -> int | None:
    """The form's "days" (empty: permanent) as the unix time the actions take."""
    days = form.get("expires_days", "").strip()
    if not days:
        return None
    count = field_int(form, "expires_days")
    if count < 1:
        raise MootError("ban_expiration_in_past")
    return int(time.time()) + count * 86400


def _back(form: dict[str, str], default: str) -> Response:
    return redirect(safe_next(form.get("next"), default))


@router.post("/post/{post_id}/remove")
def remove_post(request: Request, viewer: User, form: Form, post_id: int) -> Response:
    do_remove_post(session.get_context(request), viewer, post_id, _on(form, "removed"),
                   form.get("reason") or None)
    return _back(form, f"/post/{post_id}")


@router.post("/post/{post_id}/lock")
def lock_post(request: Request, viewer: User, form: Form, post_id: int) -> Response:
    do_lock_post(session.get_context(request), viewer, post_id, _on(form, "locked"))
    return _back(form, f"/post/{post_id}")


@router.post("/post/{post_id}/feature")
def feature_post(request: Request, viewer: User, form: Form, post_id: int) -> Response:
    kind = "Local" if form.get("feature_type") == "Local" else "Community"
    do_feature_post(session.get_context(request), viewer, post_id, _on(form, "featured"), kind)
    return _back(form, f"/post/{post_id}")


@router.get("/comment/{comment_id}/moderate")
def comment_moderation_page(request: Request, viewer: User, comment_id: int) -> Response:
    """A comment's controls on a page of their own: the thread links here from each comment,
    which keeps a long thread light (docs/decisions/0012)."""
    with session.get_context(request).db.read() as conn:
        view = get_comment_view(conn, comment_id, viewer)
        mods = moderators(conn, view["community"]["id"])
    if not can_moderate(viewer, mods):
        raise MootError("not_a_mod_or_admin", status=403)
    return render.page(request, "comment_moderate.html", cv=view)


@router.post("/comment/{comment_id}/remove")
def remove_comment(request: Request, viewer: User, form: Form, comment_id: int) -> Response:
    do_remove_comment(session.get_context(request), viewer, comment_id, _on(form, "removed"),
                      form.get("reason") or None)
    return _back(form, f"/comment/{comment_id}")


@router.post("/comment/{comment_id}/distinguish")
def distinguish_comment(request: Request, viewer: User, form: Form, comment_id: int) -> Response:
    do_distinguish_comment(session.get_context(request), viewer, comment_id,
                           _on(form, "distinguished"))
    return _back(form, f"/comment/{comment_id}")


@router.post("/community/{community_id}/ban")
def ban_from_community(request: Request, viewer: User, form: Form,
                       community_id: int) -> Response:
    ban = form.get("ban", "true") == "true"
    do_ban_from_community(session.get_context(request), viewer, community_id,
                          field_int(form, "person_id"), ban, form.get("remove_data") == "on",
                          form.get("reason") or None, _expires(form) if ban else None)
    return _back(form, "/")


@router.post("/person/{person_id}/ban")
def ban_person(request: Request, viewer: User, form: Form, person_id: int) -> Response:
    if not viewer.admin:  # the API's Admin door; do_ban_person trusts its caller
        raise MootError("not_an_admin", status=403)
    ban = form.get("ban", "true") == "true"
    do_ban_person(session.get_context(request), viewer, person_id, ban,
                  remove_data=form.get("remove_data") == "on", reason=form.get("reason") or None,
                  expires=_expires(form) if ban else None)
    return _back(form, "/")
