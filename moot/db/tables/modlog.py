"""The moderation log: one table per kind of moderator action, named and shaped as Lemmy's."""

from sqlalchemy import Column, Index, Table, Text

from moot.db.tables.base import flag, id_column, metadata, ref
from moot.db.types import UtcDateTime, utcnow


def _when() -> Column:  # type: ignore[type-arg]
    return Column("when_", UtcDateTime, nullable=False, default=utcnow)


def _mod() -> Column:  # type: ignore[type-arg]
    return ref("mod_person_id", "person.id", index=True)


mod_remove_post = Table(
    "mod_remove_post", metadata,
    id_column(), _mod(), ref("post_id", "post.id", index=True),
    Column("reason", Text), flag("removed", True), _when(),
)

mod_lock_post = Table(
    "mod_lock_post", metadata,
    id_column(), _mod(), ref("post_id", "post.id", index=True), flag("locked", True), _when(),
)

mod_feature_post = Table(
    "mod_feature_post", metadata,
    id_column(), _mod(), ref("post_id", "post.id", index=True), flag("featured", True),
    _when(), flag("is_featured_community", True),
)

mod_remove_comment = Table(
    "mod_remove_comment", metadata,
    id_column(), _mod(), ref("comment_id", "comment.id", index=True),
    Column("reason", Text), flag("removed", True), _when(),
)

mod_ban_from_community = Table(
    "mod_ban_from_community", metadata,
    id_column(), _mod(), ref("other_person_id", "person.id", index=True),
    ref("community_id", "community.id", index=True), Column("reason", Text),
    flag("banned", True), Column("expires", UtcDateTime), _when(),
)

mod_add_community = Table(
    "mod_add_community", metadata,
    id_column(), _mod(), ref("other_person_id", "person.id", index=True),
    ref("community_id", "community.id", index=True), flag("removed"), _when(),
)

mod_remove_community = Table(
    "mod_remove_community", metadata,
    id_column(), _mod(), ref("community_id", "community.id", index=True),
    Column("reason", Text), flag("removed", True), _when(),
)

mod_hide_community = Table(
    "mod_hide_community", metadata,
    id_column(), ref("community_id", "community.id", index=True), _mod(), _when(),
    Column("reason", Text), flag("hidden"),
)

mod_transfer_community = Table(
    "mod_transfer_community", metadata,
    id_column(), _mod(), ref("other_person_id", "person.id", index=True),
    ref("community_id", "community.id", index=True), _when(),
)

# The modlog is read newest first.
for _table in (mod_remove_post, mod_lock_post, mod_feature_post, mod_remove_comment,
               mod_ban_from_community, mod_add_community, mod_remove_community,
               mod_hide_community, mod_transfer_community):
    Index(f"ix_{_table.name}_when", _table.c.when_)
