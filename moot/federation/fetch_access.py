"""Who fetches: the instance behind a signed GET, for documents only some instances may read
(a private message is served to the sender's and the recipient's instances only)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from moot.context import Context
from moot.federation.actors import BadActor, is_local_url, public_key
from moot.federation.http import FetchError
from moot.federation.signatures import (
    SignatureError,
    key_owner,
    parse_signature,
    verify_request,
)


def signed_by_one_of(ctx: Context, path: str, headers: Mapping[str, str],
                     hosts: set[str]) -> bool:
    """True when the GET of ``path`` carries a valid signature by an actor (a person, or the
    instance actor Lemmy and Moot sign fetches with) on one of ``hosts``."""
    if "signature" not in headers:
        return False
    try:
        parsed = parse_signature(headers["signature"])
        owner = key_owner(parsed.key_id)
        if urlsplit(owner).netloc.lower() not in hosts or is_local_url(ctx, owner):
            return False
        verify_request("GET", ctx.url(path), headers, None, public_key(ctx, owner, False),
                       parsed)
    except (SignatureError, FetchError, BadActor, ValueError):
        return False
    return True
