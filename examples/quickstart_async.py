"""Send a one-time code by SMS, then check the code the user typed -- async client.

    export DING_API_KEY=...            # your API key
    export DING_CUSTOMER_UUID=...      # your customer uuid (dashboard -> API settings)
    python examples/quickstart_async.py send +14155550100
    python examples/quickstart_async.py check <authentication_uuid> <code>

The code may also come from DING_CODE instead of the command line. DING_SERVER_URL points
the client at another server, such as the offline fake in ``ding.testing``.
"""

from __future__ import annotations

import asyncio
import os
import sys

import ding
from ding.models import components, errors


async def send(client: ding.AsyncDing, customer_uuid: str, phone_number: str) -> int:
    res = await client.otp.create_authentication(
        request=components.CreateAuthenticationRequest(
            customer_uuid=customer_uuid, phone_number=phone_number
        )
    )
    auth = res.create_authentication_response
    assert auth is not None
    print(f"authentication_uuid: {auth.authentication_uuid}")
    print(f"status: {getattr(auth.status, 'value', auth.status)}")
    return 0 if auth.status == components.CreateAuthenticationResponseStatus.PENDING else 1


async def check(client: ding.AsyncDing, customer_uuid: str, auth_uuid: str, code: str) -> int:
    res = await client.otp.check(
        # A plain dict works wherever a request model does; it is validated the same way.
        {"customer_uuid": customer_uuid, "authentication_uuid": auth_uuid, "check_code": code}
    )
    result = res.create_check_response
    assert result is not None
    # A wrong code is not an exception: the API answers 200 with status "invalid".
    print(f"status: {getattr(result.status, 'value', result.status)}")
    return 0 if result.status == components.CheckStatus.VALID else 1


async def main(argv: list[str]) -> int:
    customer_uuid = os.environ.get("DING_CUSTOMER_UUID")
    if not customer_uuid:
        print("error: set DING_CUSTOMER_UUID (dashboard -> API settings)", file=sys.stderr)
        return 2
    try:
        return await run(argv, customer_uuid)
    except errors.ValidationError as e:  # refused before sending, e.g. not an E.164 number
        print(f"error: {e}", file=sys.stderr)
        return 2
    except errors.DingError as e:  # the API or the network failed the call
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


async def run(argv: list[str], customer_uuid: str) -> int:
    # `async with` closes the connection pool; the key and server come from the environment.
    async with ding.AsyncDing() as client:
        if len(argv) == 2 and argv[0] == "send":
            return await send(client, customer_uuid, argv[1])
        if argv[:1] == ["check"] and len(argv) in (2, 3):
            code = argv[2] if len(argv) == 3 else os.environ.get("DING_CODE", "")
            return await check(client, customer_uuid, argv[1], code)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
