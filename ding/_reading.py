"""Reading an answer in bounded memory: at most ``max_response_size`` bytes, after
decompression, and never the whole of a larger one.

An answer whose ``Content-Length`` fits the limit and is not compressed is read as aiohttp
reads it (its parser stops at ``Content-Length``): the usual answer, at no extra cost. Any
other answer (compressed, chunked, or with no length) is read block by block: aiohttp
inflates a compressed body in bounded blocks as they are read, so a gzip bomb never grows
past the limit plus one block. Past the limit the connection is closed, unread.
"""

from __future__ import annotations

import aiohttp
from aiohttp.hdrs import CONTENT_ENCODING

from .models.errors import ResponseTooLargeError


def _too_large(
    response: aiohttp.ClientResponse, limit: int, seen: str, operation: str, attempts: int
) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"{operation}: the answer is larger than max_response_size ({limit:,} bytes; {seen}); "
        "not read. Pass a larger max_response_size= if such an answer is expected",
        response.status,
        "",
        None,
        headers=response.headers,
        attempts=attempts,
    )


def whole_fits(response: aiohttp.ClientResponse, limit: int) -> bool:
    """Whether the body can be read at once: uncompressed, with a ``Content-Length`` (which
    aiohttp's parser stops at) within ``limit``. A plain function: the usual answer's path
    pays two header lookups, no extra coroutine."""
    length = response.content_length
    return length is not None and length <= limit and CONTENT_ENCODING not in response.headers


async def read_body(
    response: aiohttp.ClientResponse, limit: int, operation: str, attempts: int
) -> bytes:
    """The body of ``response`` when :func:`whole_fits` says no: read block by block, or
    :class:`ResponseTooLargeError` past ``limit`` bytes (then the connection is closed)."""
    length = response.content_length
    if length is not None and CONTENT_ENCODING not in response.headers:
        response.close()  # more than the limit, announced: not a byte of it is read
        raise _too_large(response, limit, f"Content-Length: {length:,}", operation, attempts)
    content = response.content
    blocks = []
    size = 0
    while True:
        block = await content.readany()
        if not block:
            break
        size += len(block)
        if size > limit:
            response.close()
            raise _too_large(response, limit, "stopped reading there", operation, attempts)
        blocks.append(block)
    return b"".join(blocks)
