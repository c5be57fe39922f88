"""Finding posts (files, folders, globs, stdin) and reading them as text: shared by the CLI and batches."""

from __future__ import annotations

import glob
import sys
from pathlib import Path

from graph.errors import InputError

POST_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text"}


def expand_paths(paths: list[str]) -> list[str]:
    """Files, folders (their posts, recursively) and globs, in a stable order; '-' is stdin."""
    out: list[str] = []
    for raw in paths:
        if raw == "-":
            out.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            out += sorted(str(p) for p in path.rglob("*") if p.is_file() and p.suffix.lower() in POST_SUFFIXES)
        elif not path.exists() and glob.has_magic(raw):
            out += sorted(p for p in glob.glob(raw, recursive=True) if Path(p).is_file())
        else:
            out.append(raw)
    return list(dict.fromkeys(out))


def read_post(path: str, *, max_bytes: int) -> tuple[str, str]:
    from graph.offline.decode import decode_bytes

    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file")
        if p.is_dir():
            raise InputError(f"{path}: is a folder with no posts in it")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return decode_bytes(data, max_bytes=max_bytes)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc
