"""Passwords, two-factor codes, deleting an account, and the e-mail checks and resets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from moot.actions.people import new_login
from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import IncorrectLogin, MootError
from moot.federation.outbox_people import federate_account_deletion
from moot.mail import Email, password_reset_email, token_hash
from moot.security import (
    check_totp,
    hash_password,
    new_totp_secret,
    totp_url,
    verify_password,
)
from moot.validation import check_password
from moot.views.people import Viewer

VERIFICATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)


def _password_hash(conn: Connection, local_user_id: int) -> str:
    return str(conn.execute(select(t.local_user.c.password_encrypted).where(
        t.local_user.c.id == local_user_id)).scalar_one())


def _set_password(conn: Connection, local_user_id: int, password: str) -> None:
    """A new password ends every session of the account (Lemmy's invalidate_all)."""
    conn.execute(update(t.local_user).where(t.local_user.c.id == local_user_id)
                 .values(password_encrypted=hash_password(password),
                         password_changed=t.local_user.c.password_changed + 1))
    conn.execute(delete(t.login_token).where(t.login_token.c.user_id == local_user_id))


def do_change_password(ctx: Context, viewer: Viewer, old: str, new: str, verify: str, *,
                       ip: str | None, user_agent: str | None) -> str:
    check_password(new)
    if new != verify:
        raise MootError("passwords_do_not_match")
    with ctx.db.write() as conn:
        if not verify_password(old, _password_hash(conn, viewer.local_user_id)):
            raise IncorrectLogin()
        _set_password(conn, viewer.local_user_id, new)
        return new_login(conn, ctx, viewer.local_user_id, ip, user_agent)


def do_list_logins(ctx: Context, viewer: Viewer) -> list[dict[str, Any]]:
    from moot.views.shape import entity

    lt = t.login_token
    with ctx.db.read() as conn:
        rows = conn.execute(select(lt.c.user_id, lt.c.published, lt.c.ip, lt.c.user_agent)
                            .where(lt.c.user_id == viewer.local_user_id)
                            .order_by(lt.c.published.desc())).mappings().all()
    return [entity(r, ("user_id", "published", "ip", "user_agent")) for r in rows]


# Two-factor codes ---------------------------------------------------------------------------


def do_generate_totp(ctx: Context, viewer: Viewer) -> str:
    """A fresh secret, kept until the person proves with a code that their app has it."""
    if viewer.local_user["totp_2fa_enabled"]:
        raise MootError("totp_already_enabled")
    secret = new_totp_secret()
    with ctx.db.write() as conn:
        conn.execute(update(t.local_user).where(t.local_user.c.id == viewer.local_user_id)
                     .values(totp_2fa_secret=secret))
    return totp_url(secret, viewer.person["name"], ctx.settings.hostname)


def do_update_totp(ctx: Context, viewer: Viewer, code: str, enabled: bool) -> bool:
    with ctx.db.write() as conn:
        secret = conn.execute(select(t.local_user.c.totp_2fa_secret).where(
            t.local_user.c.id == viewer.local_user_id)).scalar_one()
        if secret is None:
            raise MootError("missing_totp_secret")
        check_totp(secret, code)
        conn.execute(update(t.local_user).where(t.local_user.c.id == viewer.local_user_id)
                     .values(totp_2fa_enabled=enabled,
                             totp_2fa_secret=secret if enabled else None))
    return enabled


# E-mail address checks and password resets ------------------------------------------------


def do_verify_email(ctx: Context, token: str) -> None:
    table = t.email_verification
    with ctx.db.write() as conn:
        row = conn.execute(select(table).where(
            table.c.verification_token == token,
            table.c.published > utcnow() - VERIFICATION_LIFETIME)).mappings().first()
        if row is None:
            raise MootError("token_not_found")
        conn.execute(update(t.local_user).where(t.local_user.c.id == row["local_user_id"])
                     .values(email=row["email"], email_verified=True))
        conn.execute(delete(table).where(table.c.local_user_id == row["local_user_id"]))


def do_password_reset(ctx: Context, email: str) -> None:
    """Mails a reset token; an unknown address gets the same answer, so none can be probed."""
    if not ctx.settings.smtp_enabled:
        raise MootError("no_email_setup")
    mail: Email | None = None
    with ctx.db.write() as conn:
        row = conn.execute(select(t.local_user.c.id, t.local_user.c.email, t.person.c.name)
                           .join(t.person, t.person.c.id == t.local_user.c.person_id)
                           .where(func.lower(t.local_user.c.email) == email.strip().lower(),
                                  t.person.c.deleted.is_(False))).first()
        if row is not None:
            mail = password_reset_email(ctx, conn, row.id, row.name, row.email)
    if mail is not None:
        mail.send(ctx.settings)


def do_password_change_after_reset(ctx: Context, token: str, password: str,
                                   verify: str) -> None:
    table = t.password_reset_request
    with ctx.db.write() as conn:
        row = conn.execute(select(table).where(
            table.c.token_hash == token_hash(token),
            table.c.published > utcnow() - RESET_LIFETIME)).mappings().first()
        if row is None:
            raise MootError("token_not_found")
        check_password(password)
        if password != verify:
            raise MootError("passwords_do_not_match")
        # Single use: every outstanding token of the account goes with this one.
        conn.execute(delete(table).where(table.c.local_user_id == row["local_user_id"]))
        _set_password(conn, row["local_user_id"], password)


# Deleting an account -------------------------------------------------------------------------

PERMANENTLY_DELETED = "*Permanently Deleted*"


def do_delete_account(ctx: Context, viewer: Viewer, password: str, delete_content: bool) -> None:
    """Lemmy's delete_account: the person is marked deleted and stripped of profile and
    e-mail; with delete_content their posts and comments are overwritten and deleted too, and
    they leave the communities they moderate. Every session ends."""
    with ctx.db.write() as conn:
        if not verify_password(password, _password_hash(conn, viewer.local_user_id)):
            raise IncorrectLogin()
        _mark_deleted(conn, viewer.person_id, delete_content)
        federate_account_deletion(ctx, conn, viewer.person_id, delete_content)
        conn.execute(update(t.local_user).where(t.local_user.c.id == viewer.local_user_id)
                     .values(email=None, totp_2fa_enabled=False, totp_2fa_secret=None))
        conn.execute(delete(t.login_token).where(t.login_token.c.user_id == viewer.local_user_id))


def do_delete_remote_account(ctx: Context, person_id: int, delete_content: bool) -> None:
    """A remote person deleted their account at home (a federated ``Delete`` of the Person):
    the same marks here, their content deleted too when they asked for it."""
    with ctx.db.write() as conn:
        _mark_deleted(conn, person_id, delete_content)


def _mark_deleted(conn: Connection, person_id: int, delete_content: bool) -> None:
    if delete_content:
        _delete_content(conn, person_id)
        conn.execute(delete(t.community_moderator).where(
            t.community_moderator.c.person_id == person_id))
    conn.execute(update(t.person).where(t.person.c.id == person_id).values(
        display_name=None, avatar=None, banner=None, bio=None, matrix_user_id=None,
        deleted=True, updated=utcnow()))


def _delete_content(conn: Connection, person_id: int) -> None:
    # Comments first, as a removal does: counts then follow the posts they still belong to.
    from moot.actions.comments import count_comment
    from moot.actions.counts import count_post

    now = utcnow()
    c = t.comment.c
    for comment in conn.execute(select(c.id, c.deleted, c.removed, c.published, c.post_id)
                                .where(c.creator_id == person_id)).all():
        conn.execute(update(t.comment).where(c.id == comment.id).values(
            content=PERMANENTLY_DELETED, deleted=True, updated=now))
        if not (comment.deleted or comment.removed):
            parent = conn.execute(select(t.post).where(t.post.c.id == comment.post_id)).one()
            count_comment(conn, parent, person_id, comment.published, -1)
    p = t.post.c
    for post in conn.execute(select(t.post).where(p.creator_id == person_id)).mappings().all():
        conn.execute(update(t.post).where(p.id == post["id"]).values(
            name=PERMANENTLY_DELETED, body=PERMANENTLY_DELETED, url=None, thumbnail_url=None,
            embed_title=None, embed_description=None, embed_video_url=None, alt_text=None,
            url_content_type=None,
            deleted=True, updated=now))
        if not (post["deleted"] or post["removed"]):
            fresh = conn.execute(select(t.post).where(p.id == post["id"])).mappings().one()
            count_post(conn, dict(fresh), -1)
