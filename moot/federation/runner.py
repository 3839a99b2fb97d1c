"""The federation worker loop: inbox processing and delivery, over and over.

``moot worker`` runs it in the foreground; ``moot serve`` runs it in a daemon thread unless
``MOOT_FEDERATION_WORKER=0`` (then run ``moot worker`` beside it). All state is in the
database, so a stopped loop loses nothing: leases run out and another loop takes over.
"""

from __future__ import annotations

import logging
import threading

from moot.actions.activity import do_refresh_active_counts
from moot.context import Context
from moot.federation import delivery, inbox_worker, prune, refresh

log = logging.getLogger(__name__)
IDLE_SECONDS = 0.5


UPKEEP_SECONDS = 10.0


def run_once(ctx: Context) -> int:
    """One round of both queues; how many rows moved."""
    return inbox_worker.run_once(ctx) + delivery.run_once(ctx)


def upkeep(ctx: Context) -> None:
    prune.maybe_prune(ctx)  # at most hourly; see prune.py
    refresh.maybe_refresh(ctx)  # at most a minute; see refresh.py
    do_refresh_active_counts(ctx)  # active users leaving their windows; decision 0035


def _upkeep_forever(ctx: Context, stop: threading.Event) -> None:
    # Its own thread: refetching remote communities waits on other servers, and that must not
    # hold up the queues.
    while not stop.is_set():
        try:
            upkeep(ctx)
        except Exception:
            log.exception("federation upkeep failed")
        stop.wait(UPKEEP_SECONDS)


def run_forever(ctx: Context, stop: threading.Event) -> None:
    threading.Thread(target=_upkeep_forever, args=(ctx, stop), name="moot-federation-upkeep",
                     daemon=True).start()
    while not stop.is_set():
        try:
            moved = run_once(ctx)
        except Exception:  # the loop must outlive a bad round (a lost connection, a bug)
            log.exception("federation worker round failed")
            moved = 0
        if not moved:
            stop.wait(IDLE_SECONDS)


def start_in_thread(ctx: Context) -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=run_forever, args=(ctx, stop), name="moot-federation",
                     daemon=True).start()
    return stop
