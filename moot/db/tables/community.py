"""Communities, their followers, moderators, bans and blocks."""

from sqlalchemy import Column, Index, String, Table, Text, UniqueConstraint

from moot.db.tables.base import (
    count,
    flag,
    id_column,
    metadata,
    published,
    ref,
    updated,
)
from moot.db.types import UtcDateTime

community = Table(
    "community", metadata,
    id_column(),
    Column("name", String(255), nullable=False),
    Column("title", String(255), nullable=False),
    Column("description", Text),
    flag("removed"),
    published(),
    updated(),
    flag("deleted"),
    flag("nsfw"),
    Column("actor_id", Text, nullable=False, unique=True),
    flag("local", True),
    Column("private_key", Text),
    Column("public_key", Text, nullable=False),
    Column("last_refreshed_at", UtcDateTime, nullable=False),
    Column("icon", Text),
    Column("banner", Text),
    Column("followers_url", Text),
    Column("inbox_url", Text, nullable=False),
    Column("shared_inbox_url", Text),
    flag("hidden"),
    flag("posting_restricted_to_mods"),
    ref("instance_id", "instance.id", index=True),
    Column("moderators_url", Text),
    Column("featured_url", Text),
    Column("visibility", String(20), nullable=False, server_default="Public"),
    # Aggregates kept on write.
    count("subscribers"),
    count("subscribers_local"),
    count("posts"),
    count("comments"),
    count("users_active_day"),
    count("users_active_week"),
    count("users_active_month"),
    count("users_active_half_year"),
    UniqueConstraint("name", "instance_id", name="uq_community_name_instance"),
)
Index("ix_community_subscribers", community.c.subscribers)
Index("ix_community_published", community.c.published)
# Scaled listings read each divisor class's communities (moot/views/post_sorts.py): a range of
# this small index instead of the whole table (10 MB at scale L).
Index("ix_community_users_active_month", community.c.users_active_month)

community_follower = Table(
    "community_follower", metadata,
    ref("community_id", "community.id", primary_key=True),
    ref("person_id", "person.id", primary_key=True),
    published(),
    flag("pending"),
)
Index("ix_community_follower_person", community_follower.c.person_id)

community_moderator = Table(
    "community_moderator", metadata,
    ref("community_id", "community.id", primary_key=True),
    ref("person_id", "person.id", primary_key=True),
    published(),
)
Index("ix_community_moderator_person", community_moderator.c.person_id)

community_person_ban = Table(
    "community_person_ban", metadata,
    ref("community_id", "community.id", primary_key=True),
    ref("person_id", "person.id", primary_key=True),
    published(),
    Column("expires", UtcDateTime),
)

community_block = Table(
    "community_block", metadata,
    ref("person_id", "person.id", primary_key=True),
    ref("community_id", "community.id", primary_key=True),
    published(),
)

# When each person last posted or commented in each community (bots excluded), kept on write:
# a community's active users are a range count over it (decision 0035). A pair may be missing
# when its newest activity is older than the longest window (the bench seed leaves those out).
community_activity = Table(
    "community_activity", metadata,
    ref("community_id", "community.id", primary_key=True),
    ref("person_id", "person.id", primary_key=True),
    Column("last_active", UtcDateTime, nullable=False),
)
Index("ix_community_activity_community_last_active", community_activity.c.community_id,
      community_activity.c.last_active)
Index("ix_community_activity_last_active", community_activity.c.last_active)
