"""Error handlers written for the official client."""

from __future__ import annotations

from . import IDIOM, snippet

# --- errors --------------------------------------------------------------------------------

snippet(
    "error_response_fields",
    IDIOM,
    """
import ding
from ding.models import components, errors
s = ding.Ding(api_key=KEY, server_url=URL)
try:
    s.lookup.lookup(phone_number='+1', customer_uuid=CUSTOMER)
except errors.ErrorResponse as e:
    assert e.code == errors.Code.INVALID_PHONE_NUMBER
    assert isinstance(e.message, str)
    assert e.code.value == 'invalid_phone_number'
""",
)

snippet(
    "error_code_string_compare",
    IDIOM,
    """
import ding
from ding.models import components, errors
s = ding.Ding(api_key=KEY, server_url=URL)
try:
    s.lookup.lookup(phone_number='12345', customer_uuid=CUSTOMER)
except errors.ErrorResponse as e:
    if e.code == 'invalid_phone_number':
        handled = True
assert handled
""",
)

snippet(
    "error_api_error_object_from_server",
    IDIOM,
    """
import ding
from ding.models import components, errors
s = ding.Ding(api_key=KEY, server_url=URL)
try:
    s.otp.create_authentication(request=components.CreateAuthenticationRequest(
        customer_uuid=CUSTOMER, phone_number='+12025550104'))
except errors.ErrorResponse as e:
    assert e.code == errors.Code.BLOCKED_NUMBER
    assert e.doc_url
""",
)

snippet(
    "error_sdk_error_first_in_handler",
    IDIOM,
    """
import ding
from ding.models import components, errors
s = ding.Ding(api_key=KEY, server_url=URL)
caught = None
try:
    s.otp.create_authentication(request=components.CreateAuthenticationRequest(
        customer_uuid=CUSTOMER, phone_number='+12025550104'))
except errors.SDKError:
    caught = 'sdk'
except errors.ErrorResponse:
    caught = 'error_response'
assert caught == 'error_response'
""",
    differs="ErrorResponse is a subclass of SDKError: an `except SDKError` placed first catches it",
)

snippet(
    "error_sdk_error_str",
    IDIOM,
    """
import ding
from ding.models import errors
s = ding.Ding(api_key='wrong', server_url=URL)
try:
    s.lookup.lookup(PHONE, CUSTOMER)
except errors.SDKError as e:
    assert str(e).startswith('API error occurred: Status 401')
""",
    differs="a 401 whose body is the API's error object is an ErrorResponse; its str() is "
    "the error object as JSON plus the status",
)

snippet(
    "error_response_str_is_json",
    IDIOM,
    """
import json
import ding
from ding.models import errors
s = ding.Ding(api_key=KEY, server_url=URL)
try:
    s.lookup.lookup('+1', CUSTOMER)
except errors.ErrorResponse as e:
    assert json.loads(str(e))['code'] == 'invalid_phone_number'
""",
    differs="str(ErrorResponse) adds ' (status N)' after the JSON; an input refused before "
    "I/O (ValidationError) reads as its message",
)

snippet(
    "error_sdk_error_constructor",
    IDIOM,
    """
from ding.models import errors
e = errors.SDKError('API error occurred', 500, 'oops', None)
assert e.status_code == 500 and e.body == 'oops' and e.message == 'API error occurred'
assert str(e) == 'API error occurred: Status 500\\noops'
""",
)

snippet(
    "error_response_constructor",
    IDIOM,
    """
from ding.models import errors
e = errors.ErrorResponse(code=errors.Code.BAD_REQUEST, message='nope', doc_url='https://x')
assert e.code == 'bad_request' and e.message == 'nope'
try:
    raise e
except errors.ErrorResponse as caught:
    assert caught is e
""",
)

snippet(
    "error_response_positional",
    IDIOM,
    """
from ding.models import errors
e = errors.ErrorResponse(errors.Code.NEGATIVE_BALANCE, 'no money')
assert e.code is errors.Code.NEGATIVE_BALANCE and e.doc_url is None
""",
)

snippet(
    "error_is_exception",
    IDIOM,
    """
from ding.models import errors
assert issubclass(errors.SDKError, Exception) and issubclass(errors.ErrorResponse, Exception)
""",
)

snippet(
    "error_pickle_for_celery",
    IDIOM,
    """
import pickle
from ding.models import errors
e = errors.SDKError('API error occurred', 500, 'oops', None)
again = pickle.loads(pickle.dumps(e))
assert again.status_code == 500 and again.body == 'oops'
""",
)

snippet(
    "error_logging_exception",
    IDIOM,
    """
import logging
import ding
from ding.models import errors
s = ding.Ding(api_key='wrong', server_url=URL)
try:
    s.lookup.lookup(PHONE, CUSTOMER)
except errors.SDKError:
    logging.getLogger('app').debug('ding failed', exc_info=True)
""",
)
