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


def fence(text: str, *, kind: str = "post") -> tuple[str, str]:
    """(tag, block): `text` between an opening and a closing tag no text inside can forge.

    The tag's name comes from the text's own hash, so a post cannot contain its closing tag (it would
    have to contain its own hash), and the same post gives the same prompt (answers stay cacheable)."""
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    size = 12
    while (
        size < len(digest) and f"{kind}-{digest[:size]}" in text
    ):  # unreachable but for a forged text; then a longer name
        size += 4
    tag = f"{kind}-{digest[:size]}"
    return f"<{tag}>", f"<{tag}>\n{text}\n</{tag}>"
