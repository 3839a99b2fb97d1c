"""Federation's durable work: received activities, the outgoing activity log and its per-instance
delivery cursors (DESIGN.md decision 3)."""

from sqlalchemy import Column, Index, Integer, String, Table, Text

from moot.db.tables.base import flag, id_column, metadata, published
from moot.db.types import UtcDateTime

# One row per received activity id: a repeat of the same id is refused by the unique index, so
# an activity is applied once however often it is delivered.
ap_inbox = Table(
    "ap_inbox", metadata,
    id_column(),
    Column("activity_id", Text, nullable=False, unique=True),
    Column("actor", Text, nullable=False),
    Column("body", Text, nullable=False),
    # queued → done | ignored | failed
    Column("state", String(10), nullable=False, server_default="queued"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt", UtcDateTime, nullable=False),
    Column("lease_until", UtcDateTime),
    Column("reason", Text),
    published(),
)
Index("ix_ap_inbox_state_next", ap_inbox.c.state, ap_inbox.c.next_attempt)

# The outgoing log: append-only, read by each remote instance through its own cursor.
# Recipients: every follower instance of ``community_id`` (when set) plus explicit ``inboxes``
# (a JSON list of inbox URLs).
ap_outbox = Table(
    "ap_outbox", metadata,
    id_column(),
    Column("ap_id", Text, nullable=False, unique=True),
    Column("actor_id", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("community_id", Integer),
    Column("inboxes", Text, nullable=False, server_default="[]"),
    published(),
)

# How far the delivery worker has read the log to open cursors for instances it addresses for the
# first time (federation/fanout.py, decisions/0038): one row, id 1.
ap_fanout = Table(
    "ap_fanout", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_id", Integer, nullable=False, server_default="0"),
)

# Where delivery stands for one remote instance (by domain, host[:port]).
ap_delivery = Table(
    "ap_delivery", metadata,
    Column("domain", Text, primary_key=True),
    Column("last_id", Integer, nullable=False, server_default="0"),
    Column("fail_count", Integer, nullable=False, server_default="0"),
    Column("next_attempt", UtcDateTime),
    Column("last_success", UtcDateTime),
    Column("lease_until", UtcDateTime),
    flag("dead"),
    published(),
)
