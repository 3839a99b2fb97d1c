"""Posts and what a person does to them: votes, saves, reads, hides."""

from sqlalchemy import Column, Float, Index, Integer, String, Table, Text, text

from moot.db.tables.base import (
    count,
    flag,
    id_column,
    metadata,
    only_on,
    published,
    ref,
    updated,
)
from moot.db.types import UtcDateTime

post = Table(
    "post", metadata,
    id_column(),
    Column("name", String(200), nullable=False),
    Column("url", String(2000)),
    Column("body", Text),
    ref("creator_id", "person.id"),
    ref("community_id", "community.id"),
    flag("removed"),
    flag("locked"),
    published(),
    updated(),
    flag("deleted"),
    flag("nsfw"),
    Column("embed_title", Text),
    Column("embed_description", Text),
    Column("thumbnail_url", Text),
    Column("ap_id", Text, nullable=False, unique=True),
    flag("local", True),
    Column("embed_video_url", Text),
    Column("language_id", Integer, nullable=False, server_default=text("0")),
    flag("featured_community"),
    flag("featured_local"),
    Column("url_content_type", Text),
    Column("alt_text", Text),
    # Aggregates and rank keys kept on write (see moot/ranking.py).
    count("comments"),
    count("score"),
    count("upvotes"),
    count("downvotes"),
    Column("newest_comment_time", UtcDateTime, nullable=False),
    # Newest comment made while the post was under two days old: the Active sort's clock.
    Column("newest_comment_time_necro", UtcDateTime, nullable=False),
    Column("controversy_rank", Float, nullable=False, server_default=text("0")),
)
# With the score and community, the hot-style listings bound their candidates (and Subscribed
# checks follows) from the index alone, before reading a row (moot/views/post_bounds.py,
# decision 0036); New and Old walk them by time.
Index("ix_post_published_score", post.c.published, post.c.score, post.c.community_id)
# A community's posts by time. On PostgreSQL also by score, so that a Subscribed page of a
# reader of few communities skips a community's low-scoring posts inside the index, arm by arm
# (post_sorts.followed_arms, decision 0054). SQLite does not read them that way, and every vote
# would update two more of its index entries.
only_on("sqlite", Index("ix_post_community_published", post.c.community_id, post.c.published))
only_on("postgresql", Index("ix_post_community_published_score", post.c.community_id,
                            post.c.published, post.c.score))
Index("ix_post_creator_published", post.c.creator_id, post.c.published)
Index("ix_post_score", post.c.score)
Index("ix_post_newest_comment_time", post.c.newest_comment_time)
Index("ix_post_necro_score", post.c.newest_comment_time_necro, post.c.score,
      post.c.community_id)
only_on("sqlite", Index("ix_post_community_necro", post.c.community_id,
                        post.c.newest_comment_time_necro))
only_on("postgresql", Index("ix_post_community_necro_score", post.c.community_id,
                            post.c.newest_comment_time_necro, post.c.score))
Index("ix_post_comments", post.c.comments)
Index("ix_post_controversy", post.c.controversy_rank)
Index("ix_post_url", post.c.url)
# Featured posts lead every listing; partial indexes find the few without scanning the rest
# (and leave "featured = false" to the sort's own index).
Index("ix_post_featured_local", post.c.published,
      sqlite_where=post.c.featured_local == True,  # SQLite's partial index needs "= 1"
      postgresql_where=post.c.featured_local)
Index("ix_post_featured_community", post.c.community_id, post.c.published,
      sqlite_where=post.c.featured_community == True,
      postgresql_where=post.c.featured_community)


def _person_post(name: str) -> Table:
    return Table(
        name, metadata,
        ref("post_id", "post.id", primary_key=True),
        ref("person_id", "person.id", primary_key=True),
        published(),
    )


post_saved = _person_post("post_saved")
post_read = _person_post("post_read")
post_hide = _person_post("post_hide")
for _t in (post_saved, post_read, post_hide):
    Index(f"ix_{_t.name}_person", _t.c.person_id, _t.c.published)

post_like = Table(
    "post_like", metadata,
    ref("post_id", "post.id", primary_key=True),
    ref("person_id", "person.id", primary_key=True),
    Column("score", Integer, nullable=False),
    published(),
)
Index("ix_post_like_person", post_like.c.person_id, post_like.c.published)

# How many comments a person had seen when they last opened a post (for unread_comments).
person_post_aggregates = Table(
    "person_post_aggregates", metadata,
    ref("person_id", "person.id", primary_key=True),
    ref("post_id", "post.id", primary_key=True),
    Column("read_comments", Integer, nullable=False, server_default=text("0")),
    published(),
)
