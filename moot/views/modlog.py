"""GET /modlog: Lemmy's fifteen lists of moderator actions, newest first.

Every list is filled: post removal, lock and feature; comment removal; community bans, moderator
changes, transfers, hiding and removal; site bans and admin changes; and the four purges. As in
Lemmy, site bans, admin changes, community removals and purges belong to no single community and
are listed only when no community is asked for; lists whose rows name no person acted on
(hidden and removed communities, purges) are empty when a person is asked for. When the site hides
moderator names, only admins and the moderators of any community see who acted: for everyone else
``moderator`` (or ``admin``) is left out, the actor's id reads 0 and a filter by moderator is
ignored, as in Lemmy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.sql import ColumnElement, FromClause

from moot.actions.communities import check_user_valid
from moot.context import Context
from moot.db import tables as t
from moot.errors import MootError
from moot.views.paging import limit_and_offset
from moot.views.people import Viewer
from moot.views.shape import COMMENT, COMMUNITY, PERSON, POST, cols, pick

ALL_LISTS = ("removed_posts", "locked_posts", "featured_posts", "removed_comments",
             "removed_communities", "banned_from_community", "banned", "added_to_community",
             "transferred_to_community", "added", "admin_purged_persons",
             "admin_purged_communities", "admin_purged_posts", "admin_purged_comments",
             "hidden_communities")

moderator = t.person.alias("moderator")
other = t.person.alias("other")


@dataclass(frozen=True)
class ModlogQuery:
    mod_person_id: int | None = None
    community_id: int | None = None
    other_person_id: int | None = None
    post_id: int | None = None
    comment_id: int | None = None
    page: int | None = None
    limit: int | None = None
    type_: str | None = None


@dataclass(frozen=True)
class Kind:
    """One modlog list: its table, its action type, what it joins and how it is shaped."""

    key: str  # the list in GetModlogResponse
    action: str  # ModlogActionType
    table: Table
    item: str  # the action object's name in the view
    fields: tuple[str, ...]
    other_name: str  # the view's name for the person acted on (joined as ``o_``)
    target: Callable[[Table], tuple[FromClause, ColumnElement[Any], ColumnElement[Any]]]
    actor: str = "mod_person_id"  # the column naming who acted
    actor_name: str = "moderator"  # and the view's name for them
    site_wide: bool = False  # listed only when no community is asked for
    names_nobody: bool = False  # listed only when no person acted on is asked for


def _via_post(table: Table) -> tuple[FromClause, ColumnElement[Any], ColumnElement[Any]]:
    source = (table.join(t.post, t.post.c.id == table.c.post_id)
              .join(t.community, t.community.c.id == t.post.c.community_id))
    return source, t.post.c.creator_id, t.post.c.id


def _via_comment(table: Table) -> tuple[FromClause, ColumnElement[Any], ColumnElement[Any]]:
    source = (table.join(t.comment, t.comment.c.id == table.c.comment_id)
              .join(t.post, t.post.c.id == t.comment.c.post_id)
              .join(t.community, t.community.c.id == t.post.c.community_id))
    return source, t.comment.c.creator_id, t.post.c.id


def _via_community(table: Table) -> tuple[FromClause, ColumnElement[Any], ColumnElement[Any]]:
    source = table.join(t.community, t.community.c.id == table.c.community_id)
    return source, table.c.other_person_id, None  # type: ignore[return-value]


def _site_wide(table: Table) -> tuple[FromClause, ColumnElement[Any], ColumnElement[Any]]:
    return table, table.c.other_person_id, None  # type: ignore[return-value]


def _community_only(table: Table) -> tuple[FromClause, ColumnElement[Any], ColumnElement[Any]]:
    source = table.join(t.community, t.community.c.id == table.c.community_id)
    return source, None, None  # type: ignore[return-value]


def _post_only(table: Table) -> tuple[FromClause, ColumnElement[Any], ColumnElement[Any]]:
    source = table.join(t.post, t.post.c.id == table.c.post_id)
    return source, None, t.post.c.id  # type: ignore[return-value]


def _nothing(table: Table) -> tuple[FromClause, ColumnElement[Any], ColumnElement[Any]]:
    return table, None, None  # type: ignore[return-value]


_PURGE = ("id", "admin_person_id", "reason", "when_")


KINDS = (
    Kind("removed_posts", "ModRemovePost", t.mod_remove_post, "mod_remove_post",
         ("id", "mod_person_id", "post_id", "reason", "removed", "when_"), "", _via_post),
    Kind("locked_posts", "ModLockPost", t.mod_lock_post, "mod_lock_post",
         ("id", "mod_person_id", "post_id", "locked", "when_"), "", _via_post),
    Kind("featured_posts", "ModFeaturePost", t.mod_feature_post, "mod_feature_post",
         ("id", "mod_person_id", "post_id", "featured", "when_", "is_featured_community"), "",
         _via_post),
    Kind("removed_comments", "ModRemoveComment", t.mod_remove_comment, "mod_remove_comment",
         ("id", "mod_person_id", "comment_id", "reason", "removed", "when_"), "commenter",
         _via_comment),
    Kind("banned_from_community", "ModBanFromCommunity", t.mod_ban_from_community,
         "mod_ban_from_community",
         ("id", "mod_person_id", "other_person_id", "community_id", "reason", "banned",
          "expires", "when_"), "banned_person", _via_community),
    Kind("added_to_community", "ModAddCommunity", t.mod_add_community, "mod_add_community",
         ("id", "mod_person_id", "other_person_id", "community_id", "removed", "when_"),
         "modded_person", _via_community),
    Kind("transferred_to_community", "ModTransferCommunity", t.mod_transfer_community,
         "mod_transfer_community",
         ("id", "mod_person_id", "other_person_id", "community_id", "when_"), "modded_person",
         _via_community),
    Kind("hidden_communities", "ModHideCommunity", t.mod_hide_community, "mod_hide_community",
         ("id", "community_id", "mod_person_id", "when_", "reason", "hidden"), "",
         _community_only, actor_name="admin", names_nobody=True),
    Kind("removed_communities", "ModRemoveCommunity", t.mod_remove_community,
         "mod_remove_community",
         ("id", "mod_person_id", "community_id", "reason", "removed", "when_"), "",
         _community_only, site_wide=True, names_nobody=True),
    Kind("banned", "ModBan", t.mod_ban, "mod_ban",
         ("id", "mod_person_id", "other_person_id", "reason", "banned", "expires", "when_"),
         "banned_person", _site_wide, site_wide=True),
    Kind("added", "ModAdd", t.mod_add, "mod_add",
         ("id", "mod_person_id", "other_person_id", "removed", "when_"), "modded_person",
         _site_wide, site_wide=True),
    Kind("admin_purged_persons", "AdminPurgePerson", t.admin_purge_person,
         "admin_purge_person", _PURGE, "", _nothing, actor="admin_person_id",
         actor_name="admin", site_wide=True, names_nobody=True),
    Kind("admin_purged_communities", "AdminPurgeCommunity", t.admin_purge_community,
         "admin_purge_community", _PURGE, "", _nothing, actor="admin_person_id",
         actor_name="admin", site_wide=True, names_nobody=True),
    Kind("admin_purged_posts", "AdminPurgePost", t.admin_purge_post, "admin_purge_post",
         (*_PURGE, "community_id"), "", _community_only, actor="admin_person_id",
         actor_name="admin", site_wide=True, names_nobody=True),
    Kind("admin_purged_comments", "AdminPurgeComment", t.admin_purge_comment,
         "admin_purge_comment", (*_PURGE, "post_id"), "", _post_only, actor="admin_person_id",
         actor_name="admin", site_wide=True, names_nobody=True),
)


def _list_kind(conn: Connection, kind: Kind, q: ModlogQuery, hide_names: bool) -> list[Any]:
    table = kind.table
    source, other_id, post_id = kind.target(table)
    actor = table.c[kind.actor]
    source = source.join(moderator, moderator.c.id == actor)
    columns = [*cols(table, "a_", kind.fields), *cols(moderator, "u_", PERSON)]
    if kind.target not in (_site_wide, _nothing, _post_only):
        columns += cols(t.community, "c_", COMMUNITY)
    if kind.other_name:
        source = source.join(other, other.c.id == other_id)
        columns += cols(other, "o_", PERSON)
    if post_id is not None:
        columns += cols(t.post, "p_", POST)
    if kind.action == "ModRemoveComment":
        columns += cols(t.comment, "m_", COMMENT)
    query = select(*columns).select_from(source)
    if q.community_id is not None:
        query = query.where(t.community.c.id == q.community_id)
    if q.mod_person_id is not None and not hide_names:
        query = query.where(actor == q.mod_person_id)
    if q.other_person_id is not None and other_id is not None:
        query = query.where(other_id == q.other_person_id)
    if q.post_id is not None and post_id is not None:
        query = query.where(post_id == q.post_id)
    if q.comment_id is not None and kind.action == "ModRemoveComment":
        query = query.where(table.c.comment_id == q.comment_id)
    limit, offset = limit_and_offset(q.page, q.limit)
    query = query.order_by(table.c.when_.desc(), table.c.id.desc()).limit(limit).offset(offset)
    return [_shape(row, kind, hide_names) for row in conn.execute(query).mappings()]


def _shape(row: Any, kind: Kind, hide_names: bool) -> dict[str, Any]:
    action = pick(row, "a_", kind.fields)
    view: dict[str, Any] = {kind.item: action}
    if "c_id" in row:
        view["community"] = pick(row, "c_", COMMUNITY)
    if hide_names:
        action[kind.actor] = 0
    else:
        view[kind.actor_name] = pick(row, "u_", PERSON)
    if kind.other_name:
        view[kind.other_name] = pick(row, "o_", PERSON)
    if "p_id" in row:
        view["post"] = pick(row, "p_", POST)
    if "m_id" in row:
        view["comment"] = pick(row, "m_", COMMENT)
    return view


def _names_hidden(ctx: Context, conn: Connection, viewer: Viewer | None) -> bool:
    """Lemmy 0.19.9: when the site hides moderator names, admins and the moderators of any
    community still see them (whichever community is asked for), unless their account is
    banned or deleted (check_community_mod_of_any_or_admin_action)."""
    if not ctx.site().local_site["hide_modlog_mod_names"]:
        return False
    if viewer is None:
        return True
    try:
        check_user_valid(viewer)
    except MootError:
        return True
    if viewer.admin:
        return False
    mod = t.community_moderator.c
    return conn.execute(select(mod.community_id).where(mod.person_id == viewer.person_id)
                        .limit(1)).first() is None


def get_modlog(ctx: Context, viewer: Viewer | None, q: ModlogQuery) -> dict[str, Any]:
    result: dict[str, Any] = {key: [] for key in ALL_LISTS}
    with ctx.db.read() as conn:
        hide_names = _names_hidden(ctx, conn, viewer)
        for kind in KINDS:
            if (kind.site_wide and q.community_id is not None) or \
                    (kind.names_nobody and q.other_person_id is not None):
                continue
            if q.type_ in (None, "All", kind.action):
                result[kind.key] = _list_kind(conn, kind, q, hide_names)
    return result
