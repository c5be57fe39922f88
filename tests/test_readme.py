"""The README's commands cannot rot: .ci/run runs both quickstart blocks verbatim; here they are checked."""

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


def test_ci_runs_both_readme_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "main=$(readme_command main)" in ci and 'bash -c "$main"' in ci
    assert "tests=$(readme_command tests)" in ci and 'bash -c "$tests"' in ci
    function = re.search(r"^readme_command\(\) \{.*?^\}", ci, re.S | re.M)
    assert function
    extracted = subprocess.run(
        ["bash", "-c", function.group(0) + "\nreadme_command tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert extracted == quickstart("tests")
    assert extracted.endswith("python -m pytest")


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
