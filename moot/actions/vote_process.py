"""The vote writer in a process of its own (docs/decisions/0048-vote-writer-process.md).

In the server's process the group-commit writer (actions/vote_batch.py) shares the GIL with
the event loop. It lets go of the GIL at every SQLite call and then waits for the loop, which
keeps the GIL up to the switch interval whenever it is busy (readers, other votes): at scale L
with readers running a batch took 3 to 6 times its CPU time in wall-clock time, and the
writer, not the CPU, capped votes per second. ``moot serve`` therefore forks one writer
process before its server processes; each of them sends its votes there over a Unix socket
and gets back what became of them. The writer process runs the same VoteWriter (same checks,
same batches); the door (api/vote_door.py) still reads, rate-limits and answers the request.

- One writer process serves every server process of ``moot serve --processes N``: their votes
  share batches, and no two writers of the server queue on the database's write lock.
- Each server process has a socket pair with the writer, made before the forks: nothing on
  the file system, and no other process can connect. The messages are pickles of plain
  tuples and dicts between processes of one server.
- The writer process only writes: each server process reads the answers of its accepted votes
  itself, after the commit, as the writer thread's answering thread does (decision 0045).
- If the writer process goes away, the votes it had not answered get the API's 500 (whether
  they were committed is not known), and each server process carries on with a writer
  thread of its own, as without the process.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import socket
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from moot.actions.vote_batch import (
    CRASH,
    Done,
    Vote,
    VoteWriter,
    answer_batch,
    settle_votes,
    with_waiting,
)
from moot.config import Settings, configure_logging
from moot.context import Context
from moot.views.people import Viewer

log = logging.getLogger(__name__)
SEND_MOST = 1024  # votes in one message to the writer process (a batch takes 64 of them)
# (request number, kind, target id, score, user id, login token): one vote on the socket
Sent = tuple[int, str, int, int, int, str]
# (request number, its answer, the viewer when it was accepted and its answer is still to read)
Reply = tuple[int, tuple[int, dict[str, Any]], Viewer | None]


@dataclass(frozen=True)
class WriterProcess:
    pid: int
    ends: list[socket.socket]  # each server process's end of its socket, by its number


def start(settings: Settings, processes: int, inherited: list[socket.socket]) -> WriterProcess:
    """Fork the vote writer process, with one socket pair for each of the ``processes``
    server processes. Call it before this process starts any thread (a fork copies only the
    calling thread); ``inherited``: sockets the writer must not keep open."""
    pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(processes)]
    pid = os.fork()
    if pid == 0:  # the writer process: it never returns into the caller
        code = 1
        try:
            for sock in inherited + [server_end for server_end, _ in pairs]:
                sock.close()
            _serve(settings, [writer_end for _, writer_end in pairs])
            code = 0
        except KeyboardInterrupt:
            code = 0
        except BaseException:  # logged; the server processes fall back on their own writers
            log.exception("the vote writer process failed")
        finally:
            os._exit(code)
    for _, writer_end in pairs:
        writer_end.close()
    return WriterProcess(pid, [server_end for server_end, _ in pairs])


def _serve(settings: Settings, ends: list[socket.socket]) -> None:
    from moot.db.engine import Database, make_engine
    from moot.serve import die_with_parent

    die_with_parent()
    configure_logging(settings)
    ctx = Context(settings=settings, db=Database(make_engine(settings.database_url, pool_size=4)))
    writer = VoteWriter(ctx, hand_over=_hand_over)
    readers = [threading.Thread(target=_read_votes, args=(_Replies(Connection(end.detach())),
                                                          writer),
                                name="moot-vote-reader", daemon=True) for end in ends]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()  # until every server process has gone
    writer.stop()
    writer.answers.join()


class _Replies:
    """One server process's connection: its reading thread receives on it, and the writer's
    hand-over thread (the only one that sends) sends on it."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def send(self, replies: list[Reply]) -> None:
        try:
            self.conn.send(replies)
        except OSError:
            pass  # that server process has gone; its votes are committed all the same


