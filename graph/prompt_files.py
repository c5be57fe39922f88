"""Prompt files from prompts/ (shipped inside the wheel as graph/prompts), loaded once, formatted at call time."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def load(name: str) -> str:
    packaged = resources.files("graph").joinpath("prompts", f"{name}.md")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    # A source checkout: prompts/ sits beside the package.
    return (Path(__file__).resolve().parent.parent / "prompts" / f"{name}.md").read_text(encoding="utf-8")


def render(name: str, **fields: object) -> str:
    return load(name).format(**fields)
