"""Finding a person or community by ``name`` (local) or ``name@host``."""

from __future__ import annotations

from sqlalchemy import Connection, Table, func, select

from moot.context import Context
from moot.db import tables as t
from moot.errors import MootError


def find_actor_id(ctx: Context, conn: Connection, table: Table, identifier: str,
                  not_found: str) -> int:
    """The id of the row of ``table`` (person or community) that ``identifier`` names.

    ``name`` means this instance; ``name@host`` another one (``!`` and ``@`` prefixes, as in
    ``!main@host`` and ``@alice@host``, are accepted). Unknown remote names are looked up
    by webfinger once federation exists; until then they are not found."""
    local_name, _, host = identifier.strip().lstrip("!@").partition("@")
    query = select(table.c.id).where(func.lower(table.c.name) == local_name.lower())
    if host and host.lower() != ctx.settings.hostname.lower():
        query = query.join(t.instance, t.instance.c.id == table.c.instance_id).where(
            func.lower(t.instance.c.domain) == host.lower())
    else:
        query = query.where(table.c.instance_id == ctx.site().instance_id)
    found = conn.execute(query).scalar()
    if found is None:
        raise MootError(not_found, status=404)
    return int(found)
