"""pythorhead (the Python Lemmy library, from PyPI) against a real Moot process.

pythorhead reads /nodeinfo/2.0.json when it is constructed, refuses software not named "lemmy",
parses the version with strict semver and picks its auth style from it (Bearer from 0.19 on).
"""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import ADMIN_NAME, ADMIN_PASSWORD

pythorhead = pytest.importorskip("pythorhead", reason="pythorhead is a test extra: pip install -e '.[test]'")
from pythorhead.types import ListingType, SortType  # noqa: E402


def _client(url: str) -> pythorhead.Lemmy:
    return pythorhead.Lemmy(url, raise_exceptions=True, request_timeout=20)


def test_pythorhead_reads_nodeinfo_and_accepts_the_version(live_server: str) -> None:
    lemmy = _client(live_server)
    assert lemmy.nodeinfo["software"]["name"] == "lemmy"
    version = lemmy.instance_version  # semver.Version.parse: raises on anything not strict semver
    assert (version.major, version.minor) == (0, 19)
    # From 0.19 on pythorhead sends the token as a Bearer header, which is what Moot reads.
    assert version.compare("0.19.0") >= 0


def test_pythorhead_logs_in_creates_and_lists_posts(live_server: str) -> None:
    lemmy = _client(live_server)
    assert lemmy.log_in(ADMIN_NAME, ADMIN_PASSWORD) is True
    site = lemmy.site.get()
    assert site is not None and site["my_user"]["local_user_view"]["person"]["name"] == ADMIN_NAME

    name = f"py_{uuid.uuid4().hex[:10]}"
    # pythorhead's create also sends a stray "[posting_restricted_to_mods]" key; Lemmy ignores
    # unknown fields, so must Moot.
    created = lemmy.community.create(name, f"Pythorhead {name}", description="from pythorhead")
    assert created is not None
    community_id = created["community_view"]["community"]["id"]
    assert lemmy.discover_community(name) == community_id

    post = lemmy.post.create(community_id, f"Hello from pythorhead {name}",
                             url="https://example.com/pythorhead", body="A body")
    assert post is not None
    post_id = post["post_view"]["post"]["id"]

    listed = lemmy.post.list(community_id=community_id, sort=SortType.New)
    assert [p["post"]["id"] for p in listed] == [post_id]
    everywhere = lemmy.post.list(type_=ListingType.All, sort=SortType.Hot, limit=20)
    assert post_id in [p["post"]["id"] for p in everywhere]
    fetched = lemmy.post.get(post_id)
    assert fetched is not None and fetched["post_view"]["post"]["body"] == "A body"
