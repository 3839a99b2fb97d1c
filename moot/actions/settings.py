"""A person's own settings: profile, preferences, discussion languages and instance blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from moot.actions.content_filters import check_slurs
from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.mail import Email, verification_email
from moot.validation import check_bio, check_display_name, check_url
from moot.views.people import Viewer

# Lemmy's pattern for a Matrix user id: @localpart:server[:port].
_MATRIX_ID = re.compile(r"^@[A-Za-z0-9\x21-\x39\x3B-\x7F]+:[A-Za-z0-9.-]+(:[0-9]{2,5})?$")
# local_user columns a settings form may set as they are.
_PLAIN_FLAGS = ("show_nsfw", "blur_nsfw", "auto_expand", "theme", "default_sort_type",
                "default_listing_type", "interface_language", "show_avatars",
                "send_notifications_to_email", "show_bot_accounts", "show_read_posts",
                "open_links_in_new_tab", "infinite_scroll_enabled", "post_listing_mode",
                "enable_keyboard_navigation", "enable_animated_images", "collapse_bot_comments",
                "show_scores")
_VOTE_DISPLAY = {"show_scores": "vote_display_score", "show_upvotes": "vote_display_upvotes",
                 "show_downvotes": "vote_display_downvotes",
                 "show_upvote_percentage": "vote_display_upvote_percentage"}


@dataclass(frozen=True)
class SettingsForm:
    """SaveUserSettings: None leaves a field alone; an empty string clears a text field."""

    display_name: str | None = None
    bio: str | None = None
    avatar: str | None = None
    banner: str | None = None
    email: str | None = None
    matrix_user_id: str | None = None
    bot_account: bool | None = None
    discussion_languages: list[int] | None = None
    show_nsfw: bool | None = None
    blur_nsfw: bool | None = None
    auto_expand: bool | None = None
    theme: str | None = None
    default_sort_type: str | None = None
    default_listing_type: str | None = None
    interface_language: str | None = None
    show_avatars: bool | None = None
    send_notifications_to_email: bool | None = None
    show_bot_accounts: bool | None = None
    show_read_posts: bool | None = None
    open_links_in_new_tab: bool | None = None
    infinite_scroll_enabled: bool | None = None
    post_listing_mode: str | None = None
    enable_keyboard_navigation: bool | None = None
    enable_animated_images: bool | None = None
    collapse_bot_comments: bool | None = None
    show_scores: bool | None = None
    show_upvotes: bool | None = None
    show_downvotes: bool | None = None
    show_upvote_percentage: bool | None = None

    @classmethod
    def from_model(cls, model: Any) -> SettingsForm:
        return cls(**{f.name: getattr(model, f.name, None) for f in fields(cls)})


def _text_update(value: str | None) -> tuple[bool, str | None]:
    """(whether to write, value): Lemmy's diesel_string_update, "" meaning clear."""
    if value is None:
        return False, None
    return True, (value if value.strip() else None)


def _person_values(ctx: Context, form: SettingsForm) -> dict[str, Any]:
    local_site = ctx.site().local_site
    values: dict[str, Any] = {}
    write, name = _text_update(form.display_name)
    if write:
        values["display_name"] = check_display_name(name, local_site["actor_name_max_length"])
    write, bio = _text_update(form.bio)
    if write:
        check_slurs(ctx, bio)
        values["bio"] = check_bio(bio)
    write, matrix = _text_update(form.matrix_user_id)
    if write:
        if matrix is not None and not _MATRIX_ID.match(matrix):
            raise MootError("invalid_matrix_id")
        values["matrix_user_id"] = matrix
    for key in ("avatar", "banner"):
        write, url = _text_update(getattr(form, key))
        if write:
            values[key] = check_url(url)
    if form.bot_account is not None:
        values["bot_account"] = form.bot_account
    return values


def _local_user_values(form: SettingsForm) -> dict[str, Any]:
    values = {k: getattr(form, k) for k in _PLAIN_FLAGS if getattr(form, k) is not None}
    values.update({column: getattr(form, k) for k, column in _VOTE_DISPLAY.items()
                   if getattr(form, k) is not None})
    # These columns are short in the schema; Lemmy fails the update the same way.
    if len(values.get("interface_language", "")) > 20 or len(values.get("theme", "")) > 100:
        raise MootError("couldnt_update_user")
    return values


def _check_email(ctx: Context, conn: Connection, viewer: Viewer,
                 email: str | None) -> str | None:
    """The new address to verify, if the form changes it to one."""
    write, address = _text_update(email)
    if not write:
        return None
    if address is None:
        if ctx.site().local_site["require_email_verification"]:
            raise MootError("email_required")
        return None
    address = address.strip().lower()
    if address == (viewer.local_user["email"] or "").lower():
        return None
    taken = conn.execute(select(t.local_user.c.id).where(
        func.lower(t.local_user.c.email) == address,
        t.local_user.c.id != viewer.local_user_id)).first()
    if taken is not None:
        raise MootError("email_already_exists")
    return address


def check_languages(conn: Connection, language_ids: list[int]) -> list[int]:
    wanted = sorted(set(language_ids))
    known = set(conn.execute(select(t.language.c.id).where(t.language.c.id.in_(wanted))).scalars())
    if len(known) != len(wanted):
        raise MootError("language_not_allowed")
    return wanted


def set_discussion_languages(conn: Connection, local_user_id: int, language_ids: list[int]) -> None:
    table = t.local_user_language
    conn.execute(delete(table).where(table.c.local_user_id == local_user_id))
    rows = [{"local_user_id": local_user_id, "language_id": i}
            for i in check_languages(conn, language_ids)]
    if rows:
        conn.execute(insert(table), rows)


def do_save_user_settings(ctx: Context, viewer: Viewer, form: SettingsForm) -> None:
    person_values = _person_values(ctx, form)
    user_values = _local_user_values(form)
    mail: Email | None = None
    with ctx.db.write() as conn:
        new_email = _check_email(ctx, conn, viewer, form.email)
        if form.email is not None and (new_email is not None or not form.email.strip()):
            user_values["email"] = new_email
        if person_values:
            person_values["updated"] = utcnow()
            conn.execute(update(t.person).where(t.person.c.id == viewer.person_id)
                         .values(**person_values))
        if user_values:
            conn.execute(update(t.local_user).where(t.local_user.c.id == viewer.local_user_id)
                         .values(**user_values))
        if form.discussion_languages is not None:
            set_discussion_languages(conn, viewer.local_user_id, form.discussion_languages)
        if new_email is not None and ctx.settings.smtp_enabled:
            mail = verification_email(ctx, conn, viewer.local_user_id, viewer.person["name"],
                                      new_email)
    if mail is not None:
        mail.send(ctx.settings)  # after commit: a mail server's failure loses no setting


def do_block_instance(ctx: Context, viewer: Viewer, instance_id: int, block: bool) -> bool:
    if instance_id == ctx.site().instance_id:
        raise MootError("cant_block_local_instance")
    table = t.instance_block
    with ctx.db.write() as conn:
        found = conn.execute(select(t.instance.c.id).where(t.instance.c.id == instance_id)).first()
        if found is None:
            raise MootError("couldnt_find_object", status=404)
        conn.execute(delete(table).where(table.c.person_id == viewer.person_id,
                                         table.c.instance_id == instance_id))
        if block:
            conn.execute(insert(table).values(person_id=viewer.person_id,
                                              instance_id=instance_id, published=utcnow()))
    return block
