"""Custom emojis: admins add, change and remove them; every client gets them in GET /site."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.validation import check_url
from moot.views.people import Viewer

SHORTCODE_MAX = 128
TEXT_MAX = 10_000


@dataclass(frozen=True)
class EmojiForm:
    category: str
    image_url: str
    alt_text: str
    keywords: list[str]
    shortcode: str | None = None  # given on create only; an edit keeps the shortcode


def check_emoji_form(form: EmojiForm) -> EmojiForm:
    """The form cleaned as Lemmy cleans it: shortcode and keywords trimmed and lower-cased."""
    shortcode = form.shortcode.strip().lower() if form.shortcode is not None else None
    if shortcode is not None and not 1 <= len(shortcode) <= SHORTCODE_MAX:
        raise MootError("invalid_name")
    image_url = check_url(form.image_url)
    if image_url is None:
        raise MootError("invalid_url")
    if len(form.alt_text) > TEXT_MAX or len(form.category) > TEXT_MAX:
        raise MootError("invalid_body_field")
    keywords = list(dict.fromkeys(k.strip().lower() for k in form.keywords if k.strip()))
    if any(len(k) > SHORTCODE_MAX for k in keywords):
        raise MootError("invalid_body_field")
    return EmojiForm(form.category, image_url, form.alt_text, keywords, shortcode)


def _write_keywords(conn: Connection, emoji_id: int, keywords: list[str]) -> None:
    conn.execute(delete(t.custom_emoji_keyword)
                 .where(t.custom_emoji_keyword.c.custom_emoji_id == emoji_id))
    if keywords:
        conn.execute(insert(t.custom_emoji_keyword),
                     [{"custom_emoji_id": emoji_id, "keyword": k} for k in keywords])


def do_create_emoji(ctx: Context, admin: Viewer, form: EmojiForm) -> int:
    form = check_emoji_form(form)
    with ctx.db.write() as conn:
        taken = conn.execute(select(t.custom_emoji.c.id)
                             .where(t.custom_emoji.c.shortcode == form.shortcode)).first()
        if taken is not None:
            # Lemmy answers with its database error here; 0.19 has no better name for it.
            raise MootError("unknown", "custom emoji shortcode already exists")
        local_site_id = conn.execute(select(t.local_site.c.id)).scalar_one()
        emoji_id = int(conn.execute(insert(t.custom_emoji).values(
            local_site_id=local_site_id, shortcode=form.shortcode, image_url=form.image_url,
            alt_text=form.alt_text, category=form.category, published=utcnow(),
        ).returning(t.custom_emoji.c.id)).scalar_one())
        _write_keywords(conn, emoji_id, form.keywords)
    return emoji_id


def do_edit_emoji(ctx: Context, admin: Viewer, emoji_id: int, form: EmojiForm) -> None:
    form = check_emoji_form(form)
    with ctx.db.write() as conn:
        done = conn.execute(update(t.custom_emoji).where(t.custom_emoji.c.id == emoji_id).values(
            image_url=form.image_url, alt_text=form.alt_text, category=form.category,
            updated=utcnow()))
        if done.rowcount == 0:
            raise MootError("couldnt_find_object", status=404)
        _write_keywords(conn, emoji_id, form.keywords)


def do_delete_emoji(ctx: Context, admin: Viewer, emoji_id: int) -> None:
    with ctx.db.write() as conn:
        conn.execute(delete(t.custom_emoji_keyword)
                     .where(t.custom_emoji_keyword.c.custom_emoji_id == emoji_id))
        done = conn.execute(delete(t.custom_emoji).where(t.custom_emoji.c.id == emoji_id))
        if done.rowcount == 0:
            raise MootError("couldnt_find_object", status=404)
