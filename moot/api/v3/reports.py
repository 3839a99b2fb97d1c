"""/post/report, /comment/report, /private_message/report and /user/report_count: filing reports
and working the queue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.actions.reports import (
    do_create_comment_report,
    do_create_message_report,
    do_create_post_report,
    do_resolve_message_report,
    do_resolve_report,
)
from moot.api.v3 import models as m
from moot.api.v3.deps import Admin, Api, Ctx, User
from moot.db import tables as t
from moot.views.reports import (
    ReportFilter,
    comment_report_response,
    list_comment_reports,
    list_pm_reports,
    list_post_reports,
    pm_report_response,
    post_report_response,
    report_count,
)

api = Api()


@api.post("/post/report", m.PostReportResponse)
def create_post_report(ctx: Ctx, user: User, form: m.CreatePostReport) -> dict[str, Any]:
    report_id = do_create_post_report(ctx, user, form.post_id, form.reason)
    return post_report_response(ctx, user, report_id)


@api.put("/post/report/resolve", m.PostReportResponse)
def resolve_post_report(ctx: Ctx, user: User, form: m.ResolvePostReport) -> dict[str, Any]:
    do_resolve_report(ctx, user, t.post_report, form.report_id, form.resolved)
    return post_report_response(ctx, user, form.report_id)


@api.get("/post/report/list", m.ListPostReportsResponse)
def get_post_reports(ctx: Ctx, user: User,
                     q: Annotated[m.ListPostReports, Query()]) -> dict[str, Any]:
    return {"post_reports": list_post_reports(ctx, user, ReportFilter(
        page=q.page, limit=q.limit, unresolved_only=bool(q.unresolved_only),
        community_id=q.community_id, post_id=q.post_id))}


@api.post("/comment/report", m.CommentReportResponse)
def create_comment_report(ctx: Ctx, user: User, form: m.CreateCommentReport) -> dict[str, Any]:
    report_id = do_create_comment_report(ctx, user, form.comment_id, form.reason)
    return comment_report_response(ctx, user, report_id)


@api.put("/comment/report/resolve", m.CommentReportResponse)
def resolve_comment_report(ctx: Ctx, user: User,
                           form: m.ResolveCommentReport) -> dict[str, Any]:
    do_resolve_report(ctx, user, t.comment_report, form.report_id, form.resolved)
    return comment_report_response(ctx, user, form.report_id)


@api.get("/comment/report/list", m.ListCommentReportsResponse)
def get_comment_reports(ctx: Ctx, user: User,
                        q: Annotated[m.ListCommentReports, Query()]) -> dict[str, Any]:
    return {"comment_reports": list_comment_reports(ctx, user, ReportFilter(
        page=q.page, limit=q.limit, unresolved_only=bool(q.unresolved_only),
        community_id=q.community_id, comment_id=q.comment_id))}


@api.get("/user/report_count", m.GetReportCountResponse)
def get_report_count(ctx: Ctx, user: User,
                     q: Annotated[m.GetReportCount, Query()]) -> dict[str, Any]:
    return report_count(ctx, user, q.community_id)


@api.post("/private_message/report", m.PrivateMessageReportResponse)
def create_message_report(ctx: Ctx, user: User,
                          form: m.CreatePrivateMessageReport) -> dict[str, Any]:
    report_id = do_create_message_report(ctx, user, form.private_message_id, form.reason)
    return pm_report_response(ctx, report_id)


@api.put("/private_message/report/resolve", m.PrivateMessageReportResponse)
def resolve_message_report(ctx: Ctx, admin: Admin,
                           form: m.ResolvePrivateMessageReport) -> dict[str, Any]:
    do_resolve_message_report(ctx, admin, form.report_id, form.resolved)
    return pm_report_response(ctx, form.report_id)


@api.get("/private_message/report/list", m.ListPrivateMessageReportsResponse)
def get_message_reports(ctx: Ctx, admin: Admin,
                        q: Annotated[m.ListPrivateMessageReports, Query()]) -> dict[str, Any]:
    return {"private_message_reports": list_pm_reports(ctx, bool(q.unresolved_only), q.page,
                                                       q.limit)}
