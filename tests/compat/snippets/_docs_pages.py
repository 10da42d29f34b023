"""The official docs pages of `otp` and `lookup`."""

from __future__ import annotations

from . import LOOKUP_DOCS, OTP_DOCS, SEND, snippet

# --- docs/sdks/otp and docs/sdks/lookup ---------------------------------------------------

snippet(
    "otp_docs_create_authentication",
    OTP_DOCS,
    """
import ding
from ding.models import components

s = ding.Ding(
    api_key=KEY, server_url=URL,
)

res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(
    customer_uuid='c9f826e0-deca-41ec-871f-ecd6e8efeb46',
    phone_number='+1234567890',
))

if res.create_authentication_response is not None:
    # handle response
    pass
""",
)

snippet(
    "otp_docs_check",
    OTP_DOCS,
    SEND
    + """
s = ding.Ding(
    api_key=KEY, server_url=URL,
)
auth = send(s, customer='e0e7b0e9-739d-424b-922f-1c2cb48ab077')
res = s.otp.check(request=components.CreateCheckRequest(
    customer_uuid='e0e7b0e9-739d-424b-922f-1c2cb48ab077',
    authentication_uuid=auth,
    check_code='123456',
))

if res.create_check_response is not None:
    # handle response
    pass
assert res.create_check_response.status in ("valid", "invalid")
""",
)

snippet(
    "otp_docs_feedback",
    OTP_DOCS,
    SEND
    + """
s = ding.Ding(
    api_key=KEY, server_url=URL,
)
send(s, customer='c0c405fa-6bcb-4094-9430-7d6e2428ff23')

res = s.otp.feedback(request=components.FeedbackRequest(
    customer_uuid='c0c405fa-6bcb-4094-9430-7d6e2428ff23',
    phone_number='+1234567890',
    status=components.FeedbackRequestStatus.ONBOARDED,
))

if res.feedback_response is not None:
    # handle response
    pass
""",
)

snippet(
    "otp_docs_retry",
    OTP_DOCS,
    SEND
    + """
s = ding.Ding(
    api_key=KEY, server_url=URL,
)
auth = send(s, customer='a74ee547-564d-487a-91df-37fb25413a91')
res = s.otp.retry(request=components.RetryAuthenticationRequest(
    customer_uuid='a74ee547-564d-487a-91df-37fb25413a91',
    authentication_uuid=auth,
))

if res.retry_authentication_response is not None:
    # handle response
    pass
assert res.retry_authentication_response.status is not None
""",
)

snippet(
    "otp_docs_get_authentication_status",
    OTP_DOCS,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.otp.get_authentication_status(auth_uuid=send(s))

if res.authentication_status_response is not None:
    # handle response
    pass
assert res.authentication_status_response.events
""",
)

snippet(
    "lookup_docs_lookup_cnam",
    LOOKUP_DOCS,
    """
import ding
from ding.models import operations

s = ding.Ding(
    api_key=KEY, server_url=URL,
)

res = s.lookup.lookup(phone_number='+1234567890', customer_uuid='69a197d9-356c-45d1-a807-41874e16b555', type_=[
    operations.Type.CNAM,
])

if res.lookup_response is not None:
    # handle response
    pass
assert res.lookup_response.caller_name
""",
)

snippet(
    "docs_errors_table_sdk_error_for_other_status",
    OTP_DOCS,
    """
import ding
from ding.models import components, errors

s = ding.Ding(api_key='not-the-key', server_url=URL)
try:
    s.otp.create_authentication(request=components.CreateAuthenticationRequest(
        customer_uuid=CUSTOMER, phone_number=PHONE))
except errors.SDKError as e:
    assert e.status_code == 401
    assert 'account_invalid' in e.body
    assert e.raw_response.status_code == 401
""",
)
