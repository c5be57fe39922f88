"""The fake Gemini server, driven by the real clients (langchain-google-genai and google-genai)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import httpx2
import pytest
from google import genai
from google.genai import errors, types
from langchain_google_genai import ChatGoogleGenerativeAI
from pydantic import BaseModel

from tests.fake_gemini import (
    Behaviour,
    FakeGemini,
    closed_port_url,
    empty,
    hang,
    invalid_key,
    malformed_json,
    not_found,
    ok,
    overloaded,
    permission_denied,
    quota_per_day,
    quota_per_minute,
    safety,
    server_error,
    status,
)

MODEL = "gemini-2.5-flash"
KEY = "fake-key-1"
ChatFactory = Callable[..., ChatGoogleGenerativeAI]


class Questions(BaseModel):
    questions: list[str]


@pytest.fixture
def server() -> Iterator[FakeGemini]:
    with FakeGemini() as fake:
        yield fake


@pytest.fixture
def chat(server: FakeGemini) -> Iterator[ChatFactory]:
    """Builds real ChatGoogleGenerativeAI clients pointed at the fake; closes them afterwards."""
    made: list[ChatGoogleGenerativeAI] = []

    def make(
        model: str = MODEL, api_key: str = KEY, base_url: str | None = None, timeout: float = 5
    ) -> ChatGoogleGenerativeAI:
        llm = ChatGoogleGenerativeAI(
            model=model,
            api_key=api_key,
            base_url=base_url or server.base_url,
            api_version="v1beta",
            max_retries=1,
            timeout=timeout,
        )
        made.append(llm)
        return llm

    yield make
    for llm in made:
        llm.client.close()


@pytest.fixture
def client(server: FakeGemini) -> Iterator[genai.Client]:
    options = types.HttpOptions(
        base_url=server.base_url, api_version="v1beta", retry_options=types.HttpRetryOptions(attempts=1)
    )
    gclient = genai.Client(api_key=KEY, http_options=options)
    yield gclient
    gclient.close()


def api_error(excinfo: pytest.ExceptionInfo[BaseException]) -> errors.APIError:
    cause = excinfo.value.__cause__
    assert isinstance(cause, errors.APIError), repr(excinfo.value)
    return cause


def test_success_text_is_recorded(server: FakeGemini, chat: ChatFactory) -> None:
    server.script(ok("hello from the fake"))
    reply = chat().invoke("hi")
    assert reply.content == "hello from the fake"
    assert reply.response_metadata["finish_reason"] == "STOP"
    assert reply.usage_metadata is not None and reply.usage_metadata["total_tokens"] == 8
    assert server.count() == 1 and server.count(key=KEY, model=MODEL) == 1
    [request] = server.requests
    assert (request.method, request.kind, request.key, request.model) == ("POST", "generate", KEY, MODEL)
    assert request.path == f"/v1beta/models/{MODEL}:generateContent"
    assert request.body is not None and request.body["contents"][0]["parts"][0]["text"] == "hi"


def test_unscripted_requests_use_the_responder(server: FakeGemini, chat: ChatFactory) -> None:
    assert chat().invoke("hi").content == "{}"
    server.responder = lambda request, model: f"{model}: {request['contents'][0]['parts'][0]['text']}"
    assert chat().invoke("echo").content == f"{MODEL}: echo"
    assert server.count() == 2


def test_stream_arrives_as_two_sse_chunks(server: FakeGemini, chat: ChatFactory) -> None:
    server.script(ok("hello world"))
    pieces = [chunk.content for chunk in chat().stream("hi")]
    assert "".join(str(p) for p in pieces) == "hello world"
    assert [p for p in pieces if p] == ["hello", " world"]
    assert server.count(kind="stream") == 1 and server.count() == 1
    assert server.requests[0].path.endswith(":streamGenerateContent?alt=sse")


def test_structured_output_via_responder(server: FakeGemini, chat: ChatFactory) -> None:
    seen: list[dict[str, Any]] = []

    def responder(request: dict[str, Any], model: str) -> str:
        seen.append(request["generationConfig"])
        return Questions(questions=["What is RLHF?", "Explain KV cache."]).model_dump_json()

    server.responder = responder
    result = chat().with_structured_output(Questions).invoke("extract")
    assert result == Questions(questions=["What is RLHF?", "Explain KV cache."])
    assert seen[0]["responseMimeType"] == "application/json"
    assert seen[0]["responseJsonSchema"]["required"] == ["questions"]
    assert server.count(model=MODEL) == 1


def test_malformed_json_is_served_verbatim(server: FakeGemini, chat: ChatFactory) -> None:
    server.script(malformed_json())
    assert chat().invoke("extract").content == '{"questions": ['
    assert server.count() == 1


def test_quota_per_day_replays_the_real_429(server: FakeGemini, chat: ChatFactory) -> None:
    model = "gemini-2.5-flash-lite"
    server.script(quota_per_day(model))
    with pytest.raises(Exception, match="RESOURCE_EXHAUSTED") as excinfo:
        chat(model).invoke("hi")
    error = api_error(excinfo)
    assert error.code == 429 and error.status == "RESOURCE_EXHAUSTED"
    assert error.message is not None
    assert f"limit: 20, model: {model}\nPlease retry in 36.586108534s." in error.message
    details = error.details["error"]["details"]
    [quota] = [d for d in details if d["@type"] == "type.googleapis.com/google.rpc.QuotaFailure"]
    violation = quota["violations"][0]
    assert violation["quotaId"] == "GenerateRequestsPerDayPerProjectPerModel-FreeTier"
    assert violation["quotaDimensions"] == {"model": model, "location": "global"}
    assert {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "36s"} in details
    assert server.count(model=model) == 1  # max_retries=1: no retry


def test_quota_per_minute(server: FakeGemini, client: genai.Client) -> None:
    server.script(quota_per_minute(MODEL, retry_delay="7s"))
    with pytest.raises(errors.ClientError) as excinfo:
        client.models.generate_content(model=MODEL, contents="hi")
    error = excinfo.value
    assert error.code == 429 and error.message is not None and "Please retry in 7.1s." in error.message
    details = error.details["error"]["details"]
    assert details[1]["violations"][0]["quotaId"] == "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"
    assert details[1]["violations"][0]["quotaValue"] == "10"
    assert details[2]["retryDelay"] == "7s"
    assert server.count() == 1


def test_stream_errors_use_the_http_status(server: FakeGemini, chat: ChatFactory) -> None:
    server.script(quota_per_day(MODEL))
    with pytest.raises(Exception, match="RESOURCE_EXHAUSTED") as excinfo:
        list(chat().stream("hi"))
    assert api_error(excinfo).code == 429
    assert server.count(kind="stream") == 1


def test_retired_model_is_404_everywhere(server: FakeGemini, chat: ChatFactory, client: genai.Client) -> None:
    server.retired.add("gemini-2.0-flash")
    server.script(ok("never served"), model="gemini-2.0-flash")
    with pytest.raises(Exception, match="NOT_FOUND") as excinfo:
        chat("gemini-2.0-flash").invoke("hi")
    error = api_error(excinfo)
    assert error.code == 404
    assert error.details == {
        "error": {
            "code": 404,
            "message": "models/gemini-2.0-flash is not found for API version v1beta, or is not supported for"
            " generateContent. Call ListModels to see the list of available models and their supported methods.",
            "status": "NOT_FOUND",
        }
    }
    assert "gemini-2.0-flash" not in [m.name for m in client.models.list()]
    assert server.count(model="gemini-2.0-flash") == 1 and server.count(kind="list") == 1


def test_permission_denied_embeds_the_key(server: FakeGemini, chat: ChatFactory) -> None:
    server.script(permission_denied())
    with pytest.raises(Exception, match="PERMISSION_DENIED") as excinfo:
        chat(api_key="AIzaSecret-123").invoke("hi")
    error = api_error(excinfo)
    assert error.code == 403
    assert error.message == "Permission denied: Consumer 'api_key:AIzaSecret-123' has been suspended."
    assert error.details["error"]["details"][0]["reason"] == "CONSUMER_SUSPENDED"
    assert server.count(key="AIzaSecret-123") == 1


@pytest.mark.parametrize(
    ("behaviour", "code", "state", "error_type"),
    [
        (invalid_key(), 400, "INVALID_ARGUMENT", errors.ClientError),
        (not_found("gemini-1.5-flash"), 404, "NOT_FOUND", errors.ClientError),
        (server_error(), 500, "INTERNAL", errors.ServerError),
        (overloaded(), 503, "UNAVAILABLE", errors.ServerError),
        (
            status(418, {"error": {"code": 418, "message": "teapot", "status": "TEAPOT"}}),
            418,
            "TEAPOT",
            errors.ClientError,
        ),
    ],
)
def test_other_errors(
    server: FakeGemini, client: genai.Client, behaviour: Behaviour, code: int, state: str, error_type: type[Exception]
) -> None:
    server.script(behaviour)
    with pytest.raises(error_type) as excinfo:
        client.models.generate_content(model=MODEL, contents="hi")
    assert isinstance(excinfo.value, errors.APIError)
    assert (excinfo.value.code, excinfo.value.status) == (code, state)
    assert server.count() == 1  # attempts=1: no retry


def test_safety_and_empty_answers(server: FakeGemini, chat: ChatFactory) -> None:
    server.script(safety(), empty())
    blocked = chat().invoke("hi")
    assert blocked.content == ""
    assert blocked.response_metadata["finish_reason"] == "SAFETY"
    nothing = chat().invoke("hi")
    assert nothing.content == ""
    assert "finish_reason" not in nothing.response_metadata
    assert server.count() == 2


def test_list_models_pages_and_skips_retired() -> None:
    names = ["gemini-a", "gemini-b", "gemini-c", "gemini-d", "gemini-e"]
    with FakeGemini(models=names) as fake:
        fake.retired.add("gemini-c")
        options = types.HttpOptions(
            base_url=fake.base_url, api_version="v1beta", retry_options=types.HttpRetryOptions(attempts=1)
        )
        with genai.Client(api_key=KEY, http_options=options) as paged:
            models = list(paged.models.list(config={"page_size": 3}))
    assert [m.name for m in models] == ["models/gemini-a", "models/gemini-b", "models/gemini-d", "models/gemini-e"]
    assert models[0].supported_actions == ["generateContent", "countTokens"]
    assert fake.count(kind="list") == 2 and fake.count() == 0
    assert [r.path for r in fake.requests] == ["/v1beta/models?pageSize=3", "/v1beta/models?pageSize=3&pageToken=3"]


def test_scripting_precedence(server: FakeGemini, chat: ChatFactory) -> None:
    server.script(ok("any"))
    server.script(ok("key"), key=KEY)
    server.script(ok("model"), model=MODEL)
    server.script(ok("key+model"), key=KEY, model=MODEL)
    llm = chat()
    assert [llm.invoke("hi").content for _ in range(5)] == ["key+model", "model", "key", "any", "{}"]
    other = chat("gemini-2.5-pro", api_key="fake-key-2")
    server.script(ok("any"))
    server.script(ok("key"), key=KEY)
    assert other.invoke("hi").content == "any"  # neither the model nor the key matches the specific queues
    assert server.count(key=KEY) == 5 and server.count(key="fake-key-2", model="gemini-2.5-pro") == 1


def test_sticky_behaviour_repeats(server: FakeGemini, chat: ChatFactory) -> None:
    model = "gemini-2.5-flash-lite"
    server.script(quota_per_day(model), model=model, sticky=True)
    server.script(ok("other model"))
    for _ in range(3):
        with pytest.raises(Exception, match="RESOURCE_EXHAUSTED"):
            chat(model).invoke("hi")
    assert chat().invoke("hi").content == "other model"
    assert server.count(model=model) == 3 and server.count(model=MODEL) == 1


def test_count_filters(server: FakeGemini, chat: ChatFactory, client: genai.Client) -> None:
    chat().invoke("a")
    list(chat(api_key="fake-key-2").stream("b"))
    list(client.models.list())
    response = httpx.post(
        f"{server.base_url}/v1/models/gemini-2.5-pro:generateContent?key=query-key",
        json={"contents": [{"role": "user", "parts": [{"text": "c"}]}]},
    )
    assert response.status_code == 200 and response.json()["modelVersion"] == "gemini-2.5-pro"
    assert httpx.get(f"{server.base_url}/v1beta/files").status_code == 404
    assert server.count() == 3
    assert server.count(kind="stream") == 1 and server.count(kind="list") == 1 and server.count(kind="other") == 1
    assert server.count(kind=None) == 5
    assert server.count(key="query-key", model="gemini-2.5-pro") == 1
    assert server.count(key=KEY, kind=None) == 2  # generate + list


def test_hang_times_out_then_releases(server: FakeGemini, chat: ChatFactory) -> None:
    server.script(hang())
    started = time.monotonic()
    with pytest.raises((httpx.TimeoutException, httpx2.TimeoutException)):
        chat(timeout=0.5).invoke("hi")
    assert time.monotonic() - started < 4
    server.release_hangs()
    assert chat().invoke("hi").content == "{}"
    assert server.count() == 2


def test_connection_refused(server: FakeGemini, chat: ChatFactory) -> None:
    with pytest.raises((httpx.ConnectError, httpx2.ConnectError)):
        chat(base_url=closed_port_url()).invoke("hi")
    assert server.count(kind=None) == 0
