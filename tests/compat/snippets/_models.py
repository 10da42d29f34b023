"""Request and response models: positional construction and lenient building."""

from __future__ import annotations

from . import IDIOM, MODEL_DOCS, SEND, snippet

# --- models ------------------------------------------------------------------------------

snippet(
    "model_positional_create_authentication",
    MODEL_DOCS,
    """
from ding.models import components
req = components.CreateAuthenticationRequest(CUSTOMER, PHONE)
assert req.customer_uuid == CUSTOMER and req.phone_number == PHONE and req.ip is None
""",
)

snippet(
    "model_positional_full_order",
    MODEL_DOCS,
    """
from ding.models import components
req = components.CreateAuthenticationRequest(
    CUSTOMER, PHONE, '192.0.2.1', 'dev', components.DeviceType.IOS, '1.0', 'Ding',
    'https://example.com/hook', 'realm', '17', 'iPhone', True, 'tpl', 'corr', 'fr-FR')
assert req.sender_id == 'Ding' and req.callback_url == 'https://example.com/hook'
assert req.locale == 'fr-FR' and req.correlation_id == 'corr'
""",
)

snippet(
    "model_positional_check",
    MODEL_DOCS,
    """
from ding.models import components
req = components.CreateCheckRequest(CUSTOMER, '8f1196d5-806e-4b71-9b24-5f96ec052808', '123456')
assert req.check_code == '123456'
""",
)

snippet(
    "model_positional_feedback",
    MODEL_DOCS,
    """
from ding.models import components
req = components.FeedbackRequest(CUSTOMER, PHONE, components.FeedbackRequestStatus.NOT_ONBOARDED)
assert req.status == 'not_onboarded'
""",
)

snippet(
    "model_positional_retry",
    MODEL_DOCS,
    """
from ding.models import components
req = components.RetryAuthenticationRequest(CUSTOMER, '8f1196d5-806e-4b71-9b24-5f96ec052808')
assert req.authentication_uuid.startswith('8f11')
""",
)

snippet(
    "model_positional_responses",
    MODEL_DOCS,
    """
from ding.models import components
assert components.CreateCheckResponse('a', components.CheckStatus.VALID).status == 'valid'
assert components.LookupResponse(PHONE, '310', '260', 'NAME').caller_name == 'NAME'
assert components.RetryAuthenticationResponse('a', 'approved', None, None, 2).remaining_retry == 2
assert components.FeedbackResponse('u').uuid == 'u'
assert components.CreateAuthenticationResponse('a', components.Status.PENDING).status == 'pending'
""",
)

snippet(
    "model_positional_events",
    MODEL_DOCS,
    """
from ding.models import components
a = components.Attempt('id', 'content', 'sender', components.Capability.TEXT, 1, components.AuthenticationStatusResponseStatus.DELIVERED)
assert a.attempt_number == 1 and a.status == 'delivered'
c = components.Check('id', '123456', components.CheckStatus.VALID)
assert c.code == '123456'
d = components.DeliveryStatus(components.AuthenticationStatusResponseSchemasStatus.DELIVERED, 'att', 1)
assert d.attempt_id == 'att'
b = components.BalanceUpdate(components.BalanceUpdateType.ATTEMPT, 0.01)
assert b.amount == 0.01
""",
)

snippet(
    "model_national_phone_builds",
    MODEL_DOCS,
    """
from ding.models import components
req = components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number='06 12 34 56 78')
assert req.phone_number == '06 12 34 56 78'
""",
)

snippet(
    "model_national_phone_call_is_error_response",
    IDIOM,
    """
import ding
from ding.models import components, errors
s = ding.Ding(api_key=KEY, server_url=URL)
req = components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number='0612345678')
try:
    s.otp.create_authentication(request=req)
except errors.ErrorResponse as e:
    assert e.code == 'invalid_phone_number'
else:
    raise AssertionError('refused')
""",
)

snippet(
    "model_non_uuid_customer_builds",
    MODEL_DOCS,
    """
from ding.models import components
req = components.CreateCheckRequest(customer_uuid='my-customer', authentication_uuid='abc', check_code='1')
assert req.customer_uuid == 'my-customer'
""",
)

