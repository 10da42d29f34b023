"""The official client's import paths and names."""

from __future__ import annotations

from . import IDIOM, snippet

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
