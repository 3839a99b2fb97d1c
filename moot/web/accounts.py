"""Sign up, log in, log out: the API's account actions, with the login kept in a cookie."""

from __future__ import annotations

from fastapi import Request, Response

from moot.actions.people import Registration, do_login, do_logout, do_register
from moot.api.v3.deps import client_ip
from moot.errors import MootError
from moot.web import render, session
from moot.web.routing import message_for, redirect, safe_next, web_router
from moot.web.session import Form

router = web_router()


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render.page(request, "login.html", next=safe_next(next), error=None, name="")


@router.post("/login")
def login(request: Request, form: Form) -> Response:
    target = safe_next(form.get("next"))
    name = form.get("username_or_email", "")
    try:
        jwt = do_login(session.get_context(request), name, form.get("password", ""),
                       ip=client_ip(request), user_agent=request.headers.get("user-agent"))
    except MootError as error:
        return render.page(request, "login.html", status=400, next=target,
                           error=message_for(error), name=name)
    response = redirect(target)
    session.set_login(request, response, jwt)
    return response


@router.get("/signup")
def signup_page(request: Request) -> Response:
    return render.page(request, "signup.html", error=None, values={},
                       application=_needs_application(request))


def _needs_application(request: Request) -> bool:
    return bool(session.get_context(request).site().local_site["registration_mode"]
                == "RequireApplication")


@router.post("/signup")
def signup(request: Request, form: Form) -> Response:
    ctx = session.get_context(request)
    try:
        result = do_register(ctx, Registration(
            username=form.get("username", "").strip(), password=form.get("password", ""),
            password_verify=form.get("password_verify", ""),
            email=form.get("email", "").strip() or None, honeypot=form.get("honeypot") or None,
            answer=form.get("answer") or None,
        ), ip=client_ip(request), user_agent=request.headers.get("user-agent"))
    except MootError as error:
        values = {k: form.get(k, "") for k in ("username", "email", "answer")}
        return render.page(request, "signup.html", status=400, error=message_for(error),
                           values=values, application=_needs_application(request))
    if result.jwt is None:
        return render.page(request, "message.html", title="Almost there", message=(
            "Your application was sent to the admins." if result.registration_created
            else "Check your e-mail to verify your address."))
    response = redirect("/")
    session.set_login(request, response, result.jwt)
    return response


@router.post("/logout")
def logout(request: Request, form: Form) -> Response:
    viewer = session.viewer_or_none(request)
    if viewer is not None:
        do_logout(session.get_context(request), viewer.token)
    response = redirect("/")
    session.clear_login(response)
    return response
