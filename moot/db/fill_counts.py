"""Fill the counts kept on write from the tables, once (decision 0035).

The initial migration and ``create_fresh`` call ``fill`` on a database that has no site
aggregates row yet; ``bench/upgrade_counts.py`` calls it on a database seeded before the row
and the activity clocks existed. Everything is a few set-based statements, so that it runs in
bulk at scale L. Idempotent: a database that has the row is left alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Table, func, insert, select, union_all, update
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect

from moot.actions.activity import LONGEST, SITE_ROW, recount_communities, recount_site
from moot.db import tables as t
from moot.db.types import utcnow


def fill(conn: Connection, now: datetime | None = None) -> bool:
    """Fill the site row, the activity clocks and the active counts; False if already there."""
    if conn.execute(select(t.site_aggregates.c.id)).first() is not None:
        return False
    now = now or utcnow()
    fill_site_totals(conn)
    fill_activity(conn, now)
    recount_communities(conn, conn.execute(select(t.community.c.id)).scalars().all(), now)
    recount_site(conn, now)
    conn.execute(update(t.site_aggregates).values(active_counted_at=now))
    return True


def _local_count(table: Table, *counted: ColumnElement[bool]) -> ScalarSelect[int]:
    return (select(func.count()).select_from(table)
            .where(table.c.local.is_(True), *counted).scalar_subquery())


def fill_site_totals(conn: Connection) -> None:
    """Lemmy's SiteAggregates totals: local people; local posts, comments and communities
    that are neither deleted nor removed."""
    def counted(table: Table) -> ScalarSelect[int]:
        return _local_count(table, table.c.deleted.is_(False), table.c.removed.is_(False))

    conn.execute(insert(t.site_aggregates).values(
        id=SITE_ROW, users=_local_count(t.person), posts=counted(t.post),
        comments=counted(t.comment), communities=counted(t.community)))


def fill_activity(conn: Connection, now: datetime) -> None:
    """One clock per (community, person) from their posts and comments within the longest
    window (older activity counts in no window), and each person's newest of them."""
    since = now - LONGEST
    p, c, person = t.post.c, t.comment.c, t.person.c
    posts = select(p.community_id, p.creator_id.label("person_id"), p.published).where(
        p.published > since)
    comments = (select(p.community_id, c.creator_id.label("person_id"), c.published)
                .join(t.post, p.id == c.post_id).where(c.published > since))
    both = union_all(posts, comments).subquery()
    newest = (select(both.c.community_id, both.c.person_id,
                     func.max(both.c.published).label("last_active"))
              .join(t.person, person.id == both.c.person_id)
              .where(person.bot_account.is_(False))
              .group_by(both.c.community_id, both.c.person_id))
    conn.execute(insert(t.community_activity).from_select(
        ["community_id", "person_id", "last_active"], newest))
    # Each person's newest, through a keyed scratch table: community_activity has no index
    # that starts with person_id, and a correlated max() per person would scan it each time.
    kind = "BIGINT" if conn.dialect.name == "sqlite" else "TIMESTAMP WITH TIME ZONE"
    for statement in (
        (f"CREATE TEMPORARY TABLE moot_fill_active (person_id INTEGER PRIMARY KEY, "
        f"last_active {kind} NOT NULL)"),
        ("INSERT INTO moot_fill_active SELECT person_id, max(last_active) "
        "FROM community_activity GROUP BY person_id"),
        ("UPDATE person SET last_active = (SELECT f.last_active FROM moot_fill_active f "
        "WHERE f.person_id = person.id) WHERE id IN (SELECT person_id FROM moot_fill_active)"),
        "DROP TABLE moot_fill_active",
    ):
        conn.exec_driver_sql(statement)
