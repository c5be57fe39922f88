from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"
EXAMPLE_POST = CORPUS / "douyin_llm_3rounds.txt"

# Variables that would let a test reach a real key, a real endpoint or the user's state.
_ISOLATED = (
    "GEMINI_API_KEYS",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "GEMINI_KEY_PROJECTS",
    "GEMINI_MODELS",
    "GOOGLE_GEMINI_BASE_URL",
    "GEMINI_BASE_URL",
    "GEMINI_LIMITS",
    "GEMINI_RPM",
    "GEMINI_RPD",
    "MIANJING_HOME",
    "MIANJING_STATE_URL",
    "LANGSMITH_GATEWAY",
    "LANGSMITH_TRACING",
    "LANGCHAIN_TRACING_V2",
    "GOOGLE_GENAI_USE_VERTEXAI",
    "GOOGLE_GENAI_API_VERSION",
)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test starts with no keys, no endpoint override and a private state folder."""
    for name in _ISOLATED:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("mianjing_home")
    monkeypatch.setenv("MIANJING_HOME", str(home))
    # A developer's own .env must not leak into tests.
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    return home


def run_cli_env(home: Path, **extra: str) -> dict[str, str]:
    """Environment for a `mianjing` subprocess: the test's isolation plus what the test adds."""
    env = {k: v for k, v in os.environ.items() if k not in _ISOLATED}
    env.update({"MIANJING_HOME": str(home), "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}, **extra)
    return env


MIANJING = [sys.executable, "-m", "graph.cli"]


NO_POSTGRES = 'no PostgreSQL: set MIANJING_TEST_POSTGRES_URL (eval "$(bash .ci/postgres.sh start)")'
NO_POSTGRES_LINE = sys._getframe().f_lineno - 1


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    """Every test skipped for want of PostgreSQL is reported at one place, so `-ra` folds them into one line."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2] == f"Skipped: {NO_POSTGRES}":
        report.longrepr = (__file__, NO_POSTGRES_LINE, report.longrepr[2])
    return report


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose tables land in a schema of this test's own, dropped afterwards.

    The server is MIANJING_TEST_POSTGRES_URL's (`.ci/run` starts one: `bash .ci/postgres.sh start`);
    without it these tests skip, except in CI, where they fail."""
    base = os.environ.get("MIANJING_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail("MIANJING_TEST_POSTGRES_URL is not set: .ci/run starts a PostgreSQL for these tests")
        pytest.skip(NO_POSTGRES)
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as db:
        db.execute(f"CREATE SCHEMA {schema}")
    try:
        # libpq's options: every connection made with this URL works in the test's schema.
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as db:
            db.execute(f"DROP SCHEMA {schema} CASCADE")
