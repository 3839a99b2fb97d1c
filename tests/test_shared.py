"""State shared by the processes of one server (moot/shared.py), across a real fork."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

from moot.shared import Shared


def _spend(shared: Shared, times: int) -> None:
    for _ in range(times):
        assert shared.take("message", "10.0.0.1", 5, 3600, time.monotonic())
    shared.bump_generation()


def _die_holding_the_lock(shared: Shared) -> None:
    with shared._locked():
        os.kill(os.getpid(), signal.SIGKILL)


def _spend_one(shared: Shared, results: multiprocessing.Queue[bool]) -> None:
    results.put(shared.take("message", "10.0.0.9", 1, 3600, time.monotonic()))


def test_a_process_killed_holding_the_lock_does_not_stop_the_others() -> None:
    shared = Shared()
    fork = multiprocessing.get_context("fork")
    dying = fork.Process(target=_die_holding_the_lock, args=(shared,))
    dying.start()
    dying.join(30)
    assert dying.exitcode == -signal.SIGKILL
    results: multiprocessing.Queue[bool] = fork.Queue()
    other = fork.Process(target=_spend_one, args=(shared, results))
    other.start()
    assert results.get(timeout=30) is True  # it got the lock the dead process held
    other.join(30)
    assert not shared.take("message", "10.0.0.9", 1, 3600, time.monotonic())  # and so do we


def test_a_bucket_and_the_site_generation_are_one_for_every_process() -> None:
    shared = Shared()
    child = multiprocessing.get_context("fork").Process(target=_spend, args=(shared, 3))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert shared.generation() == 1  # bumped by the child
    now = time.monotonic()
    assert [shared.take("message", "10.0.0.1", 5, 3600, now) for _ in range(3)] == \
        [True, True, False]  # the child spent 3 of the 5
    assert shared.take("post", "10.0.0.1", 5, 3600, now)  # another bucket, another count
    assert shared.take("message", "10.0.0.2", 5, 3600, now)  # another address too


def test_buckets_refill_with_time_and_many_addresses_keep_their_own() -> None:
    shared = Shared()
    start = time.monotonic()
    assert shared.take("search", "a", 1, 60, start)
    assert not shared.take("search", "a", 1, 60, start + 1)
    assert shared.take("search", "a", 1, 60, start + 61)  # a minute refills one token
    addresses = [f"192.0.2.{n % 256}-{n}" for n in range(5000)]
    assert all(shared.take("message", ip, 1, 3600, start) for ip in addresses)
    refused = sum(not shared.take("message", ip, 1, 3600, start) for ip in addresses)
    assert refused == len(addresses)  # none lost its count to a neighbour's slot
