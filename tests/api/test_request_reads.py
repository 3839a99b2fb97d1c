"""A logged-in read's round trips on PostgreSQL (docs/decisions/0047): the login and the listing
on one connection without a transaction or a ping, the views' flag lookups with one plan that
reads by the page's keys (0052), and a connection the server dropped recovered without an
error."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool

from moot.db import prepared
from moot.db.engine import make_engine, normalise_url
from tests.helpers import ApiClient, Person

LISTING = "type_=Subscribed&sort=New&limit=10"


def _forum(api: ApiClient) -> tuple[Person, list[int]]:
    owner, reader = api.make_person(), api.make_person()
    community = api.make_community(owner.token)["community"]
    api.post("/community/follow", {"community_id": community["id"], "follow": True},
             token=reader.token)
    posts = [api.make_post(owner.token, community["id"])["post"]["id"] for _ in range(3)]
    api.post("/post/like", {"post_id": posts[1], "score": 1}, token=reader.token)
    api.put("/post/save", {"post_id": posts[2], "save": True}, token=reader.token)
    return reader, posts


def _listing(api: ApiClient, reader: Person) -> dict[str, Any]:
    response = api.client.get(f"/api/v3/post/list?{LISTING}",
                              headers={"Authorization": f"Bearer {reader.token}"})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _db(api: ApiClient) -> Any:
    return api.client.app.state.ctx.db  # type: ignore[attr-defined]


def _postgres_only(api: ApiClient) -> None:
    if _db(api).is_sqlite:
        pytest.skip("SQLite's reads are left as they were; this is PostgreSQL's round trips")


def test_a_logged_in_listing_reads_on_one_connection_without_a_transaction(
        api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    reader, posts = _forum(api)
    db = _db(api)
    seen = {"checkout": 0, "in a transaction": 0}

    def checkout(*_args: Any) -> None:
        seen["checkout"] += 1

    def statement(conn: Any, *_args: Any) -> None:
        if conn.connection.driver_connection.info.transaction_status.name != "IDLE":
            seen["in a transaction"] += 1

    event.listen(db.engine.pool, "checkout", checkout)
    texts: list[str] = []
    if not db.is_sqlite:
        event.listen(db.engine, "before_cursor_execute", statement)
        # The statements prepared.run executes on psycopg's cursor pass no SQLAlchemy event.
        execute = prepared.pg_execute

        def fast(cursor: Any, statement: Any, *args: Any) -> None:
            if cursor.connection.info.transaction_status.name != "IDLE":
                seen["in a transaction"] += 1
            seen["statements"] = seen.get("statements", 0) + 1
            texts.append(str(statement))
            execute(cursor, statement, *args)
        monkeypatch.setattr(prepared, "pg_execute", fast)
    page = _listing(api, reader)
    assert [p["post"]["id"] for p in page["posts"]] == posts[::-1]
    assert [(p.get("my_vote"), p["saved"]) for p in page["posts"]] == [
        (None, True), (1, False), (None, False)]
    if db.is_sqlite:  # as before: the login, then the listing, each its own transaction
        assert seen["checkout"] == 2
    else:
        assert seen["statements"] >= 4  # the login (with the languages), page, views, flags
        assert (seen["checkout"], seen["in a transaction"]) == (1, 0)
        # The viewer's languages come with the login, not in a statement of their own.
        assert not [s for s in texts if s.startswith("SELECT local_user_language")], texts


def test_the_views_flag_lookups_keep_one_plan_that_looks_up_the_page_by_key(
        api: ApiClient) -> None:
    """The flag lookups are prepared like the listing's other statements, and the plan
    PostgreSQL keeps for them, made without the values, reads the viewer's rows by the page's
    keys: not through the indexes of a person's rows, which hold all of a reader's reads and
    votes (decision 0052; 0047 had to plan them on every request)."""
    _postgres_only(api)
    reader, _ = _forum(api)
    for _ in range(8):  # psycopg prepares a statement on its fifth run on a connection
        page = _listing(api, reader)
        assert [(p.get("my_vote"), p["saved"]) for p in page["posts"]] == [
            (None, True), (1, False), (None, False)]
    # The pool hands out its most recent connection first: the one the listings ran on.
    with _db(api).engine.connect() as conn:
        flags = [(name, statement, types) for name, statement, types in conn.execute(text(
            "SELECT name, statement, parameter_types::text[] FROM pg_prepared_statements"))
            if "'creator_ban'" in statement and "post_read" in statement]
        assert len(flags) == 1, flags
        _, statement, types = flags[0]
        plan = _generic_plan(conn, statement, types)
    for table in ("post_read", "post_like", "post_saved", "post_hide"):
        assert f"ix_{table}_person" not in plan, plan
    assert "ix_community_follower_person" not in plan, plan


def _generic_plan(conn: Any, statement: str, types: list[str], *off: str) -> str:
    """EXPLAIN of the plan PostgreSQL keeps for a prepared statement whatever its values
    (``force_generic_plan``), with the planner settings ``off`` turned off."""
    conn.execute(text("SET plan_cache_mode = force_generic_plan"))
    for setting in off:
        conn.execute(text(f"SET {setting} = off"))
    conn.exec_driver_sql(f"PREPARE moot_plan_test ({', '.join(types)}) AS {statement}")
    nulls = ", ".join(["NULL"] * len(types))
    plan = "\n".join(conn.exec_driver_sql(f"EXPLAIN EXECUTE moot_plan_test({nulls})").scalars())
    conn.exec_driver_sql("DEALLOCATE moot_plan_test")
    for setting in ("plan_cache_mode", *off):
        conn.execute(text(f"RESET {setting}"))
    return plan


def test_reads_and_writes_recover_from_connections_the_server_dropped(
        api: ApiClient, database_url: str) -> None:
    _postgres_only(api)
    reader, posts = _forum(api)
    _listing(api, reader)
    _drop_connections(database_url)
    # A write's checkout is pinged: the dropped connection is replaced before it is used.
    api.post("/post/like", {"post_id": posts[0], "score": 1}, token=reader.token)
    _listing(api, reader)
    _drop_connections(database_url)
    # The listing's connection is not pinged: its reads run again on a fresh one.
    page = _listing(api, reader)
    assert [p["post"]["id"] for p in page["posts"]] == posts[::-1]
    votes = {p["post"]["id"]: p.get("my_vote") for p in page["posts"]}
    assert votes == {posts[0]: 1, posts[1]: 1, posts[2]: None}


def _drop_connections(database_url: str) -> None:
    """The server ends every other session of this database, as a restart would."""
    outsider = create_engine(normalise_url(database_url), poolclass=NullPool)
    try:
        with outsider.connect() as conn:
            dropped = conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    finally:
        outsider.dispose()
    assert dropped >= 1


# Plan modes (decision 0050) --------------------------------------------------------------


def _plans(conn: Any) -> dict[str, tuple[int, int]]:
    """The server's prepared statements of this connection: text -> (generic, custom) plans."""
    rows = conn.execute(text(
        "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"))
    return {row[0]: (row[1], row[2]) for row in rows}


