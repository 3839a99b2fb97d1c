"""What every door hands to actions and views: settings, the database, and the site's settings."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from moot import shared
from moot.config import Settings
from moot.db import tables as t
from moot.db.engine import Database
from moot.shared import Shared
from moot.views.site_lists import federation_lists


@dataclass(frozen=True)
class SiteInfo:
    """The local site's rows, cached: read on every request, changed by admins rarely."""

    site: dict[str, Any]
    local_site: dict[str, Any]
    rate_limit: dict[str, Any]
    instance_id: int
    jwt_secret: str
    # Domains admins allow or block for federation (PUT /site); an empty allow list allows all.
    allowed_instances: frozenset[str] = frozenset()
    blocked_instances: frozenset[str] = frozenset()


@dataclass
class Context:
    settings: Settings
    db: Database
    _site: SiteInfo | None = None
    _site_loaded: float = 0.0
    _site_generation: int = 0
    _shared: Shared | None = field(default_factory=shared.current)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # Other processes may change the site; re-read it at least this often.
    site_ttl: float = 5.0
    # The outgoing HTTP client (moot.federation.http.Http), made on first use.
    http: Any = None
    # Remote actors' public keys the inbox verified with: actor id -> (key, time read).
    actor_keys: dict[str, tuple[str, float]] = field(default_factory=dict)
    # The inbox's group-commit writer (moot.federation.inbox_store.InboxWriter), made on first use.
    inbox_writer: Any = None

    def site(self) -> SiteInfo:
        if self._site_is_stale():
            with self._lock:
                # The threads that queued here behind the one reloading use what it read.
                if self._site_is_stale():
                    generation = self._shared.generation() if self._shared else 0
                    self._site = self._load_site()
                    self._site_loaded, self._site_generation = time.monotonic(), generation
        assert self._site is not None
        return self._site

    def _site_is_stale(self) -> bool:
        # Another process of this server that changes the site says so in shared memory; other
        # programs (`moot worker`, the admin commands) are seen within site_ttl.
        return (self._site is None or time.monotonic() - self._site_loaded > self.site_ttl
                or (self._shared is not None
                    and self._shared.generation() != self._site_generation))

    def site_changed(self) -> None:
        self._site = None
        if self._shared is not None:
            self._shared.bump_generation()

    def _load_site(self) -> SiteInfo:
        with self.db.read() as conn:
            local_site = conn.execute(select(t.local_site)).mappings().one()
            site = conn.execute(select(t.site).where(t.site.c.id == local_site["site_id"])
                                ).mappings().one()
            rate = conn.execute(select(t.local_site_rate_limit)).mappings().one()
            secret = conn.execute(select(t.secret.c.jwt_secret)).scalar_one()
            allowed, blocked = federation_lists(conn)
        return SiteInfo(_plain(site), _plain(local_site), _plain(rate), site["instance_id"], secret,
                        allowed, blocked)

    def url(self, path: str) -> str:
        return self.settings.base_url + path


def _plain(row: Any) -> dict[str, Any]:
    # Row keys are SQLAlchemy quoted_name objects; JSON encoders want plain str.
    return {str(k): v for k, v in row.items()}
