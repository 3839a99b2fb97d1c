"""All tables, one module per noun, sharing one MetaData."""

from moot.db.tables.account import email_verification, local_user_language, password_reset_request
from moot.db.tables.admin_log import (
    admin_purge_comment,
    admin_purge_community,
    admin_purge_person,
    admin_purge_post,
    mod_add,
    mod_ban,
)
from moot.db.tables.base import metadata
from moot.db.tables.comment import comment, comment_like, comment_reply, comment_saved
from moot.db.tables.community import (
    community,
    community_block,
    community_follower,
    community_moderator,
    community_person_ban,
)
from moot.db.tables.federation import ap_delivery, ap_inbox, ap_outbox
from moot.db.tables.message import person_mention, private_message
from moot.db.tables.modlog import (
    mod_add_community,
    mod_ban_from_community,
    mod_feature_post,
    mod_hide_community,
    mod_lock_post,
    mod_remove_comment,
    mod_remove_community,
    mod_remove_post,
    mod_transfer_community,
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
from moot.db.tables.report import comment_report, post_report, private_message_report
from moot.db.tables.site import (
    language,
    local_site,
    local_site_rate_limit,
    secret,
    site,
)

__all__ = [
    "admin_purge_comment",
    "admin_purge_community",
    "admin_purge_person",
    "admin_purge_post",
    "ap_delivery",
    "ap_inbox",
    "ap_outbox",
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
    "email_verification",
    "instance",
    "instance_block",
    "language",
    "local_site",
    "local_site_rate_limit",
    "local_user",
    "local_user_language",
    "login_token",
    "metadata",
    "mod_add",
    "mod_add_community",
    "mod_ban",
    "mod_ban_from_community",
    "mod_feature_post",
    "mod_hide_community",
    "mod_lock_post",
    "mod_remove_comment",
    "mod_remove_community",
    "mod_remove_post",
    "mod_transfer_community",
    "password_reset_request",
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
    "private_message_report",
    "registration_application",
    "secret",
    "site",
]
