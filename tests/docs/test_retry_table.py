"""The retry table of docs/retries-and-timeouts.md says what the code does: every operation is
in it once, with its method, and the column of outcomes where the server may have acted says
"retried" exactly for the endpoints declared idempotent; the statuses named in each column
are classified that way by the retry policy. (Reads the Markdown: no built site needed.)"""

from __future__ import annotations

import re

from ding import _endpoints as ep
from ding._resources import AsyncLookup, AsyncOtp
from ding._retry import Outcome, classify_status

from .conftest import REPO

PAGE = REPO / "docs" / "retries-and-timeouts.md"
MARKER = "<!-- retry-table -->"
ENDPOINTS = {
    "otp.create_authentication": ep.CREATE_AUTHENTICATION,
    "otp.retry": ep.RETRY,
    "otp.check": ep.CHECK,
    "otp.feedback": ep.FEEDBACK,
    "otp.get_authentication_status": ep.GET_AUTHENTICATION_STATUS,
    "lookup.lookup": ep.LOOKUP,
}


def _table() -> list[list[str]]:
    text = PAGE.read_text(encoding="utf-8")
    lines = text[text.index(MARKER) + len(MARKER) :].strip().splitlines()
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return [rows[0], *rows[2:]]  # without the |---| line


def test_every_operation_is_in_the_table_once() -> None:
    operations = [row[0].strip("`") for row in _table()[1:]]
    assert sorted(operations) == sorted(ENDPOINTS)
    public = {f"otp.{n}" for n in vars(AsyncOtp) if not n.startswith("_")}
    public |= {f"lookup.{n}" for n in vars(AsyncLookup) if not n.startswith("_")}
    assert public == set(ENDPOINTS)


def test_each_row_matches_the_endpoint_declaration() -> None:
    for name, method, did_not_act, may_have_acted, final in _table()[1:]:
        endpoint = ENDPOINTS[name.strip("`")]
        assert method == endpoint.method, name
        assert did_not_act == "retried", name
        assert final == "not retried", name
        if endpoint.idempotent:
            assert may_have_acted == "retried", name
        else:
            assert may_have_acted.startswith("**not retried**"), name
            assert "retry_ambiguous=True" in may_have_acted, name


def test_the_statuses_of_each_column_are_classified_that_way() -> None:
    header = _table()[0]
    expected = {2: Outcome.SAFE, 3: Outcome.AMBIGUOUS}
    for column, outcome in expected.items():
        statuses = [int(s) for s in re.findall(r"\b[45]\d\d\b", header[column])]
        assert statuses, header[column]
        assert all(classify_status(s) is outcome for s in statuses), (statuses, outcome)
    assert "any other 4xx" in header[4]
    assert classify_status(404) is Outcome.FINAL and classify_status(407) is Outcome.FINAL
