import httpx
import pytest
from google.genai import errors

from graph.router.failures import classify, redact
from tests import fake_gemini as fg


def api_error(behaviour: fg.Behaviour, key: str = "fake-key") -> errors.APIError:
    body = behaviour.payload(fg.Call(model="gemini-2.5-flash-lite", key=key, body=None))
    cls = errors.ClientError if behaviour.status < 500 else errors.ServerError
    return cls(behaviour.status, body)


def wrapped(error: Exception) -> Exception:
    """How langchain-google-genai raises it: its own exception, the SDK's on __cause__."""
    try:
        raise RuntimeError("Error calling model") from error
    except RuntimeError as exc:
        return exc


@pytest.mark.parametrize(
    ("behaviour", "kind", "delay"),
    [
        (fg.quota_per_day("gemini-2.5-flash-lite"), "per_day", 36.0),
        (fg.quota_per_minute("gemini-2.5-flash-lite", "7s"), "per_minute", 7.0),
        (fg.not_found("gemini-1.5-flash"), "not_found", None),
        (fg.invalid_key(), "bad_key", None),
        (fg.permission_denied(), "bad_key", None),
        (fg.server_error(), "server", None),
        (fg.overloaded(), "server", None),
        (
            fg.status(400, {"error": {"code": 400, "message": "too long", "status": "INVALID_ARGUMENT"}}),
            "bad_request",
            None,
        ),
    ],
)
def test_reads_gemini_error_details(behaviour: fg.Behaviour, kind: str, delay: float | None) -> None:
    failure = classify(wrapped(api_error(behaviour)))
    assert failure.kind == kind
    assert failure.retry_delay_s == delay


def test_the_403_message_loses_its_key() -> None:
    key = "AIzaSyA-0123456789abcdefghijklmnopqrstu"
    failure = classify(api_error(fg.permission_denied(), key=key), secrets=[key])
    assert key not in failure.message and "api_key:<redacted>" in failure.message


def test_redacts_key_shapes_it_was_not_told_about() -> None:
    assert "AIza" not in redact("bad key AIzaSyA-0123456789abcdefghijklmnopqrstu here")


def test_network_errors() -> None:
    request = httpx.Request("POST", "http://127.0.0.1:1")
    assert classify(httpx.ConnectError("refused", request=request)).kind == "network"
    assert classify(httpx.ReadTimeout("slow", request=request)).kind == "timeout"
    # A connection that broke after the request went out reached the server: a transient server failure.
    assert classify(httpx.ReadError("reset", request=request)).kind == "server"
    assert classify(httpx.RemoteProtocolError("closed", request=request)).kind == "server"


def test_dns_failure_is_unreachable_not_quota() -> None:
    import socket

    request = httpx.Request("POST", "http://gemini.invalid")
    try:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request) from socket.gaierror(-2, "x")
    except httpx.ConnectError as exc:
        failure = classify(exc)
    assert failure.kind == "network" and failure.message.startswith("endpoint unreachable")


def test_unknown_errors_are_bugs_not_policy() -> None:
    with pytest.raises(ZeroDivisionError):
        classify(ZeroDivisionError("bug"))
