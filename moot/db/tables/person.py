"""People (local and remote), local accounts, login tokens, instances and person-level blocks."""

from sqlalchemy import (
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
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
from moot.db.types import UtcDateTime

instance = Table(
    "instance", metadata,
    id_column(),
    Column("domain", Text, nullable=False, unique=True),
    published(),
    updated(),
    Column("software", Text),
    Column("version", Text),
)

person = Table(
    "person", metadata,
    id_column(),
    Column("name", String(255), nullable=False),
    Column("display_name", String(255)),
    Column("avatar", Text),
    flag("banned"),
    published(),
    updated(),
    Column("actor_id", Text, nullable=False, unique=True),
    Column("bio", Text),
    flag("local", True),
    Column("private_key", Text),
    Column("public_key", Text, nullable=False),
    Column("last_refreshed_at", UtcDateTime, nullable=False),
    Column("banner", Text),
    flag("deleted"),
    Column("inbox_url", Text, nullable=False),
    Column("shared_inbox_url", Text),
    Column("matrix_user_id", Text),
    flag("bot_account"),
    Column("ban_expires", UtcDateTime),
    ref("instance_id", "instance.id", index=True),
    # Aggregates kept on write.
    count("post_count"),
    count("post_score"),
    count("comment_count"),
    count("comment_score"),
    # The newest of their posts and comments (bots excluded), kept on write: the site's active
    # users are a range count over it (decision 0035). NULL: none within the longest window.
    Column("last_active", UtcDateTime),
    UniqueConstraint("name", "instance_id", name="uq_person_name_instance"),
)
Index("ix_person_local_last_active", person.c.local, person.c.last_active)

local_user = Table(
    "local_user", metadata,
    id_column(),
    ref("person_id", "person.id"),
    Column("password_encrypted", Text, nullable=False),
    Column("email", Text, unique=True),
    flag("show_nsfw"),
    Column("theme", Text, nullable=False, server_default="browser"),
    Column("default_sort_type", String(20), nullable=False, server_default="Active"),
    Column("default_listing_type", String(20), nullable=False, server_default="Local"),
    Column("interface_language", String(20), nullable=False, server_default="browser"),
    flag("show_avatars", True),
    flag("send_notifications_to_email"),
    flag("show_scores", True),
    flag("show_bot_accounts", True),
    flag("show_read_posts", True),
    flag("email_verified"),
    flag("accepted_application"),
    Column("totp_2fa_secret", Text),
    flag("open_links_in_new_tab"),
    flag("blur_nsfw", True),
    flag("auto_expand"),
    flag("infinite_scroll_enabled"),
    flag("admin"),
    Column("post_listing_mode", String(10), nullable=False, server_default="List"),
    flag("totp_2fa_enabled"),
    flag("enable_keyboard_navigation"),
    flag("enable_animated_images", True),
    flag("collapse_bot_comments"),
    Column("last_donation_notification", UtcDateTime, nullable=False),
    # LocalUserVoteDisplayMode, one row per user in Lemmy; columns here.
    flag("vote_display_score"),
    flag("vote_display_upvotes", True),
    flag("vote_display_downvotes", True),
    flag("vote_display_upvote_percentage"),
    # Bumped on password change: tokens issued before it stop working.
    Column("password_changed", Integer, nullable=False, server_default=text("0")),
    UniqueConstraint("person_id", name="uq_local_user_person_id"),
)

login_token = Table(
    "login_token", metadata,
    Column("token", Text, primary_key=True),
    ref("user_id", "local_user.id", index=True),
    published(),
    Column("ip", Text),
    Column("user_agent", Text),
)

person_block = Table(
    "person_block", metadata,
    ref("person_id", "person.id", primary_key=True),
    ref("target_id", "person.id", primary_key=True),
    published(),
)

instance_block = Table(
    "instance_block", metadata,
    ref("person_id", "person.id", primary_key=True),
    ref("instance_id", "instance.id", primary_key=True),
    published(),
)

registration_application = Table(
    "registration_application", metadata,
    id_column(),
    ref("local_user_id", "local_user.id"),
    Column("answer", Text, nullable=False),
    Column("admin_id", Integer, nullable=True),
    Column("deny_reason", Text),
    published(),
)
