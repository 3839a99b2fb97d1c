"""Lemmy's page/limit rules, for every list endpoint."""

from __future__ import annotations

from moot.errors import MootError

FETCH_LIMIT_DEFAULT = 10
FETCH_LIMIT_MAX = 50
PAGE_LIMIT_MAX = 100  # since Lemmy 0.19.10; deeper pages are what cursors are for


def limit_and_offset(page: int | None, limit: int | None) -> tuple[int, int]:
    """(limit, offset). Lemmy's refusals here are database errors, so clients see them as
    400 ``unknown`` with a message."""
    page = 1 if page is None else page
    if not 1 <= page <= PAGE_LIMIT_MAX:
        raise MootError("unknown", f"page must be between 1 and {PAGE_LIMIT_MAX}")
    limit = FETCH_LIMIT_DEFAULT if limit is None else limit
    if not 1 <= limit <= FETCH_LIMIT_MAX:
        raise MootError("unknown", f"limit must be between 1 and {FETCH_LIMIT_MAX}")
    return limit, (page - 1) * limit
