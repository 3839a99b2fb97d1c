"""Modlog rows of site administration: site bans (mod_ban) and admin changes (mod_add).

Named and shaped as Lemmy's tables so GET /modlog can join them in beside the others.
"""

from sqlalchemy import Column, Table, Text

from moot.db.tables.base import flag, id_column, metadata, ref
from moot.db.types import UtcDateTime, utcnow

mod_ban = Table(
    "mod_ban", metadata,
    id_column(),
    ref("mod_person_id", "person.id", index=True),
    ref("other_person_id", "person.id", index=True),
    Column("reason", Text),
    flag("banned", True),
    Column("expires", UtcDateTime),
    Column("when_", UtcDateTime, nullable=False, default=utcnow),
)

mod_add = Table(
    "mod_add", metadata,
    id_column(),
    ref("mod_person_id", "person.id", index=True),
    ref("other_person_id", "person.id", index=True),
    flag("removed"),
    Column("when_", UtcDateTime, nullable=False, default=utcnow),
)
