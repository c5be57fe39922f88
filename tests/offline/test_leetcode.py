import pytest

from graph.offline.leetcode import describe, link
from graph.offline.resources import leetcode


def test_catalogue_covers_the_whole_problem_set() -> None:
    index = leetcode()
    numbered = [pid for pid in index.by_id if isinstance(pid, int)]
    assert len(numbered) > 3500
    assert describe(3000)[1] and describe(1912)[2] in {"Easy", "Medium", "Hard"}


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("先做 lc 46 再做 lc 73", [46, 73]),
        ("一面手撕LC200", [200]),
        ("leetcode 92 变种", [92]),
        ("力扣240原题", [240]),
        ("题目是 LeetCode0033", [33]),
        ("类似 lc 33 的思路", [33]),
        ("最后一道是leetcode第3题", [3]),
        ("lc189", [189]),
        ("LCR 140 训练计划 II", ["LCR 140"]),
    ],
)
def test_links_by_number_after_a_site_name(text: str, ids: list) -> None:
    assert link(text) == ids


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("see https://leetcode.com/problems/trapping-rain-water/ first", [42]),
        ("原题 https://leetcode.cn/problems/number-of-islands/description/", [200]),
        ("旧链接 leetcode-cn.com/problems/two-sum", [1]),
    ],
)
def test_links_by_url(text: str, ids: list) -> None:
    assert link(text) == ids


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("最后让写接雨水", [42]),
        ("warm-up was Number of Islands", [200]),
        ("写一下二叉树的层序遍历", [102]),
        ("Number of Islands, then Number of Islands II", [200, 305]),
        ("a quick Design Movie Rental System", [1912]),
    ],
)
def test_links_by_exact_title(text: str, ids: list) -> None:
    assert link(text) == ids


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Merge sorted linked lists, iteratively", [21]),
        ("he gave me Find the Celebrity", [277]),
        ("the classic 2-Sum", [1]),
        ("start with two sum", [1]),
        ("找零钱的最少硬币数", [322]),
        ("零钱兑换", [322]),
        ("手写二叉树层序遍历", [102]),
        ("求最长回文子串", [5]),
        ("最长无重复字符子串的长度", [3]),
        ("合并两个升序数组", [88]),
        ("数组里找第K大", [215]),
        ("非递归写二叉树前序遍历", [144]),
        ("Text Justification", [68]),
        ("implement TextJustification", [68]),
        ("Meeting Rooms II with a heap", [253]),
        ("Meeting Rooms 2", [253]),
        ("Bus Routes (BFS)", [815]),
        ("isomorphic string check", [205]),
        ("先序和中序序列重建这棵二叉树", [105]),
    ],
)
def test_links_by_fuzzy_title_and_short_name(text: str, ids: list) -> None:
    assert link(text) == ids


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("利口啊吾叁", [253]),
        ("就是力扣吾陆", [56]),
        ("lc 二零六", [206]),
    ],
)
def test_links_numbers_written_as_homophones_after_a_site_name(text: str, ids: list) -> None:
    assert link(text) == ids


def test_homophones_only_count_after_a_site_name() -> None:
    assert link("啊吾叁") == []
    assert link("力扣两道题，一道hard") == []


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("剑指offer 22", ["LCR 140"]),
        ("剑指 Offer 10-II 青蛙跳台阶", ["LCR 127"]),
    ],
)
def test_jianzhi_offer_numbers(text: str, ids: list) -> None:
    assert link(text) == ids


@pytest.mark.parametrize(
    "text",
    [
        "Design",
        "Sort",
        "Two",
        "排序",
        "讲讲二分查找",
        "System design: design twitter",
        "Compare tensor parallelism and pipeline parallelism",
        "讲讲子集的概念",
        "a URL shortener with 1.5B links",
        "3 coding questions in 45 minutes",
        "刷了300道leetcode",
        "leetcode 300道",
        "2023年秋招",
        "implement top-k sampling in numpy",
        "implement a tiled matrix transpose in CUDA",
        "count the lower-case letters",
    ],
)
def test_does_not_link_generic_words_or_counts(text: str) -> None:
    assert link(text) == []


def test_a_longer_title_wins_over_the_titles_inside_it() -> None:
    assert link("Word Search II") == [212]
    assert link("Valid Palindrome II") == [680]


def test_describe_gives_titles_and_difficulty() -> None:
    zh, en, difficulty, url = describe(42)
    assert (zh, en, difficulty) == ("接雨水", "Trapping Rain Water", "Hard")
    assert url == "https://leetcode.cn/problems/trapping-rain-water/"


def test_a_hash_number_links_where_the_site_is_named() -> None:
    assert link("Course ordering (not straight from LC, nearest: #210)") == [210]
    assert link("see issue #210 of the tracker") == []


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Each day has a reading; for every day say how long until a warmer day comes.", [739]),
        ("Count the fewest bit flips needed to convert one integer into another.", [2220]),
        ("Given a grid of land and water, count how many islands there are.", [200]),
        ("Return the top k most frequent numbers in the input array.", [347]),
        ("Rotate an n x n matrix by 90 degrees in place.", [48]),
        ("Find the minimum number of conference rooms the meetings need.", [253]),
        ("Check that a string made of brackets is balanced.", [20]),
    ],
)
def test_links_a_popular_problem_described_in_english(text: str, ids: list) -> None:
    assert link(text) == ids


@pytest.mark.parametrize(
    "text",
    [
        "Follow-up: return the size of the largest island instead of the count.",
        "The weather was warmer that day, so the onsite felt long.",
        "Return the top k most frequent words, ties broken alphabetically.",
    ],
)
def test_a_description_needs_all_its_parts(text: str) -> None:
    assert 200 not in link(text) and 739 not in link(text) and 347 not in link(text)


def test_slash_alternatives_without_groups_are_names_of_their_own() -> None:
    # The catalogue lists "warmer day/warmer temperature/daily temperature" for 739: each links alone.
    assert link("next warmer temperature") == [739]
