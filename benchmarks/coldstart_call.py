"""What a cron script or a CLI invocation does: import, build a client, make one call, exit.

    python benchmarks/coldstart_call.py URL

The same text runs against this project (`ding` from the working tree) and against the
official `ding-api-client` (its own venv): both import as `ding` and share this API. The
runner times the whole process from outside, so nothing here is timed; it only prints the
identifier it got back so the runner can check a real call happened. Nothing else is imported
here: it would be charged to both clients alike and dilute the ratio.

Over HTTPS (see `tls.py`) the official client is given a `requests.Session` that trusts
`BENCH_CA_BUNDLE` (certifi's bundle plus the benchmark CA), the documented way to set its
CA; this project reads the same kind of bundle through `SSL_CERT_FILE`, set by the runner.
"""

import os
import sys

import ding
from ding.models import components

options = {}
bundle = os.environ.get("BENCH_CA_BUNDLE")
if bundle and not hasattr(ding, "AsyncDing"):  # the official client (it has no AsyncDing)
    import requests

    session = requests.Session()
    session.verify = bundle
    options["client"] = session

client = ding.Ding(api_key="bench-api-key", server_url=sys.argv[1] + "/v1", **options)
response = client.otp.create_authentication(
    request=components.CreateAuthenticationRequest(
        customer_uuid="c9f826e0-deca-41ec-871f-ecd6e8efeb46", phone_number="+1234567890"
    )
)
payload = response.create_authentication_response
print(payload.authentication_uuid if payload is not None else None)
