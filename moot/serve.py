"""``moot serve``: one process, or several sharing one listening socket.

Python runs one thread at a time per process, so a single server uses about one core however
many it has. With ``processes`` > 1 the socket is bound once and the server forks: each process
builds its own app (its own database connections, made after the fork) and accepts from the
shared socket, and the kernel hands each connection to one of them. Only the first process runs
the federation worker, so there is one poller; its leases would keep several apart anyway.

Votes are written by one more process, forked first, which every server process sends its
votes to (actions/vote_process.py, docs/decisions/0048-vote-writer-process.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import sys

from moot import shared
from moot.actions import vote_process
from moot.config import Settings

PR_SET_PDEATHSIG = 1

SWITCH_INTERVAL = 0.0005  # seconds; see _run


def serve(settings: Settings) -> None:
    sock = socket.create_server((settings.host, settings.port), backlog=2048)
    if settings.processes > 1 or settings.vote_writer_process:
        shared.allocate()  # before the fork: rate limits and the site's generation
    if settings.processes > 1:
        _preload()
    processes = max(1, settings.processes)
    # Forked before any thread starts, and before the server processes, which all use it.
    writer = vote_process.start(settings, processes, [sock]) \
        if settings.vote_writer_process else None
    index, children = _fork(processes)
    mine = None
    if writer is not None:
        mine = writer.ends[index]
        for end in writer.ends:
            if end is not mine:
                end.close()
        if index == 0:
            children.append(writer.pid)
    try:
        _run(settings, sock, first=index == 0, vote_writer=mine)
    finally:
        if index:
            os._exit(0)  # a child never returns into the parent's command
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _preload() -> None:
    """Import the server's code once, before the fork: the others start without importing it
    again, and share those pages of memory until they write to them."""
    import gc
    import importlib

    import uvicorn  # noqa: F401

    import moot.app  # noqa: F401
    from moot import web
    from moot.api import v3

    for name in v3.ROUTE_MODULES:
        importlib.import_module(f"moot.api.v3.{name}")
    for name in web.ROUTE_MODULES:
        importlib.import_module(f"moot.web.{name}")
    gc.freeze()  # the collector would otherwise touch, and so copy, every imported object


def _fork(count: int) -> tuple[int, list[int]]:
    """(this process's number, and in the first process the others' pids)."""
    children: list[int] = []
    for index in range(1, count):
        pid = os.fork()
        if pid == 0:
            die_with_parent()
            return index, []
        children.append(pid)
    return 0, children


def die_with_parent() -> None:
    # Linux: a child left behind by a killed parent would keep serving the port.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _run(settings: Settings, sock: socket.socket, *, first: bool,
         vote_writer: socket.socket | None) -> None:
    import uvicorn

    from moot import memory
    from moot.app import create_app

    # The vote writer thread (actions/vote_batch.py) lets go of the GIL at each SQLite call
    # and must get it back from the event loop, which keeps it up to the switch interval:
    # 5 ms by default, so a batch's dozen calls waited ~60 ms behind busy readers. 0.5 ms
    # bounds that wait (decision 0040).
    sys.setswitchinterval(SWITCH_INTERVAL)
    memory.tune_allocator()  # before the first request: a login's 19 MiB block (memory.py)
    memory.start_trimmer()
    app = create_app(settings, vote_writer=vote_writer)
    if first and settings.federation_worker:
        from moot.federation.runner import start_in_thread

        start_in_thread(app.state.ctx)
    # No websockets and no lifespan events: Moot uses neither, and loading them costs start-up.
    config = uvicorn.Config(app, log_level=settings.log_level, proxy_headers=True,
                            forwarded_allow_ips="127.0.0.1", access_log=False, ws="none",
                            lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
