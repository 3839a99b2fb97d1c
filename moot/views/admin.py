"""What admins read: banned people and registration applications (Lemmy's shapes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, func, select

from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.views.paging import limit_and_offset
from moot.views.people import LOCAL_USER, person_view_from, person_view_query
from moot.views.shape import PERSON, cols, pick

APPLICATION = ("id", "local_user_id", "answer", "admin_id", "deny_reason", "published")


def banned_people(conn: Connection) -> list[dict[str, Any]]:
    """PersonView[] of local and remote people under a site ban that has not run out."""
    p = t.person.c
    rows = conn.execute(person_view_query()
                        .where(p.banned, p.ban_expires.is_(None) | (p.ban_expires > utcnow()))
                        .order_by(p.id)).mappings()
    return [person_view_from(r, "p_", r["is_admin"]) for r in rows]


def _application_query() -> Select[Any]:
    ra = t.registration_application
    # A Core alias, not sqlalchemy.orm's aliased(): the ORM's import alone is ~6 MB of a
    # server's memory, and Moot uses no ORM (docs/decisions/0039).
    decider = t.person.alias()
    return (select(*cols(ra, "ra_", APPLICATION), *cols(t.local_user, "lu_", LOCAL_USER),
                   *cols(t.person, "p_", PERSON), *cols(decider, "a_", PERSON))
            .join(t.local_user, t.local_user.c.id == ra.c.local_user_id)
            .join(t.person, t.person.c.id == t.local_user.c.person_id)
            .outerjoin(decider, decider.c.id == ra.c.admin_id))


def _application_view(row: Any) -> dict[str, Any]:
    view = {"registration_application": pick(row, "ra_", APPLICATION),
            "creator_local_user": pick(row, "lu_", LOCAL_USER),
            "creator": pick(row, "p_", PERSON)}
    if row["a_id"] is not None:
        view["admin"] = pick(row, "a_", PERSON)
    return view


def _waiting(require_verified_email: bool) -> list[Any]:
    """Undecided applications; with email verification on, only those of verified emails
    (Lemmy does not show admins applications whose emails nobody has confirmed)."""
    conditions: list[Any] = [t.registration_application.c.admin_id.is_(None)]
    if require_verified_email:
        conditions.append(t.local_user.c.email_verified)
    return conditions


def count_unread_applications(conn: Connection, require_verified_email: bool) -> int:
    query = (select(func.count()).select_from(t.registration_application)
             .join(t.local_user, t.local_user.c.id == t.registration_application.c.local_user_id)
             .where(*_waiting(require_verified_email)))
    return int(conn.execute(query).scalar_one())


def list_applications(conn: Connection, *, unread_only: bool, require_verified_email: bool,
                      page: int | None, limit: int | None) -> list[dict[str, Any]]:
    """Newest first, as Lemmy lists them."""
    size, offset = limit_and_offset(page, limit)
    ra = t.registration_application.c
    query = _application_query().order_by(ra.published.desc(), ra.id.desc())
    if unread_only:
        query = query.where(*_waiting(require_verified_email))
    rows = conn.execute(query.limit(size).offset(offset)).mappings()
    return [_application_view(r) for r in rows]


def get_application(conn: Connection, application_id: int) -> dict[str, Any]:
    row = conn.execute(_application_query().where(t.registration_application.c.id
                                                  == application_id)).mappings().first()
    if row is None:
        raise MootError("couldnt_find_registration_application", status=404)
    return _application_view(row)


def get_application_of(conn: Connection, person_id: int) -> dict[str, Any]:
    row = conn.execute(_application_query().where(t.person.c.id == person_id)).mappings().first()
    if row is None:
        raise MootError("couldnt_find_registration_application", status=404)
    return _application_view(row)
