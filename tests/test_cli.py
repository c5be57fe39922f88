"""The CLI exactly as a user runs it: a subprocess, real files, stdin, exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, EXAMPLE_POST, MIANJING, run_cli_env


def mianjing(home: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [*MIANJING, *args], input=stdin, capture_output=True, env=run_cli_env(home), timeout=120, check=False
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )


def test_help_lists_the_commands(isolated_env: Path) -> None:
    result = mianjing(isolated_env, "--help")
    assert result.returncode == 0
    assert "analyze" in result.stdout and "schema" in result.stdout


def test_analyze_prints_markdown(isolated_env: Path) -> None:
    result = mianjing(isolated_env, "analyze", str(EXAMPLE_POST))
    assert result.returncode == 0, result.stderr
    assert "### 一面 · 字节跳动" in result.stdout
    assert "| 8 | 代码题" in result.stdout
    assert "准备计划" in result.stdout


def test_analyze_json_has_the_documented_fields(isolated_env: Path) -> None:
    result = mianjing(isolated_env, "analyze", str(EXAMPLE_POST), "--format", "json", "--engine", "offline")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    for field in ("source", "is_interview", "companies", "role", "outcome", "rounds", "tips", "summary", "advice"):
        assert field in doc
    question = doc["rounds"][0]["questions"][7]
    assert {"text", "topic", "topics", "leetcode"} <= set(question)
    assert question["leetcode"] == [46, 73]
    assert doc["engines"]["write_advice"] == "offline"


def test_reads_stdin_and_gbk(isolated_env: Path) -> None:
    post = "美团一面\n1. 自我介绍\n2. 手撕 lc 200 岛屿数量\n".encode("gbk")
    result = mianjing(isolated_env, "analyze", "-", "-f", "json", stdin=post)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["source"] == "-"
    assert doc["encoding"] == "gb18030"
    assert doc["companies"] == ["美团"]
    assert doc["rounds"][0]["questions"][1]["leetcode"] == [200]


def test_many_posts_give_one_json_document_per_line(isolated_env: Path) -> None:
    result = mianjing(isolated_env, "analyze", str(CORPUS), "-f", "json")
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(docs) == len(list(CORPUS.glob("*.txt")))


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"", "empty"), (b"\x00\x01\x02PNG" * 50, "binary")],
)
def test_bad_input_is_one_line_and_exit_2(
    isolated_env: Path, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "post.txt"
    if content is not None:
        path.write_bytes(content)
    result = mianjing(isolated_env, "analyze", str(path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_too_large_input_is_refused(isolated_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes("一面\n1. 讲讲RoPE\n".encode() * 10)
    proc = subprocess.run(
        [*MIANJING, "analyze", str(path)],
        capture_output=True,
        env=run_cli_env(isolated_env, MIANJING_MAX_POST_BYTES="50"),
        check=False,
    )
    assert proc.returncode == 2
    assert b"too large" in proc.stderr


def test_one_bad_file_does_not_stop_the_others(isolated_env: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("一面\n1. 讲讲RoPE\n", encoding="utf-8")
    result = mianjing(isolated_env, "analyze", str(tmp_path), "-f", "json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["source"].endswith("good.txt")
    assert "empty.txt: the post is empty" in result.stderr


def test_unknown_option_is_a_usage_error(isolated_env: Path) -> None:
    result = mianjing(isolated_env, "analyze", str(EXAMPLE_POST), "--format", "xml")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_schema_is_valid_json_schema(isolated_env: Path) -> None:
    result = mianjing(isolated_env, "schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "MianjingAnalysis"
    assert {"rounds", "advice", "engines"} <= set(schema["properties"])


def test_unwritable_state_folder_is_a_config_error(isolated_env: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be", encoding="utf-8")
    proc = subprocess.run(
        [*MIANJING, "status", "--reset"],
        capture_output=True,
        env=run_cli_env(isolated_env, MIANJING_HOME=str(blocker / "state"), GEMINI_API_KEYS="fake-key-1"),
        check=False,
    )
    assert proc.returncode == 3
    assert b"cannot write the state folder" in proc.stderr and b"Traceback" not in proc.stderr


def test_help_imports_nothing_heavy(isolated_env: Path) -> None:
    # --help must stay fast: the graph, models, data files and rich's help formatter load only when needed.
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['mianjing', '--help']\n"
        "try:\n"
        "    runpy.run_module('graph.cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('rich', 'markdown_it', 'pydantic', 'langgraph', 'langchain_core', 'graph.offline', 'graph.state')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, env=run_cli_env(isolated_env), timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert b"analyze" in proc.stdout
    assert proc.stderr.decode().strip() == "[]"
