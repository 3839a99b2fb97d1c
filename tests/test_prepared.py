"""moot/db/prepared.py answers what ``Connection.execute`` answers (types processed, fallbacks)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, select

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
        # IN lists: one ? per item on SQLite; an empty one is SQLAlchemy's, the same answer.
        assert sorted(run(conn, _IN, {"ids": [post["id"], -1]}).scalars()) == [post["id"]]
        assert list(run(conn, _IN, {"ids": [post["id"]]}).scalars()) == [post["id"]]
        assert list(run(conn, _IN, {"ids": []}).scalars()) == []
        deleted = run(conn, _DELETE_READ, {"person_id": post["creator_id"]}).rowcount
        assert deleted == 1  # the author has read their own post
