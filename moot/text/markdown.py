"""Markdown to safe HTML: markdown-it-py renders, nh3 cleans.

Stored text stays markdown (as Lemmy stores it); HTML is made only where HTML is shown — the web
pages and ActivityPub ``content`` — and always through ``render``. Remote HTML goes through
``clean`` alone.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "span": {"class"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto", "magnet"}

# html=False: raw HTML typed into markdown is shown as text, never passed through.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
    .enable(["table", "strikethrough"])


def clean(html: str) -> str:
    """Keep only harmless tags, attributes and URL schemes; links get rel=nofollow noopener."""
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                     link_rel="nofollow noopener noreferrer ugc")


# Texts up to this length are remembered (a thread page renders the same comments for every
# reader). Longer ones are rendered each time: with them the cache's 4,096 entries could hold
# hundreds of megabytes; as it is, some 40 MB of plain text at most, and usually a few MB.
CACHED_LENGTH = 4000


def render(markdown: str) -> str:
    if len(markdown) > CACHED_LENGTH:
        return _render(markdown)
    return _render_cached(markdown)


def _render(markdown: str) -> str:
    return clean(_md.render(markdown))


_render_cached = lru_cache(maxsize=4096)(_render)
