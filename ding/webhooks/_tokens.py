"""A secret token in the ``callback_url``: the one way to tell Ding's requests from forged ones
before doing any work, since Ding does not sign its webhooks.

Build every ``callback_url`` with :meth:`CallbackToken.url`; on each request, check the token
with :meth:`CallbackToken.verify` (constant time) and answer 403 (or 404) when it is wrong.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..models.errors import ValidationError

__all__ = ["CallbackToken"]

_MIN_LENGTH = 16


def _check_secret(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(name, "a string", got=type(value).__name__)
    if len(value) < _MIN_LENGTH:
        # Never echo a secret, even a bad one: say only how long it was.
        raise ValidationError(
            name,
            f"at least {_MIN_LENGTH} characters (make one with CallbackToken.generate())",
            got=f"{len(value)} characters",
        )
    if any(not ch.isprintable() or ch.isspace() for ch in value):
        raise ValidationError(name, "printable characters without spaces")
    return value


class CallbackToken:
    """A shared secret carried in the query string of the ``callback_url``.

    ``secret`` is your token (keep it in your secret store, the same for every process
    that builds URLs or receives events); with none, a random one is made, which suits a
    single process or a test. ``previous`` lists tokens still accepted while you rotate
    to a new one: events of authentications created before the rotation are redelivered
    with the old URL for up to two weeks. ``param`` names the query parameter.

    The token is never shown by ``repr``.
    """

    __slots__ = ("_accepted", "_secret", "param")

    def __init__(
        self, secret: str | None = None, *, previous: Iterable[str] = (), param: str = "token"
    ) -> None:
        if isinstance(previous, str):
            raise ValidationError(
                "previous", "a collection of tokens, not a single string", got="a str"
            )
        if not isinstance(param, str) or not param:
            raise ValidationError("param", "a non-empty query parameter name")
        self._secret = _check_secret("secret", secret if secret is not None else self.generate())
        accepted = [self._secret, *(_check_secret("previous", p) for p in previous)]
        self._accepted = tuple(token.encode("utf-8") for token in accepted)
        self.param: str = param

    @staticmethod
    def generate() -> str:
        """A new random token (256 bits, URL-safe), e.g. to store in your secret store."""
        return secrets.token_urlsafe(32)

    @property
    def secret(self) -> str:
        """The current token."""
        return self._secret

    def url(self, base_url: str) -> str:
        """``base_url`` with the token added to its query string (other parameters kept).

        >>> CallbackToken("s3cr3t-" * 3).url("https://example.com/ding?tenant=7")
        'https://example.com/ding?tenant=7&token=s3cr3t-s3cr3t-s3cr3t-'
        """
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError("base_url", "an absolute http(s) URL", got=repr(base_url[:60]))
        query = [
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != self.param
        ]
        query.append((self.param, self._secret))
        return urlunsplit(parts._replace(query=urlencode(query)))

    def verify(self, token: str | bytes | None) -> bool:
        """Whether ``token`` (the query parameter's value, as your framework gives it) is
        the current token or a previous one. Constant time: every accepted token is
        compared, in full, whatever matches."""
        if token is None:
            return False
        try:
            given = token if isinstance(token, bytes) else token.encode("utf-8")
        except (AttributeError, UnicodeEncodeError):
            return False
        matched = False
        for accepted in self._accepted:
            matched |= hmac.compare_digest(given, accepted)
        return matched

    def verify_url(self, url: str) -> bool:
        """:meth:`verify` the token in a full request URL (or ``path?query``)."""
        try:
            query = urlsplit(url).query
        except (TypeError, ValueError, AttributeError):
            return False
        values = [v for k, v in parse_qsl(query, keep_blank_values=True) if k == self.param]
        # Exactly one: "?token=wrong&token=right" must not pass because one of them is right.
        return len(values) == 1 and self.verify(values[0])

    def __repr__(self) -> str:
        return f"CallbackToken(param={self.param!r}, secret='***', accepted={len(self._accepted)})"
