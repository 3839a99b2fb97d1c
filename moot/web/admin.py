"""The admins' page: site settings, registration applications, the admin list, site bans.

Every form is the API's admin action (PUT /site, PUT /admin/registration_application/approve,
POST /admin/add, POST /user/ban) behind a CSRF-checked form. The page and every route refuse
anyone but an admin here, at the door, as the API's Admin dependency does: several of these
actions trust their caller to have checked.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import Depends, Request, Response

from moot.actions.admin import do_add_admin, do_ban_person, do_decide_application
from moot.actions.site import do_edit_site
from moot.api.v3 import models as m
from moot.errors import MootError
from moot.views.admin import banned_people, list_applications
from moot.views.people import Viewer, admins, find_person_id
from moot.web import render, session
from moot.web.routing import message_for, redirect, web_router
from moot.web.session import Form, checkbox, parsed, require_user

router = web_router()

SITE_TEXT = ("name", "description", "sidebar", "icon", "banner", "application_question",
             "legal_information")
SITE_FLAGS = ("private_instance", "enable_downvotes", "enable_nsfw",
              "community_creation_admin_only", "require_email_verification",
              "application_email_admins", "hide_modlog_mod_names", "federation_enabled",
              "captcha_enabled")
REGISTRATION_MODES = get_args(m.RegistrationMode)


def require_admin(request: Request) -> Viewer:
    viewer = require_user(request)  # anonymous: to the login page
    if not viewer.admin:
        raise MootError("not_an_admin", status=403)
    return viewer


AdminUser = Annotated[Viewer, Depends(require_admin)]


def _page(request: Request, *, status: int = 200, error: MootError | None = None,
          form_name: str = "") -> Response:
    ctx = session.get_context(request)
    verified_only = bool(ctx.site().local_site["require_email_verification"])
    with ctx.db.read() as conn:
        applications = list_applications(conn, unread_only=True,
                                         require_verified_email=verified_only, page=1, limit=50)
        data: dict[str, Any] = {"applications": applications, "admins": admins(conn),
                                "banned": banned_people(conn)}
    return render.page(
        request, "admin.html", status=status, local_site=ctx.site().local_site,
        site_flags=SITE_FLAGS, modes=REGISTRATION_MODES, error=error.name if error else "",
        message=message_for(error) if error else "", form_name=form_name, **data)


@router.get("/admin")
def admin_page(request: Request, admin: AdminUser) -> Response:
    return _page(request)


def _site_values(form: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {name: form.get(name, "") for name in SITE_TEXT}
    values.update({name: checkbox(form, name) for name in SITE_FLAGS})
    values["registration_mode"] = form.get("registration_mode") or None
    return values


@router.post("/admin/site")
def edit_site(request: Request, admin: AdminUser, form: Form) -> Response:
    try:
        model = parsed(m.EditSite, _site_values(form))
        do_edit_site(session.get_context(request), admin, model.model_dump(exclude_none=True))
    except MootError as error:
        return _page(request, status=400, error=error, form_name="site")
    return redirect("/admin")


@router.post("/admin/application/{application_id}")
def decide_application(request: Request, admin: AdminUser, form: Form,
                       application_id: int) -> Response:
    approve = form.get("approve") == "true"
    reason = None if approve else (form.get("deny_reason") or None)
    do_decide_application(session.get_context(request), admin, application_id, approve, reason)
    return redirect("/admin#applications")


@router.post("/admin/admins")
def add_admin(request: Request, admin: AdminUser, form: Form) -> Response:
    ctx = session.get_context(request)
    try:
        with ctx.db.read() as conn:
            person_id = find_person_id(ctx, conn, form.get("username", "").strip())
        do_add_admin(ctx, admin, person_id, True)
    except MootError as error:
        return _page(request, status=400, error=error, form_name="admins")
    return redirect("/admin#admins")


@router.post("/admin/admins/{person_id}/remove")
def remove_admin(request: Request, admin: AdminUser, form: Form, person_id: int) -> Response:
    do_add_admin(session.get_context(request), admin, person_id, False)
    return redirect("/admin#admins")


@router.post("/admin/banned/{person_id}/unban")
def unban(request: Request, admin: AdminUser, form: Form, person_id: int) -> Response:
    do_ban_person(session.get_context(request), admin, person_id, False,
                  reason=form.get("reason") or None)
    return redirect("/admin#banned")
