"""Operation shapes users rely on, and tests that mock the client."""

from __future__ import annotations

from . import IDIOM, SEND, snippet

# --- operations: shapes users rely on ------------------------------------------------------

snippet(
    "op_full_flow_with_status",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
auth = send(s)
checked = s.otp.check(request=components.CreateCheckRequest(customer_uuid=CUSTOMER, authentication_uuid=auth, check_code='000000'))
assert checked.create_check_response.status == components.CheckStatus.INVALID
status = s.otp.get_authentication_status(auth).authentication_status_response
types = [event.type for event in status.events]
assert 'attempt' in types and 'check' in types
""",
)

snippet(
    "op_status_signals",
    IDIOM,
    """
import ding
from ding.models import components
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(
    customer_uuid=CUSTOMER, phone_number=PHONE, device_type=components.DeviceType.ANDROID, app_version='1.2'))
status = s.otp.get_authentication_status(auth_uuid=res.create_authentication_response.authentication_uuid)
assert status.authentication_status_response.signals.device_type == 'ANDROID'
assert status.authentication_status_response.signals.app_version == '1.2'
""",
)

snippet(
    "op_request_keyword_and_positional",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
req = components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE)
assert s.otp.create_authentication(req).status_code == 200
assert s.otp.create_authentication(request=req).status_code == 200
""",
)

snippet(
    "op_lookup_positional_and_type_none",
    IDIOM,
    """
import ding
s = ding.Ding(api_key=KEY, server_url=URL)
assert s.lookup.lookup(PHONE, CUSTOMER, None).lookup_response.caller_name is None
""",
)

snippet(
    "op_lookup_type_list_of_strings",
    IDIOM,
    """
import ding
s = ding.Ding(api_key=KEY, server_url=URL)
assert s.lookup.lookup(PHONE, CUSTOMER, type_=['cnam']).lookup_response.caller_name
""",
)

snippet(
    "op_status_path_injection_refused",
    IDIOM,
    """
import ding
from ding.models import errors
s = ding.Ding(api_key=KEY, server_url=URL)
try:
    s.otp.get_authentication_status('../lookup/+1234567890')
except errors.ErrorResponse as e:
    assert e.code == 'invalid_auth_uuid', e.code   # never another endpoint
else:
    raise AssertionError('refused')
""",
)

snippet(
    "op_threads_share_one_client",
    IDIOM,
    """
from concurrent.futures import ThreadPoolExecutor
import ding
s = ding.Ding(api_key=KEY, server_url=URL)
with ThreadPoolExecutor(4) as pool:
    codes = list(pool.map(lambda _: s.lookup.lookup(PHONE, CUSTOMER).status_code, range(8)))
assert codes == [200] * 8
""",
)

snippet(
    "op_resend_flow",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
auth = send(s)
res = s.otp.retry(request=components.RetryAuthenticationRequest(customer_uuid=CUSTOMER, authentication_uuid=auth))
r = res.retry_authentication_response
assert r.status in (components.RetryAuthenticationResponseStatus.APPROVED, components.RetryAuthenticationResponseStatus.DENIED)
assert r.remaining_retry is None or r.remaining_retry >= 0
""",
)

# --- tests written against the official client: mocks ----------------------------------------

snippet(
    "mock_signature_has_no_self",
    IDIOM,
    """
import inspect
import ding
s = ding.Ding(api_key=KEY, server_url=URL)
params = list(inspect.signature(s.otp.check).parameters)
assert params[0] == 'request', params
""",
)

snippet(
    "mock_patch_object_autospec",
    IDIOM,
    """
from unittest import mock
import ding
from ding.models import components, operations
s = ding.Ding(api_key=KEY, server_url=URL)
req = components.CreateCheckRequest(customer_uuid=CUSTOMER, authentication_uuid='a', check_code='1')
with mock.patch.object(s.otp, 'check', autospec=True) as check:
    check.return_value = operations.CheckResponse(content_type='application/json', status_code=200, raw_response=None,
        create_check_response=components.CreateCheckResponse(status=components.CheckStatus.VALID))
    assert s.otp.check(request=req).create_check_response.status == 'valid'
    check.assert_called_once_with(request=req)
""",
)

snippet(
    "mock_patch_object_autospec_rejects_bad_call",
    IDIOM,
    """
from unittest import mock
import ding
s = ding.Ding(api_key=KEY, server_url=URL)
with mock.patch.object(s.otp, 'check', autospec=True):
    try:
        s.otp.check(requets=None)
    except TypeError:
        pass
    else:
        raise AssertionError('autospec checks the signature')
""",
)

snippet(
    "mock_patch_class_method_path",
    IDIOM,
    """
from unittest import mock
import ding
from ding.models import components
s = ding.Ding(api_key=KEY, server_url=URL)
s.lookup.lookup(PHONE, CUSTOMER)   # a real call first: the patch must still win
with mock.patch('ding.lookup.Lookup.lookup') as lookup:
    lookup.return_value = 'patched'
    assert s.lookup.lookup(PHONE, CUSTOMER) == 'patched'
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "mock_patch_otp_check_path",
    IDIOM,
    """
from unittest import mock
import ding
s = ding.Ding(api_key=KEY, server_url=URL)
with mock.patch('ding.otp.Otp.check', return_value='patched'):
    assert s.otp.check(request=None) == 'patched'
""",
)