# Per sort: a text found only in the statements the mode is for, the mode, and whether the
# reader counts as following few communities (post_list.FEW_FOLLOWS).
PLANNED = [("Hot", "moot_hot_rank", "generic", True),
           ("New", "post.published AS k0", "generic", True),
           ("Scaled", "divisor_class", "generic", True),
           ("Scaled", "divisor_class", "custom", False),
           ("TopDay", "post.score >= $", "custom", True)]


@pytest.mark.parametrize("sort, marker, mode, few", PLANNED)
def test_listing_statements_are_planned_as_their_mode_says(
        api: ApiClient, monkeypatch: pytest.MonkeyPatch, sort: str, marker: str, mode: str,
        few: bool) -> None:
    """A Hot or New page has one plan for every request (no planning per request), and so
    has Scaled's for a reader of few communities (its class windows are parameters); a Top
    window's page, or Scaled's walking the window, is planned with each request's values; the
    session's own mode stays PostgreSQL's default. Left to itself, PostgreSQL plans a prepared
    statement's first five runs with their values, then keeps one plan if it costs no more."""
    _postgres_only(api)
    from moot.views import post_list

    monkeypatch.setattr(post_list, "FEW_FOLLOWS", 500 if few else -1)
    monkeypatch.setattr(post_list, "_FOLLOWS", {})
    reader, posts = _forum(api)
    url = f"/api/v3/post/list?type_=Subscribed&sort={sort}&limit=10"
    runs = 8
    for _ in range(runs):
        response = api.client.get(url, headers={"Authorization": f"Bearer {reader.token}"})
        assert response.status_code == 200, response.text
        assert {p["post"]["id"] for p in response.json()["posts"]} == set(posts)
    # The pool hands out its most recent connection first: the one the listings ran on.
    with _db(api).engine.connect() as conn:
        planned = {s: counts for s, counts in _plans(conn).items() if marker in s}
        assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "auto"
    assert planned, f"no prepared statement holds {marker!r}"
    if mode == "generic":  # never planned with the values, not even the first time
        assert all(generic >= 1 and custom == 0 for generic, custom in planned.values()), planned
    else:  # planned with the values every time, the first five and the rest
        assert all(generic == 0 and custom > 5 for generic, custom in planned.values()), planned


