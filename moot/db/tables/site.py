"""The site, its local settings and rate limits, languages and server secrets."""

from sqlalchemy import Column, Integer, String, Table, Text, text

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

language = Table(
    "language", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("code", String(3), nullable=False),
    Column("name", Text, nullable=False),
)

site = Table(
    "site", metadata,
    id_column(),
    Column("name", String(20), nullable=False),
    Column("sidebar", Text),
    published(),
    updated(),
    Column("icon", Text),
    Column("banner", Text),
    Column("description", String(150)),
    Column("actor_id", Text, nullable=False, unique=True),
    Column("last_refreshed_at", UtcDateTime, nullable=False),
    Column("inbox_url", Text, nullable=False),
    Column("private_key", Text),
    Column("public_key", Text, nullable=False),
    ref("instance_id", "instance.id"),
    Column("content_warning", Text),
)

# Lemmy's SiteAggregates, one row (id 1), kept on write in the same transaction as every change
# that moves a total; the active-user counts are refreshed as decision 0035 describes.
site_aggregates = Table(
    "site_aggregates", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    count("users"),
    count("posts"),
    count("comments"),
    count("communities"),
    count("users_active_day"),
    count("users_active_week"),
    count("users_active_month"),
    count("users_active_half_year"),
    # Up to when the active counts have been brought (the upkeep's last edge); NULL: never.
    Column("active_counted_at", UtcDateTime),
)

local_site = Table(
    "local_site", metadata,
    id_column(),
    ref("site_id", "site.id"),
    flag("site_setup"),
    flag("enable_downvotes", True),
    flag("enable_nsfw", True),
    flag("community_creation_admin_only"),
    flag("require_email_verification"),
    Column("application_question", Text),
    flag("private_instance"),
    Column("default_theme", Text, nullable=False, server_default="browser"),
    Column("default_post_listing_type", String(20), nullable=False, server_default="Local"),
    Column("legal_information", Text),
    flag("hide_modlog_mod_names", True),
    flag("application_email_admins"),
    Column("slur_filter_regex", Text),
    Column("actor_name_max_length", Integer, nullable=False, server_default=text("20")),
    flag("federation_enabled", True),
    flag("captcha_enabled"),
    Column("captcha_difficulty", String(10), nullable=False, server_default="medium"),
    published(),
    updated(),
    Column("registration_mode", String(20), nullable=False, server_default="RequireApplication"),
    flag("reports_email_admins"),
    flag("federation_signed_fetch"),
    Column("default_post_listing_mode", String(10), nullable=False, server_default="List"),
    Column("default_sort_type", String(20), nullable=False, server_default="Active"),
)


def _bucket(name: str, count: int, seconds: int) -> list[Column]:  # type: ignore[type-arg]
    return [
        Column(name, Integer, nullable=False, server_default=text(str(count))),
        Column(f"{name}_per_second", Integer, nullable=False, server_default=text(str(seconds))),
    ]


# Lemmy's buckets and defaults: capacity per window of N seconds.
RATE_LIMIT_DEFAULTS = {
    "message": (180, 60),
    "post": (6, 600),
    "register": (3, 3600),
    "image": (6, 3600),
    "comment": (6, 600),
    "search": (60, 600),
    "import_user_settings": (1, 86400),
}

local_site_rate_limit = Table(
    "local_site_rate_limit", metadata,
    ref("local_site_id", "local_site.id", primary_key=True),
    *[c for name, (n, s) in RATE_LIMIT_DEFAULTS.items() for c in _bucket(name, n, s)],
    published(),
    updated(),
)

secret = Table(
    "secret", metadata,
    id_column(),
    Column("jwt_secret", Text, nullable=False),
)
