"""Lemmy's limits on names, titles, bodies and URLs (crates/utils/src/utils/validation.rs)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from moot.errors import MootError

# Latin letters, digits and underscore; or a single Arabic or Cyrillic script with digits.
_NAME = re.compile(
    r"^(?:[a-zA-Z0-9_]+|[0-9_\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]+"
    r"|[0-9_\u0400-\u052F]+)$"
)
POST_BODY_MAX = 50_000
BODY_MAX = 10_000
BIO_MAX = 1_000
URL_MAX = 2_000
ALT_TEXT_MAX = 1_500
TITLE_MIN, TITLE_MAX = 3, 200


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def check_actor_name(name: str, max_length: int) -> None:
    if len(name) < 3 or len(name) > max_length or not _NAME.match(name):
        raise MootError("invalid_name")


def check_password(password: str) -> None:
    if not 10 <= len(password) <= 60:
        raise MootError("invalid_password")


def check_post_title(title: str) -> str:
    title = title.strip()
    if not TITLE_MIN <= len(title) <= TITLE_MAX or "\n" in title or "\r" in title:
        raise MootError("invalid_post_title")
    return title


def check_body(body: str | None, limit: int = BODY_MAX) -> str | None:
    if body is not None and utf16_len(body) > limit:
        raise MootError("invalid_body_field")
    return body


def check_url(url: str | None) -> str | None:
    """A cleaned URL, or None for an empty one; refuses what Lemmy refuses."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    if len(url) > URL_MAX:
        raise MootError("invalid_url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "magnet"):
        raise MootError("invalid_url_scheme")
    if parts.scheme != "magnet" and not parts.netloc:
        raise MootError("invalid_url")
    return url


def check_alt_text(text: str | None) -> str | None:
    if text is not None and len(text) > ALT_TEXT_MAX:
        raise MootError("alt_text_length_overflow")
    return text


def check_bio(text: str | None) -> str | None:
    if text is not None and utf16_len(text) > BIO_MAX:
        raise MootError("bio_length_overflow")
    return text


def check_display_name(text: str | None, max_length: int) -> str | None:
    if text is not None and text.strip() and not 3 <= len(text.strip()) <= max_length:
        raise MootError("invalid_display_name")
    # Lemmy's rule: a display name must not pass for a mention or hide behind a zero-width space.
    if text is not None and text.strip().startswith(("@", "\u200b")):
        raise MootError("invalid_display_name")
    return text.strip() if text is not None and text.strip() else None
