"""Giving freed memory back to the system in a long-running server (glibc only).

Measured at scale L (bench/README.md, "Memory", docs/decisions/0039), a served process kept
tens of megabytes that Python and SQLite had already freed, for two reasons:

- glibc raises its mmap threshold to the size of the largest block freed so far (up to
  32 MiB). One login hashes with a 19 MiB block (0037); after it, blocks up to that size come
  from the heap instead of their own mappings, and each request thread's heap kept a 19 MiB
  hole: +20 MB after two logins. A fixed threshold keeps big blocks in mappings that go back
  on free.
- Freed memory inside glibc's heaps is returned only from the top of each heap. Requests that
  build large responses leave holes in the middle; ``malloc_trim`` gives back the whole pages
  in them (about 27 MB after the benchmark's load at L).

Elsewhere (musl, macOS) these calls do not exist and nothing is changed.

Answers built from hundreds of rows at once are built a few at a time per process
(``build_big``): a thread page one at a time, a comment list two. Eight built at once held
eight times their rows and their text, and Python's allocator kept much of that peak after it
was freed (docs/decisions/0057-big-answers-a-few-at-a-time.md).
"""

from __future__ import annotations

import ctypes
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread

log = logging.getLogger(__name__)
T = TypeVar("T")

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# glibc's own starting values; set explicitly, they also stop its dynamic raising.
MMAP_THRESHOLD = 128 * 1024
TRIM_THRESHOLD = 128 * 1024
TRIM_EVERY_S = 2.0


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc has both; others may not
    except (OSError, AttributeError):
        return None
    return libc


def tune_allocator() -> bool:
    """Fix glibc's mmap and trim thresholds; False where that is not glibc."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                and libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def trim() -> None:
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def start_trimmer(every_s: float = TRIM_EVERY_S,
                  stop: threading.Event | None = None) -> threading.Thread | None:
    """A daemon thread that hands freed heap pages back every ``every_s`` seconds, until
    ``stop`` is set (a server's runs as long as the process).

    A call took 0.8 ms at ~180 MB and holds each heap's lock only while it walks that heap, so
    requests barely notice it."""
    libc = _libc()
    if libc is None:
        return None
    stop = stop or threading.Event()

    def loop() -> None:
        while not stop.wait(every_s):
            libc.malloc_trim(0)

    thread = threading.Thread(target=loop, name="moot-malloc-trim", daemon=True)
    thread.start()
    return thread


# One process runs one thread of Python at a time, so builders beyond a few only interleave,
# each adding its rows to memory and its time to the others'. Measured at scale L (decision
# 0057): thread pages (up to 1,000 comments, ~8 MB at their peak) are served as fast one at a
# time as two; comment lists (up to 300, mostly SQL) faster two at a time than one or eight,
# since SQLite and PostgreSQL's round trips let go of the interpreter.
THREAD_PAGES = anyio.CapacityLimiter(1)
COMMENT_LISTS = anyio.CapacityLimiter(2)


async def build_big(limiter: anyio.CapacityLimiter, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` on a thread, with no more such builds at once in this process than
    ``limiter`` lets through. A request that waits for its turn waits in the event loop,
    holding no thread, so the small requests behind it keep every thread of the shared pool."""
    return await anyio.to_thread.run_sync(fn, *args, limiter=limiter)
