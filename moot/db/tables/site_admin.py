"""What admins configure beside the site row: captcha answers, taglines, custom emojis, the URL
blocklist, the site's discussion languages and the federation allow/block lists."""

from sqlalchemy import Column, Integer, String, Table, Text

from moot.db.tables.base import id_column, metadata, published, ref, updated

# One row per captcha handed out; several app processes share it, so it lives in the database.
captcha_answer = Table(
    "captcha_answer", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("answer", Text, nullable=False),
    published(),
)

tagline = Table(
    "tagline", metadata,
    id_column(),
    ref("local_site_id", "local_site.id"),
    Column("content", Text, nullable=False),
    published(),
    updated(),
)

custom_emoji = Table(
    "custom_emoji", metadata,
    id_column(),
    ref("local_site_id", "local_site.id"),
    Column("shortcode", String(128), nullable=False, unique=True),
    Column("image_url", Text, nullable=False),
    Column("alt_text", Text, nullable=False),
    Column("category", Text, nullable=False),
    published(),
    updated(),
)

custom_emoji_keyword = Table(
    "custom_emoji_keyword", metadata,
    ref("custom_emoji_id", "custom_emoji.id", primary_key=True),
    Column("keyword", String(128), primary_key=True),
)

# Stored as Lemmy stores them: without the scheme and trailing slash ("example.com/spam").
local_site_url_blocklist = Table(
    "local_site_url_blocklist", metadata,
    id_column(),
    Column("url", Text, nullable=False, unique=True),
    published(),
    updated(),
)

# No rows means every language is allowed (Lemmy stores all of them instead).
site_language = Table(
    "site_language", metadata,
    ref("site_id", "site.id", primary_key=True),
    Column("language_id", Integer, primary_key=True),
)

federation_allowlist = Table(
    "federation_allowlist", metadata,
    ref("instance_id", "instance.id", primary_key=True),
    published(),
    updated(),
)

federation_blocklist = Table(
    "federation_blocklist", metadata,
    ref("instance_id", "instance.id", primary_key=True),
    published(),
    updated(),
)
