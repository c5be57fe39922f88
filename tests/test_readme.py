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


def extra_command(name: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- extra:{name} -->\n```bash\n(.+?)\n```", text, re.S)
    assert m, f"README has no extra:{name} block"
    return m.group(1).strip()


def section(heading: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_each_extra_is_one_command_in_the_section_that_needs_it() -> None:
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(r.startswith("langgraph-cli[inmem]") for r in extras["studio"])
    assert {"jupyterlab", "ipykernel"} <= {re.split(r"[<>=\[]", r)[0] for r in extras["notebook"]}
    assert "mianjing[studio,notebook]" in extras["dev"]  # the tests run Studio and the notebook
    for extra, heading, then in (
        ("studio", "LangGraph Studio", "langgraph dev"),
        ("notebook", "The notebook", "jupyter lab notebooks/quickstart.ipynb"),
    ):
        assert extra_command(extra) == f'.venv/bin/pip install -q ".[{extra}]" && .venv/bin/{then}'
        assert f"<!-- extra:{extra} -->" in section(heading)
    assert (ROOT / "notebooks" / "quickstart.ipynb").is_file()
    # The quickstart stays two commands, with no extra in the main one.
    assert (ROOT / "README.md").read_text(encoding="utf-8").count("<!-- quickstart:") == 2
    assert "[" not in quickstart("main")


def test_the_extras_commands_run_in_the_dev_environment() -> None:
    # [dev] includes both extras, so the venv the tests run in has what the README's extra commands start.
    bin_dir = Path(sys.executable).parent
    studio = subprocess.run([bin_dir / "langgraph", "dev", "--help"], capture_output=True, text=True, timeout=60)
    assert studio.returncode == 0 and "--no-browser" in studio.stdout
    lab = subprocess.run([bin_dir / "jupyter", "lab", "--version"], capture_output=True, text=True, timeout=60)
    assert lab.returncode == 0 and re.fullmatch(r"\d+\.\d+\.\d+\S*\n", lab.stdout), lab.stderr


def test_every_setting_is_documented_in_the_readme_and_env_example() -> None:
    from graph.settings import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        variable = field.validation_alias.choices[0] if field.validation_alias else name.upper()
        assert f"`{variable}" in readme, f"{variable} is not in the README's configuration table"
        assert variable in example, f"{variable} is not in .env.example"
