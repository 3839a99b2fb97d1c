"""SQLite writers of several processes queue on a file lock beside the database (engine.py)."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from moot.db.engine import Database, make_engine


def _database(path: Path) -> Database:
    db = Database(make_engine(f"sqlite:///{path}", pool_size=2))
    with db.write() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS tally (n INTEGER NOT NULL)"))
        if conn.execute(text("SELECT count(*) FROM tally")).scalar_one() == 0:
            conn.execute(text("INSERT INTO tally VALUES (0)"))
    return db


def _held_elsewhere(lock_file: Path) -> bool:
    """Whether another open file (as another process would have) finds the lock taken."""
    fd = os.open(lock_file, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_a_write_transaction_holds_the_file_lock_until_it_ends(tmp_path: Path) -> None:
    db = _database(tmp_path / "moot.db")
    lock_file = tmp_path / "moot.db.write-lock"
    assert lock_file.exists()
    assert not _held_elsewhere(lock_file)
    with db.write():
        assert _held_elsewhere(lock_file)
    assert not _held_elsewhere(lock_file)
    with pytest.raises(RuntimeError), db.write():
        raise RuntimeError  # a failed transaction lets go of it too
    assert not _held_elsewhere(lock_file)
    with db.read():
        assert not _held_elsewhere(lock_file)  # readers never take it
    db.dispose()


def _add(path: str, times: int) -> None:
    db = _database(Path(path))
    for _ in range(times):
        with db.write() as conn:  # read-modify-write: a lost update would show in the total
            n = conn.execute(text("SELECT n FROM tally")).scalar_one()
            conn.execute(text("UPDATE tally SET n = :n"), {"n": n + 1})
    db.dispose()


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_writers_in_several_processes_take_turns(tmp_path: Path, start: str) -> None:
    path = tmp_path / "moot.db"
    parent = _database(path)  # made before the fork: each child must still lock on its own
    with parent.write():
        pass
    context = multiprocessing.get_context(start)
    workers = [context.Process(target=_add, args=(str(path), 100)) for _ in range(3)]
    for worker in workers:
        worker.start()
    _add(str(path), 100)
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    with parent.read() as conn:
        assert conn.execute(text("SELECT n FROM tally")).scalar_one() == 400
    parent.dispose()
