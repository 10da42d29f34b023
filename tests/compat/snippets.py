"""Code written against the official client, ``ding-api-client`` 3.9.120, as snippets.

The official README and docs pages (``server_url=URL`` added so they reach the fake), and the
habits of code and tests written against that client: construction from settings, model
helpers, ``raw_response`` as a ``requests.Response``, error handlers, mocks. The same
snippets run unchanged on both clients (``run_snippets.py`` takes an interpreter's ``ding``;
``test_snippets.py`` runs them on ours in CI).

This module imports nothing but the standard library: the official client's venv loads it.
A snippet sees ``URL`` (a running fake, which accepts only the key ``KEY``), ``KEY``,
``CUSTOMER`` and ``PHONE``. A snippet with ``differs`` documents a behaviour ours changes on
purpose (docs/migrating.md says how to get the official one back): CI asserts it fails on ours.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Snippet:
    name: str
    source: str
    """Where it comes from: the official README or docs page, or "idiom"."""
    code: str
    differs: str | None = None
    """Why ours deliberately behaves otherwise (the snippet is expected to fail on ours)."""


SNIPPETS: list[Snippet] = []


def snippet(name: str, source: str, code: str, differs: str | None = None) -> None:
    if any(s.name == name for s in SNIPPETS):
        raise ValueError(f"duplicate snippet name {name!r}")
    SNIPPETS.append(Snippet(name, source, textwrap.dedent(code).strip() + "\n", differs))


README = "official README"
OTP_DOCS = "official docs/sdks/otp"
LOOKUP_DOCS = "official docs/sdks/lookup"
MODEL_DOCS = "official docs/models"
IDIOM = "idiom"

# A helper many snippets start from: send a code, return the authentication uuid.
SEND = """
import ding
from ding.models import components, errors, operations

def send(s, phone=PHONE, customer=CUSTOMER):
    res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(
        customer_uuid=customer, phone_number=phone))
    return res.create_authentication_response.authentication_uuid
"""

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

# --- construction ----------------------------------------------------------------------

snippet(
    "ctor_positional_api_key",
    IDIOM,
    """
import ding
s = ding.Ding(KEY, server_url=URL)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_positional_official_order",
    IDIOM,
    """
import ding
s = ding.Ding(KEY, None, URL, None, None, None)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_positional_server_idx_then_url",
    IDIOM,
    """
import ding
s = ding.Ding(KEY, 0, URL)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_all_none_from_settings",
    IDIOM,
    """
import ding
settings = {"DING_SERVER_IDX": None, "DING_URL_PARAMS": None, "DING_RETRY": None}
s = ding.Ding(
    api_key=KEY,
    server_idx=settings["DING_SERVER_IDX"],
    server_url=URL,
    url_params=settings["DING_URL_PARAMS"],
    client=None,
    retry_config=settings["DING_RETRY"],
)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_server_url_none_means_default",
    IDIOM,
    """
import ding
s = ding.Ding(api_key=KEY, server_url=None, server_idx=None)
""",
)

snippet(
    "ctor_kwargs_from_dict",
    IDIOM,
    """
import ding
options = {"api_key": KEY, "server_url": URL, "retry_config": None, "client": None}
s = ding.Ding(**options)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_callable_api_key",
    IDIOM,
    """
import ding
calls = []
def key():
    calls.append(1)
    return KEY
s = ding.Ding(api_key=key, server_url=URL)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
assert calls
""",
)

snippet(
    "ctor_url_params_template",
    IDIOM,
    """
import ding
template = URL.rsplit('/', 1)[0] + '/{version}'
s = ding.Ding(api_key=KEY, server_url=template, url_params={'version': 'v1'})
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_server_url_trailing_slash",
    IDIOM,
    """
import ding
s = ding.Ding(api_key=KEY, server_url=URL + '/')
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_empty_key_at_import_time",
    IDIOM,
    """
import os
import ding
from ding.models import errors
os.environ.pop('DING_API_KEY', None)
s = ding.Ding(api_key=os.environ.get('DING_API_KEY', ''), server_url=URL)   # CI: no secret
try:
    s.lookup.lookup(PHONE, CUSTOMER)
except errors.SDKError as e:
    assert e.status_code == 401
else:
    raise AssertionError("a call without a key fails")
""",
)

snippet(
    "ctor_none_key_at_import_time",
    IDIOM,
    """
import os
import ding
from ding.models import errors
os.environ.pop('DING_API_KEY', None)
s = ding.Ding(api_key=os.environ.get('DING_API_KEY'), server_url=URL)
try:
    s.lookup.lookup(PHONE, CUSTOMER)
except errors.SDKError as e:
    pass
else:
    raise AssertionError("a call without a key fails")
""",
)

snippet(
    "ctor_wrong_key_is_sdk_error",
    IDIOM,
    """
import ding
from ding.models import errors
s = ding.Ding(api_key='wrong', server_url=URL)
try:
    s.lookup.lookup(PHONE, CUSTOMER)
except errors.SDKError as e:
    assert e.status_code == 401
    assert e.raw_response.json()['code'] == 'account_invalid'
""",
)

