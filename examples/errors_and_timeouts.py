"""What can go wrong with a Ding call, and how to handle each case.

    export DING_API_KEY=... DING_CUSTOMER_UUID=...
    python examples/errors_and_timeouts.py +14155550100 [--timeout SECONDS]

Every exception ding raises derives from ``errors.DingError``:

    DingError
    ├── APIConnectionError                 DNS, refused connection, TLS, dropped connection
    │   └── APITimeoutError (also TimeoutError)   an attempt or the deadline ran out
    └── SDKError                           any non-2xx answer: .status_code .body .headers
        ├── ErrorResponse                  the API's error object: .code .message .doc_url
        │   └── ValidationError (also ValueError)  bad input, refused before any request
        ├── RateLimitError                 429/503 not worth waiting for: .retry_after
        └── ResponseValidationError        a 2xx whose body is not the promised JSON

Each carries ``.attempts``: how many HTTP requests the call made.

Retries. ding retries what is safe to retry: connection failures, 429 and 503 (honouring
Retry-After up to ``retry_after_cap``) for every call; 408, 500, 502, 504, timeouts and
dropped connections only for the two reads (status, lookup). The POSTs
(``create_authentication``, ``retry``, ``check``, ``feedback``) are not retried after such an
*ambiguous* failure, because the first request may have reached Ding and acted: retrying
would send a second SMS (and bill it), or spend a second check attempt. The error's
``not_retried`` says so. ``retry_ambiguous=True`` on a call accepts that risk.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid

import ding
from ding.models import errors


def send_code(client: ding.Ding, customer_uuid: str, phone: str, timeout: float) -> str | None:
    """Send a code; the authentication uuid, or None after saying what went wrong."""
    try:
        res = client.otp.create_authentication(
            {"customer_uuid": customer_uuid, "phone_number": phone},
            # Per-call options override the client's defaults for this call only.
            timeout=timeout,  # seconds for one attempt, connect to last byte
            deadline=3 * timeout,  # seconds for the whole call, retries and waits included
            max_retries=2,  # retries after the first attempt
            retry_after_cap=30,  # a longer Retry-After raises RateLimitError at once
            # retry_ambiguous=True would also retry a timeout or a 5xx: maybe a second SMS.
        )
    except errors.ValidationError as e:
        print(f"refused before sending: {e}")
    except errors.RateLimitError as e:
        wait = "later" if e.retry_after is None else f"in {e.retry_after:.0f}s"
        print(f"rate limited: try again {wait} ({e.attempts} attempt(s))")
    except errors.ErrorResponse as e:
        code = getattr(e.code, "value", e.code)
        print(f"API error {e.status_code} {code}: {e.message} (see {e.doc_url})")
    except errors.APITimeoutError as e:
        print(f"timed out after {e.attempts} attempt(s); not retried, the SMS may be on its way")
    except errors.APIConnectionError as e:
        print(f"could not reach Ding after {e.attempts} attempt(s): {e}")
    except errors.SDKError as e:
        print(f"unexpected answer: HTTP {e.status_code} after {e.attempts} attempt(s)")
    else:
        auth = res.create_authentication_response
        assert auth is not None
        status = getattr(auth.status, "value", auth.status)
        print(f"sent: status {status} after {res.attempts} attempt(s)")
        return auth.authentication_uuid
    return None


def check_code(client: ding.Ding, customer_uuid: str, auth_uuid: str, code: str) -> None:
    try:
        # A failure the API did not act on (no connection, 429, 503) is retried; a timeout or
        # a connection dropped after sending is not: the check may have spent one of the
        # user's attempts (and a second check of the right code answers already_validated).
        res = client.otp.check(
            {"customer_uuid": customer_uuid, "authentication_uuid": auth_uuid, "check_code": code},
            timeout=2,
        )
    except errors.ErrorResponse as e:
        print(f"check refused: {getattr(e.code, 'value', e.code)} (HTTP {e.status_code})")
    except errors.DingError as e:  # everything else, in one place
        print(f"check failed: {type(e).__name__}: {e}")
    else:
        result = res.create_check_response
        assert result is not None
        # A wrong code is a normal answer (200, status "invalid"), not an exception.
        status = getattr(result.status, "value", result.status)
        print(f"check: status {status} after {res.attempts} attempt(s)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phone_number")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per attempt")
    args = parser.parse_args(argv)
    customer_uuid = os.environ.get("DING_CUSTOMER_UUID")
    if not customer_uuid:
        print("error: set DING_CUSTOMER_UUID (dashboard -> API settings)", file=sys.stderr)
        return 2

    with ding.Ding() as client:
        print("1. a number that is not E.164")
        send_code(client, customer_uuid, "0612345678", args.timeout)

        print("2. the real number")
        auth_uuid = send_code(client, customer_uuid, args.phone_number, args.timeout)

        if auth_uuid is not None:
            print("3. a wrong code")
            check_code(client, customer_uuid, auth_uuid, "000000")

        print("4. an authentication that does not exist")
        check_code(client, customer_uuid, str(uuid.uuid4()), "000000")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
