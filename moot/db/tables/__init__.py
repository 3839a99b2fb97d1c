"""All tables, one module per noun, sharing one MetaData."""

from moot.db.tables.admin_log import mod_add, mod_ban
from moot.db.tables.base import metadata
from moot.db.tables.comment import comment, comment_like, comment_reply, comment_saved
from moot.db.tables.community import (
    community,
    community_block,
    community_follower,
    community_moderator,
    community_person_ban,
)
from moot.db.tables.message import person_mention, private_message
from moot.db.tables.modlog import (
    mod_add_community,
    mod_ban_from_community,
    mod_feature_post,
    mod_lock_post,
    mod_remove_comment,
    mod_remove_post,
)
from moot.db.tables.person import (
    instance,
    instance_block,
    local_user,
    login_token,
    person,
    person_block,
    registration_application,
)
from moot.db.tables.post import (
    person_post_aggregates,
    post,
    post_hide,
    post_like,
    post_read,
    post_saved,
)
from moot.db.tables.report import comment_report, post_report
from moot.db.tables.site import (
    language,
    local_site,
    local_site_rate_limit,
    secret,
    site,
)
from moot.db.tables.site_admin import (
    captcha_answer,
    custom_emoji,
    custom_emoji_keyword,
    federation_allowlist,
    federation_blocklist,
    local_site_url_blocklist,
    site_language,
    tagline,
)

__all__ = [
    "captcha_answer",
    "comment",
    "comment_like",
    "comment_reply",
    "comment_report",
    "comment_saved",
    "community",
    "community_block",
    "community_follower",
    "community_moderator",
    "community_person_ban",
    "custom_emoji",
    "custom_emoji_keyword",
    "federation_allowlist",
    "federation_blocklist",
    "instance",
    "instance_block",
    "language",
    "local_site",
    "local_site_rate_limit",
    "local_site_url_blocklist",
    "local_user",
    "login_token",
    "metadata",
    "mod_add",
    "mod_add_community",
    "mod_ban",
    "mod_ban_from_community",
    "mod_feature_post",
    "mod_lock_post",
    "mod_remove_comment",
    "mod_remove_post",
    "person",
    "person_block",
    "person_mention",
    "person_post_aggregates",
    "post",
    "post_hide",
    "post_like",
    "post_read",
    "post_report",
    "post_saved",
    "private_message",
    "registration_application",
    "secret",
    "site",
    "site_language",
    "tagline",
]
