"""The pool's state store as a user meets it: processes sharing it, an old pool.json, damaged or foreign files.

Every case runs `mianjing` as a subprocess against the fake Gemini server (127.0.0.1 only).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.router.models import AnswerCache
from graph.router.store import PostgresAnswers, PostgresStateStore, SqliteStateStore
from tests import fake_gemini as fg
from tests.conftest import EXAMPLE_POST, MIANJING, run_cli_env
from tests.gemini_helpers import FP_A, KEY_A, KEY_B, FakeClock, responder

FLASH = "gemini-2.5-flash"
JUNK = b"this was a database until something wrote over it\n" * 200


@pytest.fixture
def server() -> Iterator[fg.FakeGemini]:
    with fg.FakeGemini() as fake:
        fake.responder = responder
        yield fake


def keyed_env(home: Path, server: fg.FakeGemini, **extra: str) -> dict[str, str]:
    return run_cli_env(home, GEMINI_API_KEYS=f"{KEY_A},{KEY_B}", GOOGLE_GEMINI_BASE_URL=server.base_url, **extra)


def mianjing(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MIANJING, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def one_clear_line(stderr: str, *names: str) -> str:
    """The whole of stderr: one `mianjing:` line naming each of `names`, and no traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mianjing: "), stderr
    assert "Traceback" not in stderr
    for name in names:
        assert name in lines[0], stderr
    return lines[0]