snippet(
    "mock_patch_object_on_class",
    IDIOM,
    """
from unittest import mock
import ding
from ding.otp import Otp
s = ding.Ding(api_key=KEY, server_url=URL)
s.otp.create_authentication
with mock.patch.object(Otp, 'create_authentication', return_value='patched') as m:
    assert s.otp.create_authentication(request=None) == 'patched'
    m.assert_called_once()
""",
)

snippet(
    "mock_patch_class_autospec",
    IDIOM,
    """
from unittest import mock
import ding
s = ding.Ding(api_key=KEY, server_url=URL)
with mock.patch('ding.otp.Otp.feedback', autospec=True) as feedback:
    feedback.return_value = 'patched'
    assert s.otp.feedback(request=None) == 'patched'
    assert feedback.call_args.kwargs == {'request': None}
""",
)

snippet(
    "mock_create_autospec_class",
    IDIOM,
    """
from unittest import mock
import ding
Mocked = mock.create_autospec(ding.Ding)
client = Mocked(api_key='k')
Mocked.assert_called_once_with(api_key='k')
""",
)

snippet(
    "mock_patch_sdk_ding",
    IDIOM,
    """
from unittest import mock
import ding.sdk
with mock.patch('ding.sdk.Ding') as Mocked:
    from ding.sdk import Ding
    Ding(api_key='k')
    Mocked.assert_called_once()
""",
)

snippet(
    "mock_patch_ding_ding",
    IDIOM,
    """
from unittest import mock
import ding
with mock.patch('ding.Ding') as Mocked:
    ding.Ding(api_key='k').otp.check(request=None)
    Mocked.return_value.otp.check.assert_called_once_with(request=None)
""",
)

snippet(
    "mock_side_effect_error_response",
    IDIOM,
    """
from unittest import mock
import ding
from ding.models import errors
s = ding.Ding(api_key=KEY, server_url=URL)
with mock.patch.object(s.otp, 'check', side_effect=errors.ErrorResponse(code=errors.Code.INVALID_AUTH_UUID)):
    try:
        s.otp.check(request=None)
    except errors.ErrorResponse as e:
        assert e.code == 'invalid_auth_uuid'
""",
)

snippet(
    "mock_side_effect_sdk_error",
    IDIOM,
    """
from unittest import mock
import ding
from ding.models import errors
s = ding.Ding(api_key=KEY, server_url=URL)
with mock.patch.object(s.lookup, 'lookup', side_effect=errors.SDKError('API error occurred', 503, '', None)):
    try:
        s.lookup.lookup(PHONE, CUSTOMER)
    except errors.SDKError as e:
        assert e.status_code == 503
""",
)

snippet(
    "mock_magicmock_raw_response",
    IDIOM,
    """
from unittest import mock
from ding.models import components, operations
raw = mock.MagicMock(status_code=200)
res = operations.LookupResponse(content_type='application/json', status_code=200, raw_response=raw,
    lookup_response=components.LookupResponse(phone_number=PHONE))
assert res.raw_response.status_code == 200
""",
)

snippet(
    "typing_annotations",
    IDIOM,
    """
import ding
from ding.models import components, operations
def handle(client: ding.Ding, res: operations.CheckResponse) -> components.CheckStatus | str | None:
    return res.create_check_response.status if res.create_check_response else None
""",
)

snippet(
    "otp_and_lookup_attributes",
    IDIOM,
    """
import ding
s = ding.Ding(api_key=KEY, server_url=URL)
assert callable(s.otp.create_authentication) and callable(s.otp.check)
assert callable(s.otp.feedback) and callable(s.otp.retry)
assert callable(s.otp.get_authentication_status) and callable(s.lookup.lookup)
""",
)

snippet(
    "method_docstrings",
    IDIOM,
    """
import ding
s = ding.Ding(api_key=KEY, server_url=URL)
assert s.otp.check.__doc__
assert s.otp.create_authentication.__name__ == 'create_authentication'
""",
)