snippet(
    "model_non_uuid_call_is_bad_request",
    IDIOM,
    """
import ding
from ding.models import components, errors
s = ding.Ding(api_key=KEY, server_url=URL)
try:
    s.otp.feedback(request=components.FeedbackRequest('my-customer', PHONE, 'onboarded'))
except errors.ErrorResponse as e:
    assert e.code == errors.Code.BAD_REQUEST
else:
    raise AssertionError('refused')
""",
)

snippet(
    "model_int_check_code_builds",
    MODEL_DOCS,
    """
from ding.models import components
req = components.CreateCheckRequest(customer_uuid=CUSTOMER, authentication_uuid=CUSTOMER, check_code=123456)
assert req.check_code == 123456
""",
)

snippet(
    "model_int_check_code_call_is_bad_request",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
auth = send(s)
try:
    s.otp.check(request=components.CreateCheckRequest(customer_uuid=CUSTOMER, authentication_uuid=auth, check_code=123456))
except errors.ErrorResponse as e:
    assert e.code == 'bad_request'
else:
    raise AssertionError('refused')
""",
)

snippet(
    "model_ipv6_ip_builds",
    MODEL_DOCS,
    """
from ding.models import components
req = components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE, ip='2001:db8::1')
assert req.ip == '2001:db8::1'
""",
)

snippet(
    "model_ipv6_call_is_bad_request",
    IDIOM,
    """
import ding
from ding.models import components, errors
s = ding.Ding(api_key=KEY, server_url=URL)
try:
    s.otp.create_authentication(request=components.CreateAuthenticationRequest(
        customer_uuid=CUSTOMER, phone_number=PHONE, ip='2001:db8::1'))
except errors.ErrorResponse as e:
    assert e.code == 'bad_request'
else:
    raise AssertionError('refused')
""",
)

snippet(
    "model_callback_url_without_scheme_builds",
    MODEL_DOCS,
    """
from ding.models import components
req = components.CreateAuthenticationRequest(CUSTOMER, PHONE, callback_url='example.com/hook')
assert req.callback_url == 'example.com/hook'
""",
)

snippet(
    "model_callback_url_without_scheme_call",
    IDIOM,
    """
import ding
from ding.models import components, errors
s = ding.Ding(api_key=KEY, server_url=URL)
try:
    s.otp.create_authentication(request=components.CreateAuthenticationRequest(
        CUSTOMER, PHONE, callback_url='example.com/hook'))
except errors.ErrorResponse as e:
    assert e.code == 'bad_request'
else:
    raise AssertionError('refused')
""",
)

snippet(
    "model_assign_after_construction",
    MODEL_DOCS,
    """
from ding.models import components
req = components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE)
req.phone_number = '0612345678'
req.ip = '::1'
req.device_type = 'PHONE'
assert req.phone_number == '0612345678'
""",
)

snippet(
    "model_assign_then_call",
    IDIOM,
    """
import ding
from ding.models import components, errors
s = ding.Ding(api_key=KEY, server_url=URL)
req = components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE)
req.phone_number = '+33612345678'
req.locale = 'fr-FR'
res = s.otp.create_authentication(request=req)
assert res.status_code == 200
""",
)

snippet(
    "model_bad_enum_value_call",
    IDIOM,
    """
import ding
from ding.models import components, errors
s = ding.Ding(api_key=KEY, server_url=URL)
try:
    s.otp.feedback(request=components.FeedbackRequest(CUSTOMER, PHONE, 'maybe'))
except errors.ErrorResponse as e:
    assert e.code in ('bad_request', 'invalid_feedback_status')
else:
    raise AssertionError('refused')
""",
)

snippet(
    "model_handler_catches_value_error_too",
    IDIOM,
    """
import ding
from ding.models import components, errors
s = ding.Ding(api_key=KEY, server_url=URL)
try:
    s.otp.create_authentication(request=components.CreateAuthenticationRequest(CUSTOMER, 'nope'))
except (errors.ErrorResponse, ValueError) as e:
    assert 'phone' in str(e)
""",
)
