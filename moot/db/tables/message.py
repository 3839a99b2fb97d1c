"""Private messages between people, and mentions of a person in a comment."""

from sqlalchemy import Column, Index, Table, Text, UniqueConstraint

from moot.db.tables.base import flag, id_column, metadata, published, ref, updated

private_message = Table(
    "private_message", metadata,
    id_column(),
    ref("creator_id", "person.id"),
    ref("recipient_id", "person.id"),
    Column("content", Text, nullable=False),
    flag("deleted"),
    # Read by the recipient; the sender always sees their own messages as read.
    flag("read"),
    published(),
    updated(),
    Column("ap_id", Text, nullable=False, unique=True),
    flag("local", True),
)
Index("ix_private_message_recipient", private_message.c.recipient_id, private_message.c.read)
Index("ix_private_message_creator", private_message.c.creator_id, private_message.c.published)

person_mention = Table(
    "person_mention", metadata,
    id_column(),
    ref("recipient_id", "person.id"),
    ref("comment_id", "comment.id"),
    flag("read"),
    published(),
    UniqueConstraint("recipient_id", "comment_id", name="uq_person_mention_recipient_comment"),
)
Index("ix_person_mention_recipient", person_mention.c.recipient_id, person_mention.c.read)
