"""POST /user/import_settings: a settings backup (Lemmy's UserSettingsBackup) applied to the
logged-in account.

Objects are found by their ActivityPub ids among those this server already knows; an id it does
not know (a remote object never seen here) is skipped and reported, never fetched or fatal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Column, select

from moot.actions.comments import do_save_comment
from moot.actions.communities import do_block_community, do_follow_community
from moot.actions.people import do_block_person
from moot.actions.posts import do_save_post
from moot.actions.settings import SettingsForm, do_block_instance, do_save_user_settings
from moot.api.v3 import models as m
from moot.context import Context
from moot.db import tables as t
from moot.errors import MootError
from moot.views.people import Viewer

log = logging.getLogger(__name__)
MAX_ITEMS = 10_000  # Lemmy's MAX_API_PARAM_ELEMENTS
# Backup "settings" keys that an import restores (Lemmy's list; identity and admin flags never).
_IMPORTED_SETTINGS = ("show_nsfw", "theme", "default_sort_type", "default_listing_type",
                      "interface_language", "show_avatars", "send_notifications_to_email",
                      "show_bot_accounts", "show_read_posts", "open_links_in_new_tab",
                      "blur_nsfw", "infinite_scroll_enabled", "post_listing_mode")
_LISTS = ("followed_communities", "saved_posts", "saved_comments", "blocked_communities",
          "blocked_users", "blocked_instances")


@dataclass
class ImportReport:
    imported: int = 0
    skipped: dict[str, list[str]] = field(default_factory=dict)


def _settings_form(backup: dict[str, Any]) -> SettingsForm:
    settings = backup.get("settings")
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise MootError("unknown", "settings: not an object")
    values = {k: settings[k] for k in _IMPORTED_SETTINGS if settings.get(k) is not None}
    for key, source in (("display_name", "display_name"), ("bio", "bio"),
                        ("matrix_user_id", "matrix_id"), ("bot_account", "bot_account")):
        if backup.get(source) is not None:
            values[key] = backup[source]
    try:
        model = m.SaveUserSettings.model_validate(values)
    except ValidationError as exc:
        raise MootError("unknown", f"settings: {exc.errors()[0].get('msg', 'invalid')}") from exc
    return SettingsForm.from_model(model)


def _lists(backup: dict[str, Any]) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {}
    for key in _LISTS:
        items = backup.get(key)
        if items is None:
            items = []
        # NUL never belongs in an id, and PostgreSQL refuses it in text.
        if not isinstance(items, list) or not all(isinstance(i, str) and "\x00" not in i
                                                  for i in items):
            raise MootError("unknown", f"{key}: not a list of strings")
        lists[key] = items
    if sum(len(items) for items in lists.values()) > MAX_ITEMS:
        raise MootError("too_many_items")
    return lists


def do_import_settings(ctx: Context, viewer: Viewer, backup: Any) -> ImportReport:
    if not isinstance(backup, dict):
        raise MootError("unknown", "a settings backup is a JSON object")
    form = _settings_form(backup)
    lists = _lists(backup)
    do_save_user_settings(ctx, viewer, form)
    report = ImportReport()
    pid = viewer.person_id
    steps: list[tuple[str, Column[Any], Callable[[int], object]]] = [
        ("followed_communities", t.community.c.actor_id,
         lambda i: do_follow_community(ctx, viewer, i, True)),
        ("saved_posts", t.post.c.ap_id, lambda i: do_save_post(ctx, viewer, i, True)),
        ("saved_comments", t.comment.c.ap_id, lambda i: do_save_comment(ctx, viewer, i, True)),
        ("blocked_communities", t.community.c.actor_id,
         lambda i: do_block_community(ctx, viewer, i, True)),
        ("blocked_users", t.person.c.actor_id, lambda i: do_block_person(ctx, pid, i, True)),
        ("blocked_instances", t.instance.c.domain,
         lambda i: do_block_instance(ctx, viewer, i, True)),
    ]
    for key, column, apply in steps:
        _import_list(ctx, report, key, lists[key], column, apply)
    if report.skipped:
        log.info("settings import for %s skipped %s", viewer.person["name"], report.skipped)
    return report


def _import_list(ctx: Context, report: ImportReport, key: str, ids: list[str],
                 column: Column[Any], apply: Callable[[int], object]) -> None:
    with ctx.db.read() as conn:
        known = dict(conn.execute(select(column, column.table.c.id)
                                  .where(column.in_(set(ids)))).tuples().all()) if ids else {}
    for object_id in ids:
        local_id = known.get(object_id)
        try:
            if local_id is None:
                raise MootError("couldnt_find_object")
            apply(local_id)
            report.imported += 1
        except MootError as exc:
            # Already followed, a blocked admin, a banned community…: skipped, like unknown ids.
            report.skipped.setdefault(key, []).append(f"{object_id} ({exc.name})")
