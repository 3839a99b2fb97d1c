"""A dependency-free progress bar on stderr (tqdm is not a Moot dependency)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts rows towards a total; redraws at most five times a second."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None,
                 enabled: bool = True) -> None:
        self.total = max(total, 1)
        self.label = label
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.start = time.perf_counter()
        self._last_draw = 0.0

    def advance(self, rows: int, label: str | None = None) -> None:
        self.done += rows
        if label:
            self.label = label
        now = time.perf_counter()
        if now - self._last_draw >= 0.2:
            self._last_draw = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        if not self.enabled:
            return
        share = min(self.done / self.total, 1.0)
        elapsed = now - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        bar = "#" * int(share * 30)
        self.stream.write(f"\r{self.label:<12} [{bar:<30}] {share:6.1%} "
                          f"{self.done:>11,} rows {rate:>9,.0f}/s  {elapsed:6.0f}s  eta {eta:5.0f}s ")
        self.stream.flush()

    def close(self) -> float:
        elapsed = time.perf_counter() - self.start
        self.done = max(self.done, self.total)
        self._draw(time.perf_counter())
        if self.enabled:
            self.stream.write("\n")
        return elapsed
