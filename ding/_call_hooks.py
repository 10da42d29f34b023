"""Callbacks on the life of a call, for metrics and tracing systems ding does not know.

``AsyncDing(hooks=Hooks(on_retry=...))`` (and ``Ding``): each hook is called with a
:class:`CallEvent` that names the operation and the URL *template*, never a value of the
request -- no phone number, code, key or authentication uuid. A hook that raises is logged
(``ding`` logger, WARNING) and the call goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["CallEvent", "Hooks"]


class CallEvent:
    """One moment of one call, redacted: what a hook receives.

    Read-only; every field is present in every event (``None`` where it does not apply).
    """

    __slots__ = (
        "attempt",
        "elapsed",
        "error_type",
        "method",
        "operation",
        "reason",
        "status",
        "url_template",
        "wait",
    )

    operation: str
    """The operation: ``otp.create_authentication``, ``otp.check``, ``otp.feedback``,
    ``otp.retry``, ``otp.get_authentication_status`` or ``lookup.lookup``."""
    attempt: int
    """The attempt the event is about, from 1."""
    method: str
    """``GET`` or ``POST``."""
    url_template: str
    """The path with its parameters as placeholders: ``/v1/lookup/{phone_number}``."""
    status: int | None
    """The HTTP status of the attempt (``None``: no answer, or not yet)."""
    elapsed: float | None
    """Seconds: the attempt's at its end, the whole call's so far at a retry or a give-up."""
    error_type: str | None
    """What went wrong: the API's error code (``invalid_phone_number``), the HTTP status
    (``503``) or the exception's class (``APITimeoutError``); ``None`` on success."""
    wait: float | None
    """Seconds before the next attempt (``on_retry`` only)."""
    reason: str | None
    """Why it retries (``HTTP 503``, ``ServerDisconnectedError``) or gives up (``not
    retried: the server may have acted on it``, ``retries spent``, ``deadline``...)."""

    def __init__(
        self,
        operation: str,
        attempt: int,
        method: str,
        url_template: str,
        *,
        status: int | None = None,
        elapsed: float | None = None,
        error_type: str | None = None,
        wait: float | None = None,
        reason: str | None = None,
    ) -> None:
        for name, value in (
            ("operation", operation),
            ("attempt", attempt),
            ("method", method),
            ("url_template", url_template),
            ("status", status),
            ("elapsed", elapsed),
            ("error_type", error_type),
            ("wait", wait),
            ("reason", reason),
        ):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"CallEvent is read-only; cannot set {name!r}")

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in ("operation", "attempt", "status", "error_type", "wait", "reason")
            if getattr(self, name) is not None
        )
        return f"CallEvent({fields})"


Hook = Callable[[CallEvent], Any]


class Hooks:
    """The callbacks of a client; each is optional and called on the event loop that runs
    the call (the facade's own loop thread for :class:`ding.Ding`), so it should return
    quickly: hand slow work to a queue or a task.

    - ``on_attempt_start``: an HTTP attempt is about to be sent.
    - ``on_attempt_end``: it ended, with a status or an error.
    - ``on_retry``: the call will try again after ``wait`` seconds.
    - ``on_give_up``: the call fails with the error of its last attempt (``reason`` says why
      it was not retried).
    """

    __slots__ = ("on_attempt_end", "on_attempt_start", "on_give_up", "on_retry")

    on_attempt_start: Hook | None
    on_attempt_end: Hook | None
    on_retry: Hook | None
    on_give_up: Hook | None

    def __init__(
        self,
        *,
        on_attempt_start: Hook | None = None,
        on_attempt_end: Hook | None = None,
        on_retry: Hook | None = None,
        on_give_up: Hook | None = None,
    ) -> None:
        for name, hook in (
            ("on_attempt_start", on_attempt_start),
            ("on_attempt_end", on_attempt_end),
            ("on_retry", on_retry),
            ("on_give_up", on_give_up),
        ):
            if hook is not None and not callable(hook):
                from .models.errors import ValidationError

                raise ValidationError(
                    f"hooks.{name}", "a callable taking a CallEvent", got=type(hook).__name__
                )
            object.__setattr__(self, name, hook)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Hooks is read-only; cannot set {name!r}")

    def __repr__(self) -> str:
        given = [name for name in self.__slots__ if getattr(self, name) is not None]
        return f"Hooks({', '.join(given)})"
