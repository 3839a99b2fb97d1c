"""Reading incoming objects (Page, Note and the types Lemmy accepts as posts) into plain values.

Only translation lives here: what an object says, checked for shape. Whether it may be applied
is decided in apply.py, through the same actions the API uses.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from moot.actions.remote import RemoteObject

PUBLIC_IDS = ("https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public")
POST_TYPES = ("Page", "Article", "Note", "Video", "Event", "Question")
TITLE_MAX = 200


class Unusable(ValueError):
    """An object or activity Moot will not apply; the text is the reason recorded and answered."""


@dataclass(frozen=True)
class IncomingContent:
    """A Page (post) or Note (comment) as sent by its origin."""

    kind: str  # "post" or "comment"
    remote: RemoteObject
    author: str
    text: str
    title: str | None = None
    url: str | None = None
    nsfw: bool = False
    in_reply_to: str | None = None
    audience: list[str] | None = None


def id_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def is_public(document: dict[str, Any]) -> bool:
    return any(id_of(v) in PUBLIC_IDS for v in as_list(document.get("to")) +
               as_list(document.get("cc")))


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)  # 3.11 reads a trailing Z
    except ValueError:
        return None


def html_to_text(markup: str) -> str:
    """Plain text (kept as markdown) from remote HTML that came without a markdown source."""
    markup = re.sub(r"(?i)<br\s*/?>", "\n", markup)
    markup = re.sub(r"(?i)</p>\s*", "\n\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()


def content_text(obj: dict[str, Any]) -> str:
    """An object's text as markdown: its markdown source, else its HTML (or contentMap) as text."""
    source = obj.get("source")
    if isinstance(source, dict) and isinstance(source.get("content"), str) \
            and source.get("mediaType", "text/markdown") == "text/markdown":
        return str(source["content"])
    content = obj.get("content")
    if not isinstance(content, str):
        content_map = obj.get("contentMap")
        content = next(iter(content_map.values()), "") if isinstance(content_map, dict) else ""
    return html_to_text(str(content))


def _author(obj: dict[str, Any]) -> str:
    attributed = obj.get("attributedTo")
    if isinstance(attributed, list):
        # PeerTube: [{type: Person, id}, {type: Group, id}]; the person is the author.
        people = [a for a in attributed if isinstance(a, dict) and a.get("type") == "Person"]
        attributed = people[0] if people else None
    author = id_of(attributed)
    if author is None:
        raise Unusable("object has no single attributedTo")
    return author


def _attachment_url(obj: dict[str, Any]) -> str | None:
    for item in as_list(obj.get("attachment"))[:1]:  # Lemmy uses the first one only
        if isinstance(item, dict):
            found = item.get("href") or item.get("url")
            if isinstance(found, str):
                return found
    if obj.get("type") == "Video":
        return id_of(obj)
    return None


def _title(obj: dict[str, Any], text: str) -> str:
    name = obj.get("name")
    if isinstance(name, str) and name.strip():
        title = name
    else:  # Mastodon: the first line, without the group mention
        first = text.strip().splitlines()[0] if text.strip() else ""
        title = re.sub(r"[!@][\w.-]+(@[\w.:-]+)?", "", first).strip() or "Untitled"
    return " ".join(title.split())[:TITLE_MAX]


def parse_content(obj: Any) -> IncomingContent:
    """A Page/Note/… as a post (no inReplyTo) or a comment (inReplyTo)."""
    if not isinstance(obj, dict):
        raise Unusable("object is not embedded")
    kind = obj.get("type")
    ap_id = id_of(obj)
    if ap_id is None:
        raise Unusable("object has no id")
    if kind not in POST_TYPES:
        raise Unusable(f"object type {kind!r} is not a post or comment")
    if not is_public(obj):
        raise Unusable("object is not public")
    remote = RemoteObject(ap_id, parse_time(obj.get("published")), parse_time(obj.get("updated")))
    text = content_text(obj)
    audience = [a for a in (id_of(v) for v in as_list(obj.get("audience")) +
                            as_list(obj.get("to")) + as_list(obj.get("cc")))
                if a and a not in PUBLIC_IDS]
    reply_to = id_of(obj.get("inReplyTo"))
    if reply_to:
        if not text.strip():
            raise Unusable("comment has no content")
        return IncomingContent("comment", remote, _author(obj), text, in_reply_to=reply_to,
                               audience=audience)
    return IncomingContent("post", remote, _author(obj), text, title=_title(obj, text),
                           url=_attachment_url(obj), nsfw=bool(obj.get("sensitive")),
                           audience=audience)
