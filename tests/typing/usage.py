"""Type-checked (never run) use of the public surface: ``mypy --strict`` and pyright strict
must accept it (tests/typing/test_type_checkers.py); mistakes.py holds what they must not."""

from __future__ import annotations

from datetime import datetime

import ding
from ding.models import components, errors, operations
from ding.utils import BackoffStrategy, RetryConfig


def sync_usage() -> str | None:
    s = ding.Ding(
        api_key="YOUR_API_KEY",
        retry_config=RetryConfig("backoff", BackoffStrategy(500, 5000, 1.5, 30000), True),
        timeout=5.0,
    )
    res: operations.CreateAuthenticationResponse = s.otp.create_authentication(
        request=components.CreateAuthenticationRequest(
            customer_uuid="c9f826e0-deca-41ec-871f-ecd6e8efeb46", phone_number="+1234567890"
        ),
        timeout=2.0,
        max_retries=1,
    )
    payload = res.create_authentication_response
    created: datetime | None = payload.created_at if payload else None
    _ = created
    status = s.otp.get_authentication_status(auth_uuid="8f1196d5-806e-4b71-9b24-5f96ec052808")
    events = (
        status.authentication_status_response.events
        if status.authentication_status_response
        else None
    )
    for event in events or []:
        if isinstance(event, components.Check):
            _check_status: components.CheckStatus | str | None = event.status
    looked: operations.LookupResponse = s.lookup.lookup(
        "+1234567890", "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
    )
    s.close()
    return looked.lookup_response.carrier if looked.lookup_response else None


async def async_usage() -> int:
    async with ding.AsyncDing(api_key=lambda: "rotating-key") as client:
        try:
            res = await client.otp.check(
                request=components.CreateCheckRequest(
                    customer_uuid="c9f826e0-deca-41ec-871f-ecd6e8efeb46",
                    authentication_uuid="8f1196d5-806e-4b71-9b24-5f96ec052808",
                    check_code="123456",
                ),
                headers={"x-request-id": "1"},
                deadline=10.0,
            )
        except errors.ErrorResponse as e:
            code: errors.Code | str | None = e.code
            _ = code
            return e.status_code
        except errors.SDKError as e:
            return e.status_code
        return res.status_code


def official_surface() -> dict[str, object]:
    """The official client's positional order, module paths and model helpers."""
    from ding.otp import Otp
    from ding.sdk import Ding
    from ding.utils.retries import RetryConfig as OfficialRetryConfig

    s = Ding("YOUR_API_KEY", None, "https://api.ding.live/v1", None, None, None)
    otp: Otp = s.otp
    res = otp.check(
        components.CreateCheckRequest(
            "c9f826e0-deca-41ec-871f-ecd6e8efeb46",
            "8f1196d5-806e-4b71-9b24-5f96ec052808",
            "123456",
        )
    )
    _code: int = res.raw_response.status_code
    _config: OfficialRetryConfig | None = None
    payload = res.create_check_response
    s.close()
    return payload.to_dict() if payload else {}


async def custom_http_clients() -> None:
    """``client=``: the official client's ``requests.Session``, for both clients; an aiohttp
    session for the async one."""
    import aiohttp
    import requests

    with requests.Session() as http:
        http.headers["x-tenant"] = "acme"
        ding.Ding(client=http).close()
        await ding.AsyncDing(client=http).close()
    async with aiohttp.ClientSession() as session:
        await ding.AsyncDing(client=session).close()