def posts(folder: Path, prefix: str, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"{prefix}{i}.txt"
        path.write_text(f"字节一面\n1. 讲讲RoPE的第{i}种推导（{prefix}）\n2. 手撕LRU", encoding="utf-8")
        paths.append(str(path))
    return paths


# --------------------------------------------------------------------------------------- shared counts


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_two_processes_share_the_counts_and_provoke_no_429(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Two `mianjing analyze` at once against a server that enforces 3 requests a minute per key: on one
    MIANJING_HOME (SQLite), or on two homes — two machines — sharing one PostgreSQL. Together they want
    more than 3 requests; the shared counts let exactly 3 through and none is refused."""
    rpm = 3
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    homes = [tmp_path / "home", tmp_path / "home"] if url is None else [tmp_path / "home-a", tmp_path / "home-b"]
    with fg.QuotaFake(rpm) as server:
        server.responder = responder
        runs = []
        for i, home in enumerate(homes):
            extra = {"MIANJING_STATE_URL": url} if url else {}
            env = run_cli_env(
                home,
                GEMINI_API_KEYS=KEY_A,
                GEMINI_MODELS=FLASH,
                GEMINI_RPM=str(rpm),
                GEMINI_RPD="1000",
                GOOGLE_GEMINI_BASE_URL=server.base_url,
                **extra,
            )
            # A minute's wait never fits the deadline: a process that finds the bucket full goes offline.
            args = ["analyze", *posts(tmp_path / "in", f"p{i}-", 4), "-f", "json", "--deadline", "50"]
            runs.append(subprocess.Popen([*MIANJING, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        results = [(run.communicate(timeout=120), run.returncode) for run in runs]
        for (_out, err), code in results:
            assert code == 0, err.decode()
        assert server.refused == 0, "a 429 the shared counts should have foreseen"
        assert server.count() == rpm
        documents = [json.loads(line) for (out, _err), _code in results for line in out.decode().splitlines()]
        # Every post was analysed; those the quota could not serve ran offline, and say so.
        assert len(documents) == 8 and any(d["degraded"] for d in documents)
        assert all("gemini" in d["engines"].values() or d["degraded"] for d in documents)
    store = PostgresStateStore(url) if url else SqliteStateStore(homes[0] / "state.sqlite")
    try:
        assert store.total_requests() == server.count()
    finally:
        store.close()


# --------------------------------------------------------------------------------------- pool.json


def test_an_old_pool_json_is_migrated_and_its_cooldowns_kept(isolated_env: Path, server: fg.FakeGemini) -> None:
    until = FakeClock().now() + 400 * 24 * 3600  # a cooldown far in the future: still running
    old = {"cooldowns": {f"{FP_A}|{FLASH}": {"until": until, "reason": "per-day quota"}}, "usage": {}}
    (isolated_env / "pool.json").write_text(json.dumps(old), encoding="utf-8")
    result = mianjing(keyed_env(isolated_env, server), "analyze", str(EXAMPLE_POST), "-f", "json")
    assert result.returncode == 0, result.stderr
    assert server.count(key=KEY_A, model=FLASH) == 0 and server.count() >= 1
    assert not (isolated_env / "pool.json").exists() and (isolated_env / "pool.json.migrated").exists()
    status = json.loads(mianjing(keyed_env(isolated_env, server), "status", "-f", "json").stdout)
    cooling = [r for r in status["deployments"] if r["key"] == FP_A and r["model"] == FLASH]
    assert cooling[0]["status"].startswith("cooling until")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"cooldowns": {"key-1|m": {"until": 17', "not valid JSON, perhaps truncated"),
        ('[["cooldowns", 1]]', "not a JSON object"),
        ('{"cooldowns": {"key-1|m": {"until": "soon"}}}', "a cooldowns entry of the wrong shape"),
        ('{"buckets": {}}', "sections mianjing never wrote (buckets)"),
    ],
    ids=["truncated", "a list", "a string for a time", "foreign"],
)
def test_a_damaged_pool_json_is_refused_not_reset(
    isolated_env: Path, server: fg.FakeGemini, content: str, problem: str
) -> None:
    (isolated_env / "pool.json").write_text(content, encoding="utf-8")
    result = mianjing(keyed_env(isolated_env, server), "analyze", str(EXAMPLE_POST))
    assert result.returncode == 3
    line = one_clear_line(result.stderr, str(isolated_env / "pool.json"), problem)
    assert "delete it to start with an empty pool" in line
    assert server.count() == 0 and server.count(kind="list") == 0
    assert (isolated_env / "pool.json").read_text(encoding="utf-8") == content  # left as it was


# --------------------------------------------------------------------------------------- damaged files


def test_a_damaged_state_database_stops_a_keyed_run_with_one_line(isolated_env: Path, server: fg.FakeGemini) -> None:
    (isolated_env / "state.sqlite").write_bytes(JUNK)
    for args in (["analyze", str(EXAMPLE_POST)], ["status"], ["status", "--reset"]):
        result = mianjing(keyed_env(isolated_env, server), *args)
        assert result.returncode == 3, args
        line = one_clear_line(result.stderr, str(isolated_env / "state.sqlite"), "damaged")
        assert "move it away" in line
    assert server.count(kind=None) == 0
    assert (isolated_env / "state.sqlite").read_bytes() == JUNK  # never silently reset
    # The offline engine needs no pool: a run without a key still works.
    offline = mianjing(run_cli_env(isolated_env), "analyze", str(EXAMPLE_POST))
    assert offline.returncode == 0 and "字节跳动" in offline.stdout


def test_a_foreign_database_in_place_of_the_state_is_not_taken_over(isolated_env: Path, server: fg.FakeGemini) -> None:
    with sqlite3.connect(isolated_env / "state.sqlite") as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    db.close()
    result = mianjing(keyed_env(isolated_env, server), "analyze", str(EXAMPLE_POST))
    assert result.returncode == 3
    one_clear_line(result.stderr, str(isolated_env / "state.sqlite"), "not mianjing's state database")
    with sqlite3.connect(isolated_env / "state.sqlite") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert tables == {"invoices"}


def test_a_damaged_answer_cache_is_rebuilt_with_a_warning(isolated_env: Path, server: fg.FakeGemini) -> None:
    (isolated_env / "llm_cache.sqlite").write_bytes(JUNK)
    result = mianjing(keyed_env(isolated_env, server), "analyze", str(EXAMPLE_POST), "-f", "json")
    assert result.returncode == 0
    line = one_clear_line(result.stderr, str(isolated_env / "llm_cache.sqlite"), "llm_cache.sqlite.damaged")
    assert line.startswith("mianjing: warning: the answer cache") and "asked again" in line
    assert json.loads(result.stdout)["engines"]["write_advice"] == "gemini"
    assert (isolated_env / "llm_cache.sqlite.damaged").read_bytes() == JUNK
    # The new cache works: the same post again costs no request, and says nothing.
    sent = server.count()
    again = mianjing(keyed_env(isolated_env, server), "analyze", str(EXAMPLE_POST), "-f", "json")
    assert again.returncode == 0 and again.stderr == "" and server.count() == sent


def test_damage_found_while_the_cache_is_in_use_rebuilds_it_once() -> None:
    class Damaged:
        def get(self, keys: list) -> dict:
            raise sqlite3.DatabaseError("database disk image is malformed")

    class Fresh:
        def __init__(self) -> None:
            self.data: dict = {}

        def get(self, keys: list) -> dict:
            return {k: self.data[k] for k in keys if k in self.data}

        def set(self, mapping: dict) -> None:
            self.data.update({k: v for k, (v, _ttl) in mapping.items()})

    rebuilt: list[BaseException] = []
    fresh = Fresh()
    cache = AnswerCache(Damaged(), rebuild=lambda exc: rebuilt.append(exc) or fresh)  # type: ignore[arg-type]
    key = (("mianjing", "answers"), "k")
    assert cache.get(key) is None
    cache.set(key, {"a": 1})
    assert cache.get(key) == {"a": 1}
    assert [str(e) for e in rebuilt] == ["database disk image is malformed"]


def test_a_damaged_batch_checkpoint_is_named_with_what_to_do(isolated_env: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "checkpoints.sqlite").write_bytes(JUNK)
    result = mianjing(run_cli_env(isolated_env), "analyze", str(EXAMPLE_POST), "--out", str(out))
    assert result.returncode == 3
    line = one_clear_line(result.stderr, str(out / "checkpoints.sqlite"), "damaged")
    assert "delete it and run again" in line
    (out / "checkpoints.sqlite").unlink()
    assert mianjing(run_cli_env(isolated_env), "analyze", str(EXAMPLE_POST), "--out", str(out)).returncode == 0


# --------------------------------------------------------------------------------------- PostgreSQL


def test_an_unreachable_postgresql_is_one_line_without_its_password(isolated_env: Path, server: fg.FakeGemini) -> None:
    port = fg.closed_port_url().rsplit(":", 1)[1]
    url = f"postgresql://mianjing:s3cret-pw@127.0.0.1:{port}/pool"
    result = mianjing(keyed_env(isolated_env, server, MIANJING_STATE_URL=url), "analyze", str(EXAMPLE_POST))
    assert result.returncode == 3
    line = one_clear_line(result.stderr, f"postgresql://mianjing@127.0.0.1:{port}/pool", "MIANJING_STATE_URL")
    assert "cannot reach the state database" in line and "s3cret-pw" not in result.stderr
    assert server.count(kind=None) == 0


def test_a_state_url_that_is_not_postgresql_is_a_settings_error(isolated_env: Path) -> None:
    env = run_cli_env(isolated_env, MIANJING_STATE_URL="mysql://admin:s3cret-pw@db.example.com/pool")
    result = mianjing(env, "analyze", str(EXAMPLE_POST))
    assert result.returncode == 3
    one_clear_line(result.stderr, "MIANJING_STATE_URL", "mysql://admin@db.example.com/pool", "not a PostgreSQL URL")
    assert "s3cret-pw" not in result.stderr


def test_on_postgresql_the_answers_are_cached_there_too(
    isolated_env: Path, server: fg.FakeGemini, postgres_url: str, tmp_path: Path
) -> None:
    """Another machine (another home) on the same database reuses the answers, and clearing works."""
    first = mianjing(keyed_env(isolated_env, server, MIANJING_STATE_URL=postgres_url), "analyze", str(EXAMPLE_POST))
    sent = server.count()
    assert first.returncode == 0 and sent >= 1
    other = keyed_env(tmp_path / "other-home", server, MIANJING_STATE_URL=postgres_url)
    assert mianjing(other, "analyze", str(EXAMPLE_POST)).returncode == 0
    assert server.count() == sent
    assert not (isolated_env / "llm_cache.sqlite").exists() and not (isolated_env / "state.sqlite").exists()
    cleared = mianjing(other, "status", "--clear-cache")
    assert cleared.returncode == 0 and "cleared the cached model answers in postgresql://mianjing@" in cleared.stderr
    assert mianjing(other, "analyze", str(EXAMPLE_POST)).returncode == 0
    assert server.count() == 2 * sent


def test_the_postgresql_answer_table_speaks_the_cache_interface(postgres_url: str) -> None:
    store = PostgresStateStore(postgres_url)
    try:
        answers = PostgresAnswers(store)
        a, b, gone = (("mianjing", "answers"), "a"), (("other",), "b"), (("mianjing", "answers"), "old")
        answers.set({a: ({"x": "一"}, 60), b: ({"y": 2}, None), gone: ({"z": 3}, -1)})
        assert answers.get([a, b, gone]) == {a: {"x": "一"}, b: {"y": 2}}  # an expired answer is not one
        answers.clear([("other",)])
        assert answers.get([a, b]) == {a: {"x": "一"}}
        answers.clear()
        assert answers.get([a]) == {}
    finally:
        store.close()