@pytest.mark.parametrize("sort", ["Hot", "Active", "Scaled"])
def test_a_few_follows_page_reads_in_arms_and_the_follows_once(
        api: ApiClient, monkeypatch: pytest.MonkeyPatch, sort: str) -> None:
    """A reader of few communities gets the ranked page read in arms (post_sorts.
    followed_arms), one per score range and (Scaled) divisor class, and the plan reads the
    follows once, Scaled's for all of its classes (post_sorts.FOLLOWED_CLASSES). Which way
    PostgreSQL reads the arms depends on the table's size: at scale L a BitmapOr of them on
    the (community, time, score) index (bench/README.md, "session 13"); in the test database,
    small enough for one range of an index or the whole table, the plan is made with
    sequential scans priced out and this only checks what does not depend on the size."""
    _postgres_only(api)
    from moot.views import post_list, post_sorts

    monkeypatch.setattr(post_list, "FEW_FOLLOWS", 500)
    monkeypatch.setattr(post_list, "_FOLLOWS", {})
    reader, posts = _forum(api)
    url = f"/api/v3/post/list?type_=Subscribed&sort={sort}&limit=10"
    for _ in range(2):
        response = api.client.get(url, headers={"Authorization": f"Bearer {reader.token}"})
        assert response.status_code == 200, response.text
        assert {p["post"]["id"] for p in response.json()["posts"]} == set(posts)
    with _db(api).engine.connect() as conn:
        # This sort's page statement (one text; the connection may hold it prepared more than
        # once, with the parameter types of earlier tests' values).
        time_column = "newest_comment_time_necro" if sort == "Active" else "published"
        pages = [(statement, types) for statement, types in conn.execute(text(
            "SELECT statement, parameter_types::text[] FROM pg_prepared_statements"))
            if "k0 DESC" in statement and f"moot_hot_rank(post.score, post.{time_column}"
            in statement and "post.score >= $" in statement and " + 0" not in statement
            and ("followed_class" in statement) == (sort == "Scaled")]
        assert len({statement for statement, _ in pages}) == 1, [s[:200] for s, _ in pages]
        statement, types = pages[0]
        plan = _generic_plan(conn, statement, types, "enable_seqscan")
    arms = post_sorts.ARMS * (post_sorts.CLASSES if sort == "Scaled" else 1)
    assert statement.count("post.community_id = ANY(ARRAY(") == arms, statement
    assert plan.count("ix_community_follower_person") == 1, plan


def test_a_failing_statement_with_a_plan_mode_leaves_the_session_as_it_was(
        api: ApiClient) -> None:
    """The mode is set, the statement run and the mode reset in one round trip (a pipeline);
    when the statement fails, PostgreSQL rolls the SET back with it, in autocommit and in a
    transaction alike, and the connection answers the next statement."""
    _postgres_only(api)
    from moot.db.engine import GENERIC_PLAN

    failing = text("SELECT 1 / CAST(:zero AS integer)").execution_options(**GENERIC_PLAN)
    db = _db(api)
    for isolation in ("AUTOCOMMIT", None):
        with db.engine.connect() as conn:
            if isolation:
                conn = conn.execution_options(isolation_level=isolation)
            ok = text("SELECT CAST(:one AS integer) + 1").execution_options(**GENERIC_PLAN)
            assert conn.execute(ok, {"one": 1}).scalar_one() == 2
            with pytest.raises(Exception, match="division by zero"):
                conn.execute(failing, {"zero": 0})
            if not isolation:
                conn.rollback()
            assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "auto"
            assert conn.execute(ok, {"one": 2}).scalar_one() == 3


def test_request_connections_plan_no_parallel_workers(api: ApiClient, database_url: str
                                                      ) -> None:
    """The server's connections plan no parallel workers (a page read through an index only
    pays for starting them; decision 0056), the URL's own options kept; bulk work's engine
    (``parallel=True``: the seed, its counts) keeps PostgreSQL's setting."""
    _postgres_only(api)
    with _db(api).engine.connect() as conn:
        assert conn.execute(text("SHOW max_parallel_workers_per_gather")).scalar_one() == "0"
    separator = "&" if "?" in database_url else "?"
    for url, parallel, wanted in (
            (f"{database_url}{separator}options=-c%20work_mem%3D5MB", False, ("0", "5MB")),
            (database_url, True, None)):
        engine = make_engine(url, pool_size=1, parallel=parallel)
        try:
            with engine.connect() as conn:
                found = (conn.execute(text("SHOW max_parallel_workers_per_gather")).scalar_one(),
                         conn.execute(text("SHOW work_mem")).scalar_one())
        finally:
            engine.dispose()
        if wanted is None:
            assert found[0] != "0"
        else:
            assert found == wanted
