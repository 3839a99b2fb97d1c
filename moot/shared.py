"""State that the processes of one ``moot serve --processes N`` share: rate-limit buckets and the
site settings' generation (docs/decisions/0032-state-shared-between-processes.md).

It is one shared memory map made before the fork, so every process of the server sees the same
bytes. A POSIX record lock on its file guards it between processes (the kernel lets go of it
when a process dies, even one killed while holding it), and a thread lock within each. A
single process never makes one: its buckets and site cache stay plain Python objects.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The table of buckets: open addressing over SLOTS slots of (key hash, tokens, last refill).
SLOTS = 1 << 16
PROBES = 8
_HEADER = struct.Struct("<Q")  # the site generation
_SLOT = struct.Struct("<Qdd")
_TABLE = _HEADER.size

_shared: Shared | None = None


class Shared:
    def __init__(self) -> None:
        size = _TABLE + SLOTS * _SLOT.size
        self._fd = os.memfd_create("moot-shared")  # a file in memory, never on disk
        os.ftruncate(self._fd, size)
        self._map = mmap.mmap(self._fd, size)  # MAP_SHARED: one copy for every process
        self._threads = threading.Lock()  # record locks do not keep threads apart

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._threads:
            fcntl.lockf(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN)

    def generation(self) -> int:
        return int(_HEADER.unpack_from(self._map, 0)[0])

    def bump_generation(self) -> None:
        with self._locked():
            _HEADER.pack_into(self._map, 0, self.generation() + 1)

    def take(self, bucket: str, ip: str, capacity: int, per_seconds: int, now: float) -> bool:
        """Spend one token from (bucket, ip); ``now`` is a monotonic clock, which is one clock
        for every process of the machine."""
        key = _key(bucket, ip)
        rate = capacity / per_seconds
        with self._locked():
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
