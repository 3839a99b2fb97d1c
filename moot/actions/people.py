"""People and accounts: create, register, log in and out, block people and instances."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from moot.actions.captcha import check_captcha, take_captcha_answer
from moot.actions.content_filters import check_slurs
from moot.actions.counts import count_site
from moot.config import Settings
from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import IncorrectLogin, MootError
from moot.federation.keys import generate_keypair
from moot.mail import Email, verification_again, verification_email
from moot.security import (
    check_totp,
    hash_password,
    issue_token,
    needs_rehash,
    verify_password,
)
from moot.validation import check_actor_name, check_password


def do_create_local_user(conn: Connection, settings: Settings, instance_id: int, name: str,
                         password: str, *, email: str | None = None, admin: bool = False,
                         show_nsfw: bool = False, accepted_application: bool = True,
                         email_verified: bool = False) -> tuple[int, int]:
    """Insert a person and its local account; returns (person_id, local_user_id)."""
    private, public = generate_keypair()
    now = utcnow()
    actor_id = f"{settings.base_url}/u/{name}"
    person_id = conn.execute(insert(t.person).values(
        name=name, published=now, actor_id=actor_id, local=True, private_key=private,
        public_key=public, last_refreshed_at=now, inbox_url=actor_id + "/inbox",
        shared_inbox_url=settings.base_url + "/inbox", instance_id=instance_id,
    ).returning(t.person.c.id)).scalar_one()
    local_user_id = conn.execute(insert(t.local_user).values(
        person_id=person_id, password_encrypted=hash_password(password), email=email,
        admin=admin, show_nsfw=show_nsfw, accepted_application=accepted_application,
        email_verified=email_verified, last_donation_notification=now,
    ).returning(t.local_user.c.id)).scalar_one()
    count_site(conn, users=1)
    return person_id, local_user_id


@dataclass(frozen=True)
class Registration:
    username: str
    password: str
    password_verify: str
    email: str | None = None
    show_nsfw: bool = False
    honeypot: str | None = None
    answer: str | None = None
    captcha_uuid: str | None = None
    captcha_answer: str | None = None


@dataclass(frozen=True)
class RegisterResult:
    jwt: str | None
    registration_created: bool
    verify_email_sent: bool


def check_registration(ctx: Context, conn: Connection, form: Registration,
                       captcha_answer: str | None = None) -> None:
    """Lemmy's checks in its order; ``captcha_answer`` is the answer of the captcha taken."""
    local_site = ctx.site().local_site
    mode = local_site["registration_mode"]
    if mode == "Closed" and local_site["site_setup"]:
        raise MootError("registration_closed")
    check_password(form.password)
    if form.honeypot:
        raise MootError("honeypot_failed")
    if local_site["require_email_verification"] and not form.email:
        raise MootError("email_required")
    if local_site["require_email_verification"] and local_site["site_setup"] \
            and not ctx.settings.smtp_enabled:
        raise MootError("no_email_setup")  # refused before an unverifiable account exists
    if mode == "RequireApplication" and local_site["site_setup"] and not (form.answer or "").strip():
        raise MootError("registration_application_answer_required")
    if form.password != form.password_verify:
        raise MootError("passwords_do_not_match")
    check_captcha(ctx, captcha_answer, form.captcha_answer)
    check_slurs(ctx, form.username, form.answer)
    check_actor_name(form.username, local_site["actor_name_max_length"])
    taken = conn.execute(select(t.person.c.id).where(
        func.lower(t.person.c.name) == form.username.lower(),
        t.person.c.instance_id == ctx.site().instance_id)).first()
    if taken is not None:
        raise MootError("user_already_exists")
    if form.email and conn.execute(select(t.local_user.c.id).where(
            func.lower(t.local_user.c.email) == form.email.lower())).first() is not None:
        raise MootError("email_already_exists")


def do_register(ctx: Context, form: Registration, *, ip: str | None,
                user_agent: str | None) -> RegisterResult:
    site = ctx.site()
    local_site = site.local_site
    expected_captcha = take_captcha_answer(ctx, form.captcha_uuid)
    with ctx.db.write() as conn:
        check_registration(ctx, conn, form, expected_captcha)
        # Until the site is set up, the first account becomes its admin (and only the first:
        # Lemmy makes every pre-setup account an admin, which is a door left open).
        has_admin = conn.execute(select(t.local_user.c.id).where(t.local_user.c.admin)).first()
        make_admin = not local_site["site_setup"] and has_admin is None
        needs_application = (local_site["registration_mode"] == "RequireApplication"
                             and not make_admin)
        needs_email = local_site["require_email_verification"] and not make_admin
        _person_id, local_user_id = do_create_local_user(
            conn, ctx.settings, site.instance_id, form.username, form.password,
            email=form.email or None, admin=make_admin, show_nsfw=form.show_nsfw,
            accepted_application=not needs_application)
        if needs_application:
            conn.execute(insert(t.registration_application).values(
                local_user_id=local_user_id, answer=(form.answer or "").strip(), published=utcnow()))
        token = None
        if not needs_application and not needs_email:
            token = new_login(conn, ctx, local_user_id, ip, user_agent)
        mail = (verification_email(ctx, conn, local_user_id, form.username, form.email.lower())
                if needs_email and form.email else None)
    if mail is not None:
        mail.send(ctx.settings)  # after commit: the account is kept even if the mail fails
    return RegisterResult(token, needs_application, needs_email)


