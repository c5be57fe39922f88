"""Finding posts (files, folders, globs, stdin) and reading them as text: shared by the CLI and batches."""

from __future__ import annotations

import glob
import os
import stat
import sys
from pathlib import Path

from graph.errors import InputError

POST_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text"}
STDIN = "(stdin)"


def source_label(path: str) -> str:
    """How a post is named in output, messages and results: standard input ('-') is '(stdin)'."""
    return STDIN if path == "-" else path


def expand_paths(paths: list[str]) -> list[str]:
    """Files, folders (their posts, recursively) and globs, in a stable order; '-' is stdin.

    A folder that cannot be listed stays in the list as itself, so reading it reports why.
    """
    out: list[str] = []
    for raw in paths:
        if raw == "-":
            out.append(raw)
            continue
        if _is_dir(raw):
            out += _posts_in(raw)
        elif not os.path.lexists(raw) and glob.has_magic(raw):
            out += sorted(p for p in glob.glob(raw, recursive=True) if Path(p).is_file())
        else:
            out.append(raw)
    return list(dict.fromkeys(out))


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def _posts_in(folder: str) -> list[str]:
    # os.walk reports folders it cannot list (Path.rglob skips them silently: a mode-000 folder
    # would look empty and say "no posts found").
    posts: list[str] = []
    unreadable: list[str] = []
    for root, dirs, files in os.walk(folder, onerror=lambda exc: unreadable.append(exc.filename)):
        dirs.sort()
        posts += [
            os.path.join(root, name)
            for name in files
            if Path(name).suffix.lower() in POST_SUFFIXES and os.path.isfile(os.path.join(root, name))
        ]
    return sorted(posts) + unreadable


def read_post(path: str, *, max_bytes: int) -> tuple[str, str]:
    from graph.offline.decode import decode_bytes

    if path == "-":
        # At most one byte past the limit: enough to know the post is too large, never more.
        data = sys.stdin.buffer.read(max_bytes + 1)
        size = f"more than {max_bytes:,}"
    else:
        data, size = _read_file(path, max_bytes)
    if len(data) > max_bytes:
        raise InputError(f"{source_label(path)}: the post is too large ({size} bytes; the limit is {max_bytes:,})")
    try:
        return decode_bytes(data, max_bytes=max_bytes)
    except InputError as exc:
        raise InputError(f"{source_label(path)}: {exc}") from exc


def _read_file(path: str, max_bytes: int) -> tuple[bytes, str]:
    """A regular file's first max_bytes + 1 bytes, and its size as a user reads it."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        try:
            os.scandir(path).close()
        except OSError as exc:
            raise InputError(f"{path}: cannot open the folder: {exc.strerror or exc}") from None
        raise InputError(f"{path}: is a folder with no posts in it")
    _refuse_special(path, info.st_mode)
    try:
        # O_NONBLOCK: should the path become a FIFO after the stat above, opening it must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        _refuse_special(path, info.st_mode)
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return data, f"{max(info.st_size, len(data)):,}"


def _refuse_special(path: str, mode: int) -> None:
    # A pipe would block until a writer comes and a device such as /dev/zero never ends.
    if stat.S_ISREG(mode):
        return
    kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    raise InputError(f"{path}: is {kind}, not a file (to read a stream, pipe it to standard input with '-')")
