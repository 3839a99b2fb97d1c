"""What a local account keeps besides its settings: languages, e-mail and reset tokens."""

from sqlalchemy import Column, ForeignKey, Integer, Table, Text

from moot.db.tables.base import id_column, metadata, published, ref

local_user_language = Table(
    "local_user_language", metadata,
    ref("local_user_id", "local_user.id", primary_key=True),
    Column("language_id", Integer, ForeignKey("language.id", ondelete="CASCADE"),
           primary_key=True),
)

# A pending address check: the address is confirmed when the token comes back.
email_verification = Table(
    "email_verification", metadata,
    id_column(),
    ref("local_user_id", "local_user.id", index=True),
    Column("email", Text, nullable=False),
    Column("verification_token", Text, nullable=False, unique=True),
    published(),
)

# Only a hash of the token is kept: a database leak must not let anyone reset passwords.
password_reset_request = Table(
    "password_reset_request", metadata,
    id_column(),
    Column("token_hash", Text, nullable=False, unique=True),
    published(),
    ref("local_user_id", "local_user.id", index=True),
)
