"""Site administration: banning people from the site, naming admins, deciding applications.

The only code that writes these rows. Every function here expects its caller to have checked
that the viewer is an admin (the route's ``Admin`` dependency).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from moot.actions.comments import count_comment
from moot.actions.counts import count_post, count_site
from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.federation.outbox_people import federate_site_ban
from moot.validation import check_body
from moot.views.people import Viewer

# Lemmy's limit on a moderation reason (is_valid_body_field): that of a post body.
REASON_MAX = 10_000


def check_expires(expires: int | None) -> datetime | None:
    """A ban's end from unix seconds; a time already past is refused, as Lemmy's
    check_expire_time does."""
    if expires is None:
        return None
    try:
        when = datetime.fromtimestamp(expires, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise MootError("invalid_unix_time") from exc
    if when <= utcnow():
        raise MootError("ban_expiration_in_past")
    return when


def check_higher_admin(conn: Connection, admin_person_id: int, target_id: int) -> None:
    """Lemmy's is_higher_admin_check: among the acting admin and a target who is an admin, the
    one made a local user first ranks higher; a lower admin may not act against a higher one."""
    lu = t.local_user.c
    first = conn.execute(select(lu.person_id).where(
        lu.admin, lu.person_id.in_([admin_person_id, target_id])).order_by(lu.id).limit(1)
    ).scalar()
    if first is not None and first != admin_person_id:
        raise MootError("not_higher_admin")


def _load_person(conn: Connection, person_id: int) -> Any:
    row = conn.execute(select(t.person.c.id, t.person.c.local, t.local_user.c.id.label("lu_id"),
                              t.local_user.c.admin)
                       .outerjoin(t.local_user, t.local_user.c.person_id == t.person.c.id)
                       .where(t.person.c.id == person_id)).first()
    if row is None:
        raise MootError("couldnt_find_person", status=404)
    return row


def do_ban_person(ctx: Context, admin: Viewer, person_id: int, ban: bool, *,
                  remove_data: bool = False, reason: str | None = None,
                  expires: int | None = None) -> None:
    """Ban or unban someone site-wide, and log it in mod_ban.

    Lemmy also ends the banned person's sessions; here they stay logged in and every action
    is refused with site_ban (check_user_valid), so that the client shows why.
    """
    if reason is not None:
        check_body(reason, REASON_MAX)
    until = check_expires(expires) if ban else None
    with ctx.db.write() as conn:
        _load_person(conn, person_id)
        check_higher_admin(conn, admin.person_id, person_id)
        conn.execute(update(t.person).where(t.person.c.id == person_id)
                     .values(banned=ban, ban_expires=until))
        if ban and remove_data:
            remove_person_data(conn, person_id)
        conn.execute(insert(t.mod_ban).values(
            mod_person_id=admin.person_id, other_person_id=person_id, reason=reason or None,
            banned=ban, expires=until, when_=utcnow()))
        federate_site_ban(ctx, conn, admin.person_id, person_id, ban, remove_data,
                          reason or None, until)


def remove_person_data(conn: Connection, person_id: int) -> None:
    """Lemmy's remove_user_data: their pictures and bio go, their posts and comments are
    removed, and so are the communities whose first moderator they are. Counts follow, as on
    any removal."""
    conn.execute(update(t.person).where(t.person.c.id == person_id)
                 .values(avatar=None, banner=None, bio=None))
    # Comments first: a removed post takes its remaining comments out of the community's count.
    c = t.comment.c
    comments = conn.execute(select(c.id, c.deleted, c.published, c.post_id).where(
        c.creator_id == person_id, c.removed.is_(False))).all()
    for comment in comments:
        conn.execute(update(t.comment).where(c.id == comment.id).values(removed=True))
        if not comment.deleted:
            parent = conn.execute(select(t.post).where(t.post.c.id == comment.post_id)).one()
            count_comment(conn, parent, person_id, comment.published, -1)
    posts = conn.execute(select(t.post).where(t.post.c.creator_id == person_id,
                                              t.post.c.removed.is_(False))).mappings().all()
    for post in posts:
        conn.execute(update(t.post).where(t.post.c.id == post["id"]).values(removed=True))
        if not post["deleted"]:
            fresh = conn.execute(select(t.post).where(t.post.c.id == post["id"])).mappings().one()
            count_post(conn, dict(fresh), -1)
    _remove_first_moderated(conn, person_id)


def _remove_first_moderated(conn: Connection, person_id: int) -> None:
    mod = t.community_moderator
    first = (select(mod.c.community_id, func.min(mod.c.published).label("first"))
             .group_by(mod.c.community_id).subquery())
    owned = (select(mod.c.community_id)
             .join(first, (first.c.community_id == mod.c.community_id)
                   & (first.c.first == mod.c.published))
             .where(mod.c.person_id == person_id))
    counted = conn.execute(select(func.count()).select_from(t.community).where(
        t.community.c.id.in_(owned), t.community.c.local.is_(True),
        t.community.c.deleted.is_(False), t.community.c.removed.is_(False))).scalar_one()
    conn.execute(update(t.community).where(t.community.c.id.in_(owned)).values(removed=True))
    count_site(conn, communities=-counted)


def do_add_admin(ctx: Context, admin: Viewer, person_id: int, added: bool) -> None:
    with ctx.db.write() as conn:
        target = _load_person(conn, person_id)
        if target.lu_id is None:
            raise MootError("object_not_local")
        if not added:
            check_higher_admin(conn, admin.person_id, person_id)
            others = conn.execute(select(func.count()).select_from(t.local_user).where(
                t.local_user.c.admin, t.local_user.c.person_id != person_id)).scalar_one()
            if target.admin and others == 0:
                raise MootError("cannot_leave_admin")  # the site would have nobody to run it
        conn.execute(update(t.local_user).where(t.local_user.c.id == target.lu_id)
                     .values(admin=added))
        conn.execute(insert(t.mod_add).values(mod_person_id=admin.person_id,
                                              other_person_id=person_id, removed=not added,
                                              when_=utcnow()))


def do_decide_application(ctx: Context, admin: Viewer, application_id: int, approve: bool,
                          deny_reason: str | None) -> None:
    """Approve or deny an application; a later decision replaces an earlier one."""
    if deny_reason is not None:
        check_body(deny_reason, REASON_MAX)
    ra = t.registration_application
    with ctx.db.write() as conn:
        local_user_id = conn.execute(select(ra.c.local_user_id).where(ra.c.id == application_id)
                                     ).scalar()
        if local_user_id is None:
            raise MootError("couldnt_find_registration_application", status=404)
        conn.execute(update(ra).where(ra.c.id == application_id).values(
            admin_id=admin.person_id, deny_reason=None if approve else (deny_reason or None)))
        conn.execute(update(t.local_user).where(t.local_user.c.id == local_user_id)
                     .values(accepted_application=approve))
