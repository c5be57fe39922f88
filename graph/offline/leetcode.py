"""Link questions to LeetCode problems by number (lc 46, 力扣240, LCR 140, 剑指offer 22) or by title."""

from __future__ import annotations

import re

from graph.offline.resources import leetcode, norm_title

_BY_NUMBER = re.compile(
    r"(?<![a-z])(?:lc|leetcode|leet\s*code|力扣|lc\.|hot\s*100\s*(?:第)?)\s*[-#:：.]?\s*(?:第\s*)?(\d{1,4})(?!\d)",
    re.I,
)
_BY_NUMBER_AFTER = re.compile(r"(?<![\d.])(\d{1,4})\s*[.、]?\s*(?:题)?\s*\(?(?:lc|leetcode|力扣)\b", re.I | re.A)
# "之字形打印（就是103）", "(LC 212)": a bare number that a coding question points at.
_POINTED_NUMBER = re.compile(r"(?:就是|即|原题|对应|lc|leetcode|力扣)\s*[#第]?\s*(\d{2,4})(?!\d)", re.I)
_CODING_CONTEXT = re.compile(r"leetcode|力扣|(?<![a-z])lc(?![a-z])|手撕|写代码|代码|算法题|股票|链表|数组|二叉树", re.I)
_LCR = re.compile(r"\blcr\s*[-#]?\s*(\d{3})\b", re.I | re.A)
_JIANZHI = re.compile(r"剑指\s*(?:offer)?\s*(?:第)?\s*(\d{1,2})(?:\s*[-.]?\s*(i{1,3}|\d))?", re.I | re.A)
# 剑指 Offer (2nd ed.) numbering → its LCR id on leetcode.cn, in the order the site lists them.
_JIANZHI_ORDER = [
    "03",
    "04",
    "05",
    "06",
    "07",
    "09",
    "10-1",
    "10-2",
    "11",
    "12",
    "13",
    "14-1",
    "14-2",
    "15",
    "16",
    "17",
    "18",
    "19",
    "20",
    "21",
    "22",
    "24",
    "25",
    "26",
    "27",
    "28",
    "29",
    "30",
    "31",
    "32-1",
    "32-2",
    "32-3",
    "33",
    "34",
    "35",
    "36",
    "37",
    "38",
    "39",
    "40",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "47",
    "48",
    "49",
    "50",
    "51",
    "52",
    "53-1",
    "53-2",
    "54",
    "55-1",
    "55-2",
    "56-1",
    "56-2",
    "57",
    "57-2",
    "58-1",
    "58-2",
    "59-1",
    "59-2",
    "60",
    "61",
    "62",
    "63",
    "64",
    "65",
    "66",
    "67",
    "68-1",
    "68-2",
]
_JIANZHI_TO_LCR = {key: f"LCR {120 + i}" for i, key in enumerate(_JIANZHI_ORDER)}


def _jianzhi_key(number: str, part: str | None) -> str:
    key = f"{int(number):02d}"
    if part:
        key += "-" + str({"i": 1, "ii": 2, "iii": 3}.get(part.lower()) or part)
    # "剑指offer 10" without a part means its first part.
    return key if key in _JIANZHI_TO_LCR else f"{key}-1"


def link(text: str) -> list[int | str]:
    """Problem ids mentioned in a question, in order of first mention."""
    index = leetcode()
    found: list[int | str] = []

    def add(pid: int | str) -> None:
        if pid not in found:
            found.append(pid)

    for m in _BY_NUMBER.finditer(text):
        n = int(m.group(1))
        if 0 < n < 4000:
            add(n)
    for m in _BY_NUMBER_AFTER.finditer(text):
        add(int(m.group(1)))
    if _CODING_CONTEXT.search(text):
        # "最多交易两次怎么做（123）": a bare number in parentheses beside a coding ask.
        for m in re.finditer(r"[(（]\s*(\d{2,4})\s*[)）]", text):
            add(int(m.group(1)))
    for m in _POINTED_NUMBER.finditer(text):
        if 0 < int(m.group(1)) < 4000:
            add(int(m.group(1)))
    for m in _LCR.finditer(text):
        add(f"LCR {m.group(1)}")
    for m in _JIANZHI.finditer(text):
        lcr = _JIANZHI_TO_LCR.get(_jianzhi_key(m.group(1), m.group(2)))
        if lcr:
            add(lcr)
    normalized = norm_title(text)
    for m in index.title_pattern.finditer(normalized):
        add(index.by_title[m.group(0)])
    for m in index.short_pattern.finditer(re.sub(r"\s+", " ", text.lower())):
        add(index.by_title[m.group(0)])
    return found


def describe(pid: int | str) -> tuple[str, str, str | None, str | None]:
    """(zh title, en title, difficulty, url) for a linked id; unknown ids keep their number."""
    problem = leetcode().by_id.get(pid)
    if problem is None:
        return (str(pid), str(pid), None, None)
    return problem.title_zh, problem.title_en, problem.difficulty, problem.url
