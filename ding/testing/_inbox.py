"""The fake's own pages, beside the API: the inbox at ``/`` (every code it "sent", like Mailpit for
e-mail) and ``GET /_fake/code?phone_number=`` for end-to-end tests that must type a code.

Outside the API's prefix (``/v1``), so no API path can collide with them: they take no API
key, are not in the request log and never consume an injected fault. The inbox is plain HTML
and CSS, built here on every request, refreshed by the browser every 2 seconds; everything it
shows is escaped (a ``callback_url`` is any text a caller chose).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from aiohttp import web

from ._authentication import AuthenticationInfo
from ._state import InboxEntry, OtpState
from ._validation import is_e164
from ._webhook_faults import DeliveryLog, WebhookDelivery

__all__ = ["CODE_PATH", "INBOX_LIMIT", "fake_routes"]

CODE_PATH = "/_fake/code"
INBOX_LIMIT = 100  # authentications on the page, newest first
REFRESH_SECONDS = 2

_STYLE = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f3f4f6;
color:#111827}
header{background:#111827;color:#f9fafb;padding:14px 16px}
header h1{margin:0;font-size:18px}
header p{margin:4px 0 0;font-size:13px;color:#d1d5db;overflow-wrap:anywhere}
main{max-width:760px;margin:0 auto;padding:12px}
article{background:#fff;border-radius:12px;padding:14px 16px;margin:0 0 12px;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
.top{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:baseline;justify-content:space-between}
.phone{font-weight:600;font-size:17px}
.status{font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;
padding:2px 8px;border-radius:999px;background:#e5e7eb}
.status-pending{background:#dbeafe;color:#1e40af}.status-validated{background:#dcfce7;color:#166534}
.status-expired,.status-locked,.status-rate_limited,.status-spam_detected{background:#fee2e2;
color:#991b1b}
.code{font:700 32px/1.2 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.15em;
margin:8px 0 4px;overflow-wrap:anywhere}
.nocode{color:#6b7280;margin:8px 0 4px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0 0;font-size:13px}
dt{color:#6b7280}dd{margin:0;overflow-wrap:anywhere}
h2{font-size:13px;margin:12px 0 4px;color:#374151}
ul{margin:0;padding-left:18px;font-size:13px}li{overflow-wrap:anywhere}
.empty{text-align:center;color:#4b5563;padding:40px 12px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _time(moment: datetime | str | None) -> str:
    if moment is None:
        return "-"
    if isinstance(moment, str):  # an event's RFC 3339 timestamp
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return moment.astimezone(timezone.utc).strftime("%H:%M:%S UTC")


def _checks(checks: Sequence[dict[str, Any]]) -> str:
    if not checks:
        return ""
    items = "".join(
        f"<li><code>{_e(c['code'])}</code> &rarr; {_e(c['status'])} at {_e(_time(c['created_at']))}"
        "</li>"
        for c in checks
    )
    return f"<h2>Checks</h2><ul>{items}</ul>"


def _deliveries(deliveries: Sequence[WebhookDelivery]) -> str:
    if not deliveries:
        return ""
    items = []
    for d in deliveries:
        answer = str(d.status) if d.status is not None else (d.error or "no answer")
        fault = f" ({d.fault})" if d.fault else ""
        items.append(
            f"<li>{_e(d.event_type)} send {d.attempt} &rarr; <code>{_e(d.url)}</code>: "
            f"{_e(answer)}{_e(fault)}</li>"
        )
    return f"<h2>Webhooks</h2><ul>{''.join(items)}</ul>"


def _article(info: AuthenticationInfo, checks: Sequence[dict[str, Any]], log: DeliveryLog) -> str:
    code = (
        f'<div class="code" data-code="{_e(info.code)}">{_e(info.code)}</div>'
        if info.code is not None
        else '<div class="nocode">no code sent</div>'
    )
    retries = f"{info.attempts} sent, {info.remaining_retry} retries left"
    deliveries = [d for d in log.all() if str(d.event.get("auth_uuid")) == info.uuid]
    return (
        f'<article id="auth-{_e(info.uuid)}">'
        f'<div class="top"><span class="phone">{_e(info.phone_number)}</span>'
        f'<span class="status status-{_e(info.status)}">{_e(info.status)}</span></div>'
        f"{code}<dl>"
        f"<dt>authentication</dt><dd><code>{_e(info.uuid)}</code></dd>"
        f"<dt>created</dt><dd>{_e(_time(info.created_at))}</dd>"
        f"<dt>expires</dt><dd>{_e(_time(info.expires_at))}</dd>"
        f"<dt>messages</dt><dd>{_e(retries)}</dd>"
        f"<dt>wrong codes</dt><dd>{info.failed_checks}</dd>"
        f"<dt>feedback</dt><dd>{_e(info.feedback or '-')}</dd>"
        f"</dl>{_checks(checks)}{_deliveries(deliveries)}</article>"
    )


def render_inbox(entries: Sequence[InboxEntry], log: DeliveryLog, api_url: str) -> str:
    """The whole page, newest authentication first."""
    if entries:
        body = "".join(_article(info, checks, log) for info, checks in entries)
    else:
        body = (
            '<p class="empty">No codes yet. Send one to the API at '
            f"<code>{_e(api_url)}</code>, and it shows here.</p>"
        )
    count = f"{len(entries)} authentication{'s' if len(entries) != 1 else ''}"
    if len(entries) == INBOX_LIMIT:
        count = f"the latest {INBOX_LIMIT} authentications"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">'
        f"<title>ding fake: inbox</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>ding fake: inbox</h1><p>{_e(count)}, newest first. API: "
        f"<code>{_e(api_url)}</code>. Refreshes every {REFRESH_SECONDS} s.</p></header>"
        f"<main>{body}</main></body></html>"
    )


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"code": code, "message": message}, status=status)


def fake_routes(
    state: OtpState, log: DeliveryLog, api_url: Callable[[], str]
) -> list[web.RouteDef]:
    """The routes of the fake's own pages, for the server to add beside the API's."""

    async def inbox(request: web.Request) -> web.Response:
        page = render_inbox(state.inbox(INBOX_LIMIT), log, api_url())
        return web.Response(
            text=page, content_type="text/html", headers={"Cache-Control": "no-store"}
        )

    async def code(request: web.Request) -> web.Response:
        raw = request.query.get("phone_number")
        if raw is None:
            return _error(
                400, "bad_request", f"say whose code: {CODE_PATH}?phone_number=%2B14155550100"
            )
        # A "+" left unencoded in a query string arrives as a space.
        number = "+" + raw[1:] if raw.startswith(" ") else raw
        if not is_e164(number):
            return _error(
                400,
                "invalid_phone_number",
                f"{raw!r} is not an E.164 phone number (write its + as %2B)",
            )
        latest = state.latest(number)
        if latest is None:
            return _error(404, "not_found", f"no authentication for {number}")
        if latest.code is None:
            return _error(
                404,
                "not_found",
                f"the latest authentication of {number} sent no code ({latest.status})",
            )
        return web.json_response({"code": latest.code, "authentication_uuid": latest.uuid})

    return [web.get("/", inbox, name="fake-inbox"), web.get(CODE_PATH, code, name="fake-code")]
