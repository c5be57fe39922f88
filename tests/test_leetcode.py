import pytest

from graph.offline.leetcode import describe, link


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("代码题：lc 46，全排列。lc 73，矩阵置0。", [46, 73]),
        ("手撕LC200", [200]),
        ("leetcode 92 反转链表 II", [92]),
        ("力扣240", [240]),
        ("LCR 140 训练计划 II", ["LCR 140"]),
        ("剑指offer 22", ["LCR 140"]),
        ("剑指 Offer 10-II 青蛙跳台阶", ["LCR 127"]),
        ("接雨水", [42]),
        ("手写LRU缓存", [146]),
        ("Number of Islands, then Number of Islands II", [200, 305]),
        ("n皇后问题", [51]),
    ],
)
def test_links_by_number_and_title(text: str, ids: list) -> None:
    assert link(text) == ids


@pytest.mark.parametrize(
    "text",
    ["Compare tensor parallelism and pipeline parallelism", "讲讲子集的概念", "a URL shortener with 1.5B links"],
)
def test_does_not_link_words_that_merely_contain_a_title(text: str) -> None:
    assert link(text) == []


def test_describe_gives_titles_and_difficulty() -> None:
    zh, en, difficulty, url = describe(42)
    assert (zh, en, difficulty) == ("接雨水", "Trapping Rain Water", "Hard")
    assert url == "https://leetcode.cn/problems/trapping-rain-water/"
