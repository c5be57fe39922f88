"""The CLI exactly as a user runs it: a subprocess, real files, stdin, exit codes."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, EXAMPLE_POST, MIANJING, run_cli_env


def mianjing(
    home: Path, *args: str, stdin: bytes | None = None, command: list[str] = MIANJING, **env: str
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [*command, *args], input=stdin, capture_output=True, env=run_cli_env(home, **env), timeout=120, check=False
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )


def test_help_lists_the_commands(isolated_env: Path) -> None:
    result = mianjing(isolated_env, "--help")
    assert result.returncode == 0
    assert "analyze" in result.stdout and "schema" in result.stdout


def test_help_shows_options_cleanly(isolated_env: Path) -> None:
    env = run_cli_env(isolated_env, COLUMNS="80")
    run = [*MIANJING, "analyze", "--help"]
    text = subprocess.run(run, capture_output=True, text=True, env=env, timeout=60, check=True).stdout
    assert text.splitlines()[0].endswith(" analyze [OPTIONS] PATH...")
    assert all(len(line) <= 80 for line in text.splitlines())
    for option in ("--format [md|json]", "--engine [auto|offline|gemini]", "--deadline SECONDS", "--taxonomy FILE",
                   "--out DIR", "--jobs N"):  # fmt: skip
        assert option in text
    assert not any(python in text for python in ("<list[", "<float>", "<int range>", "<path>", "{"))
    top = subprocess.run([*MIANJING, "--help"], capture_output=True, text=True, env=env, timeout=60, check=True).stdout
    commands = top.split("Commands:\n")[1].splitlines()
    assert len(commands) == 3 and not any(line.endswith("...") for line in commands)  # summaries are not cut


def test_dot_env_is_read_from_the_current_folder_only(isolated_env: Path, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("GEMINI_RPM=ten\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()

    def status(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
        run = [*MIANJING, "status", "--format", "json"]
        return subprocess.run(run, capture_output=True, text=True, cwd=cwd, env=run_cli_env(isolated_env, **env),
                              timeout=60, check=False)  # fmt: skip

    here = status(tmp_path)
    assert here.returncode == 3 and "GEMINI_RPM" in here.stderr  # the .env of the folder mianjing runs in
    assert status(tmp_path / "sub").returncode == 0  # not a parent folder's
    assert status(tmp_path, GEMINI_RPM="5").returncode == 0  # the environment wins over .env


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
    assert doc["source"] == "(stdin)"
    assert doc["encoding"] == "gb18030"
    assert doc["companies"] == ["美团"]
    assert doc["rounds"][0]["questions"][1]["leetcode"] == [200]


def test_standard_input_is_titled_stdin(isolated_env: Path, tmp_path: Path) -> None:
    post = "美团一面\n1. 讲讲KV cache\n".encode()
    markdown = mianjing(isolated_env, "analyze", "-", stdin=post)
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.splitlines()[0].endswith(": (stdin)")
    empty = mianjing(isolated_env, "analyze", "-", stdin=b"")
    assert empty.returncode == 2 and empty.stderr == "mianjing: (stdin): the post is empty\n"
    batch = mianjing(isolated_env, "analyze", "-", "--out", str(tmp_path / "out"), stdin=post)
    assert batch.returncode == 0, batch.stderr
    assert batch.stderr.startswith("[1/1] (stdin): 1 round, 1 question, offline")
    (result,) = (tmp_path / "out" / "posts").glob("stdin.*.json")
    assert json.loads(result.read_text(encoding="utf-8"))["source"] == "(stdin)"


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


def _one_line(result: subprocess.CompletedProcess[str], code: int, message: str) -> None:
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("mianjing: "), result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("GEMINI_MODELS", "[gemini-2.5-flash", "'[gemini-2.5-flash' is not a model name"),
        ("GEMINI_LIMITS", "gemini-2.5-flash=ten", "gemini-2.5-flash=ten: expected model=RPM/RPD"),
        ("GOOGLE_GEMINI_BASE_URL", "127.0.0.1:9", "'127.0.0.1:9' is not an address"),
        (
            "MIANJING_HOME",
            str(EXAMPLE_POST),
            f"cannot write the state folder {EXAMPLE_POST}: it is a file, not a folder",
        ),
    ],
)
def test_a_malformed_setting_is_exit_3_even_offline(
    isolated_env: Path, variable: str, value: str, message: str
) -> None:
    # Settings are checked when loaded, not when first used: an offline run stops too, before any work.
    result = mianjing(isolated_env, "analyze", str(EXAMPLE_POST), "--engine", "offline", **{variable: value})
    _one_line(result, 3, f"invalid settings: {variable}: {message}")
    assert result.stdout == ""


@pytest.fixture
def unprivileged() -> list[str]:
    """The CLI run so that permissions bind: root reads a mode-000 file, so as root it runs without the
    capabilities that override file modes."""
    if os.geteuid() != 0:
        return MIANJING
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
    if shutil.which("setpriv") is None or subprocess.run([*prefix, "true"], check=False).returncode != 0:
        pytest.skip("running as root and cannot drop the capabilities that ignore file modes")
    return [*prefix, *MIANJING]


def test_an_unwritable_state_folder_is_exit_3(isolated_env: Path, tmp_path: Path, unprivileged: list[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    result = mianjing(
        isolated_env, "analyze", str(EXAMPLE_POST), command=unprivileged, MIANJING_HOME=str(locked / "state")
    )
    _one_line(result, 3, f"cannot write the state folder {locked / 'state'}: {locked} is not writable")


def test_unreadable_files_and_folders_are_exit_2(isolated_env: Path, tmp_path: Path, unprivileged: list[str]) -> None:
    (tmp_path / "readable.txt").write_text("一面\n1. 讲讲RoPE\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("二面\n1. 讲讲KV cache\n", encoding="utf-8")
    (tmp_path / "secret.txt").chmod(0)
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "post.txt").write_text("三面\n1. 讲讲LoRA\n", encoding="utf-8")
    (tmp_path / "closed").chmod(0)
    try:
        folder = mianjing(isolated_env, "analyze", str(tmp_path / "closed"), command=unprivileged)
        mixed = mianjing(isolated_env, "analyze", str(tmp_path), "-f", "json", command=unprivileged)
    finally:
        (tmp_path / "closed").chmod(0o755)
    # A folder that cannot be listed is not "no posts found"; the readable post is still analysed.
    _one_line(folder, 2, "closed: cannot open the folder: Permission denied")
    assert mixed.returncode == 2
    assert json.loads(mixed.stdout)["source"].endswith("readable.txt")
    assert sorted(mixed.stderr.splitlines()) == [
        f"mianjing: {tmp_path / 'closed'}: cannot open the folder: Permission denied",
        f"mianjing: {tmp_path / 'secret.txt'}: cannot read: Permission denied",
    ]


def test_out_onto_a_file_is_exit_2_and_leaves_it_alone(isolated_env: Path, tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine", encoding="utf-8")
    result = mianjing(isolated_env, "analyze", str(EXAMPLE_POST), "--out", str(target))
    _one_line(result, 2, f"--out {target}: is a file, not a folder")
    assert target.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("deadline", ["-1", "0", "nan"])
def test_a_deadline_must_be_above_zero(isolated_env: Path, deadline: str) -> None:
    result = mianjing(isolated_env, "analyze", str(EXAMPLE_POST), f"--deadline={deadline}")
    _one_line(result, 2, "--deadline must be a number of seconds above 0")


def test_a_fifo_or_a_device_is_refused_without_reading(isolated_env: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "post.txt"
    os.mkfifo(fifo)
    # No writer ever opens the FIFO: reading it would block until the subprocess timeout fails the test.
    _one_line(mianjing(isolated_env, "analyze", str(fifo)), 2, f"{fifo}: is a named pipe, not a file")
    _one_line(mianjing(isolated_env, "analyze", "/dev/zero"), 2, "/dev/zero: is a device, not a file")


@pytest.mark.parametrize("via_stdin", [False, True])
def test_reading_stops_at_the_size_limit(isolated_env: Path, tmp_path: Path, via_stdin: bool) -> None:
    # A 4 GiB sparse file under a 1 GiB address-space limit: reading it whole would be a MemoryError.
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(4 << 30)
    probe = (
        "import resource, runpy, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "sys.argv = ['mianjing', *sys.argv[1:]]\n"
        "runpy.run_module('graph.cli', run_name='__main__')\n"
    )
    with huge.open("rb") as stdin:
        proc = subprocess.run(
            [sys.executable, "-c", probe, "analyze", "-" if via_stdin else str(huge)],
            stdin=stdin,
            capture_output=True,
            env=run_cli_env(isolated_env),
            timeout=120,
            check=False,
        )
    result = subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())
    size = "more than 2,000,000" if via_stdin else "4,294,967,296"
    _one_line(result, 2, f"the post is too large ({size} bytes; the limit is 2,000,000)")
