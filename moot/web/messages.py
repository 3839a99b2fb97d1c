"""Private messages (send, reply, edit, delete, mark read) and marking inbox items read.

Each route is the API's action behind a form; every one returns to /inbox (or to the
person's page a message was sent from), so the pages work without JavaScript.
"""

from __future__ import annotations

from fastapi import Request, Response

from moot.actions.inbox import do_mark_reply_read
from moot.actions.mentions import do_mark_mention_read
from moot.actions.messages import (
    do_create_message,
    do_delete_message,
    do_edit_message,
    do_mark_message_read,
)
from moot.web import render, session
from moot.web.routing import redirect, safe_next, web_router
from moot.web.session import Form, User, field_int

router = web_router()


def _read(form: dict[str, str]) -> bool:
    return form.get("read", "true") == "true"


@router.post("/message/send")
def send_message(request: Request, viewer: User, form: Form) -> Response:
    do_create_message(session.get_context(request), viewer, form.get("content", ""),
                      field_int(form, "recipient_id"))
    back = safe_next(form.get("next"), "/inbox")
    return render.page(request, "message.html", title="Message sent",
                       message="Your message was sent.", back=back)


@router.post("/message/{message_id}/edit")
def edit_message(request: Request, viewer: User, form: Form, message_id: int) -> Response:
    do_edit_message(session.get_context(request), viewer, message_id, form.get("content", ""))
    return redirect(f"/inbox#m{message_id}")


@router.post("/message/{message_id}/delete")
def delete_message(request: Request, viewer: User, form: Form, message_id: int) -> Response:
    do_delete_message(session.get_context(request), viewer, message_id,
                      form.get("deleted", "true") == "true")
    return redirect("/inbox")


@router.post("/message/{message_id}/read")
def mark_message_read(request: Request, viewer: User, form: Form, message_id: int) -> Response:
    do_mark_message_read(session.get_context(request), viewer, message_id, _read(form))
    return redirect(f"/inbox#m{message_id}")


@router.post("/reply/{reply_id}/read")
def mark_reply_read(request: Request, viewer: User, form: Form, reply_id: int) -> Response:
    do_mark_reply_read(session.get_context(request), viewer, reply_id, _read(form))
    return redirect("/inbox")


@router.post("/mention/{mention_id}/read")
def mark_mention_read(request: Request, viewer: User, form: Form, mention_id: int) -> Response:
    do_mark_mention_read(session.get_context(request), viewer, mention_id, _read(form))
    return redirect("/inbox")
