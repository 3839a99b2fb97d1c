"""Admin routes: site bans, the admin list, registration applications, and purges."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.actions.admin import do_add_admin, do_ban_person, do_decide_application
from moot.actions.purge import (
    do_purge_comment,
    do_purge_community,
    do_purge_person,
    do_purge_post,
)
from moot.api.v3 import models as m
from moot.api.v3.deps import Admin, Api, Ctx, success
from moot.views.admin import (
    banned_people,
    count_unread_applications,
    get_application,
    get_application_of,
    list_applications,
)
from moot.views.people import admins, get_person_view

api = Api()


@api.post("/user/ban", m.BanPersonResponse)
def ban_person(ctx: Ctx, admin: Admin, form: m.BanPerson) -> dict[str, Any]:
    do_ban_person(ctx, admin, form.person_id, form.ban, remove_data=bool(form.remove_data),
                  reason=form.reason, expires=form.expires)
    with ctx.db.read() as conn:
        return {"person_view": get_person_view(conn, form.person_id), "banned": form.ban}


@api.get("/user/banned", m.BannedPersonsResponse)
def banned(ctx: Ctx, admin: Admin) -> dict[str, Any]:
    with ctx.db.read() as conn:
        return {"banned": banned_people(conn)}


@api.post("/admin/add", m.AddAdminResponse)
def add_admin(ctx: Ctx, admin: Admin, form: m.AddAdmin) -> dict[str, Any]:
    do_add_admin(ctx, admin, form.person_id, form.added)
    with ctx.db.read() as conn:
        return {"admins": admins(conn)}


@api.get("/admin/registration_application/count",
         m.GetUnreadRegistrationApplicationCountResponse)
def count_applications(ctx: Ctx, admin: Admin) -> dict[str, Any]:
    verified_only = bool(ctx.site().local_site["require_email_verification"])
    with ctx.db.read() as conn:
        return {"registration_applications": count_unread_applications(conn, verified_only)}


@api.get("/admin/registration_application/list", m.ListRegistrationApplicationsResponse)
def list_registration_applications(
        ctx: Ctx, admin: Admin,
        q: Annotated[m.ListRegistrationApplications, Query()]) -> dict[str, Any]:
    verified_only = bool(ctx.site().local_site["require_email_verification"])
    with ctx.db.read() as conn:
        return {"registration_applications": list_applications(
            conn, unread_only=bool(q.unread_only), require_verified_email=verified_only,
            page=q.page, limit=q.limit)}


@api.put("/admin/registration_application/approve", m.RegistrationApplicationResponse)
def approve_application(ctx: Ctx, admin: Admin,
                        form: m.ApproveRegistrationApplication) -> dict[str, Any]:
    do_decide_application(ctx, admin, form.id, form.approve, form.deny_reason)
    with ctx.db.read() as conn:
        return {"registration_application": get_application(conn, form.id)}


@api.get("/admin/registration_application", m.RegistrationApplicationResponse)
def read_application(ctx: Ctx, admin: Admin,
                     q: Annotated[m.GetRegistrationApplication, Query()]) -> dict[str, Any]:
    with ctx.db.read() as conn:
        return {"registration_application": get_application_of(conn, q.person_id)}


@api.post("/admin/purge/person", m.SuccessResponse)
def purge_person(ctx: Ctx, admin: Admin, form: m.PurgePerson) -> dict[str, Any]:
    do_purge_person(ctx, admin, form.person_id, form.reason)
    return success()


@api.post("/admin/purge/community", m.SuccessResponse)
def purge_community(ctx: Ctx, admin: Admin, form: m.PurgeCommunity) -> dict[str, Any]:
    do_purge_community(ctx, admin, form.community_id, form.reason)
    return success()


@api.post("/admin/purge/post", m.SuccessResponse)
def purge_post(ctx: Ctx, admin: Admin, form: m.PurgePost) -> dict[str, Any]:
    do_purge_post(ctx, admin, form.post_id, form.reason)
    return success()


@api.post("/admin/purge/comment", m.SuccessResponse)
def purge_comment(ctx: Ctx, admin: Admin, form: m.PurgeComment) -> dict[str, Any]:
    do_purge_comment(ctx, admin, form.comment_id, form.reason)
    return success()
