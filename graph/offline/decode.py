"""Bytes to text: BOMs first, then strict UTF-8, then GB18030, then charset-normalizer's guess."""

from __future__ import annotations

import codecs

from graph.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum("\u4e00" <= c <= "\u9fff" for c in letters) / len(letters)


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text leaves a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, *, max_bytes: int = 2_000_000) -> tuple[str, str]:
    """Return (text, encoding) or raise InputError with a reason a user understands."""
    if not data.strip():
        raise InputError("the post is empty")
    if len(data) > max_bytes:
        raise InputError(f"the post is too large ({len(data):,} bytes; the limit is {max_bytes:,})")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"the post starts with a {encoding} mark but does not decode as it") from exc
    utf16 = _looks_like_utf16(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError("the file looks binary, not a text post")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Chinese posts saved on Windows are GBK; GB18030 is its strict superset.
    try:
        text = data.decode("gb18030")
        if _cjk_share(text) > 0.2:
            return _checked(text, "gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("the post is not text in any encoding mianjing can detect")
    return _checked(str(best), best.encoding)


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if not text.strip():
        raise InputError("the post is empty")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v")
    if controls > max(8, len(text) // 50):
        raise InputError("the file looks binary, not a text post")
    return text, encoding
