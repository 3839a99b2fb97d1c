"""Group commit for the inbox: many request threads, one write transaction at a time.

Each delivery used to open its own write transaction. On SQLite, eight concurrent deliveries
then queued on the database lock and paid BEGIN and COMMIT each. Now a request hands its row to
one writer thread and waits. The writer takes everything queued (up to ``MAX_BATCH``) and
inserts it in one transaction, so a burst costs one commit. The answer still goes out only after
the row is committed: nothing is acknowledged that could be lost.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.dialects import postgresql, sqlite

from moot.db import tables as t
from moot.db.engine import Database

MAX_BATCH = 256

# A delivery from an instance proves it is alive again.
_REVIVE = update(t.ap_delivery).where(
    t.ap_delivery.c.domain == bindparam("sender"), t.ap_delivery.c.dead.is_(True),
).values(dead=False, fail_count=0, next_attempt=None)


@dataclass
class _Pending:
    row: dict[str, Any]
    sender: str
    done: threading.Event = field(default_factory=threading.Event)
    stored: bool = False
    error: BaseException | None = None


class InboxWriter:
    def __init__(self, db: Database) -> None:
        self.db = db
        dialect = sqlite if db.is_sqlite else postgresql
        # Repeats are told apart by the unique activity id: a row that is not inserted was seen.
        self.insert = dialect.insert(t.ap_inbox).on_conflict_do_nothing(
            index_elements=[t.ap_inbox.c.activity_id]).returning(t.ap_inbox.c.id)
        self.queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        threading.Thread(target=self._run, name="moot-inbox-writer", daemon=True).start()

    def store(self, row: dict[str, Any], sender: str) -> bool:
        """Insert one inbox row; False if its activity id is stored already."""
        item = _Pending(row, sender)
        self.queue.put(item)
        item.done.wait()
        if item.error is not None:
            raise item.error
        return item.stored

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
                for item in batch:
                    item.done.set()

    def _write(self, batch: list[_Pending]) -> None:
        with self.db.write() as conn:
            for item in batch:
                item.stored = conn.execute(self.insert, item.row).first() is not None
            for sender in sorted({item.sender for item in batch if item.stored}):
                conn.execute(_REVIVE, {"sender": sender})
