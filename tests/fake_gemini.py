"""A fake Gemini Developer API server for tests, on 127.0.0.1 only.

It speaks the subset of the REST protocol that google-genai uses:

* ``POST /{ver}/models/{model}:generateContent``            -> kind "generate"
* ``POST /{ver}/models/{model}:streamGenerateContent?alt=sse`` -> kind "stream" (server-sent events)
* ``GET  /{ver}/models?pageSize=&pageToken=``                -> kind "list" (ListModels, paged)
* anything else                                              -> kind "other" (a 404)

Tests queue behaviours (:func:`ok`, :func:`quota_per_day`, :func:`hang`, ...) with :meth:`FakeGemini.script`.
Error behaviours replay the bodies the real API sends, byte for byte where we have captured them, so the
project's error classification is exercised against reality. Requests nobody scripted for are answered with
:attr:`FakeGemini.responder`; models in :attr:`FakeGemini.retired` answer 404 to everything.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

DEFAULT_MODELS = ["gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash", "gemini-2.5-pro"]
_GENERATE = re.compile(r"^/(?P<ver>[^/]+)/models/(?P<model>[^/:]+):(?P<method>generateContent|streamGenerateContent)$")
_LIST = re.compile(r"^/(?P<ver>[^/]+)/models/?$")
_USAGE = {"promptTokenCount": 5, "candidatesTokenCount": 3, "totalTokenCount": 8}
_RATE_DOCS = "https://ai.google.dev/gemini-api/docs/rate-limits"
_METRIC = "generativelanguage.googleapis.com/generate_content_free_tier_requests"


@dataclass(frozen=True)
class Call:
    """What a behaviour sees of the request it answers."""

    model: str
    key: str | None
    body: dict[str, Any] | None
    version: str = "v1beta"


@dataclass(frozen=True)
class Behaviour:
    """One scripted answer: a success ``text`` (None: ask the responder) or a ``status`` with a ``payload``."""

    name: str
    status: int = 200
    text: str | None = None
    payload: Callable[[Call], dict[str, Any]] | None = None  # the whole JSON body; None: a success with `text`
    hang: bool = False  # block until release_hangs()/stop(), then answer


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str  # as sent, query string included
    kind: str  # "generate" | "stream" | "list" | "other"
    key: str | None
    model: str | None
    body: dict[str, Any] | None
    at: float  # time.monotonic()


def _error(code: int, status: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details is not None:
        error["details"] = details
    return {"error": error}


def _quota(model: str, quota_id: str, limit: str, retry_in: str, retry_delay: str) -> dict[str, Any]:
    message = (
        "You exceeded your current quota, please check your plan and billing details. For more information on this"
        f" error, head to: {_RATE_DOCS}. To monitor your current usage, head to: https://ai.dev/usage?tab=rate-limit."
        f" \n* Quota exceeded for metric: {_METRIC}, limit: {limit}, model: {model}\nPlease retry in {retry_in}."
    )
    violation = {
        "quotaMetric": _METRIC,
        "quotaId": quota_id,
        "quotaDimensions": {"model": model, "location": "global"},
        "quotaValue": limit,
    }
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.Help",
            "links": [{"description": "Learn more about Gemini API quotas", "url": _RATE_DOCS}],
        },
        {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [violation]},
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry_delay},
    ]
    return _error(429, "RESOURCE_EXHAUSTED", message, details)


def _not_found_body(model: str, version: str = "v1beta") -> dict[str, Any]:
    return _error(
        404,
        "NOT_FOUND",
        f"models/{model} is not found for API version {version}, or is not supported for generateContent."
        " Call ListModels to see the list of available models and their supported methods.",
    )


def ok(text: str | None = None) -> Behaviour:
    return Behaviour("ok", text=text)


def quota_per_day(model: str) -> Behaviour:
    quota_id = "GenerateRequestsPerDayPerProjectPerModel-FreeTier"
    return Behaviour("quota_per_day", 429, payload=lambda _: _quota(model, quota_id, "20", "36.586108534s", "36s"))


def quota_per_minute(model: str, retry_delay: str = "7s") -> Behaviour:
    retry_in = f"{float(retry_delay.removesuffix('s')) + 0.1:g}s"
    quota_id = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"
    return Behaviour("quota_per_minute", 429, payload=lambda _: _quota(model, quota_id, "10", retry_in, retry_delay))


def not_found(model: str) -> Behaviour:
    return Behaviour("not_found", 404, payload=lambda call: _not_found_body(model, call.version))


def invalid_key() -> Behaviour:
    message = "API key not valid. Please pass a valid API key."
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "API_KEY_INVALID",
            "domain": "googleapis.com",
            "metadata": {"service": "generativelanguage.googleapis.com"},
        },
        {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": message},
    ]
    return Behaviour("invalid_key", 400, payload=lambda _: _error(400, "INVALID_ARGUMENT", message, details))


def permission_denied() -> Behaviour:
    """403 whose message embeds the caller's key, as the real API does (the project must redact it)."""
    info = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "CONSUMER_SUSPENDED",
        "domain": "googleapis.com",
        "metadata": {"consumer": "projects/123456789", "service": "generativelanguage.googleapis.com"},
    }
    return Behaviour(
        "permission_denied",
        403,
        payload=lambda call: _error(
            403, "PERMISSION_DENIED", f"Permission denied: Consumer 'api_key:{call.key}' has been suspended.", [info]
        ),
    )


