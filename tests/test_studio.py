"""LangGraph Studio as a user meets it: `langgraph dev` started on loopback, the graph run through the SDK."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import fake_gemini as fg
from tests.conftest import EXAMPLE_POST, run_cli_env
from tests.gemini_helpers import KEY_A, responder

ROOT = Path(__file__).resolve().parents[1]
LANGGRAPH = Path(sys.executable).with_name("langgraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gemini() -> Iterator[fg.FakeGemini]:
    with fg.FakeGemini() as fake:
        fake.responder = responder
        # The first request fails on a per-minute quota, so the run takes a router hop.
        fake.script(fg.quota_per_minute("gemini-2.5-flash", "7s"), model="gemini-2.5-flash")
        yield fake


@pytest.fixture(scope="module")
def studio(gemini: fg.FakeGemini, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not LANGGRAPH.exists() and not shutil.which("langgraph"):
        pytest.fail("langgraph-cli is a dev dependency: pip install -e '.[dev]'")
    port = free_port()
    home = tmp_path_factory.mktemp("studio_home")
    env = run_cli_env(
        home,
        LANGGRAPH_CLI_NO_ANALYTICS="1",
        LANGGRAPH_NO_VERSION_CHECK="1",
        GEMINI_API_KEYS=KEY_A,
        GOOGLE_GEMINI_BASE_URL=gemini.base_url,
        GEMINI_MODELS="gemini-2.5-flash,gemini-2.5-flash-lite",
    )
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(LANGGRAPH if LANGGRAPH.exists() else "langgraph"), "dev", "--no-browser", "--no-reload",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/ok", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                pytest.fail((home / "server.log").read_text(errors="replace")[-2000:])
            time.sleep(0.2)
        else:
            pytest.fail("langgraph dev did not come up in 90 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_studio_serves_the_graph_with_documented_inputs(studio: str) -> None:
    from langgraph_sdk import get_sync_client

    with get_sync_client(url=studio) as client:
        check_schemas(client)


def check_schemas(client) -> None:
    [assistant] = client.assistants.search(graph_id="mianjing")
    schemas = client.assistants.get_schemas(assistant["assistant_id"])
    assert schemas["input_schema"]["properties"]["text"]["description"].startswith("The interview post")
    context = schemas["context_schema"]["properties"]
    assert {"engine", "models", "deadline_s"} <= set(context)
    assert all(field.get("description") for field in context.values())
    drawn = client.assistants.get_graph(assistant["assistant_id"])
    assert {"router", "clean_text", "write_advice"} <= {node["id"] for node in drawn["nodes"]}


def test_a_run_streams_node_updates_and_the_router_hop(studio: str, gemini: fg.FakeGemini) -> None:
    from langgraph_sdk import get_sync_client

    with get_sync_client(url=studio) as client:
        run_and_check(client, gemini)


def run_and_check(client, gemini: fg.FakeGemini) -> None:
    thread = client.threads.create()
    steps: list[str] = []
    for chunk in client.runs.stream(
        thread["thread_id"],
        "mianjing",
        input={"text": EXAMPLE_POST.read_text(encoding="utf-8"), "source": "studio"},
        context={"engine": "auto", "deadline_s": 60},
        stream_mode="updates",
    ):
        assert chunk.event != "error", chunk.data
        if chunk.event == "updates":
            steps += list(chunk.data)
    assert steps[:2] == ["clean_text", "split_rounds"]
    assert "router" in steps and steps[-1] == "write_advice"
    values = client.threads.get_state(thread["thread_id"])["values"]
    assert values["companies"] == ["字节跳动"]
    assert [len(r["questions"]) for r in values["rounds"]] == [8, 9, 8]
    assert values["engines"]["write_advice"] == "gemini"
    assert values["attempts"][0]["error"] == "429 RESOURCE_EXHAUSTED"
    assert gemini.count() == 2
