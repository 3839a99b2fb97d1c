"""Rules every vote follows, on posts and on comments alike."""

from __future__ import annotations

from moot.context import Context
from moot.errors import MootError
from moot.views.people import Viewer


def check_vote(ctx: Context, viewer: Viewer, score: int) -> None:
    if score not in (-1, 0, 1):
        raise MootError("invalid_vote_value")
    if score == -1 and not ctx.site().local_site["enable_downvotes"]:
        raise MootError("downvotes_are_disabled")
    if viewer.person["bot_account"]:
        raise MootError("invalid_bot_action")
