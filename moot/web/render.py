"""Turning read dicts into HTML: the Jinja environment, its filters, and page responses.

Autoescape is on for every template; the only HTML that is marked safe is what
``moot.text.markdown.render`` made (markdown rendered, then cleaned by nh3), the same function
that makes ActivityPub content, so the page shows exactly the sanitised HTML every door shows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from moot.text.markdown import render as render_markdown
from moot.web import session

TEMPLATES = Path(__file__).parent / "templates"

# No inline script or style anywhere, so the policy can forbid both outright.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Pages differ per viewer (the cookie): shared caches must not keep them.
    "Cache-Control": "private, no-cache",
}

_UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("week", 7 * 86400), ("day", 86400),
          ("hour", 3600), ("minute", 60))


# Pure functions of a timestamp string, called for every comment of every thread page.
@lru_cache(maxsize=8192)
def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def relative_time(value: str, now: datetime | None = None) -> str:
    """"3 years ago", "just now", "in 2 days" (a remote clock may run ahead)."""
    seconds = ((now or datetime.now(UTC)) - parse_time(value)).total_seconds()
    future, seconds = seconds < 0, abs(seconds)
    for unit, size in _UNITS:
        count = int(seconds // size)
        if count >= 1:
            text = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {text}" if future else f"{text} ago"
    return "just now"


@lru_cache(maxsize=8192)
def exact_time(value: str) -> str:
    return parse_time(value).strftime("%Y-%m-%d %H:%M:%S UTC")


def host_of(url: str | None) -> str:
    return (urlsplit(url).hostname or "") if url else ""


def actor_name(actor: dict[str, Any]) -> str:
    """Local people and communities by name, remote ones as name@host (host from actor_id)."""
    if actor.get("local", True):
        return str(actor["name"])
    return f"{actor['name']}@{host_of(actor.get('actor_id'))}"


def person_url(person: dict[str, Any]) -> str:
    return "/u/" + actor_name(person)


def community_url(community: dict[str, Any]) -> str:
    return "/c/" + actor_name(community)


def markdown(text: str | None) -> Markup:
    return Markup(render_markdown(text or ""))


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters.update(relative=relative_time, exact=exact_time, host=host_of, actor=actor_name,
                       person_url=person_url, community_url=community_url, markdown=markdown)
    return env


ENV = _environment()


def _with_globals(request: Request, values: dict[str, Any]) -> dict[str, Any]:
    """The viewer, the CSRF token and the site, which every template may use."""
    viewer = session.viewer_or_none(request)
    values.update(
        request=request, viewer=viewer, me=viewer.person if viewer else None,
        csrf=session.csrf_token(request), site=session.get_context(request).site().site,
        path=request.url.path,
    )
    return values


def page(request: Request, template: str, *, status: int = 200, vary_accept: bool = False,
         **values: Any) -> HTMLResponse:
    """A whole page, with security headers (and the CSRF cookie when the browser had none)."""
    html = ENV.get_template(template).render(_with_globals(request, values))
    response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
    if vary_accept:
        # /post/{id}, /comment/{id}, /c/… and /u/… are ActivityPub ids too: the same URL
        # answers JSON to an activity+json request, so caches must key on Accept.
        response.headers["Vary"] = "Accept"
    session.store_csrf_cookie(request, response)
    return response


def partial(request: Request, template: str, **values: Any) -> str:
    """Part of a page (a new comment) for static/app.js to insert."""
    return ENV.get_template(template).render(_with_globals(request, values))
