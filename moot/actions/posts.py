"""Posts: create, edit, delete, and what a person does to one (vote, save, read, hide).

The only code that writes post rows. Counts that listings read (community.posts,
person.post_count and post_score, the post's score and controversy rank) change in the same
transaction as the row they count, as Lemmy's triggers do.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from moot.actions.communities import community_for_user_action, is_moderator
from moot.actions.content_filters import (
    check_body_links,
    check_language_allowed,
    check_slurs,
    check_url_not_blocked,
    remove_slurs,
)
from moot.actions.counts import apply_post_vote, count_post
from moot.actions.remote import RemoteObject
from moot.actions.votes import check_vote
from moot.context import Context
from moot.db import tables as t
from moot.db.prepared import run
from moot.db.types import utcnow
from moot.errors import MootError
from moot.federation.outbox import federate_post, federate_vote
from moot.validation import (
    POST_BODY_MAX,
    URL_MAX,
    check_alt_text,
    check_body,
    check_post_title,
)
from moot.views.people import Viewer

# Lemmy's MAX_API_PARAM_ELEMENTS: the most ids one mark_as_read or hide call may name.
MAX_IDS = 10_000
_URL_SCHEMES = ("http", "https", "magnet")


@dataclass(frozen=True)
class PostForm:
    """What CreatePost and EditPost carry. On edit, None leaves a field alone and "" clears it."""

    name: str | None = None
    url: str | None = None
    body: str | None = None
    alt_text: str | None = None
    nsfw: bool | None = None
    language_id: int | None = None
    custom_thumbnail: str | None = None
    honeypot: str | None = None


# Checks ------------------------------------------------------------------------------------


def check_title(name: str) -> str:
    # Lemmy refuses a newline anywhere, even one that trimming would remove.
    if "\n" in name or "\r" in name:
        raise MootError("invalid_post_title")
    return check_post_title(name)


def check_post_url(url: str) -> str:
    """A link or thumbnail URL, refused with Lemmy's names: unparseable, scheme, length."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise MootError("invalid_url") from exc
    if not parts.scheme or (parts.scheme in ("http", "https") and not parts.hostname) \
            or any(c.isspace() for c in url):
        raise MootError("invalid_url")
    if parts.scheme.lower() not in _URL_SCHEMES:
        raise MootError("invalid_url_scheme")
    if len(url) > URL_MAX:
        raise MootError("url_length_overflow")
    return url


def check_post_form(ctx: Context, form: PostForm) -> None:
    """The checks that need no database, in Lemmy's order."""
    if form.honeypot:
        raise MootError("honeypot_failed")
    check_slurs(ctx, form.name)  # a slur in the body is masked instead, as in Lemmy
    if form.name is not None:
        check_title(form.name)
    if form.url:
        check_post_url(form.url)
    if form.custom_thumbnail:
        check_post_url(form.custom_thumbnail)
    check_alt_text(form.alt_text)
    check_body(form.body, POST_BODY_MAX)
    if form.nsfw and not ctx.site().local_site["enable_nsfw"]:
        # Lemmy 1.0 refuses (0.19 silently stores it); a refusal is clearer to the poster.
        raise MootError("nsfw_not_allowed")


def check_language(conn: Connection, language_id: int | None) -> None:
    if language_id is None:
        return
    found = conn.execute(select(t.language.c.id).where(t.language.c.id == language_id)).first()
    if found is None:
        raise MootError("language_not_allowed")


def check_site_rules(ctx: Context, conn: Connection, url: str | None, body: str | None,
                     language_id: int | None) -> None:
    """The admins' URL blocklist (the link and links in the body) and discussion languages."""
    check_url_not_blocked(conn, url)
    check_body_links(conn, body)
    check_language_allowed(ctx, conn, language_id)


# Statements on every vote and comment are built once: building costs more than running them.
_POST = select(t.post).where(t.post.c.id == bindparam("id"))
_POST_LOCKED = _POST.with_for_update()  # PostgreSQL: serialise votes on one post


def load_post(conn: Connection, post_id: int, *, lock: bool = False) -> dict[str, Any]:
    row = run(conn, _POST_LOCKED if lock else _POST, {"id": post_id}).mappings().first()
    if row is None:
        raise MootError("couldnt_find_post", status=404)
    return dict(row)


# Helpers -----------------------------------------------------------------------------------


def insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING on either database."""
    if rows:
        conn.execute(insert_ignoring(conn.dialect.name, table), rows)


@cache
def insert_ignoring(dialect_name: str, table: Table) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


def _mark_read(conn: Connection, person_id: int, post_ids: list[int]) -> None:
    now = utcnow()
    if len(post_ids) == 1:  # a vote's: one prebuilt statement
        run(conn, insert_ignoring(conn.dialect.name, t.post_read),
            {"post_id": post_ids[0], "person_id": person_id, "published": now})
        return
    insert_ignore(conn, t.post_read, [{"post_id": pid, "person_id": person_id, "published": now}
                                      for pid in post_ids])


# Writes ------------------------------------------------------------------------------------


def do_create_post(ctx: Context, viewer: Viewer, community_id: int, form: PostForm,
                   remote: RemoteObject | None = None) -> int:
    check_post_form(ctx, form)
    assert form.name is not None
    url = check_post_url(form.url) if form.url else None
    with ctx.db.write() as conn:
        community = community_for_user_action(conn, viewer, community_id)
        # Lemmy checks moderators only: admins too must be made moderators to post here.
        if community["posting_restricted_to_mods"] and \
                not is_moderator(conn, community_id, viewer.person_id):
            raise MootError("only_mods_can_post_in_community")
        check_language(conn, form.language_id)
        body = remove_slurs(ctx, form.body)
        check_site_rules(ctx, conn, url, body, form.language_id)
        now = (remote and remote.published) or utcnow()
        post_id = int(conn.execute(insert(t.post).values(
            name=check_title(form.name), url=url, body=body or None,
            creator_id=viewer.person_id, community_id=community_id, published=now,
            nsfw=bool(community["nsfw"] or form.nsfw), alt_text=form.alt_text or None,
            thumbnail_url=check_post_url(form.custom_thumbnail) if form.custom_thumbnail else None,
            ap_id=remote.ap_id if remote else ctx.url(f"/post/pending-{uuid.uuid4().hex}"),
            local=remote is None,
            language_id=form.language_id or 0, newest_comment_time=now,
            newest_comment_time_necro=now,
            # The creator's own upvote, inserted below.
            score=1, upvotes=1, downvotes=0,
        ).returning(t.post.c.id)).scalar_one())
        if remote is None:
            conn.execute(update(t.post).where(t.post.c.id == post_id)
                         .values(ap_id=ctx.url(f"/post/{post_id}")))
        conn.execute(insert(t.post_like).values(post_id=post_id, person_id=viewer.person_id,
                                                score=1, published=now))
        _mark_read(conn, viewer.person_id, [post_id])
        conn.execute(update(t.person).where(t.person.c.id == viewer.person_id)
                     .values(post_score=t.person.c.post_score + 1))
        count_post(conn, {"creator_id": viewer.person_id, "community_id": community_id,
                          "comments": 0, "published": now}, 1)
        federate_post(ctx, conn, post_id, "Create")
    return post_id


def _edit_values(form: PostForm) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if form.name is not None:
        values["name"] = check_title(form.name)
    for field, column in (("url", "url"), ("custom_thumbnail", "thumbnail_url")):
        given = getattr(form, field)
        if given is not None:
            values[column] = check_post_url(given) if given.strip() else None
    for field in ("body", "alt_text"):
        given = getattr(form, field)
        if given is not None:
            values[field] = given or None
    if form.nsfw is not None:
        values["nsfw"] = form.nsfw
    if form.language_id is not None:
        values["language_id"] = form.language_id
    return values


def do_edit_post(ctx: Context, viewer: Viewer, post_id: int, form: PostForm,
                 remote: RemoteObject | None = None) -> int:
    check_post_form(ctx, form)
    values = _edit_values(form)
    with ctx.db.write() as conn:
        post = load_post(conn, post_id)
        community = community_for_user_action(conn, viewer, post["community_id"])
        if post["creator_id"] != viewer.person_id:
            raise MootError("no_post_edit_allowed")
        check_language(conn, form.language_id)
        if values.get("body"):
            values["body"] = remove_slurs(ctx, values["body"])
        check_site_rules(ctx, conn, values.get("url"), values.get("body"), form.language_id)
        if community["nsfw"]:
            values["nsfw"] = True  # every post of an NSFW community stays NSFW
        values["updated"] = (remote and remote.updated) or utcnow()
        conn.execute(update(t.post).where(t.post.c.id == post_id).values(**values))
        federate_post(ctx, conn, post_id, "Update")
    return int(post["community_id"])


def do_delete_post(ctx: Context, viewer: Viewer, post_id: int, deleted: bool) -> int:
    with ctx.db.write() as conn:
        post = load_post(conn, post_id)
        if post["deleted"] == deleted:
            raise MootError("couldnt_update_post")  # already in that state, as Lemmy says
        community_for_user_action(conn, viewer, post["community_id"])
        if post["creator_id"] != viewer.person_id:
            raise MootError("no_post_edit_allowed")
        conn.execute(update(t.post).where(t.post.c.id == post_id).values(deleted=deleted))
        if not post["removed"]:
            count_post(conn, post, -1 if deleted else 1)
        federate_post(ctx, conn, post_id, "Delete" if deleted else "Restore")
    return int(post["community_id"])


_UNVOTE = (delete(t.post_like).where(t.post_like.c.post_id == bindparam("post_id"),
                                     t.post_like.c.person_id == bindparam("person_id"))
           .returning(t.post_like.c.score))
VOTE_INSERT = insert(t.post_like)


def do_like_post(ctx: Context, viewer: Viewer, post_id: int, score: int) -> int:
    """Replace the viewer's vote (0 removes it) and keep the post's and creator's scores."""
    check_vote(ctx, viewer, score)
    with ctx.db.write() as conn:
        post = check_like_post(conn, viewer, post_id)
        apply_like_post(ctx, conn, viewer, post, score)
    return int(post["community_id"])


