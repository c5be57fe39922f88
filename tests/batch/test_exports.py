"""The files a batch leaves, opened as a reader would: the chart's pixels and text, the files' modes."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

from PIL import Image

from graph.batch.bank import BankEntry, build_bank
from graph.batch.exports import TOPIC_COLOURS, bank_markdown, topic_chart, topic_mix, write_atomic
from graph.offline.resources import taxonomy


def entry(text: str, topic: str, *companies: str) -> BankEntry:
    return BankEntry(canonical=text, topic=topic, posts=1, companies=list(companies), company_count=len(companies))


def colours(png: Path) -> set[tuple[int, int, int]]:
    with Image.open(png) as image:
        return {rgb for _count, rgb in image.convert("RGB").getcolors(maxcolors=1 << 20)}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_chart_counts_what_the_bank_counts() -> None:
    rounds = [
        {"label": "一面", "company": "美团", "questions": [
            {"text": "自我介绍", "topic": "project", "in_stats": False},
            {"text": "KV cache的原理", "topic": "llm", "in_stats": True},
            {"text": "手撕接雨水和岛屿数量", "topic": "coding", "leetcode": [42, 200], "in_stats": True},
        ]},
        {"label": "二面", "company": "快手", "questions": [{"text": "讲一下KV Cache原理", "topic": "llm"}]},
    ]  # fmt: skip
    entries = build_bank([{"source": "a.txt", "companies": ["美团"], "rounds": rounds}])[0].entries()
    mix = topic_mix(entries)
    assert mix == {"美团": {"llm": 1, "coding": 2}, "快手": {"llm": 1}}  # no 自我介绍; one per LeetCode problem
    listed = dict(re.findall(r"^### (\S+) \((\d+)\)$", bank_markdown(entries, {}).split("## By company")[1], re.M))
    assert {company: sum(topics.values()) for company, topics in mix.items()} == {c: int(n) for c, n in listed.items()}


def test_chart_draws_chinese_company_names_with_no_missing_glyph(tmp_path: Path) -> None:
    entries = [
        entry("KV cache的原理", "llm", "字节跳动", "一家没有英文名的初创公司"),
        entry("手撕LRU", "coding", "字节跳动"),
        entry("自我介绍", "project", "🍎公司"),  # a character no bundled font has: drawn as '?', not a warning
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        topic_chart(entries, {"字节跳动": "ByteDance"}, tmp_path / "chart.png")
    assert [str(w.message) for w in caught] == []
    with Image.open(tmp_path / "chart.png") as chart:
        assert chart.format == "PNG" and chart.size[0] >= 600


def test_a_topic_keeps_its_colour_whatever_else_is_in_the_chart(tmp_path: Path) -> None:
    topic_chart([entry("手撕LRU", "coding", "美团")], {}, tmp_path / "one.png")
    topic_chart([entry("RoPE", "llm", "快手"), entry("手撕LRU", "coding", "美团")], {}, tmp_path / "two.png")
    coding, llm = rgb(TOPIC_COLOURS["coding"]), rgb(TOPIC_COLOURS["llm"])
    assert coding in colours(tmp_path / "one.png") and llm not in colours(tmp_path / "one.png")
    assert {coding, llm} <= colours(tmp_path / "two.png")


def test_every_default_topic_has_its_own_colour() -> None:
    assert set(taxonomy().ids) <= set(TOPIC_COLOURS)
    assert len(set(TOPIC_COLOURS.values())) == len(TOPIC_COLOURS)


def test_written_files_honour_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "a.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
