"""Named errors. Every refusal a client can see is one of these, never a stack trace.

The names are Lemmy's (``LemmyErrorType`` in snake_case) so that apps can act on them.
"""

from __future__ import annotations


class MootError(Exception):
    """A refusal with a Lemmy error name; HTTP 400 unless said otherwise."""

    status = 400

    def __init__(self, name: str, message: str | None = None, *, status: int | None = None) -> None:
        super().__init__(name if message is None else f"{name}: {message}")
        self.name = name
        self.message = message
        if status is not None:
            self.status = status

    def body(self) -> dict[str, str]:
        body = {"error": self.name}
        if self.message is not None:
            body["message"] = self.message
        return body


class NotFound(MootError):
    """A lookup of something that does not exist (HTTP 404)."""

    status = 404


class IncorrectLogin(MootError):
    """No valid login where one is needed (HTTP 401, as Lemmy)."""

    status = 401

    def __init__(self) -> None:
        super().__init__("incorrect_login")


def unknown(message: str) -> MootError:
    return MootError("unknown", message)
