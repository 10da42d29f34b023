"""Phone verification for a signup flow, in FastAPI, with one AsyncDing for the app's life.

    pip install . fastapi uvicorn  # in a checkout of ding (see Install)
    export DING_API_KEY=... DING_CUSTOMER_UUID=...
    uvicorn examples.fastapi_app:app

    POST /send    {"phone_number": "+14155550100"}            -> {"authentication_uuid": ...}
    POST /verify  {"authentication_uuid": ..., "code": "123456",
                   "phone_number": "+14155550100"}             -> {"verified": true}

The client is created in the lifespan, so every request shares one connection pool and the
pool is closed on shutdown. Ding's exceptions become HTTP answers in one handler at the end.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

import ding
from ding.models import components, errors

log = logging.getLogger("signup")

# Errors about the number the user typed: tell them. Anything else is our problem, not theirs.
USER_FIXABLE: dict[errors.Code | str, str] = {
    errors.Code.INVALID_PHONE_NUMBER: "This is not a valid phone number.",
    errors.Code.INVALID_LINE: "This number cannot receive text messages.",
    errors.Code.BLOCKED_NUMBER: "This number cannot be used.",
    errors.Code.UNSUPPORTED_REGION: "We cannot send codes to this country yet.",
    errors.Code.INVALID_AUTH_UUID: "Unknown verification: ask for a new code.",
}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # DING_API_KEY and DING_SERVER_URL are read here. A web request should never wait long
    # on a third party: 5 s per attempt, 8 s in all, retries included.
    async with ding.AsyncDing(timeout=5, deadline=8) as client:
        app.state.ding = client
        app.state.customer_uuid = os.environ["DING_CUSTOMER_UUID"]
        yield


app = FastAPI(lifespan=lifespan)


class SendBody(BaseModel):
    phone_number: str


class VerifyBody(BaseModel):
    authentication_uuid: str
    code: str
    phone_number: str


def client_ip(request: Request) -> str | None:
    """The caller's IPv4 address, a fraud signal Ding uses; None when there is none."""
    host = request.client.host if request.client else ""
    try:
        return str(ipaddress.IPv4Address(host))
    except ValueError:
        return None


@app.post("/send")
async def send(body: SendBody, request: Request) -> JSONResponse:
    client: ding.AsyncDing = request.app.state.ding
    res = await client.otp.create_authentication(
        request=components.CreateAuthenticationRequest(
            customer_uuid=request.app.state.customer_uuid,
            phone_number=body.phone_number,
            ip=client_ip(request),
        )
    )
    auth = res.create_authentication_response
    assert auth is not None
    if auth.status == components.CreateAuthenticationResponseStatus.PENDING:
        return JSONResponse({"authentication_uuid": auth.authentication_uuid})
    if auth.status == components.CreateAuthenticationResponseStatus.RATE_LIMITED:
        return JSONResponse({"error": "Too many codes sent to this number."}, status_code=429)
    # spam_detected, or a status added to the API after this code was written
    return JSONResponse({"error": "We could not send a code to this number."}, status_code=403)


@app.post("/verify")
async def verify(body: VerifyBody, request: Request) -> JSONResponse:
    client: ding.AsyncDing = request.app.state.ding
    customer_uuid: str = request.app.state.customer_uuid
    res = await client.otp.check(
        request=components.CreateCheckRequest(
            customer_uuid=customer_uuid,
            authentication_uuid=body.authentication_uuid,
            check_code=body.code,
        )
    )
    check = res.create_check_response
    assert check is not None
    if check.status != components.CheckStatus.VALID:
        status = getattr(check.status, "value", check.status)
        code = 429 if check.status == components.CheckStatus.RATE_LIMITED else 400
        return JSONResponse({"verified": False, "status": status}, status_code=code)
    try:
        # Tells Ding the user got through (it improves routing); never fail the signup on it.
        await client.otp.feedback(
            request=components.FeedbackRequest(
                customer_uuid=customer_uuid,
                phone_number=body.phone_number,
                status=components.FeedbackRequestStatus.ONBOARDED,
            ),
            max_retries=0,
        )
    except errors.DingError:
        log.warning("ding feedback failed", exc_info=True)
    return JSONResponse({"verified": True})


@app.exception_handler(errors.DingError)
async def ding_error(request: Request, exc: errors.DingError) -> JSONResponse:
    """Every failure of a Ding call, mapped to what our own API's clients should see."""
    if isinstance(exc, errors.ValidationError):  # refused before sending: the user's input
        return JSONResponse({"error": f"Invalid {exc.field}."}, status_code=422)
    if isinstance(exc, errors.RateLimitError):
        retry_after = str(round(exc.retry_after)) if exc.retry_after is not None else "60"
        return JSONResponse(
            {"error": "Too many requests, try again later."},
            status_code=429,
            headers={"Retry-After": retry_after},
        )
    if isinstance(exc, errors.ErrorResponse) and (message := USER_FIXABLE.get(exc.code or "")):
        return JSONResponse({"error": message}, status_code=400)
    if isinstance(exc, errors.APIConnectionError):  # includes APITimeoutError
        log.warning("ding unreachable: %s", exc)
        return JSONResponse({"error": "Verification is unavailable, try again."}, status_code=503)
    # A bad API key, an empty balance, an invalid_auth_uuid, a 5xx...: log it, say little.
    log.error("ding call failed: %s", exc)
    return JSONResponse({"error": "Verification failed."}, status_code=502)
