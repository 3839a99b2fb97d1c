"""Group commit for the inbox: many request threads, one write transaction at a time.

Each delivery used to open its own write transaction. On SQLite, eight concurrent deliveries
then queued on the database lock and paid BEGIN and COMMIT each. Now a request hands its row to
one writer thread and waits. The writer takes everything queued (up to ``MAX_BATCH``) and
inserts it in one transaction, so a burst costs one commit. The answer still goes out only after
the row is committed: nothing is acknowledged that could be lost.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.dialects import postgresql, sqlite

from moot.db import tables as t
from moot.db.engine import Database

MAX_BATCH = 256

# A delivery from an instance proves it is alive again.
# One statement run for each sender (executemany): an expanding IN is rendered anew each time.
_REVIVE = update(t.ap_delivery).where(
    t.ap_delivery.c.domain == bindparam("sender"),
    t.ap_delivery.c.dead.is_(True),
).values(dead=False, fail_count=0, next_attempt=None)


@dataclass
class _Pending:
    row: dict[str, Any]
    sender: str
    future: asyncio.Future[bool]  # the waiting request's, on its event loop
    stored: bool = False
    error: BaseException | None = None


class InboxWriter:
    def __init__(self, db: Database) -> None:
        self.db = db
        dialect = sqlite if db.is_sqlite else postgresql
        # Repeats are told apart by the unique activity id: a row that is not inserted was seen.
        self.insert = dialect.insert(t.ap_inbox).on_conflict_do_nothing(
            index_elements=[t.ap_inbox.c.activity_id]).returning(t.ap_inbox.c.activity_id)
        self.queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        threading.Thread(target=self._run, name="moot-inbox-writer", daemon=True).start()

    async def store_async(self, row: dict[str, Any], sender: str) -> bool:
        """Insert one inbox row; False if its activity id is stored already. The wait for the
        commit holds no thread."""
        item = _Pending(row, sender, asyncio.get_running_loop().create_future())
        self.queue.put(item)
        return await item.future

    def _run(self) -> None:
        while True:
            batch = [self.queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write(batch)
            except Exception as exc:  # noqa: BLE001 (each waiting request re-raises it)
                for item in batch:
                    item.error = exc
            finally:
                self._settle(batch)

    @staticmethod
    def _settle(batch: list[_Pending]) -> None:
        """Wake the waiters: each event loop once for the whole batch."""
        loops: dict[asyncio.AbstractEventLoop, list[_Pending]] = {}
        for item in batch:
            loops.setdefault(item.future.get_loop(), []).append(item)
        for loop, items in loops.items():
            loop.call_soon_threadsafe(_resolve, items)

    def _write(self, batch: list[_Pending]) -> None:
        # Two deliveries of one activity in one batch: the first is stored, the second is not.
        first: dict[str, _Pending] = {}
        for item in batch:
            first.setdefault(item.row["activity_id"], item)
        with self.db.write() as conn:
            # One multi-row INSERT; the ids it returns are those not seen before.
            stored = set(conn.execute(self.insert, [item.row for item in first.values()])
                         .scalars())
            for item in batch:
                item.stored = first[item.row["activity_id"]] is item \
                    and item.row["activity_id"] in stored
            senders = sorted({item.sender for item in batch if item.stored})
            if senders:
                conn.execute(_REVIVE, [{"sender": sender} for sender in senders])


def _resolve(items: list[_Pending]) -> None:
    for item in items:
        future = item.future
        if future.done():
            continue  # the request went away (client disconnected)
        if item.error is not None:
            future.set_exception(item.error)
        else:
            future.set_result(item.stored)

