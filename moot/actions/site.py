"""The local site: first-start bootstrap and admin edits of its settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from moot.config import Settings
from moot.db import tables as t
from moot.db.engine import Database
from moot.db.languages import LANGUAGES
from moot.db.types import utcnow
from moot.federation.keys import generate_keypair
from moot.security import new_secret


def ensure_instance(conn: Connection, domain: str) -> int:
    """The id of the instance row for a host, created on first sight."""
    found = conn.execute(select(t.instance.c.id).where(t.instance.c.domain == domain)).scalar()
    if found is not None:
        return int(found)
    return int(conn.execute(insert(t.instance).values(domain=domain, published=utcnow())
                            .returning(t.instance.c.id)).scalar_one())


def do_bootstrap(db: Database, settings: Settings) -> None:
    """Create what a fresh database needs: languages, secret, instance, site, setup admin.

    Idempotent: a database that already has a site is left as it is, except that the setup
    admin of the configuration is created if it does not exist yet.
    """
    with db.write() as conn:
        if conn.execute(select(t.local_site.c.id)).first() is None:
            _create_site(conn, settings)
    if settings.setup_admin_username and settings.setup_admin_password:
        _create_setup_admin(db, settings)


def _create_site(conn: Connection, settings: Settings) -> None:
    if conn.execute(select(t.language.c.id).limit(1)).first() is None:
        conn.execute(insert(t.language), [{"id": i, "code": c, "name": n} for i, c, n in LANGUAGES])
    conn.execute(insert(t.secret).values(jwt_secret=new_secret()))
    instance_id = ensure_instance(conn, settings.hostname)
    private, public = generate_keypair()
    now = utcnow()
    base = settings.base_url
    site_id = conn.execute(insert(t.site).values(
        name=(settings.setup_site_name or "Moot")[:20], published=now, actor_id=base + "/",
        last_refreshed_at=now, inbox_url=base + "/inbox", private_key=private, public_key=public,
        instance_id=instance_id,
    ).returning(t.site.c.id)).scalar_one()
    local_site_id = conn.execute(insert(t.local_site).values(
        site_id=site_id, published=now, site_setup=bool(settings.setup_site_name),
    ).returning(t.local_site.c.id)).scalar_one()
    conn.execute(insert(t.local_site_rate_limit).values(local_site_id=local_site_id, published=now))


def _create_setup_admin(db: Database, settings: Settings) -> None:
    from moot.actions.people import do_create_local_user

    with db.write() as conn:
        instance_id = conn.execute(select(t.site.c.instance_id)).scalar_one()
        exists = conn.execute(select(t.person.c.id).where(
            t.person.c.name == settings.setup_admin_username,
            t.person.c.instance_id == instance_id)).first()
        if exists is None:
            do_create_local_user(conn, settings, instance_id, settings.setup_admin_username,
                                 settings.setup_admin_password,
                                 email=settings.setup_admin_email or None, admin=True)
            conn.execute(update(t.local_site).values(site_setup=True))


def do_edit_local_site(conn: Connection, site_values: dict[str, Any],
                       local_site_values: dict[str, Any], rate_values: dict[str, Any]) -> None:
    now = utcnow()
    if site_values:
        conn.execute(update(t.site).values(**site_values, updated=now))
    if local_site_values:
        conn.execute(update(t.local_site).values(**local_site_values, updated=now))
    if rate_values:
        conn.execute(update(t.local_site_rate_limit).values(**rate_values, updated=now))


_SITE_FIELDS = ("name", "sidebar", "description", "icon", "banner", "content_warning")
_LOCAL_SITE_FIELDS = (
    "enable_downvotes", "enable_nsfw", "community_creation_admin_only",
    "require_email_verification", "application_question", "private_instance", "default_theme",
    "default_post_listing_type", "default_sort_type", "legal_information",
    "application_email_admins", "hide_modlog_mod_names", "slur_filter_regex",
    "actor_name_max_length", "federation_enabled", "captcha_enabled", "captcha_difficulty",
    "registration_mode", "reports_email_admins", "default_post_listing_mode",
)


def check_site_form(form: dict[str, Any]) -> None:
    from moot.errors import MootError

    name = form.get("name")
    if name is not None and not 1 <= len(name.strip()) <= 20:
        raise MootError("site_name_length_overflow")
    description = form.get("description")
    if description is not None and len(description) > 150:
        raise MootError("site_description_length_overflow")
    max_len = form.get("actor_name_max_length")
    if max_len is not None and not 3 <= max_len <= 255:
        raise MootError("invalid_name")
    for key, value in form.items():
        if key.startswith("rate_limit_") and isinstance(value, int) and value < 0:
            raise MootError("unknown", f"{key} must not be negative")
    regex = form.get("slur_filter_regex")
    if regex:
        import re
        try:
            re.compile(regex)
        except re.error as exc:
            raise MootError("invalid_regex", str(exc)) from exc


def _split_site_form(form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    site_values = {k: form[k] for k in _SITE_FIELDS if k in form}
    local_values = {k: form[k] for k in _LOCAL_SITE_FIELDS if k in form}
    rate_values = {k.removeprefix("rate_limit_"): v for k, v in form.items()
                   if k.startswith("rate_limit_")}
    return site_values, local_values, rate_values


def do_edit_site(ctx: Any, admin: Any, form: dict[str, Any]) -> None:
    from moot.actions.site_lists import check_site_lists, do_replace_site_lists

    check_site_form(form)
    lists = check_site_lists(form)
    with ctx.db.write() as conn:
        do_edit_local_site(conn, *_split_site_form(form))
        do_replace_site_lists(conn, lists)
    ctx.site_changed()


def do_create_site(ctx: Any, admin: Any, form: dict[str, Any]) -> None:
    """Lemmy's initial setup call: allowed once, then the site is marked as set up."""
    from moot.errors import MootError

    if ctx.site().local_site["site_setup"]:
        raise MootError("site_already_exists")
    from moot.actions.site_lists import check_site_lists, do_replace_site_lists

    check_site_form(form)
    lists = check_site_lists(form)
    site_values, local_values, rate_values = _split_site_form(form)
    local_values["site_setup"] = True
    with ctx.db.write() as conn:
        do_edit_local_site(conn, site_values, local_values, rate_values)
        do_replace_site_lists(conn, lists)
    ctx.site_changed()