snippet(
    "ctor_signature_names",
    IDIOM,
    """
import inspect
import ding
names = list(inspect.signature(ding.Ding).parameters)
assert names[:6] == ['api_key', 'server_idx', 'server_url', 'url_params', 'client', 'retry_config'], names
""",
)

snippet(
    "ctor_retry_config_docs_example",
    IDIOM,
    """
import ding
from ding.utils import BackoffStrategy, RetryConfig
s = ding.Ding(
    api_key=KEY, server_url=URL,
    retry_config=RetryConfig('backoff', BackoffStrategy(1, 50, 1.1, 100), False),
)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_retry_config_one_hour",
    IDIOM,
    """
import ding
from ding.utils import retries
s = ding.Ding(api_key=KEY, server_url=URL, retry_config=retries.RetryConfig(
    'backoff', retries.BackoffStrategy(500, 60000, 1.5, 3600000), True))
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_retry_config_none_strategy",
    IDIOM,
    """
import ding
from ding.utils import RetryConfig
s = ding.Ding(api_key=KEY, server_url=URL, retry_config=RetryConfig('none', None, False))
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_retry_config_positional",
    IDIOM,
    """
import ding
from ding.utils import BackoffStrategy, RetryConfig
s = ding.Ding(KEY, None, URL, None, None, RetryConfig('backoff', BackoffStrategy(1, 5, 2, 50), True))
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_client_session_verify_path",
    IDIOM,
    """
import ssl
import ding
import requests
http_client = requests.Session()
http_client.verify = ssl.get_default_verify_paths().cafile or True
s = ding.Ding(api_key=KEY, server_url=URL, client=http_client)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_client_session_trust_env_off",
    IDIOM,
    """
import ding
import requests
http_client = requests.Session()
http_client.trust_env = False
s = ding.Ding(api_key=KEY, server_url=URL, client=http_client)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_client_session_user_agent",
    IDIOM,
    """
import ding
import requests
http_client = requests.Session()
http_client.headers['User-Agent'] = 'my-app/1.0'
s = ding.Ding(api_key=KEY, server_url=URL, client=http_client)
res = s.lookup.lookup(PHONE, CUSTOMER)
assert res.status_code == 200
""",
)

snippet(
    "ctor_client_session_empty_proxies",
    IDIOM,
    """
import ding
import requests
http_client = requests.Session()
http_client.proxies = {}
s = ding.Ding(api_key=KEY, server_url=URL, client=http_client)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "ctor_client_session_mounted_retry_adapter",
    IDIOM,
    """
import ding
import requests
from requests.adapters import HTTPAdapter
http_client = requests.Session()
http_client.mount('https://', HTTPAdapter(max_retries=3))
s = ding.Ding(api_key=KEY, server_url=URL, client=http_client)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
    differs="a mounted adapter cannot be carried onto aiohttp: refused with a ValidationError "
    "(use retry_config / max_retries / connection_limit)",
)

snippet(
    "ctor_client_session_auth",
    IDIOM,
    """
import ding
import requests
http_client = requests.Session()
http_client.auth = ('user', 'pass')
s = ding.Ding(api_key=KEY, server_url=URL, client=http_client)
""",
    differs="session auth would send a second credential: refused with a ValidationError",
)

# --- import paths and names --------------------------------------------------------------

snippet(
    "import_sdk_ding",
    IDIOM,
    """
from ding.sdk import Ding
s = Ding(api_key=KEY, server_url=URL)
assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200
""",
)

snippet(
    "import_otp_class",
    IDIOM,
    """
import ding
from ding.otp import Otp
s = ding.Ding(api_key=KEY, server_url=URL)
assert isinstance(s.otp, Otp)
""",
)

snippet(
    "import_lookup_class",
    IDIOM,
    """
import ding
from ding.lookup import Lookup
s = ding.Ding(api_key=KEY, server_url=URL)
assert isinstance(s.lookup, Lookup)
""",
)

snippet(
    "import_top_level_otp_lookup",
    IDIOM,
    """
import ding
s = ding.Ding(api_key=KEY, server_url=URL)
assert isinstance(s.otp, ding.Otp) and isinstance(s.lookup, ding.Lookup)
""",
)

snippet(
    "import_module_attributes_after_import_ding",
    IDIOM,
    """
import ding
assert ding.sdk.Ding is ding.Ding
assert ding.otp.Otp is ding.Otp
assert ding.lookup.Lookup is ding.Lookup
assert ding.sdkconfiguration.SERVERS[0] == 'https://api.ding.live/v1'
""",
)

snippet(
    "import_sdkconfiguration_servers",
    IDIOM,
    """
from ding.sdkconfiguration import SERVERS
assert SERVERS[0] == 'https://api.ding.live/v1'
""",
)

snippet(
    "import_top_level_servers",
    IDIOM,
    """
import ding
assert ding.SERVERS[0] == 'https://api.ding.live/v1'
assert len(ding.SERVERS) == 1
""",
)

