"""moot/db/prepared.py answers what ``Connection.execute`` answers (types processed, fallbacks),
on SQLite's DB-API cursor and on psycopg's (decision 0051)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import bindparam, delete, event, insert, select
from sqlalchemy.exc import IntegrityError

from moot.actions.posts import _POST
from moot.db import tables as t
from moot.db.prepared import run
from moot.views.people import _VIEWER
from tests.helpers import ApiClient

_IN = select(t.post.c.id).where(t.post.c.id.in_(bindparam("ids", expanding=True)))
_DELETE_READ = delete(t.post_read).where(t.post_read.c.person_id == bindparam("person_id"))


def test_rows_and_values_are_sqlalchemys(api: ApiClient, app: Any) -> None:
    alice = api.make_person()
    community = api.make_community(alice.token)["community"]["id"]
    post = api.make_post(alice.token, community, "A post")["post"]
    with app.state.ctx.db.write() as conn:
        plain = conn.execute(_POST, {"id": post["id"]}).mappings().one()
        fast = run(conn, _POST, {"id": post["id"]}).mappings().one()
        assert dict(plain) == fast  # booleans are bools, times datetimes, as SQLAlchemy makes them
        assert type(fast["deleted"]) is bool and fast["published"].tzinfo is not None
        assert run(conn, _POST, {"id": post["id"]}).first().name == "A post"
        assert run(conn, _POST, {"id": -1}).first() is None
        assert run(conn, _POST, {"id": -1}).scalar() is None
        user = conn.execute(select(t.local_user.c.id)).scalars().first()
        assert run(conn, _VIEWER, {"token": "nope", "user_id": user}).mappings().first() is None
        # IN lists: one ? per item on SQLite, one array on PostgreSQL; an empty one is
        # SQLAlchemy's on SQLite, the same answer.
        assert sorted(run(conn, _IN, {"ids": [post["id"], -1]}).scalars()) == [post["id"]]
        assert list(run(conn, _IN, {"ids": [post["id"]]}).scalars()) == [post["id"]]
        assert list(run(conn, _IN, {"ids": []}).scalars()) == []
        deleted = run(conn, _DELETE_READ, {"person_id": post["creator_id"]}).rowcount
        assert deleted == 1  # the author has read their own post


_FOLLOW = insert(t.community_follower).values(
    community_id=bindparam("community_id"), person_id=bindparam("person_id"),
    published=bindparam("published"), pending=False)


def test_postgres_statements_skip_sqlalchemys_execution_and_raise_its_errors(
        api: ApiClient, app: Any) -> None:
    """On PostgreSQL ``run`` executes on psycopg's cursor (no SQLAlchemy cursor event fires),
    and a driver error comes out as SQLAlchemy's, in a transaction that can be rolled back."""
    db = app.state.ctx.db
    if db.is_sqlite:
        pytest.skip("SQLite's path is the test above")
    alice = api.make_person()
    community = api.make_community(alice.token)["community"]["id"]
    post = api.make_post(alice.token, community, "A post")["post"]
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda _c, _cur, sql, *_a: seen.append(sql))
    with db.read() as conn:
        row = run(conn, _POST, {"id": post["id"]}).mappings().one()
        ids = run(conn, _IN, {"ids": [post["id"], -1]}).scalars()
        none = run(conn, _IN, {"ids": []}).scalars()
    assert (row["name"], ids, none) == ("A post", [post["id"]], [])
    assert seen == []
    bob = api.make_person()
    api.post("/community/follow", {"community_id": community, "follow": True}, token=bob.token)
    follow = {"community_id": community, "person_id": bob.person_id,
              "published": row["published"]}
    with pytest.raises(IntegrityError), db.write() as conn:
        run(conn, _FOLLOW, follow)  # bob follows it already
    with db.read() as conn:  # the pool's connection is usable after the rollback
        assert run(conn, _POST, {"id": post["id"]}).first().name == "A post"
