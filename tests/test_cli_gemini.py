"""The CLI with a key, as a user runs it, against the fake Gemini server: faults that must cost little."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import fake_gemini as fg
from tests.conftest import EXAMPLE_POST, MIANJING, run_cli_env
from tests.gemini_helpers import KEY_A, KEY_B, responder

pytestmark = pytest.mark.slow


@pytest.fixture
def server() -> Iterator[fg.FakeGemini]:
    with fg.FakeGemini() as fake:
        fake.responder = responder
        yield fake


def start(home: Path, server: fg.FakeGemini, *args: str, **env: str) -> subprocess.Popen[bytes]:
    environment = run_cli_env(home, GEMINI_API_KEYS=f"{KEY_A},{KEY_B}", GOOGLE_GEMINI_BASE_URL=server.base_url, **env)
    return subprocess.Popen([*MIANJING, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)


def run(home: Path, server: fg.FakeGemini, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    process = start(home, server, *args, **env)
    out, err = process.communicate(timeout=180)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def posts(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"post{i}.txt").write_text(f"字节一面\n1. 讲讲RoPE的第{i}种推导\n2. 手撕LRU", encoding="utf-8")
    return folder


def test_a_batch_against_a_hanging_endpoint_pays_one_timeout(
    isolated_env: Path, server: fg.FakeGemini, tmp_path: Path
) -> None:
    server.script(fg.hang(), sticky=True)
    out = tmp_path / "out"
    result = run(
        isolated_env, server, "analyze", str(posts(tmp_path / "in", 10)), "--out", str(out), GEMINI_TIMEOUT="1"
    )
    server.release_hangs()
    assert result.returncode == 0, result.stderr
    assert len(list((out / "posts").glob("*.json"))) == 10
    # The first request of each bucket (one per key here) found the endpoint hanging; the workers behind
    # them and every later post went offline without a request.
    assert server.count() <= 2
    status = run(isolated_env, server, "status", "-f", "json")
    rows = json.loads(status.stdout)["deployments"]
    assert rows and all(r["status"].startswith("endpoint hanging until") for r in rows)
    assert "ok" in {
        r["status"]
        for r in json.loads(run(isolated_env, server, "status", "--reset", "-f", "json").stdout)["deployments"]
    }


def test_no_request_after_the_deadline_in_a_503_storm(isolated_env: Path, server: fg.FakeGemini) -> None:
    server.script(fg.overloaded(), sticky=True)
    result = run(
        isolated_env, server, "analyze", str(EXAMPLE_POST), "--engine", "gemini", "--deadline", "2", "-f", "json"
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["rounds"] and doc["degraded"]
    sent = [r.at for r in server.requests if r.kind == "generate"]
    # Every request went out within the deadline, counted from the first (the run began before it).
    assert sent and max(sent) - min(sent) <= 2


def test_clear_cache_makes_the_next_run_ask_again(isolated_env: Path, server: fg.FakeGemini) -> None:
    first = run(isolated_env, server, "analyze", str(EXAMPLE_POST), "-f", "json")
    sent = server.count()
    assert first.returncode == 0 and sent >= 1
    again = run(isolated_env, server, "analyze", str(EXAMPLE_POST), "-f", "json")
    assert again.returncode == 0 and server.count() == sent  # served from the cache
    cleared = run(isolated_env, server, "status", "--clear-cache")
    assert cleared.returncode == 0 and b"cleared the cached model answers" in cleared.stderr
    run(isolated_env, server, "analyze", str(EXAMPLE_POST), "-f", "json")
    assert server.count() == 2 * sent


def test_keyed_batches_started_together_all_finish(isolated_env: Path, server: fg.FakeGemini, tmp_path: Path) -> None:
    folder = posts(tmp_path / "in", 8)
    runs = [
        start(
            tmp_path / f"home{i}",
            server,
            "analyze",
            str(folder),
            "--out",
            str(tmp_path / f"out{i}"),
            "--jobs",
            "8",
        )
        for i in range(4)
    ]
    results = [(p.communicate(timeout=180), p.returncode) for p in runs]
    for (_out, err), code in results:
        assert code == 0, err.decode()
