"""Envelopes and `raw_response` read as a `requests.Response`."""

from __future__ import annotations

from . import IDIOM, SEND, snippet

# --- envelopes and raw_response ----------------------------------------------------------

snippet(
    "envelope_fields",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE))
assert res.status_code == 200
assert res.content_type.startswith('application/json')
assert res.raw_response is not None
""",
)

snippet(
    "envelope_construct_for_tests_keywords",
    IDIOM,
    """
from ding.models import components, operations
res = operations.CheckResponse(content_type='application/json', status_code=200, raw_response=None,
    create_check_response=components.CreateCheckResponse(authentication_uuid='a', status=components.CheckStatus.VALID))
assert res.create_check_response.status == 'valid'
""",
)

snippet(
    "envelope_construct_positional",
    IDIOM,
    """
from ding.models import components, operations
res = operations.CreateAuthenticationResponse('application/json', 200, None,
    components.CreateAuthenticationResponse(authentication_uuid='a'))
assert res.status_code == 200 and res.content_type == 'application/json'
assert res.create_authentication_response.authentication_uuid == 'a'
""",
)

snippet(
    "envelope_construct_without_payload",
    IDIOM,
    """
from ding.models import operations
for cls in (operations.CheckResponse, operations.CreateAuthenticationResponse, operations.FeedbackResponse,
            operations.GetAuthenticationStatusResponse, operations.LookupResponse, operations.RetryResponse):
    env = cls(content_type='application/json', status_code=200, raw_response=None)
    assert env.status_code == 200
""",
)

snippet(
    "raw_response_status_code",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER)
assert res.raw_response.status_code == 200
""",
)

snippet(
    "raw_response_headers_case_insensitive",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER)
assert res.raw_response.headers['content-type'].startswith('application/json')
assert res.raw_response.headers.get('Content-Type') == res.raw_response.headers['CONTENT-TYPE']
""",
)

snippet(
    "raw_response_json",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE))
body = res.raw_response.json()
assert body['authentication_uuid'] == res.create_authentication_response.authentication_uuid
""",
)

snippet(
    "raw_response_text_and_content",
    IDIOM,
    SEND
    + """
import json
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER)
assert isinstance(res.raw_response.text, str) and isinstance(res.raw_response.content, bytes)
assert json.loads(res.raw_response.text) == json.loads(res.raw_response.content)
""",
)

snippet(
    "raw_response_url_reason_ok",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE))
assert res.raw_response.url == URL + '/authentication'
assert res.raw_response.reason == 'OK'
assert res.raw_response.ok
""",
)

snippet(
    "raw_response_elapsed_encoding",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER)
assert res.raw_response.elapsed.total_seconds() >= 0
assert res.raw_response.encoding.lower() == 'utf-8'
""",
)

snippet(
    "raw_response_request_method_url",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER)
req = res.raw_response.request
assert req.method == 'GET'
assert req.url.startswith(URL + '/lookup/')
assert req.headers['customer-uuid'] == CUSTOMER
assert 'x-api-key' in req.headers
""",
)

snippet(
    "raw_response_request_body",
    IDIOM,
    SEND
    + """
import json
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE))
assert json.loads(res.raw_response.request.body)['customer_uuid'] == CUSTOMER
""",
)

snippet(
    "raw_response_raise_for_status_ok",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER)
res.raw_response.raise_for_status()
""",
)

snippet(
    "raw_response_logging_idiom",
    IDIOM,
    SEND
    + """
import logging
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER)
r = res.raw_response
logging.getLogger('app').debug('%s %s -> %s %s in %s', r.request.method, r.url, r.status_code, r.reason, r.elapsed)
""",
)

snippet(
    "raw_response_on_sdk_error",
    IDIOM,
    """
import ding
from ding.models import errors
s = ding.Ding(api_key='wrong', server_url=URL)
try:
    s.lookup.lookup(PHONE, CUSTOMER)
except errors.SDKError as e:
    assert e.raw_response.status_code == 401
    assert e.raw_response.headers['Content-Type'].startswith('application/json')
    assert e.raw_response.json()['code'] == 'account_invalid'
    assert e.raw_response.text == e.body
    assert not e.raw_response.ok
""",
)

snippet(
    "raw_response_on_error_response",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
try:
    s.otp.get_authentication_status(auth_uuid='d8446450-f2fa-4dd9-806b-df5b8c661f23')
except errors.SDKError as e:
    assert e.raw_response.status_code == 404
    assert e.raw_response.json()['code'] == 'invalid_auth_uuid'
""",
)
