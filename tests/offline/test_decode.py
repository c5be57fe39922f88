import codecs

import pytest

from graph.errors import InputError
from graph.offline.decode import decode_bytes

TEXT = "字节一面：1、聊项目。2、AUC的两种公式是？"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
        (("Round 1 (Coding): LRU cache and two sum. " * 3).encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_decodes_common_encodings(data: bytes, encoding: str) -> None:
    text, found = decode_bytes(data)
    assert found == encoding
    assert "LRU" in text or text.endswith("AUC的两种公式是？")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "binary"),
    ],
)
def test_rejects_unreadable_input_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        decode_bytes(data)


def test_rejects_too_large_input() -> None:
    with pytest.raises(InputError, match="too large"):
        decode_bytes(b"a" * 101, max_bytes=100)
