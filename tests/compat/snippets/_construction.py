"""Building clients the ways official-client code does."""

from __future__ import annotations

from . import IDIOM, snippet

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
