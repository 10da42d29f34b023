"""Model helpers, enums and timestamps."""

from __future__ import annotations

from . import IDIOM, SEND, snippet

snippet(
    "model_to_dict_request",
    IDIOM,
    """
from ding.models import components
req = components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE, locale='fr-FR')
assert req.to_dict() == {'customer_uuid': CUSTOMER, 'phone_number': PHONE, 'locale': 'fr-FR'}
""",
)

snippet(
    "model_to_json_request",
    IDIOM,
    """
import json
from ding.models import components
req = components.FeedbackRequest(customer_uuid=CUSTOMER, phone_number=PHONE, status=components.FeedbackRequestStatus.ONBOARDED)
assert json.loads(req.to_json()) == {'customer_uuid': CUSTOMER, 'phone_number': PHONE, 'status': 'onboarded'}
""",
)

snippet(
    "model_from_dict_request",
    IDIOM,
    """
from ding.models import components
req = components.CreateCheckRequest.from_dict({'customer_uuid': CUSTOMER, 'authentication_uuid': 'a', 'check_code': '1'})
assert req.check_code == '1'
""",
)

snippet(
    "model_from_json_request",
    IDIOM,
    """
from ding.models import components
req = components.CreateAuthenticationRequest.from_json('{"customer_uuid": "%s", "phone_number": "%s", "device_type": "IOS"}' % (CUSTOMER, PHONE))
assert req.device_type == components.DeviceType.IOS
""",
)

snippet(
    "model_to_dict_response_for_logging",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE))
d = res.create_authentication_response.to_dict()
assert d['status'] == 'pending'
assert set(d) == {'authentication_uuid', 'status', 'created_at', 'expires_at'}
""",
)

snippet(
    "model_to_json_response_for_storage",
    IDIOM,
    SEND
    + """
import json
s = ding.Ding(api_key=KEY, server_url=URL)
status = s.otp.get_authentication_status(send(s)).authentication_status_response
stored = status.to_json()
data = json.loads(stored)
assert data['phone_number'] == PHONE
assert data['events'][0]['type'] == 'attempt'
""",
)

snippet(
    "model_round_trip_response",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.otp.retry(request=components.RetryAuthenticationRequest(CUSTOMER, send(s))).retry_authentication_response
again = components.RetryAuthenticationResponse.from_json(res.to_json())
assert again.status == res.status and again.created_at == res.created_at
""",
)

snippet(
    "model_from_dict_response_ignores_unknown",
    IDIOM,
    """
from ding.models import components
r = components.CreateCheckResponse.from_dict({'authentication_uuid': 'a', 'status': 'valid', 'new_field': 1})
assert r.status == components.CheckStatus.VALID
""",
)

snippet(
    "model_from_dict_datetime",
    IDIOM,
    """
from ding.models import components
r = components.CreateAuthenticationResponse.from_dict({'created_at': '2024-05-01T12:00:00Z'})
assert r.created_at.year == 2024 and r.created_at.utcoffset().total_seconds() == 0
""",
)

snippet(
    "model_equality",
    IDIOM,
    """
from ding.models import components
a = components.CreateCheckRequest(customer_uuid=CUSTOMER, authentication_uuid='a', check_code='1')
b = components.CreateCheckRequest(customer_uuid=CUSTOMER, authentication_uuid='a', check_code='1')
assert a == b
""",
)

snippet(
    "model_repr",
    IDIOM,
    """
from ding.models import components
assert repr(components.FeedbackResponse(uuid='u')).startswith('FeedbackResponse(')
""",
)

snippet(
    "model_keyword_only_still_works",
    IDIOM,
    """
from ding.models import components
req = components.RetryAuthenticationRequest(authentication_uuid='a', customer_uuid=CUSTOMER)
assert req.customer_uuid == CUSTOMER
""",
)

snippet(
    "model_missing_required_is_type_error",
    IDIOM,
    """
from ding.models import components
try:
    components.CreateCheckRequest(customer_uuid=CUSTOMER)
except TypeError:
    pass
else:
    raise AssertionError('missing fields')
""",
)

snippet(
    "enum_compare_with_string",
    IDIOM,
    SEND
    + """
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE))
assert res.create_authentication_response.status == 'pending'
assert res.create_authentication_response.status == components.Status.PENDING
""",
)

snippet(
    "enum_value_and_name",
    IDIOM,
    """
from ding.models import components
assert components.CheckStatus.VALID.value == 'valid'
assert components.CheckStatus.VALID.name == 'VALID'
assert components.CheckStatus('valid') is components.CheckStatus.VALID
""",
)

snippet(
    "enum_str_is_member_name",
    IDIOM,
    """
from ding.models import components
assert str(components.CheckStatus.VALID) == 'CheckStatus.VALID'
""",
    differs="str() and f-strings of an enum give the wire value ('valid') on every Python",
)

snippet(
    "enum_json_dumps",
    IDIOM,
    """
import json
from ding.models import components
assert json.dumps({'s': components.CheckStatus.VALID}) == '{"s": "valid"}'
""",
)

snippet(
    "datetime_aware_from_api",
    IDIOM,
    SEND
    + """
from datetime import datetime, timezone
s = ding.Ding(api_key=KEY, server_url=URL)
res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=PHONE)).create_authentication_response
assert res.created_at.tzinfo is not None
assert res.expires_at > res.created_at
assert (res.expires_at - datetime.now(timezone.utc)).total_seconds() > -86400 * 365
""",
)

snippet(
    "datetime_naive_stays_naive",
    IDIOM,
    """
from ding.models import components
r = components.CreateAuthenticationResponse.from_dict({'created_at': '2024-05-01T12:00:00'})
assert r.created_at.tzinfo is None
""",
    differs="a naive timestamp is read as UTC (timezone-aware), as the API means it",
)
