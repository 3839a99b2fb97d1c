"""CPU per vote through the group-commit writer, in-process (no HTTP, no readers).

    MOOT_DATABASE_URL=sqlite:////tmp/votes2-s.db python bench/vote_cpu.py \\
        [--votes 2000] [--voters 48] [--profile out.prof] [--seed 6]

Runs on a copy of a database seeded by ``moot bench seed`` (it adds votes). ``--voters``
seeded people vote +1/-1 on random posts among the 2,000 newest, all queued at once so that the
batches are full (actions/vote_batch.py, 64 votes). The batches run on this thread, so its CPU
clock is the writer's CPU. Reported: CPU per vote (and the part of it spent reading the answers
after the commit, which the server does on a second thread), statements per vote (counted at SQLAlchemy's
cursor event, and as SQLite ran them, through its trace callback: there an executemany counts
once per row, BEGIN and COMMIT count too) and batches. With ``--profile`` the run is under cProfile and the stats are
written there (``python -m pstats``).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, select

from moot.actions.people import do_login
from moot.actions.vote_batch import MAX_BATCH, Vote, VoteWriter
from moot.bench.seed import BENCH_PASSWORD
from moot.config import Settings
from moot.context import Context
from moot.db import tables as t
from moot.db.engine import Database, make_engine
from moot.security import read_token


def batches(ctx: Context, votes: list[tuple[int, int, str]]) -> list[list[Vote]]:
    """The votes in full batches, as the writer thread would take them under load."""
    loop = asyncio.new_event_loop()  # only to make the futures the writer expects
    out: list[list[Vote]] = []
    for start in range(0, len(votes), MAX_BATCH):
        batch = []
        for post_id, score, token in votes[start:start + MAX_BATCH]:
            user_id = read_token(token, ctx.site().jwt_secret)
            assert user_id is not None
            batch.append(Vote("post", post_id, score, user_id, token, loop.create_future()))
        out.append(batch)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--votes", type=int, default=2000)
    parser.add_argument("--voters", type=int, default=48)
    parser.add_argument("--profile", default="")
    parser.add_argument("--seed", type=int, default=6,
                        help="another seed for another run on the same copy (new votes)")
    args = parser.parse_args()
    url = os.environ["MOOT_DATABASE_URL"]
    db = Database(make_engine(url, pool_size=2))
    executed = [0]  # statements SQLite ran (an executemany counts each of its rows)
    event.listen(db.engine, "connect", lambda dbapi, _record: dbapi.set_trace_callback(
        lambda _sql: executed.__setitem__(0, executed[0] + 1)))
    ctx = Context(Settings(database_url=url), db)
    with db.read() as conn:
        posts = list(conn.execute(select(t.post.c.id).order_by(t.post.c.published.desc())
                                  .limit(2000)).scalars())
    tokens = [do_login(ctx, f"user{n + 1}", BENCH_PASSWORD, ip=None, user_agent="bench")
              for n in range(args.voters)]
    rng = random.Random(args.seed)
    votes = [(rng.choice(posts), rng.choice((1, -1)), rng.choice(tokens))
             for _ in range(args.votes)]
    statements = [0]
    event.listen(db.engine, "before_cursor_execute",
                 lambda *_a, **_k: statements.__setitem__(0, statements[0] + 1))
    writer = VoteWriter(ctx)
    writer.stop()  # its thread ends; the batches run here, where the CPU clock and cProfile see them
    writer.thread.join()
    work = batches(ctx, votes)
    for batch in work[:2]:  # warm-up: statements compiled, pages cached
        writer.write_and_answer(batch)
    profiler = cProfile.Profile() if args.profile else None
    statuses: dict[int, int] = {}
    statements[0] = executed[0] = done = 0
    cpu0, wall0 = time.thread_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    answering = 0.0  # CPU of the answers, read after the commit on the writer's second thread
    for batch in work[2:]:
        committed = writer._write(batch)
        mid = time.thread_time()
        writer._answer(committed)
        answering += time.thread_time() - mid
        done += len(batch)
        for vote in batch:
            statuses[vote.answer[0]] = statuses.get(vote.answer[0], 0) + 1
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    cpu, wall = time.thread_time() - cpu0, time.perf_counter() - wall0
    print(json.dumps({
        "votes": done, "statuses": statuses, "batches": len(work) - 2,
        "cpu_ms_per_vote": round(cpu / done * 1000, 3),
        "answer_cpu_ms_per_vote": round(answering / done * 1000, 3),
        "wall_votes_per_second": round(done / wall),
        "statements_per_vote": round(statements[0] / done, 2),
        "sqlite_statements_per_vote": round(executed[0] / done, 2),
        "load_average": os.getloadavg()[0]}, indent=2))
    db.dispose()


if __name__ == "__main__":
    main()