def check_like_post(conn: Connection, viewer: Viewer, post_id: int) -> dict[str, Any]:
    """The post, if the viewer may vote on it (after check_vote). Writes nothing, so that a
    refused vote in a batch (actions/vote_batch.py) leaves nothing to undo."""
    post = load_post(conn, post_id, lock=True)
    community_for_user_action(conn, viewer, post["community_id"])
    if post["deleted"] or post["removed"]:
        # Lemmy 0.19 lets this through; a vote nobody can see is better refused.
        raise MootError("deleted")
    return post


def apply_like_post(ctx: Context, conn: Connection, viewer: Viewer, post: dict[str, Any],
                    score: int) -> None:
    mine = {"post_id": post["id"], "person_id": viewer.person_id}
    old = run(conn, _UNVOTE, mine).scalar()
    if score != 0:
        run(conn, VOTE_INSERT, {**mine, "score": score, "published": utcnow()})
    apply_post_vote(conn, post, old or 0, score)
    _mark_read(conn, viewer.person_id, [post["id"]])
    federate_vote(ctx, conn, viewer.person, post["ap_id"], post["community_id"],
                  old or 0, score)


def do_save_post(ctx: Context, viewer: Viewer, post_id: int, save: bool) -> None:
    with ctx.db.write() as conn:
        load_post(conn, post_id)
        saved = t.post_saved
        if save:
            insert_ignore(conn, saved, [{"post_id": post_id, "person_id": viewer.person_id,
                                         "published": utcnow()}])
        else:
            conn.execute(delete(saved).where(saved.c.post_id == post_id,
                                             saved.c.person_id == viewer.person_id))
        _mark_read(conn, viewer.person_id, [post_id])


def _existing_ids(conn: Connection, post_ids: list[int], error: str) -> list[int]:
    ids = sorted(set(post_ids))
    if len(ids) > MAX_IDS:
        raise MootError("too_many_items")
    found = set(conn.execute(select(t.post.c.id).where(t.post.c.id.in_(ids))).scalars())
    if len(found) != len(ids):
        raise MootError(error)  # Lemmy fails on the foreign key with this name
    return ids


def _set_marks(conn: Connection, table: Table, person_id: int, ids: list[int], on: bool) -> None:
    if on:
        now = utcnow()
        insert_ignore(conn, table, [{"post_id": pid, "person_id": person_id, "published": now}
                                    for pid in ids])
    else:
        conn.execute(delete(table).where(table.c.person_id == person_id,
                                         table.c.post_id.in_(ids)))


def do_mark_posts_read(ctx: Context, viewer: Viewer, post_ids: list[int], read: bool) -> None:
    with ctx.db.write() as conn:
        ids = _existing_ids(conn, post_ids, "couldnt_mark_post_as_read")
        _set_marks(conn, t.post_read, viewer.person_id, ids, read)


def do_hide_posts(ctx: Context, viewer: Viewer, post_ids: list[int], hide: bool) -> None:
    with ctx.db.write() as conn:
        ids = _existing_ids(conn, post_ids, "couldnt_hide_post")
        _set_marks(conn, t.post_hide, viewer.person_id, ids, hide)


def do_open_post(ctx: Context, viewer: Viewer, post_id: int, comments: int) -> None:
    """The viewer opened a post: it is read, and its comments so far are seen."""
    with ctx.db.write() as conn:
        _mark_read(conn, viewer.person_id, [post_id])
        ppa = t.person_post_aggregates
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(ppa).values(person_id=viewer.person_id, post_id=post_id,
                                          read_comments=comments, published=utcnow())
        conn.execute(stmt.on_conflict_do_update(
            index_elements=[ppa.c.person_id, ppa.c.post_id],
            set_={"read_comments": comments, "published": utcnow()}))
