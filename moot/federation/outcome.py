"""What applying one activity produced (Outcome) and how many fetches it may still make (Budget),
shared by apply.py and the modules it dispatches to."""

from __future__ import annotations

from dataclasses import dataclass, field

from moot.federation.parse import Unusable

# Lemmy's FEDERATION_HTTP_FETCH_LIMIT is 100 per top-level fetch; an inbox activity needs few.
FETCH_BUDGET = 20


@dataclass
class Outcome:
    reason: str
    applied: bool = True
    announce_in: int | None = None  # a local community that must Announce the activity
    accept: tuple[int, str] | None = None  # (local community id, follower inbox)


@dataclass
class Budget:
    remaining: int = FETCH_BUDGET
    seen: set[str] = field(default_factory=set)

    def spend(self, url: str) -> None:
        if self.remaining <= 0 or url in self.seen:
            raise Unusable("fetch budget exhausted")
        self.remaining -= 1
        self.seen.add(url)
