"""Reports of posts and comments to their community's moderators (and the admins), and of
private messages to the admins."""

from sqlalchemy import Column, Index, String, Table, Text, UniqueConstraint

from moot.db.tables.base import flag, id_column, metadata, published, ref, updated

post_report = Table(
    "post_report", metadata,
    id_column(),
    ref("creator_id", "person.id"),
    ref("post_id", "post.id"),
    # The post as it was when reported, so that a later edit cannot hide what was reported.
    Column("original_post_name", String(200), nullable=False),
    Column("original_post_url", Text),
    Column("original_post_body", Text),
    Column("reason", Text, nullable=False),
    flag("resolved"),
    ref("resolver_id", "person.id", nullable=True),
    published(),
    updated(),
    # One report per person and post, as in Lemmy; reporting again replaces the reason.
    UniqueConstraint("post_id", "creator_id"),
)
Index("ix_post_report_resolved_published", post_report.c.resolved, post_report.c.published)

comment_report = Table(
    "comment_report", metadata,
    id_column(),
    ref("creator_id", "person.id"),
    ref("comment_id", "comment.id"),
    Column("original_comment_text", Text, nullable=False),
    Column("reason", Text, nullable=False),
    flag("resolved"),
    ref("resolver_id", "person.id", nullable=True),
    published(),
    updated(),
    UniqueConstraint("comment_id", "creator_id"),
)
Index("ix_comment_report_resolved_published", comment_report.c.resolved,
      comment_report.c.published)

private_message_report = Table(
    "private_message_report", metadata,
    id_column(),
    ref("creator_id", "person.id"),
    ref("private_message_id", "private_message.id"),
    Column("original_pm_text", Text, nullable=False),
    Column("reason", Text, nullable=False),
    flag("resolved"),
    ref("resolver_id", "person.id", nullable=True),
    published(),
    updated(),
    UniqueConstraint("private_message_id", "creator_id"),
)
Index("ix_private_message_report_resolved_published", private_message_report.c.resolved,
      private_message_report.c.published)
