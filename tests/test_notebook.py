"""The notebook runs top to bottom with no key and no network, as a user would run it, and shows its figures."""

import ast
import base64
import io
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from PIL import Image

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "quickstart.ipynb"


def test_notebook_is_stored_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")


def test_quickstart_notebook_executes(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    text = "\n".join(
        out.get("text", "") or str(out.get("data", {}).get("text/plain", ""))
        for cell in nb.cells
        for out in cell.get("outputs", [])
    )
    assert "clean_text" in text and "router" in text  # the drawn graph
    assert "字节跳动" in text
    assert "429 RESOURCE_EXHAUSTED" in text and "per-day quota" in text
    assert "bank.apkg" in text
    # The charts are image outputs a reader sees (the one-post topic mix and the batch's chart), real PNGs.
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])]
    images = [out["data"]["image/png"] for out in outputs if "image/png" in out.get("data", {})]
    assert len(images) >= 2
    for png in images:
        with Image.open(io.BytesIO(base64.b64decode(png))) as image:
            assert image.format == "PNG" and image.size[0] >= 300


def _name(requirement: str) -> str:
    return re.match(r"[A-Za-z0-9._-]+", requirement).group(0).lower().replace("_", "-")  # type: ignore[union-attr]


def test_the_notebook_extra_installs_what_the_notebook_imports() -> None:
    project = tomllib.loads((NOTEBOOK.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = {_name(r) for r in project["optional-dependencies"]["notebook"]}
    assert {"jupyterlab", "ipykernel"} <= extra  # `jupyter lab` and the kernel it runs the notebook on
    declared = extra | {_name(r) for r in project["dependencies"]}
    imported: set[str] = set()
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if cell.cell_type == "code":
            code = "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))
            tree = compile(code, "cell", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    imported |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"graph", "tests"}  # the project's own source
    assert "matplotlib" in third_party and "IPython" in third_party
    distributions = packages_distributions()
    missing = {m for m in third_party if not {_name(d) for d in distributions.get(m, [])} & declared}
    assert not missing, f"the notebook imports {missing}, which [notebook] does not install"