def new_login(conn: Connection, ctx: Context, local_user_id: int, ip: str | None,
               user_agent: str | None) -> str:
    token = issue_token(local_user_id, ctx.settings.hostname, ctx.site().jwt_secret)
    conn.execute(insert(t.login_token).values(token=token, user_id=local_user_id,
                                              published=utcnow(), ip=ip, user_agent=user_agent))
    return token


def _find_account(conn: Connection, ctx: Context, username_or_email: str) -> dict[str, Any] | None:
    key = username_or_email.strip()
    query = (select(t.local_user, t.person.c.banned, t.person.c.deleted, t.person.c.ban_expires)
             .join(t.person, t.person.c.id == t.local_user.c.person_id))
    if "@" in key:
        query = query.where(func.lower(t.local_user.c.email) == key.lower())
    else:
        query = query.where(func.lower(t.person.c.name) == key.lower(),
                            t.person.c.instance_id == ctx.site().instance_id)
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def do_login(ctx: Context, username_or_email: str, password: str, *, ip: str | None,
             user_agent: str | None, totp_token: str | None = None) -> str:
    with ctx.db.write() as conn:
        token, mail = _login(ctx, conn, username_or_email, password, ip=ip,
                             user_agent=user_agent, totp_token=totp_token)
    if token is not None:
        return token
    # Refused for an unverified address: the committed fresh token is mailed again, so that a
    # verification mail that was lost (or failed to send) does not lock the account out.
    if mail is not None:
        try:
            mail.send(ctx.settings)
        except MootError:
            pass  # the refusal below says what the person can do; the mail module logged it
    raise MootError("email_not_verified")


def _login(ctx: Context, conn: Connection, username_or_email: str, password: str, *,
           ip: str | None, user_agent: str | None,
           totp_token: str | None) -> tuple[str | None, Email | None]:
    account = _find_account(conn, ctx, username_or_email)
    if not verify_password(password, account["password_encrypted"] if account else None):
        raise IncorrectLogin()
    assert account is not None
    if account["deleted"]:
        raise MootError("deleted")
    if account["banned"] and (account["ban_expires"] is None or account["ban_expires"] > utcnow()):
        raise MootError("site_ban")
    local_site = ctx.site().local_site
    if local_site["require_email_verification"] and not account["email_verified"] \
            and not account["admin"]:
        return None, verification_again(ctx, conn, account)
    if not account["accepted_application"] and not account["admin"]:
        _refuse_pending_application(conn, account["id"])
    if account["totp_2fa_enabled"]:
        check_totp(account["totp_2fa_secret"], totp_token)
    if needs_rehash(account["password_encrypted"]):
        conn.execute(update(t.local_user).where(t.local_user.c.id == account["id"])
                     .values(password_encrypted=hash_password(password)))
    return new_login(conn, ctx, account["id"], ip, user_agent), None


def _refuse_pending_application(conn: Connection, local_user_id: int) -> None:
    application = conn.execute(select(t.registration_application).where(
        t.registration_application.c.local_user_id == local_user_id)).mappings().first()
    if application is not None and application["deny_reason"] is not None:
        raise MootError("registration_denied", application["deny_reason"])
    if application is not None and application["admin_id"] is not None:
        raise MootError("registration_denied")
    raise MootError("registration_application_is_pending")


def do_logout(ctx: Context, token: str) -> None:
    with ctx.db.write() as conn:
        conn.execute(delete(t.login_token).where(t.login_token.c.token == token))


def do_block_person(ctx: Context, person_id: int, target_id: int, block: bool) -> None:
    if person_id == target_id:
        raise MootError("cant_block_yourself")
    with ctx.db.write() as conn:
        target = conn.execute(select(t.person.c.id, t.local_user.c.admin)
                              .outerjoin(t.local_user, t.local_user.c.person_id == t.person.c.id)
                              .where(t.person.c.id == target_id)).first()
        if target is None:
            raise MootError("couldnt_find_person", status=404)
        if block and target.admin:
            raise MootError("cant_block_admin")
        conn.execute(delete(t.person_block).where(t.person_block.c.person_id == person_id,
                                                  t.person_block.c.target_id == target_id))
        if block:
            conn.execute(insert(t.person_block).values(person_id=person_id, target_id=target_id,
                                                       published=utcnow()))
