"""The README's commands cannot rot: CI runs the test command, and the main command is run here."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quickstart(name: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- quickstart:{name} -->\n```bash\n(.+?)\n```", text, re.S)
    assert m, f"README has no quickstart:{name} block"
    return m.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    command = quickstart("tests")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    *_install, run_tests = [part.strip() for part in command.split("&&")]
    assert run_tests in ci.splitlines()
    assert 'pip install --quiet -e ".[dev]"' in ci and "python3 -m venv .venv" in ci


def test_main_command_analyses_the_example_offline(tmp_path: Path) -> None:
    command = quickstart("main")
    analyse = command.split("&&")[-1].strip().removeprefix(".venv/bin/")
    assert analyse.startswith("mianjing analyze ")
    post = ROOT / analyse.split()[-1]
    assert post.is_file()
    out = subprocess.run(
        [sys.executable, "-m", "graph.cli", "analyze", str(post)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert "字节跳动" in out.stdout
