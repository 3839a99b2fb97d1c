"""Who is asking (the viewer), people's views and the logged-in user's own information."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, String, bindparam, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from moot.db import tables as t
from moot.db.prepared import run
from moot.errors import MootError
from moot.views.lookup import find_actor_id
from moot.views.shape import (
    COMMUNITY,
    PERSON,
    PERSON_COUNTS,
    cols,
    entity,
    pick,
    rfc3339,
)

if TYPE_CHECKING:
    from moot.context import Context

LOCAL_USER = ("id", "person_id", "email", "show_nsfw", "theme", "default_sort_type",
              "default_listing_type", "interface_language", "show_avatars",
              "send_notifications_to_email", "show_scores", "show_bot_accounts", "show_read_posts",
              "email_verified", "accepted_application", "open_links_in_new_tab", "blur_nsfw",
              "auto_expand", "infinite_scroll_enabled", "admin", "post_listing_mode",
              "totp_2fa_enabled", "enable_keyboard_navigation", "enable_animated_images",
              "collapse_bot_comments")


@dataclass(frozen=True)
class Viewer:
    """A logged-in local user, as loaded for one request."""

    local_user: dict[str, Any]
    person: dict[str, Any]
    token: str
    # The discussion languages they chose, sorted, when read with the login (load_viewer);
    # None when not read (moot/views/languages.py then reads them).
    languages: tuple[int, ...] | None = None

    @property
    def person_id(self) -> int:
        return int(self.person["id"])

    @property
    def local_user_id(self) -> int:
        return int(self.local_user["id"])

    @property
    def admin(self) -> bool:
        return bool(self.local_user["admin"])


class _Listed(FunctionElement[str]):
    """An integer column's values as one comma-separated string (NULL for none)."""

    type = String()
    inherit_cache = True


@compiles(_Listed)
def _listed(element: _Listed, compiler: Any, **kw: Any) -> str:
    return f"string_agg(CAST({compiler.process(element.clauses, **kw)} AS TEXT), ',')"


@compiles(_Listed, "sqlite")
def _listed_sqlite(element: _Listed, compiler: Any, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


_LANGUAGES = (select(_Listed(t.local_user_language.c.language_id))
              .where(t.local_user_language.c.local_user_id == t.local_user.c.id)
              .scalar_subquery())
# Read on every logged-in request: built once. With the viewer's discussion languages as one
# string ("1,5,40", NULL for none): the listings need them, and a statement of their own cost
# a round trip and ~0.15-0.3 ms of every logged-in listing on PostgreSQL (decision 0052).
_VIEWER = (
    select(t.local_user, *cols(t.person, "p_", PERSON + PERSON_COUNTS),
           _LANGUAGES.label("moot_languages"))
    .join(t.login_token, t.login_token.c.user_id == t.local_user.c.id)
    .join(t.person, t.person.c.id == t.local_user.c.person_id)
    .where(t.login_token.c.token == bindparam("token"),
           t.local_user.c.id == bindparam("user_id")))


def load_viewer(conn: Connection, local_user_id: int, token: str) -> Viewer | None:
    """The viewer for a token, if the token is still a live login of a usable account."""
    row = run(conn, _VIEWER, {"token": token, "user_id": local_user_id}).mappings().first()
    if row is None or row["p_deleted"]:
        return None
    local_user = dict(row)
    languages = local_user.pop("moot_languages")
    chosen = tuple(sorted(int(n) for n in languages.split(","))) if languages else ()
    return Viewer(local_user, {n: row["p_" + n] for n in PERSON + PERSON_COUNTS}, token,
                  chosen)


def person_json(person: dict[str, Any]) -> dict[str, Any]:
    return pick(person, "", PERSON)


def person_view_from(row: Any, prefix: str, admin: bool) -> dict[str, Any]:
    return {
        "person": pick(row, prefix, PERSON),
        "counts": {"person_id": row[prefix + "id"], "post_count": row[prefix + "post_count"],
                   "comment_count": row[prefix + "comment_count"]},
        "is_admin": bool(admin),
    }


def person_view_query() -> Any:
    return (select(*cols(t.person, "p_", PERSON + PERSON_COUNTS),
                   t.local_user.c.admin.label("is_admin"))
            .outerjoin(t.local_user, t.local_user.c.person_id == t.person.c.id))


def get_person_view(conn: Connection, person_id: int) -> dict[str, Any]:
    row = conn.execute(person_view_query().where(t.person.c.id == person_id)).mappings().first()
    if row is None:
        raise MootError("couldnt_find_person", status=404)
    return person_view_from(row, "p_", row["is_admin"])


def admins(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(person_view_query().where(t.local_user.c.admin)
                        .order_by(t.person.c.published)).mappings()
    return [person_view_from(r, "p_", True) for r in rows]


def local_user_json(local_user: dict[str, Any]) -> dict[str, Any]:
    return entity(local_user, LOCAL_USER)


def vote_display_mode(local_user: dict[str, Any]) -> dict[str, Any]:
    return {"local_user_id": local_user["id"],
            "score": local_user["vote_display_score"],
            "upvotes": local_user["vote_display_upvotes"],
            "downvotes": local_user["vote_display_downvotes"],
            "upvote_percentage": local_user["vote_display_upvote_percentage"]}


def counts_json(person: dict[str, Any]) -> dict[str, Any]:
    return {"person_id": person["id"], "post_count": person["post_count"],
            "comment_count": person["comment_count"]}


def find_person_id(ctx: Context, conn: Connection, username: str) -> int:
    return find_actor_id(ctx, conn, t.person, username, "couldnt_find_person")


def get_visible_person_view(conn: Connection, person_id: int) -> dict[str, Any]:
    """A PersonView as Lemmy reads one for others: deleted accounts are not found."""
    row = conn.execute(person_view_query().where(t.person.c.id == person_id,
                                                 t.person.c.deleted.is_(False))).mappings().first()
    if row is None:
        raise MootError("couldnt_find_person", status=404)
    return person_view_from(row, "p_", row["is_admin"])


def moderated_communities(conn: Connection, person_id: int,
                          viewer: Viewer | None) -> list[dict[str, Any]]:
    """CommunityModeratorView[] of what a person moderates, as a profile shows it."""
    c = t.community.c
    mod = t.community_moderator
    query = (select(*cols(t.community, "c_", COMMUNITY), *cols(t.person, "p_", PERSON))
             .join(mod, mod.c.community_id == c.id)
             .join(t.person, t.person.c.id == mod.c.person_id)
             .where(mod.c.person_id == person_id)
             .order_by(mod.c.published, c.id))
    if viewer is None:
        query = query.where(c.visibility == "Public")
    if viewer is None or viewer.person_id != person_id:
        query = query.where(c.deleted.is_(False))  # a deleted community shows to its mod only
    if viewer is None or not viewer.admin:
        query = query.where(c.removed.is_(False))
    return [{"community": pick(r, "c_", COMMUNITY), "moderator": pick(r, "p_", PERSON)}
            for r in conn.execute(query).mappings()]


__all__ = ["Viewer", "admins", "get_person_view", "load_viewer", "person_json", "rfc3339"]
