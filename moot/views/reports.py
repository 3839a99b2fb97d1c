"""PostReportView, CommentReportView and PrivateMessageReportView: the reported thing's view (as
the asking moderator sees it) joined with the report, its reporter and its resolver, in one query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.sql import ColumnElement, Select

from moot.actions.communities import check_user_valid
from moot.context import Context
from moot.db import tables as t
from moot.errors import MootError
from moot.views.comments import comment_view_from, comment_view_query
from moot.views.messages import PRIVATE_MESSAGE
from moot.views.paging import limit_and_offset
from moot.views.people import Viewer
from moot.views.posts import post_view_from, post_view_query
from moot.views.shape import PERSON, cols, pick

POST_REPORT = ("id", "creator_id", "post_id", "original_post_name", "original_post_url",
               "original_post_body", "reason", "resolved", "resolver_id", "published", "updated")
PM_REPORT = ("id", "creator_id", "private_message_id", "original_pm_text", "reason", "resolved",
             "resolver_id", "published", "updated")
COMMENT_REPORT = ("id", "creator_id", "comment_id", "original_comment_text", "reason",
                  "resolved", "resolver_id", "published", "updated")

reporter = t.person.alias("reporter")
resolver = t.person.alias("resolver")
pm_creator = t.person.alias("pm_author")


@dataclass(frozen=True)
class ReportFilter:
    page: int | None = None
    limit: int | None = None
    unresolved_only: bool = False
    community_id: int | None = None
    post_id: int | None = None
    comment_id: int | None = None


def _report_parts(row: Any, key: str, names: tuple[str, ...]) -> dict[str, Any]:
    parts = {key: pick(row, "rp_", names), "creator": pick(row, "rr_", PERSON)}
    if row["rv_id"] is not None:
        parts["resolver"] = pick(row, "rv_", PERSON)
    return parts


def post_report_query(viewer: Viewer) -> Select[Any]:
    query = post_view_query(viewer)
    return (query.join(t.post_report, t.post_report.c.post_id == t.post.c.id)
            .join(reporter, reporter.c.id == t.post_report.c.creator_id)
            .outerjoin(resolver, resolver.c.id == t.post_report.c.resolver_id)
            .add_columns(*cols(t.post_report, "rp_", POST_REPORT),
                         *cols(reporter, "rr_", PERSON), *cols(resolver, "rv_", PERSON)))


def post_report_view_from(row: Any) -> dict[str, Any]:
    view = post_view_from(row)
    view.pop("banned_from_community")
    view["post_creator"] = view.pop("creator")
    view.update(_report_parts(row, "post_report", POST_REPORT))
    return view


def comment_report_query(viewer: Viewer) -> Select[Any]:
    query = comment_view_query(viewer)
    return (query.join(t.comment_report, t.comment_report.c.comment_id == t.comment.c.id)
            .join(reporter, reporter.c.id == t.comment_report.c.creator_id)
            .outerjoin(resolver, resolver.c.id == t.comment_report.c.resolver_id)
            .add_columns(*cols(t.comment_report, "rp_", COMMENT_REPORT),
                         *cols(reporter, "rr_", PERSON), *cols(resolver, "rv_", PERSON)))


def comment_report_view_from(row: Any, viewer: Viewer) -> dict[str, Any]:
    view = comment_view_from(row, viewer)
    view.pop("banned_from_community")
    view["comment_creator"] = view.pop("creator")
    view.update(_report_parts(row, "comment_report", COMMENT_REPORT))
    return view


def post_report_response(ctx: Context, viewer: Viewer, report_id: int) -> dict[str, Any]:
    with ctx.db.read() as conn:
        row = conn.execute(post_report_query(viewer).where(t.post_report.c.id == report_id)
                           ).mappings().first()
    if row is None:
        raise MootError("couldnt_find_post_report", status=404)
    return {"post_report_view": post_report_view_from(row)}


def comment_report_response(ctx: Context, viewer: Viewer, report_id: int) -> dict[str, Any]:
    with ctx.db.read() as conn:
        row = conn.execute(comment_report_query(viewer)
                           .where(t.comment_report.c.id == report_id)).mappings().first()
    if row is None:
        raise MootError("couldnt_find_comment_report", status=404)
    return {"comment_report_view": comment_report_view_from(row, viewer)}


# Listing -------------------------------------------------------------------------------------


def _moderated(viewer: Viewer) -> Select[Any]:
    mod = t.community_moderator
    return select(mod.c.community_id).where(mod.c.person_id == viewer.person_id)


def check_mod_of_any_or_admin(conn: Connection, viewer: Viewer) -> None:
    """Lemmy's check_community_mod_of_any_or_admin_action: report queues are for moderators."""
    check_user_valid(viewer)
    if viewer.admin:
        return
    if conn.execute(_moderated(viewer).limit(1)).first() is None:
        raise MootError("not_a_moderator")


def _scope(viewer: Viewer, table: Table, community_id: int | None,
           unresolved_only: bool) -> list[ColumnElement[bool]]:
    """Which reports the viewer sees: admins all, moderators those in their communities."""
    conditions: list[ColumnElement[bool]] = []
    if not viewer.admin:
        conditions.append(t.community.c.id.in_(_moderated(viewer)))
    if community_id is not None:
        conditions.append(t.community.c.id == community_id)
    if unresolved_only:
        conditions.append(table.c.resolved.is_(False))
    return conditions