def _read_votes(replies: _Replies, writer: VoteWriter) -> None:
    try:
        while True:
            sent: list[Sent] = replies.conn.recv()
            for number, kind, target, score, user_id, token in sent:
                writer.queue.put(Vote(kind, target, score, user_id, token, None,
                                      reply=(replies, number)))
    except (EOFError, OSError):
        pass  # the server process has gone


def _hand_over(done: Done) -> None:
    """Send each server process what became of its votes in a committed batch: a refusal's
    answer, or the viewer of an accepted vote, whose answer the server process reads."""
    viewers = {id(vote): viewer for vote, viewer, _target in done.posts + done.comments}
    by_server: dict[_Replies, list[Reply]] = {}
    for vote in done.batch:
        replies, number = vote.reply
        by_server.setdefault(replies, []).append((number, vote.answer, viewers.get(id(vote))))
    for replies, sent in by_server.items():
        replies.send(sent)


class RemoteVoteWriter:
    """VoteWriter's ``submit`` for a server process, with the votes written by the writer
    process. A sending thread gathers what the event loop queued into one message; a
    receiving thread hands each committed batch to an answering thread, which reads the
    accepted votes' answers here (where the writer's GIL is not spent on them) and wakes the
    waiters."""

    def __init__(self, ctx: Context, sock: socket.socket) -> None:
        self.ctx = ctx
        self._conn = Connection(sock.detach())
        self._numbers = itertools.count()
        self._waiting: dict[int, Vote] = {}
        self._outbox: queue.SimpleQueue[Sent | None] = queue.SimpleQueue()
        self._committed: queue.SimpleQueue[Done | None] = queue.SimpleQueue()
        self.broken = False
        self._stopping = False
        for target, name in ((self._send_all, "moot-vote-sender"),
                             (self._receive_all, "moot-vote-receiver"),
                             (self._answer_all, "moot-vote-answers")):
            threading.Thread(target=target, name=name, daemon=True).start()

    async def submit(self, vote: Vote) -> tuple[int, dict[str, Any]]:
        assert vote.future is not None
        if self.broken:
            return CRASH
        number = next(self._numbers)
        self._waiting[number] = vote
        if self.broken and self._waiting.pop(number, None) is not None:
            return CRASH  # broke meanwhile, and _fail did not see this vote
        self._outbox.put((number, vote.kind, vote.target, vote.score, vote.user_id, vote.token))
        return await vote.future

    def stop(self) -> None:
        self._stopping = True
        self._outbox.put(None)
        self._committed.put(None)

    def _send_all(self) -> None:
        while (first := self._outbox.get()) is not None:
            sent = with_waiting(self._outbox, first, SEND_MOST)
            try:
                self._conn.send(sent)
            except OSError:
                self._fail()
                return
        self._conn.close()

    def _receive_all(self) -> None:
        try:
            while True:
                replies: list[Reply] = self._conn.recv()
                done = Done([])
                for number, answer, viewer in replies:
                    vote = self._waiting.pop(number, None)
                    if vote is None:
                        continue
                    done.batch.append(vote)
                    if viewer is None:
                        vote.answer = answer
                    else:
                        accepted = done.posts if vote.kind == "post" else done.comments
                        accepted.append((vote, viewer, {"id": vote.target}))
                self._committed.put(done)
        except (EOFError, OSError):
            self._fail()

    def _answer_all(self) -> None:
        while (done := self._committed.get()) is not None:
            answer_batch(self.ctx, done)
            settle_votes(done.batch)

    def _fail(self) -> None:
        if not self.broken and not self._stopping:
            log.error("the vote writer process has gone; votes are written in this process")
        self.broken = True
        self._outbox.put(None)  # the sending thread ends; the answering one after the answers
        self._committed.put(None)  # it was given (the door starts a writer of its own)
        votes = []
        for number in list(self._waiting):
            vote = self._waiting.pop(number, None)
            if vote is not None:
                vote.answer = CRASH
                votes.append(vote)
        settle_votes(votes)
