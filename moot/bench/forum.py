"""A synthetic forum, generated deterministically from a seed, as rows of the real tables.

Every denormalised column is computed here the way the actions keep it on write (see
moot/actions/posts.py and comments.py): each post and comment carries its creator's upvote,
scores and controversy follow the votes, comment paths and child counts follow the tree, the
newest-comment clocks follow the comments, and person and community counts are totalled at the
end (``Totals``). Sizes follow power laws: a few communities, people, threads and posts get most
of the activity, as on a real forum.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from moot.ranking import NECRO_WINDOW, controversy_rank

SPAN = timedelta(days=3 * 365)
ACTIVE_WINDOWS = (("users_active_day", 1), ("users_active_week", 7),
                  ("users_active_month", 30), ("users_active_half_year", 182))
LONGEST_WINDOW = timedelta(days=182)
# Lemmy's MAX_COMMENT_DEPTH_LIMIT is 50; stay a little under it.
MAX_DEPTH = 40
_VOCABULARY = ("the a of to and in is it for on that this with as was be by at from or have an "
          "not are but they you we can all one will about more new like when what which so "
          "time up if out people just would other some into only could think make first over "
          "rust python server link thread vote community post comment federation instance "
          "moderator release update kernel garden bicycle coffee music photo river mountain "
          "climate city train library science history map recipe question answer idea")
_WORDS = _VOCABULARY.split()


@dataclass(frozen=True)
class Scale:
    name: str
    communities: int
    people: int
    posts: int
    comments: int
    votes: int  # all post and comment votes, creators' own upvotes included
    followers: int  # active people who follow many communities
    follows_each: int
    biggest_thread: int


SCALES = {
    "XS": Scale("XS", 12, 40, 60, 400, 1_500, 6, 6, 120),
    "S": Scale("S", 500, 10_000, 10_000, 100_000, 500_000, 200, 300, 3_000),
    "M": Scale("M", 2_000, 50_000, 100_000, 1_000_000, 5_000_000, 500, 1_000, 10_000),
    "L": Scale("L", 10_000, 200_000, 1_000_000, 5_000_000, 20_000_000, 1_000, 3_000, 10_000),
}
READER_FOLLOWS = 100  # the Subscribed listing's reader follows this many communities


@dataclass
class Ids:
    """The first id of each table: the seed appends after whatever is there."""

    person: int
    community: int
    post: int
    comment: int


@dataclass
class Totals:
    """Per-person and per-community counts, summed while the rows are generated."""

    people: int
    communities: int
    post_count: list[int] = field(default_factory=list)
    post_score: list[int] = field(default_factory=list)
    comment_count: list[int] = field(default_factory=list)
    comment_score: list[int] = field(default_factory=list)
    posts: list[int] = field(default_factory=list)
    comments: list[int] = field(default_factory=list)
    subscribers: list[int] = field(default_factory=list)
    # The activity clocks (moot/actions/activity.py): each person's newest post or comment,
    # and per (community, person) key the newest one within the longest window (older pairs
    # count in no window, so they get no row).
    last_active: list[datetime | None] = field(default_factory=list)
    recent: dict[int, datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("post_count", "post_score", "comment_count", "comment_score"):
            setattr(self, name, [0] * self.people)
        for name in ("posts", "comments", "subscribers"):
            setattr(self, name, [0] * self.communities)
        self.last_active = [None] * self.people

    def saw_activity(self, community: int, person: int, when: datetime, age: timedelta) -> None:
        newest = self.last_active[person]
        if newest is None or when > newest:
            self.last_active[person] = when
        if age < LONGEST_WINDOW:
            key = community * self.people + person
            if key not in self.recent or when > self.recent[key]:
                self.recent[key] = when

    def active_counts(self, name: str, now: datetime) -> list[int]:
        since = now - timedelta(days=dict(ACTIVE_WINDOWS)[name])
        counts = [0] * self.communities
        for key, when in self.recent.items():
            if when > since:
                counts[key // self.people] += 1
        return counts

    def site_active(self, name: str, now: datetime) -> int:
        since = now - timedelta(days=dict(ACTIVE_WINDOWS)[name])
        return sum(1 for when in self.last_active if when is not None and when > since)


Batch = dict[str, list[dict[str, Any]]]


def _zipf_cumulative(n: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(n)))


class Forum:
    """Generates the rows; iterate ``people()``, ``communities()``, ``follows()``, ``threads()``."""

    def __init__(self, scale: Scale, seed: int, now: datetime, base_url: str, ids: Ids,
                 password_hash: str, public_key: str, instance_id: int) -> None:
        self.scale, self.now, self.base, self.ids = scale, now, base_url, ids
        self.rng = random.Random(seed)
        self.password_hash, self.public_key, self.instance_id = (password_hash, public_key,
                                                                 instance_id)
        self.totals = Totals(scale.people, scale.communities)
        self._person_weights = _zipf_cumulative(scale.people, 0.9)
        self._community_weights = _zipf_cumulative(scale.communities, 1.0)
        extra = max(0, scale.votes - scale.posts - scale.comments)
        self._post_votes_mean = extra / 2 / max(scale.posts, 1)
        self._comment_votes_mean = extra / 2 / max(scale.comments, 1)
        self._comment_id = ids.comment

    # Picking ---------------------------------------------------------------------------------

    def _person(self) -> int:
        rng = self.rng
        return bisect.bisect(self._person_weights, rng.random() * self._person_weights[-1])

    def _community(self) -> int:
        weights = self._community_weights
        return bisect.bisect(weights, self.rng.random() * weights[-1])

    def _words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(_WORDS, k=self.rng.randint(low, high)))

    def _time_after(self, start: datetime, mean_hours: float) -> datetime:
        later = start + timedelta(hours=self.rng.expovariate(1 / mean_hours))
        return min(later, self.now)

    # People, communities, follows --------------------------------------------------------------

    def people(self) -> Iterator[Batch]:
        now = self.now
        for start in range(0, self.scale.people, 5_000):
            batch: Batch = {"person": [], "local_user": []}
            for i in range(start, min(start + 5_000, self.scale.people)):
                pid = self.ids.person + i
                name = "bench_reader" if i == 0 else f"user{i}"
                actor = f"{self.base}/u/{name}"
                joined = now - SPAN * self.rng.random()
                batch["person"].append({
                    "id": pid, "name": name, "published": joined, "actor_id": actor,
                    "local": True, "public_key": self.public_key, "last_refreshed_at": now,
                    "inbox_url": actor + "/inbox", "shared_inbox_url": self.base + "/inbox",
                    "instance_id": self.instance_id})
                batch["local_user"].append({
                    "person_id": pid, "password_encrypted": self.password_hash,
                    "accepted_application": True, "last_donation_notification": now})
            yield batch

    def communities(self) -> Iterator[Batch]:
        now = self.now
        batch: Batch = {"community": [], "community_moderator": []}
        for i in range(self.scale.communities):
            cid, name = self.ids.community + i, f"community{i}"
            actor = f"{self.base}/c/{name}"
            made = now - SPAN * self.rng.random()
            batch["community"].append({
                "id": cid, "name": name, "title": self._words(2, 5)[:100],
                "description": self._words(10, 40), "published": made, "actor_id": actor,
                "local": True, "public_key": self.public_key, "last_refreshed_at": now,
                "followers_url": actor + "/followers", "inbox_url": actor + "/inbox",
                "shared_inbox_url": self.base + "/inbox", "moderators_url": actor + "/moderators",
                "featured_url": actor + "/featured", "instance_id": self.instance_id})
            batch["community_moderator"].append({
                "community_id": cid, "person_id": self.ids.person + self._person(),
                "published": made})
        yield batch

    def follows(self) -> Iterator[Batch]:
        """The reader follows READER_FOLLOWS communities; the active people many more."""
        followers = [(0, min(READER_FOLLOWS, self.scale.communities))]
        followers += [(i, min(self.scale.follows_each, self.scale.communities))
                      for i in range(1, min(self.scale.followers + 1, self.scale.people))]
        communities = range(self.scale.communities)
        for person, wanted in followers:
            # Weighted sampling without replacement (Efraimidis-Spirakis keys u^(1/w)): drawing
            # from the Zipf law until enough distinct ones came up took a minute at scale M.
            keys = [self.rng.random() ** (c + 1) for c in communities]  # w = 1/(c+1)
            chosen = heapq.nlargest(wanted, communities, key=keys.__getitem__)
            rows = []
            for community in sorted(chosen):
                self.totals.subscribers[community] += 1
                rows.append({"community_id": self.ids.community + community,
                             "person_id": self.ids.person + person,
                             "published": self.now - SPAN * self.rng.random() / 2,
                             "pending": False})
            yield {"community_follower": rows}

    # Posts and their threads ---------------------------------------------------------------------

    def thread_sizes(self) -> list[int]:
        """Comments per post: a Zipf head of big threads, then an exponential body."""
        scale, rng = self.scale, self.rng
        mean = scale.comments / max(scale.posts, 1)
        sizes = [0] * scale.posts
        head = rank = 0
        while rank < scale.posts:
            size = int(scale.biggest_thread / (rank + 1))
            if size <= 4 * mean:
                break
            sizes[rank], head, rank = size, head + size, rank + 1
        body_mean = max(scale.comments - head, 0) / max(scale.posts - rank, 1)
        for i in range(rank, scale.posts):
            sizes[i] = int(rng.expovariate(1 / body_mean) + rng.random()) if body_mean > 0 else 0
        rng.shuffle(sizes)
        return sizes

    def threads(self) -> Iterator[Batch]:
        """One batch per post: the post, its votes, its comments and their votes."""
        scale, rng = self.scale, self.rng
        times = sorted(self.now - SPAN * rng.random() ** 1.5 for _ in range(scale.posts))
        for i, (published, size) in enumerate(zip(times, self.thread_sizes(), strict=True)):
            yield self._thread(self.ids.post + i, published, size)

    def _votes(self, creator: int, mean: float) -> list[tuple[int, int]]:
        """(person index, score) pairs: the creator's upvote, then a power-law count of others."""
        rng = self.rng
        # (pareto - 1) has mean 2; rounding at random keeps the total on target
        extra = int(mean * (rng.paretovariate(1.5) - 1) / 2 + rng.random())
        extra = min(extra, self.scale.people - 1)
        others = [p for p in rng.sample(range(self.scale.people), extra + 1) if p != creator]
        down_share = rng.random() * 0.35
        return [(creator, 1)] + [(p, -1 if rng.random() < down_share else 1)
                                 for p in others[:extra]]

    def _thread(self, post_id: int, published: datetime, size: int) -> Batch:
        rng, totals = self.rng, self.totals
        creator, community = self._person(), self._community()
        batch: Batch = {"post": [], "post_like": [], "post_read": [], "comment": [],
                        "comment_like": []}
        votes = self._votes(creator, self._post_votes_mean)
        up = sum(1 for _, s in votes if s > 0)
        down = len(votes) - up
        for person, score in votes:
            batch["post_like"].append({"post_id": post_id, "person_id": self.ids.person + person,
                                       "score": score, "published": self._time_after(published, 6)})
        batch["post_read"].append({"post_id": post_id, "person_id": self.ids.person + creator,
                                   "published": published})
        newest, necro = self._comments(batch, post_id, published, creator, community, size)
        url = f"https://example.com/{post_id}" if rng.random() < 0.5 else None
        batch["post"].append({
            "id": post_id, "name": self._words(3, 12)[:200], "url": url,
            "body": self._words(20, 120) if url is None else None,
            "creator_id": self.ids.person + creator, "community_id": self.ids.community + community,
            "published": published, "ap_id": f"{self.base}/post/{post_id}", "local": True,
            "language_id": 0, "comments": size, "score": up - down, "upvotes": up,
            "downvotes": down, "newest_comment_time": newest, "newest_comment_time_necro": necro,
            "controversy_rank": controversy_rank(up, down)})
        totals.post_count[creator] += 1
        totals.post_score[creator] += up - down
        totals.posts[community] += 1
        totals.comments[community] += size
        totals.saw_activity(community, creator, published, self.now - published)
        return batch

    def _comments(self, batch: Batch, post_id: int, post_time: datetime, post_creator: int,
                  community: int, size: int) -> tuple[datetime, datetime]:
        """Appends the thread's comments and votes; returns the post's two newest-comment clocks."""
        rng, totals = self.rng, self.totals
        times = sorted(self._time_after(post_time, 12 if rng.random() < 0.9 else 2000)
                       for _ in range(size))
        paths: list[str] = []
        ancestors: list[list[int]] = []
        rows: list[dict[str, Any]] = []
        newest, necro = post_time, post_time
        for n, when in enumerate(times):
            cid = self._comment_id
            self._comment_id += 1
            parent = self._parent(n, ancestors)
            up_path = paths[parent] if parent is not None else "0"
            lineage = ancestors[parent] + [parent] if parent is not None else []
            paths.append(f"{up_path}.{cid}")
            ancestors.append(lineage)
            for a in lineage:
                rows[a]["child_count"] += 1
            creator = self._person()
            votes = self._votes(creator, self._comment_votes_mean)
            up = sum(1 for _, s in votes if s > 0)
            down = len(votes) - up
            rows.append({
                "id": cid, "creator_id": self.ids.person + creator, "post_id": post_id,
                "content": self._words(4, 40), "published": when,
                "ap_id": f"{self.base}/comment/{cid}", "local": True, "path": paths[-1],
                "depth": len(lineage) + 1, "language_id": 0, "score": up - down, "upvotes": up,
                "downvotes": down, "child_count": 0, "controversy_rank": controversy_rank(up, down)})
            for person, score in votes:
                batch["comment_like"].append({
                    "comment_id": cid, "person_id": self.ids.person + person, "post_id": post_id,
                    "score": score, "published": self._time_after(when, 3)})
            newest = max(newest, when)
            if creator != post_creator and when - post_time < NECRO_WINDOW:
                necro = max(necro, when)
            totals.comment_count[creator] += 1
            totals.comment_score[creator] += up - down
            totals.saw_activity(community, creator, when, self.now - when)
        batch["comment"] = rows
        return newest, necro

    def _parent(self, n: int, ancestors: list[list[int]]) -> int | None:
        """Top level, a reply to the latest comment (long chains), or to any earlier one."""
        if n == 0:
            return None
        roll = self.rng.random()
        if roll < 0.2:
            return None
        parent = n - 1 if roll < 0.6 else self.rng.randrange(n)
        return parent if len(ancestors[parent]) + 1 < MAX_DEPTH else None
