"""All tables, one module per noun, sharing one MetaData."""

from moot.db.tables.base import metadata
from moot.db.tables.comment import comment, comment_like, comment_reply, comment_saved
from moot.db.tables.community import (
    community,
    community_block,
    community_follower,
    community_moderator,
    community_person_ban,
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
from moot.db.tables.site import language, local_site, local_site_rate_limit, secret, site

__all__ = [
    "comment",
    "comment_like",
    "comment_reply",
    "comment_saved",
    "community",
    "community_block",
    "community_follower",
    "community_moderator",
    "community_person_ban",
    "instance",
    "instance_block",
    "language",
    "local_site",
    "local_site_rate_limit",
    "local_user",
    "login_token",
    "metadata",
    "person",
    "person_block",
    "person_post_aggregates",
    "post",
    "post_hide",
    "post_like",
    "post_read",
    "post_saved",
    "registration_application",
    "secret",
    "site",
]
