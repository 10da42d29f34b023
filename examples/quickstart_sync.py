"""Send a one-time code by SMS, then check the code the user typed -- sync client.

    export DING_API_KEY=...            # your API key
    export DING_CUSTOMER_UUID=...      # your customer uuid (dashboard -> API settings)
    python examples/quickstart_sync.py send +14155550100
    python examples/quickstart_sync.py check <authentication_uuid> <code>

The code may also come from DING_CODE instead of the command line. DING_SERVER_URL points
the client at another server, such as the offline fake in ``ding.testing``.
"""

from __future__ import annotations

import os
import sys

import ding
from ding.models import components, errors


def main(argv: list[str]) -> int:
    customer_uuid = os.environ.get("DING_CUSTOMER_UUID")
    if not customer_uuid:
        print("error: set DING_CUSTOMER_UUID (dashboard -> API settings)", file=sys.stderr)
        return 2
    try:
        return run(argv, customer_uuid)
    except errors.ValidationError as e:  # refused before sending, e.g. not an E.164 number
        print(f"error: {e}", file=sys.stderr)
        return 2
    except errors.DingError as e:  # the API or the network failed the call
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


def run(argv: list[str], customer_uuid: str) -> int:
    # No arguments: the key comes from DING_API_KEY, the server from DING_SERVER_URL.
    with ding.Ding() as client:
        if len(argv) == 2 and argv[0] == "send":
            sent = client.otp.create_authentication(
                request=components.CreateAuthenticationRequest(
                    customer_uuid=customer_uuid, phone_number=argv[1]
                )
            )
            auth = sent.create_authentication_response
            assert auth is not None
            print(f"authentication_uuid: {auth.authentication_uuid}")
            print(f"status: {getattr(auth.status, 'value', auth.status)}")
            return 0 if auth.status == components.CreateAuthenticationResponseStatus.PENDING else 1

        if argv[:1] == ["check"] and len(argv) in (2, 3):
            code = argv[2] if len(argv) == 3 else os.environ.get("DING_CODE", "")
            checked = client.otp.check(
                request=components.CreateCheckRequest(
                    customer_uuid=customer_uuid, authentication_uuid=argv[1], check_code=code
                )
            )
            check = checked.create_check_response
            assert check is not None
            # A wrong code is not an exception: the API answers 200 with status "invalid".
            print(f"status: {getattr(check.status, 'value', check.status)}")
            return 0 if check.status == components.CheckStatus.VALID else 1

    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