snippet(
    "import_retry_config_from_ding",
    IDIOM,
    """
from ding import RetryConfig
from ding.utils import BackoffStrategy
cfg = RetryConfig('backoff', BackoffStrategy(500, 60000, 1.5, 3600000), True)
assert cfg.backoff.max_elapsed_time == 3600000
""",
)

snippet(
    "import_utils_retries_module",
    IDIOM,
    """
from ding.utils.retries import BackoffStrategy, RetryConfig
cfg = RetryConfig(strategy='backoff', backoff=BackoffStrategy(
    initial_interval=500, max_interval=60000, exponent=1.5, max_elapsed_time=3600000),
    retry_connection_errors=True)
assert cfg.strategy == 'backoff' and cfg.retry_connection_errors
""",
)

snippet(
    "import_utils_attribute",
    IDIOM,
    """
import ding
cfg = ding.utils.RetryConfig('none', None, False)
assert cfg.strategy == 'none'
""",
)

snippet(
    "retry_config_hashable",
    IDIOM,
    """
from ding.utils import BackoffStrategy, RetryConfig
cfg = RetryConfig('backoff', BackoffStrategy(500, 60000, 1.5, 3600000), True)
assert cfg in {cfg}
assert {cfg: 1}[cfg] == 1
""",
)

snippet(
    "retry_config_mutable",
    IDIOM,
    """
from ding.utils import BackoffStrategy, RetryConfig
cfg = RetryConfig('backoff', BackoffStrategy(500, 60000, 1.5, 3600000), True)
cfg.retry_connection_errors = False
cfg.backoff.max_interval = 1000
assert cfg.backoff.max_interval == 1000
""",
)

snippet(
    "import_components_names",
    IDIOM,
    """
from ding.models.components import (
    Attempt, AuthenticationStatusResponse, AuthenticationStatusResponseDeviceType,
    AuthenticationStatusResponseSchemasEventsType, AuthenticationStatusResponseSchemasStatus,
    AuthenticationStatusResponseSchemasType, AuthenticationStatusResponseStatus,
    AuthenticationStatusResponseType, BalanceUpdate, BalanceUpdateType, Capability, Check,
    CheckStatus, CreateAuthenticationRequest, CreateAuthenticationResponse, CreateCheckRequest,
    CreateCheckResponse, DeliveryStatus, DeviceType, Events, FeedbackRequest,
    FeedbackRequestStatus, FeedbackResponse, LineType, LookupResponse,
    RetryAuthenticationRequest, RetryAuthenticationResponse, RetryAuthenticationResponseStatus,
    Signals, Status, Type,
)
""",
)

snippet(
    "import_components_star",
    IDIOM,
    """
from ding.models.components import *
assert CreateAuthenticationRequest and CheckStatus and FeedbackRequestStatus
assert AuthenticationStatusResponseSchemasStatus.DELIVERED == 'delivered'
""",
)

snippet(
    "enum_generated_names_values",
    IDIOM,
    """
from ding.models import components
assert components.AuthenticationStatusResponseSchemasStatus.UNDELIVERABLE.value == 'undeliverable'
assert components.AuthenticationStatusResponseSchemasType.DELIVERY_STATUS.value == 'delivery_status'
assert components.AuthenticationStatusResponseSchemasEventsType.BALANCE_UPDATE.value == 'balance_update'
assert components.AuthenticationStatusResponseType.CHECK.value == 'check'
assert components.AuthenticationStatusResponseStatus.EXPIRED.value == 'expired'
assert components.AuthenticationStatusResponseDeviceType.IPADOS.value == 'IPADOS'
assert components.Type.ATTEMPT.value == 'attempt'
assert components.Status.SPAM_DETECTED.value == 'spam_detected'
""",
)

snippet(
    "import_operations_names",
    IDIOM,
    """
from ding.models.operations import (
    CheckResponse, CreateAuthenticationResponse, FeedbackResponse,
    GetAuthenticationStatusRequest, GetAuthenticationStatusResponse, LookupRequest,
    LookupResponse, RetryResponse, Type,
)
""",
)

snippet(
    "operations_request_models",
    IDIOM,
    """
from ding.models import operations
req = operations.LookupRequest(phone_number=PHONE, customer_uuid=CUSTOMER, type=[operations.Type.CNAM])
assert req.type == [operations.Type.CNAM]
assert operations.LookupRequest(PHONE, CUSTOMER).type is None
assert operations.GetAuthenticationStatusRequest(auth_uuid='x').auth_uuid == 'x'
""",
)

snippet(
    "import_errors_names",
    IDIOM,
    """
from ding.models.errors import Code, ErrorResponse, SDKError
assert Code('invalid_phone_number') is Code.INVALID_PHONE_NUMBER
""",
)

snippet(
    "import_models_package",
    IDIOM,
    """
import ding.models
from ding.models import components, errors, operations
assert ding.models.components is components
""",
)

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
