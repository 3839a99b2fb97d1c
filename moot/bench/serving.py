"""Start ``moot serve`` as a child process for a benchmark script, wait for its port, and read
its CPU time."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

WAIT_S = 30.0


def serve(host: str, port: int, processes: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``moot serve`` on host:port with ``env`` over this process's environment; returns once
    the port accepts a connection (or exits after WAIT_S seconds, killing the server)."""
    proc = subprocess.Popen([sys.executable, "-m", "moot.cli", "serve", "--host", host,
                             "--port", str(port), "--processes", str(processes)],
                            env={**os.environ, "MOOT_LOG_LEVEL": "warning", **env})
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.02)
    proc.kill()
    raise SystemExit("the server did not start")


def cpu_seconds(pid: int) -> float:
    """CPU time of the server and of the processes it forked (``--processes``)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0.0
    for each in [pid, *map(int, children)]:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total