def server_error() -> Behaviour:
    message = "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"
    return Behaviour("server_error", 500, payload=lambda _: _error(500, "INTERNAL", message))


def _overloaded_body(_: Call) -> dict[str, Any]:
    return _error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")


def overloaded() -> Behaviour:
    return Behaviour("overloaded", 503, payload=_overloaded_body)


def hang() -> Behaviour:
    """Block until release_hangs()/stop(), then answer 503 overloaded (the client has usually timed out by then)."""
    return Behaviour("hang", 503, payload=_overloaded_body, hang=True)


def safety() -> Behaviour:
    rating = {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": True}
    candidate = {"finishReason": "SAFETY", "index": 0, "safetyRatings": [rating]}
    return Behaviour(
        "safety", payload=lambda call: {"candidates": [candidate], "usageMetadata": _USAGE, "modelVersion": call.model}
    )


def empty() -> Behaviour:
    body = {"promptFeedback": {"blockReason": "OTHER"}, "usageMetadata": {"promptTokenCount": 5, "totalTokenCount": 5}}
    return Behaviour("empty", payload=lambda _: body)


def malformed_json() -> Behaviour:
    return Behaviour("malformed_json", text='{"questions": [')


def status(code: int, body: dict[str, Any]) -> Behaviour:
    return Behaviour(f"status_{code}", code, payload=lambda _: body)


def closed_port_url() -> str:
    """A base URL where nothing listens: the port was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _success(text: str, model: str, response_id: str, final: bool = True) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}
    body: dict[str, Any] = {"candidates": [candidate], "modelVersion": model, "responseId": response_id}
    if final:
        candidate["finishReason"] = "STOP"
        body["usageMetadata"] = _USAGE
    return body


class FakeGemini:
    """Threaded fake of the Gemini API; use as a context manager or start()/stop()."""

    def __init__(self, models: list[str] | None = None) -> None:
        self.models: list[str] = list(DEFAULT_MODELS if models is None else models)
        self.retired: set[str] = set()
        self.requests: list[Recorded] = []
        self.responder: Callable[[dict[str, Any], str], str] = lambda _request, _model: "{}"
        self.base_url = ""
        self._lock = threading.Lock()
        self._queues: dict[tuple[str | None, str | None], deque[tuple[Behaviour, bool]]] = {}
        self._release = threading.Event()
        self._stopped = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------------
    def start(self) -> FakeGemini:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-gemini", daemon=True
        )  # a short poll interval keeps stop() quick
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
        self.release_hangs()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeGemini:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- scripting and inspection ------------------------------------------------------------------------------
    def script(
        self, *behaviours: Behaviour, key: str | None = None, model: str | None = None, sticky: bool = False
    ) -> None:
        """Queue behaviours for requests matching key/model (None: any); a sticky one repeats forever.

        Each generate/stream request takes the head of the most specific non-empty queue:
        (key, model) > (None, model) > (key, None) > (None, None). Requests for retired models take nothing.
        """
        with self._lock:
            queue = self._queues.setdefault((key, model), deque())
            queue.extend((b, sticky) for b in behaviours)

    def release_hangs(self) -> None:
        with self._lock:
            event, self._release = self._release, threading.Event()
        event.set()

    def count(self, *, key: str | None = None, model: str | None = None, kind: str | None = "generate") -> int:
        kinds = {"generate", "stream"} if kind == "generate" else None if kind is None else {kind}
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (kinds is None or r.kind in kinds)
                and (key is None or r.key == key)
                and (model is None or r.model == model)
            )

    # -- used by the handler -----------------------------------------------------------------------------------
    def _record(self, entry: Recorded) -> None:
        with self._lock:
            self.requests.append(entry)

    def _next(self, key: str | None, model: str) -> Behaviour:
        with self._lock:
            for slot in ((key, model), (None, model), (key, None), (None, None)):
                queue = self._queues.get(slot)
                if queue:
                    return (queue[0] if queue[0][1] else queue.popleft())[0]
        return ok()

    def _wait_released(self) -> None:
        with self._lock:
            event, stopped = self._release, self._stopped
        if not stopped:
            event.wait()


class QuotaFake(FakeGemini):
    """Enforces a per-minute request limit per key, in real time, like Gemini's free tier: a request over
    the limit gets the real per-minute 429 (counted in `refused`)."""

    def __init__(self, rpm: int, models: list[str] | None = None) -> None:
        super().__init__(models)
        self.rpm = rpm
        self.sent: dict[str, list[float]] = defaultdict(list)
        self.refused = 0
        self.quota_lock = threading.Lock()

    def _next(self, key: str | None, model: str) -> Behaviour:
        now = time.time()
        with self.quota_lock:
            window = [t for t in self.sent[key or ""] if t > now - 60]
            if len(window) >= self.rpm:
                self.sent[key or ""] = window
                self.refused += 1
                wait = 60 - (now - window[0])
                return quota_per_minute(model, f"{max(1, round(wait))}s")
            window.append(now)
            self.sent[key or ""] = window
        return super()._next(key, model)


class _Handler(BaseHTTPRequestHandler):
    """One request per connection (HTTP/1.0), so nothing is served after stop()."""

    server_fake: FakeGemini

    def log_message(self, format: str, *args: Any) -> None:  # silence the per-request stderr log
        pass

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError):  # the client gave up (e.g. timed out) before we answered
            super().handle()

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_GET

    def _handle(self) -> None:
        fake = self.server_fake
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        key = self.headers.get("x-goog-api-key") or query.get("key", [None])[0]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.loads(raw) if raw else None
        generate = _GENERATE.match(url.path) if self.command == "POST" else None
        listing = self.command == "GET" and _LIST.match(url.path)
        kind = "list" if listing else "other" if generate is None else "generate"
        if generate and generate["method"] == "streamGenerateContent":
            kind = "stream"
        model = generate["model"] if generate else None
        fake._record(Recorded(self.command, self.path, kind, key, model, body, time.monotonic()))
        if listing:
            self._send(200, self._list_page(query))
        elif generate is None:
            self._send(404, _error(404, "NOT_FOUND", f"Method not found: {self.command} {url.path}"))
        elif generate["model"] in fake.retired:
            self._send(404, _not_found_body(generate["model"], generate["ver"]))
        else:
            self._answer(Call(generate["model"], key, body, generate["ver"]), stream=kind == "stream")

    def _list_page(self, query: dict[str, list[str]]) -> dict[str, Any]:
        served = [m for m in self.server_fake.models if m not in self.server_fake.retired]
        size = int(query.get("pageSize", ["50"])[0]) or 50
        start = int(query.get("pageToken", ["0"])[0] or 0)
        page: dict[str, Any] = {"models": [_model_info(m) for m in served[start : start + size]]}
        if start + size < len(served):
            page["nextPageToken"] = str(start + size)
        return page

    def _answer(self, call: Call, stream: bool) -> None:
        fake = self.server_fake
        behaviour = fake._next(call.key, call.model)
        if behaviour.hang:
            fake._wait_released()
        if behaviour.payload is not None:
            payload = behaviour.payload(call)
            return self._send(behaviour.status, [payload] if stream and behaviour.status == 200 else payload)
        text = behaviour.text if behaviour.text is not None else fake.responder(call.body or {}, call.model)
        response_id = uuid.uuid4().hex
        if not stream:
            return self._send(200, _success(text, call.model, response_id))
        half = len(text) // 2
        chunks = [_success(text[:half], call.model, response_id, final=False)]
        self._send(200, [*chunks, _success(text[half:], call.model, response_id)])

    def _send(self, code: int, payload: dict[str, Any] | list[dict[str, Any]]) -> None:
        """A JSON body, or for a list of chunks a server-sent event stream."""
        if isinstance(payload, list):
            data, content_type = "".join(f"data: {json.dumps(c)}\n\n" for c in payload), "text/event-stream"
        else:
            data, content_type = json.dumps(payload), "application/json; charset=UTF-8"
        encoded = data.encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(encoded)))
        self.end_headers()
        self.wfile.write(encoded)


def _model_info(model: str) -> dict[str, Any]:
    return {
        "name": f"models/{model}",
        "version": "001",
        "displayName": model.replace("-", " ").title(),
        "inputTokenLimit": 1048576,
        "outputTokenLimit": 65536,
        "supportedGenerationMethods": ["generateContent", "countTokens"],
    }
