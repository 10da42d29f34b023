"""The official README."""

from __future__ import annotations

from . import README, SEND, snippet

# --- the official README ------------------------------------------------------------------

snippet(
    "readme_send_code",
    README,
    """
import ding
from ding.models import components

s = ding.Ding(
    api_key=KEY, server_url=URL,
)

res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(
    customer_uuid='cf2edc1c-7fc6-48fb-86da-b7508c6b7b71',
    phone_number='+1234567890',
    locale='fr-FR',
))

if res.create_authentication_response is not None:
    # handle response
    pass
assert res.create_authentication_response.authentication_uuid
""",
)

snippet(
    "readme_check_code",
    README,
    """
import ding
from ding.models import components, errors

s = ding.Ding(
    api_key=KEY, server_url=URL,
)
try:
    res = s.otp.check(request=components.CreateCheckRequest(
        customer_uuid='eebe792b-2fcc-44a0-87f1-650e79259e02',
        authentication_uuid='64f66a7c-4b2c-4131-a8ff-d5b954cca05f',
        check_code='123456',
    ))
except errors.ErrorResponse as e:
    assert e.code == errors.Code.INVALID_AUTH_UUID   # not an authentication of this account
""",
)

snippet(
    "readme_retry_without_request",
    README,
    """
import ding
from ding.models import errors

s = ding.Ding(
    api_key=KEY, server_url=URL,
)
try:
    res = s.otp.retry()
except errors.ErrorResponse as e:
    assert e.code == "bad_request"
else:
    raise AssertionError("a retry without a request is refused")
""",
)

snippet(
    "readme_feedback",
    README,
    SEND
    + """
s = ding.Ding(
    api_key=KEY, server_url=URL,
)
send(s, customer='cc0f6c04-40de-448f-8301-3cb0e6565dff')

res = s.otp.feedback(request=components.FeedbackRequest(
    customer_uuid='cc0f6c04-40de-448f-8301-3cb0e6565dff',
    phone_number='+1234567890',
    status=components.FeedbackRequestStatus.ONBOARDED,
))

if res.feedback_response is not None:
    # handle response
    pass
""",
)

snippet(
    "readme_get_status_unknown",
    README,
    """
import ding
from ding.models import errors

s = ding.Ding(
    api_key=KEY, server_url=URL,
)
try:
    res = s.otp.get_authentication_status(auth_uuid='d8446450-f2fa-4dd9-806b-df5b8c661f23')
except errors.SDKError as e:
    assert e.status_code == 404
""",
)

snippet(
    "readme_lookup_placeholder",
    README,
    """
import ding
from ding.models import errors

s = ding.Ding(
    api_key=KEY, server_url=URL,
)
try:
    res = s.lookup.lookup(phone_number='<value>', customer_uuid='69a197d9-356c-45d1-a807-41874e16b555')
except errors.ErrorResponse as e:
    assert e.code == errors.Code.INVALID_PHONE_NUMBER
else:
    raise AssertionError("'<value>' is not a phone number")
""",
)

snippet(
    "readme_lookup",
    README,
    """
import ding

s = ding.Ding(
    api_key=KEY, server_url=URL,
)

res = s.lookup.lookup(phone_number='+1234567890', customer_uuid='69a197d9-356c-45d1-a807-41874e16b555')

if res.lookup_response is not None:
    # handle response
    pass
assert res.lookup_response.phone_number == '+1234567890'
""",
)

snippet(
    "readme_error_handling",
    README,
    """
import ding
from ding.models import components, errors

s = ding.Ding(
    api_key=KEY, server_url=URL,
)

res = None
try:
    res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(
    customer_uuid='cf2edc1c-7fc6-48fb-86da-b7508c6b7b71',
    phone_number='+1234567890',
    locale='fr-FR',
))

except errors.ErrorResponse as e:
    # handle exception
    raise(e)
except errors.SDKError as e:
    # handle exception
    raise(e)

if res.create_authentication_response is not None:
    # handle response
    pass
""",
)

snippet(
    "readme_error_handling_bad_phone",
    README,
    """
import ding
from ding.models import components, errors

s = ding.Ding(api_key=KEY, server_url=URL)
caught = None
try:
    s.otp.create_authentication(request=components.CreateAuthenticationRequest(
        customer_uuid='cf2edc1c-7fc6-48fb-86da-b7508c6b7b71',
        phone_number='0612345678',
    ))
except errors.ErrorResponse as e:
    caught = e
except errors.SDKError as e:
    raise AssertionError("the API's error object is an ErrorResponse")
assert caught.code == errors.Code.INVALID_PHONE_NUMBER
assert caught.message
""",
)

snippet(
    "readme_server_url",
    README,
    """
import ding
from ding.models import components

s = ding.Ding(
    server_url=URL,
    api_key=KEY,
)

res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(
    customer_uuid='cf2edc1c-7fc6-48fb-86da-b7508c6b7b71',
    phone_number='+1234567890',
    locale='fr-FR',
))

if res.create_authentication_response is not None:
    # handle response
    pass
""",
)

snippet(
    "readme_custom_http_client_verbatim",
    README,
    """
import ding
import requests

http_client = requests.Session()
http_client.headers.update({'x-custom-header': 'someValue'})
s = ding.Ding(client=http_client)
""",
)

snippet(
    "readme_custom_http_client_header_sent",
    README,
    """
import ding
import requests
from ding.models import components

http_client = requests.Session()
http_client.headers.update({'x-custom-header': 'someValue'})
s = ding.Ding(api_key=KEY, server_url=URL, client=http_client)
res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(
    customer_uuid=CUSTOMER, phone_number=PHONE))
assert res.raw_response.request.headers['x-custom-header'] == 'someValue'
""",
)

snippet(
    "readme_authentication",
    README,
    """
import ding
from ding.models import components

s = ding.Ding(
    api_key=KEY, server_url=URL,
)

res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(
    customer_uuid='cf2edc1c-7fc6-48fb-86da-b7508c6b7b71',
    phone_number='+1234567890',
    locale='fr-FR',
))
assert res.status_code == 200
""",
)
