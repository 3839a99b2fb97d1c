"""The full-text index on both databases, below the API (search through the API is in
test_search.py)."""

from sqlalchemy import insert, select, update

from moot.db import tables as t
from moot.db.types import utcnow
from moot.views.fulltext import matching, terms


def _person(conn, name: str, display: str | None = None) -> int:  # type: ignore[no-untyped-def]
    now = utcnow()
    return int(conn.execute(insert(t.person).values(
        name=name, display_name=display, actor_id=f"http://x/u/{name}", public_key="k",
        last_refreshed_at=now, inbox_url="http://x/inbox", instance_id=1, published=now,
    ).returning(t.person.c.id)).scalar_one())


def test_terms_drop_operators() -> None:
    assert terms('cat AND "dog" OR -fish*') == ["cat", "and", "dog", "or", "fish"]
    assert terms("  ,,, ") == []


def test_prefix_case_and_update_and_delete(app) -> None:  # type: ignore[no-untyped-def]
    db = app.state.ctx.db
    with db.write() as conn:
        a = _person(conn, "Catherine", "Cat Lover")
        b = _person(conn, "dogfan", "Doggo Friend")
    with db.read() as conn:
        assert set(conn.execute(matching(db.dialect, "person", "cat")).scalars()) == {a}
        assert set(conn.execute(matching(db.dialect, "person", "DOGG friend")).scalars()) == {b}
        assert set(conn.execute(matching(db.dialect, "person", "cat doggo")).scalars()) == set()
    with db.write() as conn:
        conn.execute(update(t.person).where(t.person.c.id == b).values(display_name="Catnip"))
    with db.read() as conn:
        assert set(conn.execute(matching(db.dialect, "person", "catn")).scalars()) == {b}
        assert set(conn.execute(matching(db.dialect, "person", "doggo")).scalars()) == set()
    with db.write() as conn:
        conn.execute(t.person.delete().where(t.person.c.id == a))
    with db.read() as conn:
        assert set(conn.execute(matching(db.dialect, "person", "cat")).scalars()) == {b}
        assert matching(db.dialect, "person", "!!!") is None
        # The query text is data, never syntax: quotes and operators cannot break it.
        assert list(conn.execute(matching(db.dialect, "person", 'x" OR "1')).scalars()) == []
        assert conn.execute(select(t.person.c.id)).first() is not None
