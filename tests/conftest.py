from __future__ import annotations

import os
import sys
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
