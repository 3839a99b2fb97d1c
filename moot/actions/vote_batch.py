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
- The answers (PostResponse / CommentResponse) are read after the commit, in one read
  transaction for the batch, on a second thread: the writer goes on with the next batch
  meanwhile (their reads were a third of its time, decision 0045). An answer is what a read
  right after the commit shows; a later batch may already be in it.
- Nothing is answered before the batch is committed.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from moot.actions.vote_comments import answer_comment_votes, apply_comment_votes_batch
from moot.actions.vote_posts import Accepted, answer_post_votes, apply_post_votes_batch
from moot.context import Context

# A batch holds the write lock while it runs: bounded, so that other writers wait little.
MAX_BATCH = 64
log = logging.getLogger(__name__)
T = TypeVar("T")
# What the API's crash guard answers (api/errors.py).
CRASH = (500, {"error": "unknown", "message": "internal server error"})


@dataclass
class Vote:
    kind: str  # "post" or "comment"
    target: int
    score: int
    user_id: int  # from the login token, which the batch checks is still live
    token: str
    # Who waits for the answer: a future on an event loop of this process, or, in the vote
    # writer process (actions/vote_process.py), the request's number on its server's connection.
    future: asyncio.Future[tuple[int, dict[str, Any]]] | None = field(repr=False)
    answer: tuple[int, dict[str, Any]] = CRASH
    reply: Any = field(default=None, repr=False)


@dataclass
class Done:
    """A committed batch whose answers are still to be read."""
    batch: list[Vote]
    posts: Accepted = field(default_factory=list)
    comments: Accepted = field(default_factory=list)


class VoteWriter:
    """One writer thread and one answering thread per process; ``submit`` is awaited by the
    door on its event loop."""

    def __init__(self, ctx: Context, hand_over: Callable[[Done], None] | None = None) -> None:
        """``hand_over``: takes each committed batch, unanswered, in place of the answering
        thread's reading and waking (the vote writer process, actions/vote_process.py)."""
        self.ctx = ctx
        self.hand_over = hand_over
        self.queue: queue.SimpleQueue[Vote | None] = queue.SimpleQueue()
        self.done: queue.SimpleQueue[Done | None] = queue.SimpleQueue()
        self.batches = self.votes = self.largest_batch = 0  # tests and the bench read these
        self.thread = threading.Thread(target=self._run, name="moot-vote-writer", daemon=True)
        self.answers = threading.Thread(target=self._answer_all, name="moot-vote-answers",
                                        daemon=True)
        self.thread.start()
        self.answers.start()
        ctx.db.on_dispose.append(self.stop)

    async def submit(self, vote: Vote) -> tuple[int, dict[str, Any]]:
        """(status, answer) of the vote, once its batch is committed."""
        assert vote.future is not None
        self.queue.put(vote)
        return await vote.future

    def stop(self) -> None:
        self.queue.put(None)

    def _run(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                self.done.put(None)  # the answers of what came before, then stop
                return
            batch = with_waiting(self.queue, first, MAX_BATCH)
            self.done.put(self._write(batch))
            self.batches, self.votes = self.batches + 1, self.votes + len(batch)
            self.largest_batch = max(self.largest_batch, len(batch))

    def _answer_all(self) -> None:
        while (done := self.done.get()) is not None:
            if self.hand_over is not None:
                self.hand_over(done)
                continue
            answer_batch(self.ctx, done)
            settle_votes(done.batch)

    def write_and_answer(self, batch: list[Vote]) -> None:
        """One batch on the calling thread (tests): written, committed, answered."""
        answer_batch(self.ctx, self._write(batch))

    def _write(self, batch: list[Vote]) -> Done:
        try:
            with self.ctx.db.write() as conn:
                # Set-wise (decision 0040): the post votes, then the comment votes. The two
                # share no row, so only their log rows' order differs from arrival order.
                return Done(batch, apply_post_votes_batch(
                    self.ctx, conn, [v for v in batch if v.kind == "post"]),
                    apply_comment_votes_batch(
                        self.ctx, conn, [v for v in batch if v.kind == "comment"]))
        except Exception:  # rolled back: each vote is tried on its own
            if len(batch) == 1:
                log.exception("unhandled error on a %s vote", batch[0].kind)
                batch[0].answer = CRASH
                return Done(batch)
            done = Done(batch)
            for vote in batch:
                alone = self._write([vote])
                done.posts += alone.posts
                done.comments += alone.comments
            return done


def with_waiting(waiting: queue.SimpleQueue[T | None], first: T, most: int) -> list[T]:
    """``first`` and what else is queued now, up to ``most`` items; a stop (None) met on the
    way is put back, to end the loop after this batch."""
    batch = [first]
    while len(batch) < most:
        try:
            item = waiting.get_nowait()
        except queue.Empty:
            break
        if item is None:
            waiting.put(None)
            break
        batch.append(item)
    return batch


def answer_batch(ctx: Context, done: Done) -> None:
    """Set the answers of a committed batch's accepted votes, in one read transaction."""
    if not done.posts and not done.comments:
        return
    try:
        with ctx.db.read() as conn:
            answer_post_votes(conn, done.posts)
            answer_comment_votes(conn, done.comments)
    except Exception:  # the votes are in; only their answers failed
        log.exception("unhandled error reading the answers of %d votes",
                      len(done.posts) + len(done.comments))
        for vote, _viewer, _target in done.posts + done.comments:
            vote.answer = CRASH


def settle_votes(batch: list[Vote]) -> None:
    """Wake the waiters: each event loop once for the whole batch."""
    loops: dict[asyncio.AbstractEventLoop, list[Vote]] = {}
    for vote in batch:
        assert vote.future is not None
        loops.setdefault(vote.future.get_loop(), []).append(vote)
    for loop, votes in loops.items():
        try:
            loop.call_soon_threadsafe(_resolve, votes)
        except RuntimeError:
            pass  # that loop has closed: nobody is waiting any more


def _resolve(votes: list[Vote]) -> None:
    for vote in votes:
        if vote.future is not None and not vote.future.done():  # else the client went away
            vote.future.set_result(vote.answer)
