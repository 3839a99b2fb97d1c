"""Which languages a signed-in person reads (their discussion languages, PUT /user/save_user_settings).

Listings show a person only posts and comments in the languages they chose. Moot departs from
Lemmy 0.19 in two ways (docs/decisions/0024-listings-by-discussion-language.md): content of
undetermined language is always shown, since most posts carry no language; and the comments of
one thread are never filtered, since hiding a parent would orphan its replies.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, or_, select
from sqlalchemy.sql import ColumnElement

from moot.db import tables as t
from moot.db.languages import LANGUAGES, UNDETERMINED_LANGUAGE_ID
from moot.db.prepared import run
from moot.views.people import Viewer

_CHOSEN = select(t.local_user_language.c.language_id).where(
    t.local_user_language.c.local_user_id == bindparam("local_user_id"))


def read_languages(conn: Connection, local_user_id: int) -> list[int]:
    """A person's discussion languages, sorted; [] when they chose none or all of them (Lemmy's
    convert_read_languages). The language table is the fixed LANGUAGES list, so no count query."""
    return _as_read(sorted(run(conn, _CHOSEN, {"local_user_id": local_user_id}).scalars()))


def _as_read(chosen: list[int]) -> list[int]:
    return [] if len(chosen) >= len(LANGUAGES) else chosen


def chosen_languages(conn: Connection, viewer: Viewer | None) -> list[int] | None:
    """The viewer's languages when they chose some but not all; None means no filter. Those
    read with the login (people.load_viewer) when it did."""
    if viewer is None:
        return None
    if viewer.languages is not None:
        return _as_read(list(viewer.languages)) or None
    return read_languages(conn, viewer.local_user_id) or None


def in_languages(language_id: Any, creator_id: Any, viewer: Viewer,
                 chosen: list[int]) -> ColumnElement[bool]:
    """Content in a chosen language, of undetermined language, or the viewer's own."""
    return or_(language_id.in_([*chosen, UNDETERMINED_LANGUAGE_ID]),
               creator_id == viewer.person_id)
