"""Keys never appear in state, checkpoints, caches, logs, exceptions or output: a real run is grepped."""

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import fake_gemini as fg
from tests.conftest import EXAMPLE_POST, MIANJING, run_cli_env
from tests.gemini_helpers import KEY_A, KEY_B, responder


@pytest.fixture
def server() -> Iterator[fg.FakeGemini]:
    with fg.FakeGemini() as fake:
        fake.responder = responder
        yield fake


def run(home: Path, server: fg.FakeGemini, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = run_cli_env(home, GEMINI_API_KEYS=f"{KEY_A},{KEY_B}", GOOGLE_GEMINI_BASE_URL=server.base_url)
    return subprocess.run([*MIANJING, *args], capture_output=True, env=env, timeout=120, check=False)


def test_no_key_in_anything_a_run_writes_or_prints(isolated_env: Path, server: fg.FakeGemini) -> None:
    # Gemini's own 403 message quotes the key it refused.
    server.script(fg.permission_denied(), key=KEY_A, sticky=True)
    server.script(fg.quota_per_day("gemini-2.5-flash"), key=KEY_B, model="gemini-2.5-flash", sticky=True)
    analysed = run(isolated_env, server, "analyze", str(EXAMPLE_POST), "--engine", "gemini", "-f", "json")
    status = run(isolated_env, server, "status", "-f", "json")
    assert analysed.returncode == 0, analysed.stderr
    assert server.count(key=KEY_A, kind=None) >= 1, "the refusing key must really have been tried"
    doc = json.loads(analysed.stdout)
    assert doc["engines"]["write_advice"] == "gemini"
    assert any("disabled" in note for note in doc["notes"])
    statuses = {(r["key"], r["model"]): r["status"] for r in json.loads(status.stdout)["deployments"]}
    assert any(s.startswith("disabled") for s in statuses.values())
    written = [p for p in isolated_env.rglob("*") if p.is_file()]
    assert {p.name for p in written} >= {"state.sqlite", "llm_cache.sqlite"}
    blobs = [analysed.stdout, analysed.stderr, status.stdout, status.stderr] + [p.read_bytes() for p in written]
    for key in (KEY_A, KEY_B):
        assert not any(key.encode() in blob for blob in blobs), f"{key} leaked"


def test_status_reset_forgets_a_disabled_key(isolated_env: Path, server: fg.FakeGemini) -> None:
    server.script(fg.invalid_key(), key=KEY_A, sticky=True)
    run(isolated_env, server, "analyze", str(EXAMPLE_POST), "-f", "json")
    before = json.loads(run(isolated_env, server, "status", "-f", "json").stdout)["deployments"]
    assert any(row["status"].startswith("disabled") and "API_KEY_INVALID" in row["status"] for row in before)
    reset = run(isolated_env, server, "status", "--reset")
    assert reset.returncode == 0 and b"| ok |" in reset.stdout
    after = json.loads(run(isolated_env, server, "status", "-f", "json").stdout)["deployments"]
    assert {row["status"] for row in after} == {"ok"}


def test_exhausted_quota_still_exits_0_and_says_when_it_returns(isolated_env: Path, server: fg.FakeGemini) -> None:
    for model in ("gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash"):
        server.script(fg.quota_per_day(model), model=model, sticky=True)
    result = run(isolated_env, server, "analyze", str(EXAMPLE_POST), "--engine", "gemini")
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert "ran on the offline engine" in text and "quota returns at" in text
    assert "### 一面 · 字节跳动" in text  # the analysis itself is complete
