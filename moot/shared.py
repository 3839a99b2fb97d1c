"""State that the processes of one ``moot serve --processes N`` share: rate-limit buckets and the
site settings' generation (docs/decisions/0032-state-shared-between-processes.md).

It is one anonymous shared memory map made before the fork, so every process of the server sees
the same bytes, guarded by one process-shared lock. A single process never makes one: its
buckets and site cache stay plain Python objects.
"""

from __future__ import annotations

import hashlib
import mmap
import multiprocessing
import struct
from typing import Any

# The table of buckets: open addressing over SLOTS slots of (key hash, tokens, last refill).
SLOTS = 1 << 16
PROBES = 8
_HEADER = struct.Struct("<Q")  # the site generation
_SLOT = struct.Struct("<Qdd")
_TABLE = _HEADER.size

_shared: Shared | None = None


class Shared:
    def __init__(self) -> None:
        self._map = mmap.mmap(-1, _TABLE + SLOTS * _SLOT.size)  # MAP_SHARED | MAP_ANONYMOUS
        # A fork-context lock: a POSIX semaphore inside shared memory, usable by threads too.
        self._lock: Any = multiprocessing.get_context("fork").Lock()

    def generation(self) -> int:
        return int(_HEADER.unpack_from(self._map, 0)[0])

    def bump_generation(self) -> None:
        with self._lock:
            _HEADER.pack_into(self._map, 0, self.generation() + 1)

    def take(self, bucket: str, ip: str, capacity: int, per_seconds: int, now: float) -> bool:
        """Spend one token from (bucket, ip); ``now`` is a monotonic clock, which is one clock
        for every process of the machine."""
        key = _key(bucket, ip)
        rate = capacity / per_seconds
        with self._lock:
            offset = self._slot(key, now)
            stored, tokens, last = _SLOT.unpack_from(self._map, offset)
            if stored != key:
                tokens, last = float(capacity), now
            tokens = min(float(capacity), tokens + (now - last) * rate)
            allowed = tokens >= 1.0
            _SLOT.pack_into(self._map, offset, key, tokens - 1.0 if allowed else tokens, now)
        return allowed

    def _slot(self, key: int, now: float) -> int:
        """The key's slot, or the free or least recently used one of its probes (an evicted
        bucket starts full again, as an idle one would have refilled)."""
        start = key % SLOTS
        oldest, oldest_at = 0, float("inf")
        for probe in range(PROBES):
            offset = _TABLE + ((start + probe) % SLOTS) * _SLOT.size
            stored, _tokens, last = _SLOT.unpack_from(self._map, offset)
            if stored == key or stored == 0:
                return offset
            if last < oldest_at:
                oldest, oldest_at = offset, last
        return oldest


def _key(bucket: str, ip: str) -> int:
    # A hash every process computes alike (str hashes are salted per interpreter); never 0,
    # which marks a free slot.
    digest = hashlib.blake2b(f"{bucket}\0{ip}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") or 1


def allocate() -> Shared:
    """Called by ``moot serve`` before it forks its other processes."""
    global _shared
    _shared = Shared()
    return _shared


def current() -> Shared | None:
    return _shared
