"""The surviving mutants accepted as equivalent: the mutated code does exactly what the
original does, so no test can tell them apart. One entry per mutant, matched by module,
function and the line it changes (as ``mutmut show`` prints it, indentation stripped); an
entry that no longer matches a survivor fails the run, so the list cannot go stale."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Equivalent:
    module: str
    """The module under mutation, e.g. ``ding/_retry.py``."""
    function: str
    """``RetryPolicy.backoff``, ``parse_retry_after``."""
    original: str
    """The line(s) as written."""
    mutant: str
    """The line(s) as mutmut changed them."""
    why: str
    """Why the change cannot alter behaviour."""

    def matches(self, function: str, removed: str, added: str) -> bool:
        return (self.function, self.original, self.mutant) == (function, removed, added)


_FAST_PATH_ONLY = (
    "The fast path is then never taken: every value goes to the full check below it, which "
    "accepts and refuses exactly the same values (speed, not value)."
)
_AFTER_PAUSE_GIVE_UP = 'trace, request, endpoint, started, status, error, "deadline"'

EQUIVALENTS: tuple[Equivalent, ...] = (
    Equivalent(
        "ding/_retry.py",
        "RetryPolicy.backoff",
        "if self.exponent > 1 and ceiling < self.max_interval:",
        "if self.exponent > 1 and ceiling <= self.max_interval:",
        "When the first interval already equals the cap, the branch computes log(1) = 0 "
        "doublings and multiplies the ceiling by exponent ** 0 = 1: the same ceiling.",
    ),
    Equivalent(
        "ding/_retry.py",
        "parse_retry_after",
        'digits = value.lstrip("0")',
        'digits = value.lstrip("XX0XX")',
        "lstrip takes a set of characters and the value is ASCII digits only (checked on the "
        "line before): stripping 'X' as well as '0' strips the same characters.",
    ),
    Equivalent(
        "ding/_wire.py",
        "_invalid",
        'body.decode("utf-8", errors="replace"),',
        'body.decode(errors="replace"),',
        "bytes.decode's default encoding is UTF-8 (always, not the locale's).",
    ),
    Equivalent(
        "ding/_wire.py",
        "_invalid",
        'body.decode("utf-8", errors="replace"),',
        'body.decode("UTF-8", errors="replace"),',
        "Codec names are case-insensitive: 'UTF-8' is the same codec.",
    ),
    Equivalent(
        "ding/_wire.py",
        "error_for_status",
        'text = body.decode("utf-8", errors="replace")',
        'text = body.decode(errors="replace")',
        "bytes.decode's default encoding is UTF-8 (always, not the locale's).",
    ),
    Equivalent(
        "ding/_wire.py",
        "error_for_status",
        'text = body.decode("utf-8", errors="replace")',
        'text = body.decode("UTF-8", errors="replace")',
        "Codec names are case-insensitive: 'UTF-8' is the same codec.",
    ),
    Equivalent(
        "ding/_wire.py",
        "_loads",
        'return json.loads(body.decode("utf-8", "surrogatepass"))',
        'return json.loads(body.decode("UTF-8", "surrogatepass"))',
        "Codec names are case-insensitive: 'UTF-8' is the same codec.",
    ),
    Equivalent(
        "ding/_wire.py",
        "_loads",
        'if body[:1] == b"{" and body[1:2] != b"\\x00":',
        'if body[:2] == b"{" and body[1:2] != b"\\x00":',
        "The fast path is then never taken, and json.loads(body) decodes every body itself, "
        "to the same result (the fast path only skips its encoding guess: speed, not value).",
    ),
    Equivalent(
        "ding/_wire.py",
        "_loads",
        'if body[:1] == b"{" and body[1:2] != b"\\x00":',
        'if body[:1] == b"XX{XX" and body[1:2] != b"\\x00":',
        "A one-byte slice never equals five bytes: the fast path is never taken, and "
        "json.loads(body) gives the same result (speed, not value).",
    ),
    Equivalent(
        "ding/_wire.py",
        "build_request",
        'path = path.format_map({k: quote(v, safe="") for k, v in path_params.items()})',
        'path = path.format_map({k: quote(v, safe="XXXX") for k, v in path_params.items()})',
        "'X' is an unreserved character that quote() never escapes: the same encoding.",
    ),
    Equivalent(
        "ding/webhooks/_tokens.py",
        "CallbackToken.__init__",
        'self._accepted = tuple(token.encode("utf-8") for token in accepted)',
        'self._accepted = tuple(token.encode("UTF-8") for token in accepted)',
        "Codec names are case-insensitive: 'UTF-8' is the same codec.",
    ),
    Equivalent(
        "ding/webhooks/_tokens.py",
        "CallbackToken.verify",
        'given = token if isinstance(token, bytes) else token.encode("utf-8")',
        'given = token if isinstance(token, bytes) else token.encode("UTF-8")',
        "Codec names are case-insensitive: 'UTF-8' is the same codec.",
    ),
    Equivalent(
        "ding/webhooks/_tokens.py",
        "CallbackToken.generate",
        "return secrets.token_urlsafe(32)",
        "return secrets.token_urlsafe(None)",
        "None asks secrets for its default entropy, which is 32 bytes on every Python ding "
        "supports (3.10 to 3.13); the explicit 32 keeps the documented 256 bits if it changes.",
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_check_plain_uuid",
        "if type(value) is not str or UUID_PATTERN.fullmatch(value) is None:",
        "if type(None) is not str or UUID_PATTERN.fullmatch(value) is None:",
        _FAST_PATH_ONLY,
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_check_auth_uuid",
        "if type(value) is not str or UUID_PATTERN.fullmatch(value) is None:",
        "if type(None) is not str or UUID_PATTERN.fullmatch(value) is None:",
        _FAST_PATH_ONLY,
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_check_phone",
        "if type(value) is not str or E164_PATTERN.fullmatch(value) is None:",
        "if type(None) is not str or E164_PATTERN.fullmatch(value) is None:",
        _FAST_PATH_ONLY,
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_check_plain_str",
        "if type(value) is not str:",
        "if type(None) is not str:",
        _FAST_PATH_ONLY,
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_check_bool",
        'raise ValidationError(name, "a bool", got=describe(name, value))',
        'raise ValidationError(name, "a bool", got=describe(None, value))',
        "describe() uses the name only to mask phone_number and check_code; this rule never checks either (a bool, an IP, a URL, an enum), so None describes alike.",
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_check_ipv4",
        "name, \"an IPv4 address such as '192.0.2.1'\", got=describe(name, value)",
        "name, \"an IPv4 address such as '192.0.2.1'\", got=describe(None, value)",
        "describe() uses the name only to mask phone_number and check_code; this rule never checks either (a bool, an IP, a URL, an enum), so None describes alike.",
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_check_url",
        'raise ValidationError(name, "an absolute http(s) URL", got=describe(name, value))',
        'raise ValidationError(name, "an absolute http(s) URL", got=describe(None, value))',
        "describe() uses the name only to mask phone_number and check_code; this rule never checks either (a bool, an IP, a URL, an enum), so None describes alike.",
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_enum_check",
        "got=describe(name, value),",
        "got=describe(None, value),",
        "describe() uses the name only to mask phone_number and check_code; this rule never checks either (a bool, an IP, a URL, an enum), so None describes alike.",
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_missing",
        'name, "a value (this field is required)", got="None", code=Code.BAD_REQUEST\n)',
        'name, "a value (this field is required)", got="None", )',
        "Code.BAD_REQUEST is ValidationError's default code: leaving it out gives the same.",
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_rules",
        "rules = _RULES.get(cls)",
        "rules = None",
        "A cache that is never hit: the rules (or the validator) are gathered again on each use, with the same result (speed, not value).",
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_rules",
        "rules = _RULES.get(cls)",
        "rules = _RULES.get(None)",
        "A cache that is never hit: the rules (or the validator) are gathered again on each use, with the same result (speed, not value).",
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_rules",
        "_RULES[cls] = rules",
        "_RULES[cls] = None",
        "A cache that is never hit: the rules (or the validator) are gathered again on each use, with the same result (speed, not value).",
    ),
    Equivalent(
        "ding/models/_fields.py",
        "_validator",
        "_VALIDATORS[cls] = validate",
        "_VALIDATORS[cls] = None",
        "A cache that is never hit: the rules (or the validator) are gathered again on each use, with the same result (speed, not value).",
    ),
    Equivalent(
        "ding/models/_fields.py",
        "validate_request",
        "(_VALIDATORS.get(cls) or _validator(cls))(request)",
        "(_VALIDATORS.get(None) or _validator(cls))(request)",
        "A cache that is never hit: the rules (or the validator) are gathered again on each use, with the same result (speed, not value).",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "error: errors.DingError | None = None",
        'error: errors.DingError | None = ""',
        "Its first value is never read: it is assigned before any use, or only cleared.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "body: bytes | None = None",
        'body: bytes | None = ""',
        "Its first value is never read: it is assigned before any use, or only cleared.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "response: aiohttp.ClientResponse | None = None",
        'response: aiohttp.ClientResponse | None = ""',
        "Its first value is never read: it is assigned before any use, or only cleared.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "if total is None or remaining < total:",
        "if total is None or remaining <= total:",
        "When what is left of the deadline equals the attempt's timeout, a new ClientTimeout is built with the same total and connect values as the cached one.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "session = self._sessions.current()",
        "session = None",
        "The session is then fetched with get(), whose first step is current(): the same session, one await later (speed, not value).",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._wire",
        "fixed = self._fixed_wire",
        "fixed = None",
        "A fixed key's wire is then built again per call from the same key and URL: an equal Wire (speed, not value).",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._wire",
        "return fixed if url is None else Wire(fixed.key, url)",
        "return fixed if (url is None) and False else Wire(fixed.key, url)",
        "Wire(fixed.key, None) holds what the fixed wire holds (the same key, no URL).",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._wire",
        "key = self._api_key() if callable(self._api_key) else self._api_key",
        "key = self._api_key() if (callable(self._api_key)) or True else self._api_key",
        "This line runs only when the key is a callable (a fixed key returned above).",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._wire",
        "url = None if request.fixed_url else URL(request.url, encoded=True)",
        "url = None if (request.fixed_url) and False else URL(request.url, encoded=True)",
        "A parameter-less request is then completed with its real URL, which is its template: the same URL is sent.",
    ),
    Equivalent(
        "ding/_wire.py",
        "PreparedRequest.__init__",
        "self.template = url if template is None else template",
        "self.template = url if (template is None) and False else template",
        "build_request, the one place a PreparedRequest is made, always passes the template: "
        "the branch for None is never taken.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        'content_type=response.headers.get("Content-Type", ""),',
        'content_type=response.headers.get("content-type", ""),',
        "aiohttp's response headers are a case-insensitive multidict: any spelling finds the same header.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        'content_type=response.headers.get("Content-Type", ""),',
        'content_type=response.headers.get("CONTENT-TYPE", ""),',
        "aiohttp's response headers are a case-insensitive multidict: any spelling finds the same header.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        'retry_after = parse_retry_after(response.headers.get("Retry-After"))',
        'retry_after = parse_retry_after(response.headers.get("retry-after"))',
        "aiohttp's response headers are a case-insensitive multidict: any spelling finds the same header.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        'retry_after = parse_retry_after(response.headers.get("Retry-After"))',
        'retry_after = parse_retry_after(response.headers.get("RETRY-AFTER"))',
        "aiohttp's response headers are a case-insensitive multidict: any spelling finds the same header.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "outcome, idempotent=True, retries_done=retries_done",
        "None, idempotent=True, retries_done=retries_done",
        "RetryPolicy.allows with idempotent=True treats an ambiguous outcome as it treats any outcome that is not final: None answers the same (only the retry count decides).",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "deadline_passed=deadline_at - now <= 0,",
        "deadline_passed=deadline_at - now < 0,",
        "Differs only when the clock reads the deadline's exact float value at the failure.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport.__init__",
        "headers_on_session: bool = False,",
        "headers_on_session: bool = True,",
        "A default nobody uses: the one Transport is built by AsyncDing, which always passes "
        "headers_on_session.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport.__init__",
        "self._telemetry = Telemetry() if telemetry is None else telemetry",
        "self._telemetry = Telemetry() if (telemetry is None) and False else telemetry",
        "AsyncDing always passes the client's Telemetry (_client_setup builds one for every "
        "client): telemetry is never None, so both take the given one.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport.__init__",
        "self._fixed_wire = Wire(check_api_key(api_key), None)",
        "self._fixed_wire = None",
        "A cache of the key's wire for a fixed key: without it, send() builds the same Wire "
        "per call with Transport._wire (the key checked the same way). Speed only.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport.send",
        "wire = self._fixed_wire",
        "wire = None",
        "The same cache, bypassed per call: Transport._wire builds an equal Wire. Speed only.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport.send",
        "settings = resolve(self.settings, options) if options else self.settings",
        "settings = resolve(self.settings, options) if (options) or True else self.settings",
        "resolve() returns its base unchanged for empty options: the test only skips a call.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "body = response = proxy = None",
        'body = response = proxy = ""',
        "The frame drops what it read before re-raising; an empty string holds nothing either, "
        "and nothing reads the three names afterwards.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "error = None",
        'error = ""',
        "The finally clause drops the frame's reference to the error (a cycle through the "
        "traceback); an empty string breaks it the same way, and nothing reads it afterwards.",
    ),
    # The after-pause give-up: trace is None there only when nothing listens (no hooks, no
    # tracing, the log below INFO, else the retry before the pause made one), and _give_up
    # reads request, endpoint and started only to make a trace for an INFO log.
    *(
        Equivalent(
            "ding/_transport.py",
            "Transport._send_with_retries",
            _AFTER_PAUSE_GIVE_UP,
            _AFTER_PAUSE_GIVE_UP.replace(name, "None", 1),
            f"At the give-up after a pause, {name} is never read (see the comment above).",
        )
        for name in ("request", "endpoint", "started")
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "if deadline_at - now < _SHORTEST_USEFUL_ATTEMPT:",
        "if deadline_at - now <= _SHORTEST_USEFUL_ATTEMPT:",
        "Differs only when the clock reads exactly the deadline minus the shortest useful "
        "attempt, as a float.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "if policy.max_elapsed is not None and now + wait - started > policy.max_elapsed:",
        "if policy.max_elapsed is not None and now + wait - started >= policy.max_elapsed:",
        "Differs only when the elapsed time plus the wait equals max_elapsed_time "
        "exactly, as a float read from the monotonic clock.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._headers",
        "return dict(extra) if extra else None",
        "return dict(extra) if (extra) or True else None",
        "With no extra header it returns an empty dict instead of None: aiohttp adds no "
        "header for either, so the same request is sent.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "token = WIRE.set(handover) if handover is not None else None",
        "token = WIRE.set(handover) if (handover is not None) or True else None",
        "Without a handover WIRE is then set to None, its default, and reset after the "
        "attempt: whatever reads it while the request is sent reads None either way.",
    ),
    Equivalent(
        "ding/_transport.py",
        "Transport._send_with_retries",
        "if now + wait + _SHORTEST_USEFUL_ATTEMPT >= deadline_at:",
        "if now + wait + _SHORTEST_USEFUL_ATTEMPT > deadline_at:",
        "Differs only when the clock reading plus the wait plus the shortest useful attempt "
        "equals the deadline exactly, as a float.",
    ),
)
