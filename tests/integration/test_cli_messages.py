"""The command line says what to do: usage, help, rate limits, waits, unreachable hosts,
the command's own words; and ``ding webhooks listen``. Real subprocesses, as users run it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from ding.testing import FakeDing
from ding.webhooks import parse_event

from ..reliability._actions import reply
from ..reliability._servers import ScriptServer
from .test_cli import CUSTOMER, run

PHONE = "+14155550123"


@pytest.fixture
def env(fake: FakeDing) -> dict[str, str]:
    return {"DING_API_KEY": "k", "DING_CUSTOMER_UUID": CUSTOMER, "DING_SERVER_URL": fake.url}


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# -- usage and help -----------------------------------------------------------------------


def test_ding_alone_prints_usage() -> None:
    done = run()
    assert done.returncode == 2
    assert done.stderr.startswith("usage: ding")
    for command in ("send", "check", "retry", "feedback", "status", "lookup", "demo", "webhooks"):
        assert re.search(rf"^\s+{command}\s", done.stderr, re.MULTILINE), command


@pytest.mark.parametrize("args", [("--help",), ("send", "--help"), ("lookup", "--help")])
def test_help_names_the_environment_and_the_exit_codes(args: tuple[str, ...]) -> None:
    done = run(*args)
    assert done.returncode == 0
    for name in ("DING_API_KEY", "DING_CUSTOMER_UUID", "DING_SERVER_URL", "DING_LOG"):
        assert name in done.stdout, name
    assert "exit status:" in done.stdout
    for status in ("0 ", "1 ", "2 ", "130"):
        assert re.search(rf"^\s+{status}", done.stdout, re.MULTILINE), status


# -- what went wrong, and what to do ------------------------------------------------------


def test_a_rate_limit_says_when_to_retry(fake: FakeDing, env: dict[str, str]) -> None:
    fake.fail_next(1, 429, retry_after=120)
    done = run("send", PHONE, env=env)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith("ding send: rate limited by Ding (HTTP 429)")
    assert re.search(r"try again in 2 min \(at \d\d:\d\d:\d\d UTC\)$", line), line
    assert len(fake.requests_to("create_authentication")) == 1


def test_a_rate_limit_without_retry_after_says_later(fake: FakeDing, env: dict[str, str]) -> None:
    fake.fail_next(10, 429)
    done = run("status", "3c8b3a46-881e-4cdd-93a6-f7f238bf020a", env=env)
    assert done.returncode == 1
    assert "try again later (Ding did not say when)" in one_line(done.stderr)


def test_a_wait_for_retry_after_is_announced(fake: FakeDing, env: dict[str, str]) -> None:
    fake.fail_next(1, 429, retry_after=2)
    done = run("send", PHONE, "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert (
        one_line(done.stderr) == "ding send: rate limited (HTTP 429); retrying in 2 s (attempt 2)"
    )
    assert json.loads(done.stdout)["status"] == "pending"


def test_on_a_terminal_the_wait_counts_down(fake: FakeDing, env: dict[str, str]) -> None:
    import pty

    fake.fail_next(1, 429, retry_after=3)
    main, secondary = pty.openpty()
    base = {k: v for k, v in os.environ.items() if not k.startswith("DING_")}
    with subprocess.Popen(
        [sys.executable, "-m", "ding", "send", PHONE],
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        env={**base, **env},
    ) as process:
        os.close(secondary)
        output = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                chunk = os.read(main, 1024)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            output += chunk
        process.wait(30)
    os.close(main)
    text = output.decode()
    assert process.returncode == 0, text
    for remaining in ("3 s", "2 s", "1 s"):
        assert f"\rding send: rate limited (HTTP 429); retrying in {remaining}" in text, text
    assert "retrying in now" in text


def test_connection_errors_name_the_host_and_the_reason(env: dict[str, str]) -> None:
    env = {**env, "DING_SERVER_URL": "http://127.0.0.1:9/v1"}
    done = run("send", PHONE, env=env)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith("ding send: cannot reach 127.0.0.1:9: connection refused")


def test_a_timeout_on_send_warns_the_code_may_be_on_its_way(
    fake: FakeDing, env: dict[str, str]
) -> None:
    fake.delay_next(1, 30, path="create_authentication")
    done = run("send", PHONE, "--timeout", "0.5", env=env)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith(f"ding send: no answer from 127.0.0.1:{fake.port} in time")
    assert "may have been sent" in line
    assert len(fake.requests_to("create_authentication")) == 1, "not retried blind"


@pytest.mark.parametrize(
    ("args", "operation"),
    [
        (("send", PHONE), "create-authentication"),
        (("status", "3c8b3a46-881e-4cdd-93a6-f7f238bf020a"), "getAuthenticationStatus"),
        (("check", "3c8b3a46-881e-4cdd-93a6-f7f238bf020a", "1234"), "create-check"),
    ],
)
def test_messages_use_the_commands_words(
    fake: FakeDing, env: dict[str, str], args: tuple[str, ...], operation: str
) -> None:
    fake.drop_next(10)
    done = run(*args, env=env)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith(f"ding {args[0]}: ")
    assert operation not in line
    assert "Error" not in line, "no exception class names"


def test_an_api_error_says_what_ding_refused(env: dict[str, str]) -> None:
    done = run("check", "3c8b3a46-881e-4cdd-93a6-f7f238bf020a", "123456", env=env)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith("ding check: Ding refused it (HTTP 400 Bad Request): invalid_auth_uuid")


def test_a_proxy_page_is_not_dumped_on_the_terminal(fake: FakeDing, env: dict[str, str]) -> None:
    fake.non_json_next(10)
    done = run("status", "3c8b3a46-881e-4cdd-93a6-f7f238bf020a", env=env)
    line = one_line(done.stderr)
    assert line.startswith("ding status: Ding failed (HTTP 502 Bad Gateway)")
    assert "<html>" not in line and line.endswith("try again later")


def test_bad_input_says_nothing_was_sent(fake: FakeDing, env: dict[str, str]) -> None:
    done = run("send", "0612345678", env=env)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert line.startswith("ding send: phone_number: expected an E.164 phone number")
    assert line.endswith("nothing was sent")
    assert "0612345678" not in line
    assert fake.requests == []


def test_a_warning_is_one_line_too(env: dict[str, str]) -> None:
    env = {**env, "DING_SERVER_URL": "http://192.0.2.1:9/v1"}
    done = run("lookup", PHONE, "--timeout", "0.3", env=env)
    warning, error = done.stderr.strip().splitlines()
    assert warning.startswith("ding: warning: plain-http server URL")
    assert error.startswith("ding lookup: ")


# -- ding webhooks listen -------------------------------------------------------------------


@contextlib.contextmanager
def listening(*options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DING_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "ding", "webhooks", "listen", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=base,
    )
    try:
        assert process.stderr is not None
        banner = process.stderr.readline()
        match = re.match(r"ding webhooks listen: receiving on (\S+) \(Ctrl-C to stop\)", banner)
        assert match, banner
        yield process, match.group(1)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


@pytest.fixture
def listener() -> Iterator[tuple[subprocess.Popen[str], str]]:
    with listening("--fail", "1") as started:
        yield started


def test_webhooks_listen_json_prints_each_event_as_its_json(
    fake: FakeDing, env: dict[str, str]
) -> None:
    with listening("--json") as (process, url):
        sent = run("send", PHONE, "--callback-url", url, env=env)
        assert sent.returncode == 0, sent.stderr
        fake.webhooks.wait()
        assert process.stdout is not None
        lines = [json.loads(process.stdout.readline()) for _ in range(2)]
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    delivered = {d.event_id: d.event for d in fake.webhooks.deliveries}
    for line in lines:
        assert (line["status"], line["error"]) == (200, None)
        sent_event = parse_event(delivered[line["event"]["id"]])
        assert parse_event(line["event"]) == sent_event, "the event Ding sent, as JSON"


def test_webhooks_listen_prints_each_event(
    fake: FakeDing, env: dict[str, str], listener: tuple[subprocess.Popen[str], str]
) -> None:
    process, url = listener
    sent = run("send", PHONE, "--callback-url", url, "--json", env=env)
    assert sent.returncode == 0, sent.stderr
    auth_uuid = json.loads(sent.stdout)["authentication_uuid"]
    assert fake.requests_to("create_authentication")[0].json["callback_url"] == url
    fake.webhooks.wait()
    assert process.stdout is not None
    lines = [process.stdout.readline().rstrip("\n") for _ in range(3)]
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert err == "ding webhooks listen: stopped\n"
    assert out == ""
    refused, attempt, again = lines
    assert refused.startswith("-> 500 (injected failure)  authentication id=")
    assert attempt.startswith("-> 200  attempt id=") and "attempt_number=1" in attempt
    assert again.startswith("-> 200  authentication id=")
    assert refused.split()[5] == again.split()[3], "the same id, redelivered"
    for line in lines:
        assert f"auth_uuid={auth_uuid}" in line
        assert PHONE not in line and "+14*******23" in line


def test_webhooks_listen_reports_a_busy_port() -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        done = run("webhooks", "listen", "--port", str(port))
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in one_line(done.stderr)


# -- what a failure may have done, and who failed -----------------------------------------


def test_a_timeout_on_check_says_the_check_may_have_counted(
    fake: FakeDing, env: dict[str, str]
) -> None:
    """A check is not retried after a lost answer: the advice is not a blind "try again",
    which would answer `already_validated` for the right code."""
    sent = run("send", PHONE, "--json", env=env)
    auth = json.loads(sent.stdout)["authentication_uuid"]
    fake.delay_next(1, 30, path="check")
    done = run("check", auth, fake.code_for(auth), "--timeout", "0.5", env=env)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert "the check may have counted" in line and "ding status" in line
    assert "try again" not in line
    assert len(fake.requests_to("check")) == 1


def test_a_proxy_refusal_names_the_proxy_not_the_network(env: dict[str, str]) -> None:
    """A proxy answering 407: its words and where to fix it, not "cannot reach" the API."""
    with ScriptServer() as proxy:
        proxy.always(reply(407, b"", {"Proxy-Authenticate": 'Basic realm="p"'}))
        proxy_url = proxy.url.removesuffix("/v1")
        done = run(
            "lookup",
            PHONE,
            env={**env, "DING_SERVER_URL": "http://127.0.0.1:9/v1", "HTTP_PROXY": proxy_url},
        )
        assert proxy.count() == 1, "a proxy's refusal is not retried"
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith(f"ding lookup: the proxy {proxy_url} answered 407"), line
    assert line.endswith("Check HTTPS_PROXY / HTTP_PROXY")
    assert "cannot reach" not in line and "lookup:" not in line.removeprefix("ding lookup:")


def test_an_oversized_answer_asks_whether_the_server_is_ding(env: dict[str, str]) -> None:
    with ScriptServer() as server:
        server.always(reply(200, b"x" * (11 * 1024 * 1024)))
        done = run("lookup", PHONE, env={**env, "DING_SERVER_URL": server.url})
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith("ding lookup: the answer is larger than max_response_size"), line
    assert line.endswith("Ding's API? Check DING_SERVER_URL (or --server-url)")
