"""Start-up time: from `moot serve` to the first answer of GET /api/v3/site, on SQLite.

    python bench/startup.py            # prints and writes bench/results/<date>-sqlite-startup.json

Target (issue: core server): under 2 s, for a fresh database and for an existing one.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

RUNS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def time_to_first_answer(db_path: str) -> float:
    port = free_port()
    env = {**os.environ, "MOOT_DATABASE_URL": f"sqlite:///{db_path}", "MOOT_LOG_LEVEL": "warning"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "moot.cli", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v3/site", timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter() - start
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("server exited") from None
                time.sleep(0.01)
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    fresh, existing = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(RUNS):
            path = f"{tmp}/fresh{i}.db"
            fresh.append(time_to_first_answer(path))
            existing.append(time_to_first_answer(path))
    result = {
        "benchmark": "startup", "database": "sqlite", "date": date.today().isoformat(),
        "runs": RUNS, "target_seconds": 2.0,
        "fresh_database_median_s": round(statistics.median(fresh), 3),
        "fresh_database_max_s": round(max(fresh), 3),
        "existing_database_median_s": round(statistics.median(existing), 3),
        "existing_database_max_s": round(max(existing), 3),
    }
    print(json.dumps(result, indent=2))
    out = Path(__file__).parent / "results" / f"{result['date']}-sqlite-startup.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
