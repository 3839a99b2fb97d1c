"""Comments (a materialised path tree), their votes, saves and reply notifications."""

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)

from moot.db.tables.base import (
    count,
    flag,
    id_column,
    metadata,
    published,
    ref,
    updated,
)

comment = Table(
    "comment", metadata,
    id_column(),
    ref("creator_id", "person.id"),
    ref("post_id", "post.id"),
    Column("content", Text, nullable=False),
    flag("removed"),
    published(),
    updated(),
    flag("deleted"),
    Column("ap_id", Text, nullable=False, unique=True),
    flag("local", True),
    # "0.12.45": the ids from the root down to this comment, as Lemmy's ltree holds them.
    # Subtrees are read with range scans (path > 'P.' AND path < 'P/'), which need byte order:
    # PostgreSQL gets the "C" collation (a locale collation may ignore the dots); SQLite's
    # default BINARY already is.
    Column("path", String(1000).with_variant(String(1000, collation="C"), "postgresql"),
           nullable=False, server_default="0"),
    # Number of ids in path after the leading 0 (1 for a top-level comment).
    Column("depth", Integer, nullable=False, server_default=text("1")),
    flag("distinguished"),
    Column("language_id", Integer, nullable=False, server_default=text("0")),
    # Aggregates kept on write.
    count("score"),
    count("upvotes"),
    count("downvotes"),
    count("child_count"),
    Column("controversy_rank", Float, nullable=False, server_default=text("0")),
)
Index("ix_comment_post_path", comment.c.post_id, comment.c.path)
# A tree fetch orders a thread by each comment's parent path first ("0.12.45" -> "0.12.",
# moot.views.comments.parent_path_key). Walking this index in that order, the database sorts
# only the first few sibling groups by rank before LIMIT 300, not the whole thread (10,000
# comments at scale L). The path never changes, so votes do not touch this index. The query
# must spell the expression exactly so (a literal, not a bound parameter) for it to match.
PARENT_DIGITS = "0123456789"
comment_parent_path = func.rtrim(comment.c.path, literal_column(f"'{PARENT_DIGITS}'"))
Index("ix_comment_post_parent", comment.c.post_id, comment_parent_path)
Index("ix_comment_creator_published", comment.c.creator_id, comment.c.published)
Index("ix_comment_published", comment.c.published)

comment_like = Table(
    "comment_like", metadata,
    ref("comment_id", "comment.id", primary_key=True),
    ref("person_id", "person.id", primary_key=True),
    ref("post_id", "post.id"),
    Column("score", Integer, nullable=False),
    published(),
)
Index("ix_comment_like_person", comment_like.c.person_id, comment_like.c.published)

comment_saved = Table(
    "comment_saved", metadata,
    ref("comment_id", "comment.id", primary_key=True),
    ref("person_id", "person.id", primary_key=True),
    published(),
)
Index("ix_comment_saved_person", comment_saved.c.person_id, comment_saved.c.published)

comment_reply = Table(
    "comment_reply", metadata,
    id_column(),
    ref("recipient_id", "person.id"),
    ref("comment_id", "comment.id"),
    flag("read"),
    published(),
    UniqueConstraint("recipient_id", "comment_id", name="uq_comment_reply_recipient_comment"),
)
Index("ix_comment_reply_recipient", comment_reply.c.recipient_id, comment_reply.c.read)
