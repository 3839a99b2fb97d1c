"""A person's own settings page: profile and preferences, password, blocks, deleting the account.

Each form is the API's action (PUT /user/save_user_settings, PUT /user/change_password,
POST /user/delete_account, POST /site/block) behind a CSRF-checked form; a refusal shows the
page again with the error's name and message, the rest of the page intact.
"""

from __future__ import annotations

from typing import Any, get_args

from fastapi import Request, Response

from moot.actions.credentials import do_change_password, do_delete_account
from moot.actions.settings import SettingsForm, do_block_instance, do_save_user_settings
from moot.api.v3 import models as m
from moot.api.v3.deps import client_ip
from moot.errors import MootError
from moot.views.people import Viewer
from moot.views.site import my_user_info
from moot.web import render, session
from moot.web.routing import message_for, redirect, web_router
from moot.web.session import Form, User, checkbox, parsed

router = web_router()

TEXT_FIELDS = ("display_name", "bio", "avatar", "banner", "email", "matrix_user_id")
FLAGS = ("show_nsfw", "blur_nsfw", "show_bot_accounts", "show_read_posts", "bot_account",
         "send_notifications_to_email", "show_avatars", "show_scores", "open_links_in_new_tab")
SORTS = get_args(m.SortType)
LISTINGS = tuple(kind for kind in get_args(m.ListingType) if kind != "ModeratorView")


def _page(request: Request, viewer: Viewer, *, status: int = 200,
          error: MootError | None = None, form_name: str = "", saved: str = "") -> Response:
    with session.get_context(request).db.read() as conn:
        mine = my_user_info(conn, viewer)
    return render.page(
        request, "settings.html", status=status, mine=mine,
        local_user=mine["local_user_view"]["local_user"],
        person=mine["local_user_view"]["person"], flags=FLAGS, sorts=SORTS, listings=LISTINGS,
        error=error.name if error else "", message=message_for(error) if error else "",
        form_name=form_name, saved=saved)


@router.get("/settings")
def settings_page(request: Request, viewer: User, saved: str = "") -> Response:
    return _page(request, viewer, saved=saved if saved in ("settings", "password") else "")


def _settings_values(form: dict[str, str]) -> dict[str, Any]:
    """Every field of the form: text as typed ("" clears it), unticked boxes as false."""
    values: dict[str, Any] = {name: form.get(name, "") for name in TEXT_FIELDS}
    values.update({name: checkbox(form, name) for name in FLAGS})
    values["default_sort_type"] = form.get("default_sort_type") or None
    values["default_listing_type"] = form.get("default_listing_type") or None
    return values


@router.post("/settings")
def save_settings(request: Request, viewer: User, form: Form) -> Response:
    try:
        model = parsed(m.SaveUserSettings, _settings_values(form))
        do_save_user_settings(session.get_context(request), viewer,
                              SettingsForm.from_model(model))
    except MootError as error:
        return _page(request, viewer, status=400, error=error, form_name="settings")
    return redirect("/settings?saved=settings")


@router.post("/settings/password")
def change_password(request: Request, viewer: User, form: Form) -> Response:
    try:
        jwt = do_change_password(session.get_context(request), viewer,
                                 form.get("old_password", ""), form.get("new_password", ""),
                                 form.get("new_password_verify", ""), ip=client_ip(request),
                                 user_agent=request.headers.get("user-agent"))
    except MootError as error:
        return _page(request, viewer, status=400, error=error, form_name="password")
    # The action logs every other session out and hands back a new login, as the API does.
    response = redirect("/settings?saved=password")
    session.set_login(request, response, jwt)
    return response


@router.post("/settings/delete")
def delete_account(request: Request, viewer: User, form: Form) -> Response:
    try:
        do_delete_account(session.get_context(request), viewer, form.get("password", ""),
                          checkbox(form, "delete_content"))
    except MootError as error:
        return _page(request, viewer, status=400, error=error, form_name="delete")
    response = redirect("/")
    session.clear_login(response)
    return response


@router.post("/instance/{instance_id}/block")
def block_instance(request: Request, viewer: User, form: Form, instance_id: int) -> Response:
    do_block_instance(session.get_context(request), viewer, instance_id,
                      form.get("block", "true") == "true")
    return redirect("/settings")
