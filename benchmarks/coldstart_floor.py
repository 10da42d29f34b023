"""The floor of a fresh process for any client built on aiohttp, attrs and cattrs: import the
three, make one raw aiohttp call, exit.

    python benchmarks/coldstart_floor.py URL

Timed beside `coldstart_call.py` by the runner. It is what `ding`'s cold start would cost if
ding's own code cost nothing: the dependencies' import (aiohttp's includes loading the CA
store twice, for its verified and unverified default TLS contexts), an event loop, one
request, a JSON answer, and the interpreter's exit. The gap between it and the official
client is the part of the cold-start ratio no change in ding can remove.
"""

import asyncio
import sys

import aiohttp
import attrs  # noqa: F401  (imported as a client built on them would)
import cattrs  # noqa: F401


async def main(url: str) -> str:
    body = {"customer_uuid": "c9f826e0-deca-41ec-871f-ecd6e8efeb46", "phone_number": "+1234567890"}
    headers = {"x-api-key": "bench-api-key", "accept": "application/json"}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.post(f"{url}/v1/authentication", json=body) as response,
    ):
        answer = await response.json()
    return str(answer["authentication_uuid"])


print(asyncio.run(main(sys.argv[1])))