def _ordered(query: Select[Any], table: Table, page: int | None,
             limit: int | None) -> Select[Any]:
    size, offset = limit_and_offset(page, limit)
    # Open reports first, newest first within each group; the id breaks ties.
    return (query.order_by(table.c.resolved.asc(), table.c.published.desc(), table.c.id.desc())
            .limit(size).offset(offset))


def list_post_reports(ctx: Context, viewer: Viewer, f: ReportFilter) -> list[dict[str, Any]]:
    table = t.post_report
    with ctx.db.read() as conn:
        check_mod_of_any_or_admin(conn, viewer)
        query = post_report_query(viewer).where(
            *_scope(viewer, table, f.community_id, f.unresolved_only))
        if f.post_id is not None:
            query = query.where(table.c.post_id == f.post_id)
        rows = conn.execute(_ordered(query, table, f.page, f.limit)).mappings().all()
    return [post_report_view_from(row) for row in rows]


def list_comment_reports(ctx: Context, viewer: Viewer, f: ReportFilter) -> list[dict[str, Any]]:
    table = t.comment_report
    with ctx.db.read() as conn:
        check_mod_of_any_or_admin(conn, viewer)
        query = comment_report_query(viewer).where(
            *_scope(viewer, table, f.community_id, f.unresolved_only))
        if f.comment_id is not None:
            query = query.where(table.c.comment_id == f.comment_id)
        rows = conn.execute(_ordered(query, table, f.page, f.limit)).mappings().all()
    return [comment_report_view_from(row, viewer) for row in rows]


# Counts --------------------------------------------------------------------------------------


def _unresolved_count(conn: Connection, viewer: Viewer, table: Table,
                      community_id: int | None) -> int:
    query = select(func.count()).select_from(table)
    if table is t.comment_report:
        query = query.join(t.comment, t.comment.c.id == table.c.comment_id).join(
            t.post, t.post.c.id == t.comment.c.post_id)
    else:
        query = query.join(t.post, t.post.c.id == table.c.post_id)
    query = query.join(t.community, t.community.c.id == t.post.c.community_id)
    return int(conn.execute(query.where(*_scope(viewer, table, community_id, True))).scalar() or 0)


def report_count(ctx: Context, viewer: Viewer, community_id: int | None) -> dict[str, Any]:
    """GetReportCountResponse: open reports the viewer can act on. Private-message reports are
    an admin's and only counted site-wide."""
    with ctx.db.read() as conn:
        out: dict[str, Any] = {
            "comment_reports": _unresolved_count(conn, viewer, t.comment_report, community_id),
            "post_reports": _unresolved_count(conn, viewer, t.post_report, community_id),
        }
        if community_id is None and viewer.admin:
            pm = t.private_message_report
            out["private_message_reports"] = int(conn.execute(
                select(func.count()).select_from(pm).where(pm.c.resolved.is_(False))).scalar_one())
    if community_id is not None:
        out["community_id"] = community_id
    return out


# Private messages (admins only; the routes check) ------------------------------------------


def _pm_report_query() -> Select[Any]:
    pm, report = t.private_message, t.private_message_report
    return (select(*cols(report, "rp_", PM_REPORT), *cols(pm, "pm_", PRIVATE_MESSAGE),
                   *cols(pm_creator, "pc_", PERSON), *cols(reporter, "rr_", PERSON),
                   *cols(resolver, "rv_", PERSON))
            .join(pm, pm.c.id == report.c.private_message_id)
            .join(pm_creator, pm_creator.c.id == pm.c.creator_id)
            .join(reporter, reporter.c.id == report.c.creator_id)
            .outerjoin(resolver, resolver.c.id == report.c.resolver_id))


def _pm_report_view(row: Any) -> dict[str, Any]:
    view = {"private_message": pick(row, "pm_", PRIVATE_MESSAGE),
            "private_message_creator": pick(row, "pc_", PERSON)}
    view.update(_report_parts(row, "private_message_report", PM_REPORT))
    return view


def pm_report_response(ctx: Context, report_id: int) -> dict[str, Any]:
    with ctx.db.read() as conn:
        row = conn.execute(_pm_report_query().where(t.private_message_report.c.id == report_id)
                           ).mappings().first()
    if row is None:
        raise MootError("couldnt_find_private_message_report", status=404)
    return {"private_message_report_view": _pm_report_view(row)}


def list_pm_reports(ctx: Context, unresolved_only: bool, page: int | None,
                    limit: int | None) -> list[dict[str, Any]]:
    """As Lemmy: open reports oldest first (a queue to work through), or all newest first."""
    report = t.private_message_report
    size, offset = limit_and_offset(page, limit)
    query = _pm_report_query()
    if unresolved_only:
        query = query.where(report.c.resolved.is_(False)).order_by(report.c.published.asc(),
                                                                   report.c.id.asc())
    else:
        query = query.order_by(report.c.published.desc(), report.c.id.desc())
    with ctx.db.read() as conn:
        rows = conn.execute(query.limit(size).offset(offset)).mappings().all()
    return [_pm_report_view(row) for row in rows]
