"""Classify what a model call raised into the router's policy rows, reading Gemini's structured details.

langchain-google-genai wraps the SDK's `google.genai.errors.APIError` and keeps it on `__cause__`; its
`.details` is the whole JSON error body, whose `error.details` list carries QuotaFailure, RetryInfo and
ErrorInfo. Messages are redacted here, because Gemini's own 403 message quotes the API key.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Literal

FailureKind = Literal[
    "per_day",  # 429 with a PerDay quotaId: the bucket is out until midnight Pacific
    "per_minute",  # 429 with a PerMinute quotaId (or none): cool the bucket for retryDelay
    "not_found",  # 404: the model is retired for every key
    "bad_key",  # 400 API_KEY_INVALID, 401, 403 PERMISSION_DENIED/suspended: disable the key
    "server",  # 500/502/503/504 and overload: back off, next deployment, no penalty
    "timeout",  # the endpoint hangs: it is left alone for a while
    "network",  # connection refused, DNS failure: the endpoint is unreachable (no request reached it)
    "safety",  # finish reason SAFETY / a refusal: repair once, then the next model
    "empty",  # no candidates or no text
    "schema",  # output that is not valid JSON for the schema
    "bad_request",  # another 400: the request itself; the next model may take it
    "unavailable",  # no deployment free right now, or the endpoint is left alone (nothing was sent)
    "deadline",  # the run's deadline has passed (nothing was sent)
    "local_limit",  # our own per-bucket limit, reached by a concurrent worker (nothing was sent)
]

_KEY_SHAPE = re.compile(r"AIza[0-9A-Za-z_\-]{20,}")
_QUOTED_KEY = re.compile(r"(api_key:)[^'\"\s]+")


def redact(text: str, secrets: list[str] | None = None) -> str:
    """Remove keys from any text that may reach a log, a state, an exception or the terminal."""
    from graph.settings import fingerprint

    for secret in secrets or []:
        if secret:
            text = text.replace(secret, fingerprint(secret))
    text = _QUOTED_KEY.sub(r"\1<redacted>", text)
    return _KEY_SHAPE.sub("<redacted-key>", text)


@dataclass
class Failure:
    kind: FailureKind
    status: int | None = None
    reason: str = ""
    retry_delay_s: float | None = None
    message: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Failure:
        return cls(**data)

    @property
    def label(self) -> str:
        return f"{self.status} {self.reason}".strip() if self.status else self.reason or self.kind


def _api_error(exc: BaseException):
    from google.genai.errors import APIError

    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        if isinstance(current, APIError):
            return current
        current = current.__cause__ or current.__context__
        seen += 1
    return None


def _duration(value: object) -> float | None:
    """Protobuf Duration as JSON: '36s', '7.1s'."""
    if isinstance(value, str) and value.endswith("s"):
        try:
            return float(value[:-1])
        except ValueError:
            return None
    return None


def _details(body: object) -> list[dict]:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("details"), list):
            return [d for d in inner["details"] if isinstance(d, dict)]
    return []


def from_api_error(code: int, status: str | None, message: str, body: object, secrets: list[str]) -> Failure:
    details = _details(body)
    text = redact(message or "", secrets)[:300]
    by_type = {d.get("@type", "").rsplit(".", 1)[-1]: d for d in details}
    if code == 429:
        quota_ids = [v.get("quotaId", "") for v in by_type.get("QuotaFailure", {}).get("violations", [])]
        delay = _duration(by_type.get("RetryInfo", {}).get("retryDelay"))
        if any("PerDay" in q for q in quota_ids):
            return Failure("per_day", code, status or "RESOURCE_EXHAUSTED", delay, text)
        return Failure("per_minute", code, status or "RESOURCE_EXHAUSTED", delay, text)
    if code == 404:
        return Failure("not_found", code, status or "NOT_FOUND", None, text)
    reason = by_type.get("ErrorInfo", {}).get("reason", "")
    if code in (401, 403) or reason in {"API_KEY_INVALID", "API_KEY_EXPIRED", "CONSUMER_SUSPENDED"}:
        return Failure("bad_key", code, reason or status or "PERMISSION_DENIED", None, text)
    if code >= 500:
        return Failure("server", code, status or "UNAVAILABLE", None, text)
    if code == 408:
        return Failure("timeout", code, status or "DEADLINE_EXCEEDED", None, text)
    return Failure("bad_request", code, status or "INVALID_ARGUMENT", None, text)


def classify(exc: BaseException, secrets: list[str] | None = None) -> Failure:
    secrets = secrets or []
    api = _api_error(exc)
    if api is not None:
        return from_api_error(int(api.code or 0), api.status, api.message or "", api.details, secrets)
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & {"TimeoutException", "ReadTimeout", "ConnectTimeout", "TimeoutError", "WriteTimeout", "PoolTimeout"}:
        return Failure("timeout", None, type(exc).__name__, None, "the request timed out")
    if names & {"RemoteProtocolError", "ReadError", "WriteError"}:
        # The connection broke after the request went out: like a 5xx, it reached the server.
        return Failure("server", None, type(exc).__name__, None, redact(str(exc), secrets)[:200])
    if names & {"ConnectError", "NetworkError", "ConnectionError", "OSError"}:
        return Failure(
            "network", None, type(exc).__name__, None, "endpoint unreachable: " + redact(str(exc), secrets)[:200]
        )
    if names & {"ModelRefusalError"}:
        return Failure("safety", None, "SAFETY", None, "the model refused (finish reason SAFETY)")
    if names & {"OutputParserException", "ValidationError", "JSONDecodeError"} or isinstance(exc, json.JSONDecodeError):
        return Failure("schema", None, "INVALID_OUTPUT", None, redact(str(exc), secrets)[:200])
    raise exc
