"""Group commit for votes: many requests, one write transaction for all that are waiting.

A vote used to open its own write transaction (and a read one for its answer). On SQLite the
write lock then admits one vote at a time, each paying BEGIN IMMEDIATE, COMMIT and a hand-over
of the lock. Here the vote door (api/vote_door.py) hands a vote to one writer thread and waits
without holding a thread. The writer takes everything queued (up to ``MAX_BATCH``) and applies
it in one transaction, in arrival order, with the same checks and effects as
``do_like_post`` / ``do_like_comment``, set-wise: a fixed number of statements per batch
(actions/vote_posts.py and vote_comments.py, decision 0040).

- A refused vote does not fail its neighbours: every check runs before its vote writes
  anything, so a refusal leaves nothing to undo. An unexpected error rolls the batch back and
  each vote is then tried alone, in its own transaction.
- The login is checked inside the transaction, from the database: a logout, password change,
  ban or deleted account counts from the next batch, with no cache to invalidate.
- Each answer (PostResponse / CommentResponse) is read in the same transaction, after the
  batch's votes of its kind: what a separate read after the commit would see, without a
  second transaction.
- Nothing is answered before the batch is committed.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from dataclasses import dataclass, field
from typing import Any

from moot.actions.vote_comments import apply_comment_votes_batch
from moot.actions.vote_posts import apply_post_votes_batch
from moot.context import Context

# A batch holds the write lock while it runs: bounded, so that other writers wait little.
MAX_BATCH = 64
log = logging.getLogger(__name__)
# What the API's crash guard answers (api/errors.py).
CRASH = (500, {"error": "unknown", "message": "internal server error"})


@dataclass
class Vote:
    kind: str  # "post" or "comment"
    target: int
    score: int
    user_id: int  # from the login token, which the batch checks is still live
    token: str
    future: asyncio.Future[tuple[int, dict[str, Any]]] = field(repr=False)
    answer: tuple[int, dict[str, Any]] = CRASH


class VoteWriter:
    """One writer thread per process; ``submit`` is awaited by the door on its event loop."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.queue: queue.SimpleQueue[Vote | None] = queue.SimpleQueue()
        self.batches = self.votes = self.largest_batch = 0  # tests and the bench read these
        self.thread = threading.Thread(target=self._run, name="moot-vote-writer", daemon=True)
        self.thread.start()
        ctx.db.on_dispose.append(self.stop)

    async def submit(self, vote: Vote) -> tuple[int, dict[str, Any]]:
        """(status, answer) of the vote, once its batch is committed."""
        self.queue.put(vote)
        return await vote.future

    def stop(self) -> None:
        self.queue.put(None)

    def _run(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self.queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self.queue.put(None)  # stop after this batch
                    break
                batch.append(item)
            self._write(batch)
            _settle(batch)
            self.batches, self.votes = self.batches + 1, self.votes + len(batch)
            self.largest_batch = max(self.largest_batch, len(batch))

    def _write(self, batch: list[Vote]) -> None:
        try:
            with self.ctx.db.write() as conn:
                # Set-wise (decision 0040): the post votes, then the comment votes. The two
                # share no row, so only their log rows' order differs from arrival order.
                apply_post_votes_batch(self.ctx, conn, [v for v in batch if v.kind == "post"])
                apply_comment_votes_batch(self.ctx, conn,
                                          [v for v in batch if v.kind == "comment"])
        except Exception:  # rolled back: each vote is tried on its own
            if len(batch) == 1:
                log.exception("unhandled error on a %s vote", batch[0].kind)
                batch[0].answer = CRASH
                return
            for vote in batch:
                self._write([vote])


def _settle(batch: list[Vote]) -> None:
    """Wake the waiters: each event loop once for the whole batch."""
    loops: dict[asyncio.AbstractEventLoop, list[Vote]] = {}
    for vote in batch:
        loops.setdefault(vote.future.get_loop(), []).append(vote)
    for loop, votes in loops.items():
        try:
            loop.call_soon_threadsafe(_resolve, votes)
        except RuntimeError:
            pass  # that loop has closed: nobody is waiting any more


def _resolve(votes: list[Vote]) -> None:
    for vote in votes:
        if not vote.future.done():  # else the client went away
            vote.future.set_result(vote.answer)
