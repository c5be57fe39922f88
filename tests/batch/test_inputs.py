import io
import sys
from pathlib import Path

import pytest

from graph.batch.inputs import expand_paths, read_post
from graph.errors import InputError


def test_folders_globs_and_stdin_expand_in_a_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("二面", encoding="utf-8")
    (tmp_path / "a.md").write_text("一面", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("<p>三面</p>", encoding="utf-8")
    folder = expand_paths([str(tmp_path)])
    assert [Path(p).name for p in folder] == ["a.md", "b.txt", "c.html"]
    assert [Path(p).name for p in expand_paths([str(tmp_path / "*.txt"), "-"])] == ["b.txt", "-"]
    assert expand_paths([str(tmp_path / "b.txt"), str(tmp_path / "b.txt")]) == [str(tmp_path / "b.txt")]


def test_read_post_names_the_file_in_its_error(tmp_path: Path) -> None:
    assert read_post(str(_write(tmp_path / "gbk.txt", "美团一面".encode("gbk"))), max_bytes=100) == (
        "美团一面",
        "gb18030",
    )
    with pytest.raises(InputError, match=r"missing\.txt: no such file"):
        read_post(str(tmp_path / "missing.txt"), max_bytes=100)
    with pytest.raises(InputError, match=r"is a folder"):
        read_post(str(tmp_path), max_bytes=100)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_stdin_is_read_no_further_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    class Endless(io.RawIOBase):
        """Standard input that never ends, counting what is taken from it."""

        taken = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            buffer[:] = b"a" * len(buffer)
            Endless.taken += len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless(), buffer_size=4096)))
    with pytest.raises(InputError, match=r"the post is too large \(more than 100,000 bytes"):
        read_post("-", max_bytes=100_000)
    assert Endless.taken <= 100_001 + 4096


def test_a_file_that_is_too_large_is_named_with_its_size(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.txt", "一面\n1. 讲讲RoPE\n".encode() * 100)
    with pytest.raises(InputError, match=rf"big\.txt: the post is too large \({path.stat().st_size:,} bytes"):
        read_post(str(path), max_bytes=1000)
