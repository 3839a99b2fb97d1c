"""Modlog rows of site administration: site bans (mod_ban), admin changes (mod_add) and purges.

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


def _purge(name: str, *refs: Column) -> Table:  # type: ignore[type-arg]
    """A purge leaves only this row behind: who purged, why, and where the thing lived."""
    return Table(
        name, metadata,
        id_column(),
        ref("admin_person_id", "person.id", index=True),
        *refs,
        Column("reason", Text),
        Column("when_", UtcDateTime, nullable=False, default=utcnow),
    )


admin_purge_person = _purge("admin_purge_person")
admin_purge_community = _purge("admin_purge_community")
admin_purge_post = _purge("admin_purge_post", ref("community_id", "community.id", index=True))
admin_purge_comment = _purge("admin_purge_comment", ref("post_id", "post.id", index=True))
