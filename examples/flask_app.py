"""Phone verification in Flask: one sync ``ding.Ding`` shared by every request thread.

    pip install . flask  # in a checkout of ding (see Install)
    export DING_API_KEY=... DING_CUSTOMER_UUID=...
    flask --app examples.flask_app run          # threaded by default

    POST /send    {"phone_number": "+14155550100"}            -> {"authentication_uuid": ...}
    POST /verify  {"authentication_uuid": ..., "code": "123456"} -> {"verified": true}

``ding.Ding`` is safe to share: its calls run on one private event loop thread and one
connection pool, whichever thread makes them, so threads do not each open connections.
It also survives the fork of a pre-forking server (gunicorn): the child builds a fresh loop.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, jsonify, request

import ding
from ding.models import components, errors

USER_FIXABLE: dict[errors.Code | str, str] = {
    errors.Code.INVALID_PHONE_NUMBER: "This is not a valid phone number.",
    errors.Code.INVALID_LINE: "This number cannot receive text messages.",
    errors.Code.BLOCKED_NUMBER: "This number cannot be used.",
    errors.Code.UNSUPPORTED_REGION: "We cannot send codes to this country yet.",
    errors.Code.INVALID_AUTH_UUID: "Unknown verification: ask for a new code.",
}


def create_app(client: ding.Ding | None = None) -> Flask:
    app = Flask(__name__)
    # Key and server from DING_API_KEY / DING_SERVER_URL; 5 s per attempt, 8 s in all.
    ding_client = client or ding.Ding(timeout=5, deadline=8)
    app.extensions["ding"] = ding_client
    customer_uuid = os.environ["DING_CUSTOMER_UUID"]

    @app.post("/send")
    def send() -> Any:
        body = request.get_json(force=True)
        res = ding_client.otp.create_authentication(
            {
                "customer_uuid": customer_uuid,
                "phone_number": str(body.get("phone_number", "")),
            }
        )
        auth = res.create_authentication_response
        assert auth is not None
        if auth.status == components.CreateAuthenticationResponseStatus.PENDING:
            return jsonify(authentication_uuid=auth.authentication_uuid)
        if auth.status == components.CreateAuthenticationResponseStatus.RATE_LIMITED:
            return jsonify(error="Too many codes sent to this number."), 429
        return jsonify(error="We could not send a code to this number."), 403

    @app.post("/verify")
    def verify() -> Any:
        body = request.get_json(force=True)
        res = ding_client.otp.check(
            {
                "customer_uuid": customer_uuid,
                "authentication_uuid": str(body.get("authentication_uuid", "")),
                "check_code": str(body.get("code", "")),
            }
        )
        check = res.create_check_response
        assert check is not None
        if check.status == components.CheckStatus.VALID:
            return jsonify(verified=True)
        status = getattr(check.status, "value", check.status)
        code = 429 if check.status == components.CheckStatus.RATE_LIMITED else 400
        return jsonify(verified=False, status=status), code

    @app.errorhandler(errors.DingError)
    def ding_error(exc: errors.DingError) -> Any:
        if isinstance(exc, errors.ValidationError):  # refused before sending
            return jsonify(error=f"Invalid {exc.field}."), 422
        if isinstance(exc, errors.RateLimitError):
            retry_after = str(round(exc.retry_after)) if exc.retry_after is not None else "60"
            return jsonify(error="Too many requests."), 429, {"Retry-After": retry_after}
        if isinstance(exc, errors.ErrorResponse) and (message := USER_FIXABLE.get(exc.code or "")):
            return jsonify(error=message), 400
        if isinstance(exc, errors.APIConnectionError):  # includes APITimeoutError
            app.logger.warning("ding unreachable: %s", exc)
            return jsonify(error="Verification is unavailable, try again."), 503
        app.logger.error("ding call failed: %s", exc)
        return jsonify(error="Verification failed."), 502

    return app


if __name__ == "__main__":
    create_app().run(threaded=True)
