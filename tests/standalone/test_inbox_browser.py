"""The inbox of ``ding fake`` in a real headless browser (Chromium from the OS packages, driven
over the DevTools protocol): at a phone's width (390 px) the code is on the page, nothing
overflows sideways, and a code sent after the page loaded shows up without anyone reloading."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import pytest

from ._chromium import chromium_page, chromium_path
from .conftest import FakeProcess, unavailable

PHONE = "+14155550100"
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def send(fake: FakeProcess, phone: str) -> str:
    request = urllib.request.Request(
        fake.exports["DING_SERVER_URL"] + "/authentication",
        data=json.dumps(
            {"customer_uuid": fake.exports["DING_CUSTOMER_UUID"], "phone_number": phone}
        ).encode(),
        headers={"x-api-key": "k", "Content-Type": "application/json"},
    )
    with _OPENER.open(request, timeout=10) as response:
        auth: str = json.load(response)["authentication_uuid"]
        return auth


def code_of(fake: FakeProcess, phone: str) -> str:
    url = f"{fake.base}/_fake/code?phone_number=%2B{phone[1:]}"
    with _OPENER.open(url, timeout=10) as response:
        code: str = json.load(response)["code"]
        return code


@pytest.mark.timeout(120)
def test_the_inbox_shows_the_code_in_a_headless_browser_at_390_px(
    ding_fake: FakeProcess,
) -> None:
    binary = chromium_path()
    if binary is None:
        unavailable("chromium is not installed (Debian: apt-get install chromium)")
    first = send(ding_fake, PHONE)
    code = code_of(ding_fake, PHONE)

    async def look() -> None:
        async with chromium_page(binary) as page:
            await page.open(ding_fake.base + "/", width=390, height=844)
            await page.wait_for(f"document.getElementById('auth-{first}')")
            shown = await page.evaluate(
                f"document.querySelector('#auth-{first} .code').textContent"
            )
            assert shown == code
            assert await page.evaluate("document.body.innerText.includes('+14155550100')")
            # Readable at 390 px: the layout fits the width, the code is large enough to read.
            assert await page.evaluate("window.innerWidth") == 390
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the page is {width} px wide at 390 px"
            size = await page.evaluate(
                f"parseFloat(getComputedStyle(document.querySelector('#auth-{first} .code'))"
                ".fontSize)"
            )
            assert size >= 20

            # A code sent now appears without a reload by anyone: the page refreshes itself.
            second = await asyncio.to_thread(send, ding_fake, "+14155550199")
            await page.wait_for(f"document.getElementById('auth-{second}')", timeout=15)
            new_code = await asyncio.to_thread(code_of, ding_fake, "+14155550199")
            assert (
                await page.evaluate(f"document.querySelector('#auth-{second} .code').textContent")
                == new_code
            )
            # Newest first.
            assert await page.evaluate("document.querySelector('article').id") == f"auth-{second}"

    asyncio.run(look())
