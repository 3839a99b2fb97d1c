"""Which instances Moot federates with: the admin's allow and block lists and the
`federation_enabled` switch (PUT /site). Every door of federation asks here: the inbox for
the sender, outgoing fetches for their host, and delivery for each receiving instance."""

from __future__ import annotations

from urllib.parse import urlsplit

from moot.context import Context


def refusal(ctx: Context, url_or_domain: str) -> str | None:
    """Lemmy's error name when Moot must not federate with this host, else None."""
    info = ctx.site()
    if not info.local_site["federation_enabled"]:
        return "federation_disabled"
    domain = url_or_domain.lower()
    if "://" in domain:
        domain = urlsplit(domain).netloc
    if _matches(domain, info.blocked_instances):
        return "domain_blocked"
    if info.allowed_instances and not _matches(domain, info.allowed_instances):
        return "domain_not_in_allow_list"
    return None


def _matches(domain: str, listed: frozenset[str]) -> bool:
    # Lists hold "host" or "host:port"; a listed bare host covers every port of it.
    return domain in listed or domain.partition(":")[0] in listed
