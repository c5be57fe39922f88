"""Link questions to LeetCode problems: by number (lc 46, 力扣240, 利口啊吾叁, LCR 140, 剑指offer 22), by URL,
by title or a common short name (接雨水, Number of Islands, 二叉树层序遍历), and by a close fuzzy title."""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain

from graph.offline import fastre
from graph.offline.resources import LeetCodeIndex, leetcode, stem

_SITE = r"(?<![a-z])(?:leet\s*code|leecode|lc|力扣|利口|扣题|hot\s*100\s*(?:第)?)"
# A count or an amount is not a problem number: "lc 300道", "leetcode 75 题单", "1.5B", "200+ problems".
_NOT_ID = r"(?!\d|\.\d|\s*(?:\+|道|题单|题库|多|个|天|周|次|遍|分钟|小时|万|k\b|b\b|%|problems|questions|list|study|plan|days))"
_BY_NUMBER = fastre.compile(
    _SITE + r"\s*(?:[-#:：.]|no\.|problem|原题|题号)?\s*(?:第\s*)?#?\s*(\d{1,4})" + _NOT_ID, re.I
)
_BY_NUMBER_AFTER = fastre.compile(
    r"(?<![\d.])(\d{1,4})\s*[.、]?\s*(?:题)?\s*\(?(?:lc|leetcode|力扣)\b(?!\s*(?:problems|questions|题|道|hard|medium|easy))",
    re.I | re.A,
)
# "之字形打印（就是103）", "(LC 212)": a bare number that a coding question points at.
_POINTED_NUMBER = re.compile(r"(?:就是|即|原题|对应)\s*[#第]?\s*(\d{2,4})" + _NOT_ID, re.I)
_CODING_CONTEXT = fastre.compile(
    r"leetcode|力扣|(?<![a-z])lc(?![a-z])|手撕|写代码|代码|算法题|股票|链表|数组|二叉树", re.I
)
_CJK_ONLY = re.compile(r"[\u4e00-\u9fff]")
_URL = re.compile(r"leetcode(?:-cn)?\.(?:com|cn)/(?:problems|problemset/[a-z-]+/problems)/([a-z0-9-]+)", re.I)
# 1point3acres posts spell numbers as sound-alike characters after 利口/力扣: 利口啊吾叁 = 253.
_HOMOPHONE_DIGITS = {
    "0": "零〇灵铃玲令凌领林",
    "1": "一幺壹衣依伊医",
    "2": "二两贰儿而尔饿啊阿",
    "3": "三叁仨山散伞珊",
    "4": "四肆死寺似思斯丝",
    "5": "五伍吾舞无午武屋乌呜",
    "6": "六陆溜留流刘遛",
    "7": "七柒期妻漆齐琪棋",
    "8": "八捌吧扒巴芭爸拔",
    "9": "九玖久酒韭舅",
}
_HOMOPHONE = {ch: digit for digit, chars in _HOMOPHONE_DIGITS.items() for ch in chars}
_BY_HOMOPHONE = fastre.compile(
    r"(?<![a-z])(?:leet\s*code|lc|力扣|利口|扣)\s*[#第]?\s*(["
    + "".join(_HOMOPHONE)
    + r"]{2,4})(?![十百千万道题个遍次])",
    re.I,
)
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


_JOINT = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_TOKEN = re.compile(r"[0-9a-z]+|[\u4e00-\u9fff]")
_RUN = re.compile(r"[\u4e00-\u9fff0-9a-z]{5,}")


def _compact(text: str) -> tuple[str, set[int], list[tuple[int, int, str]]]:
    """Text as lowercase letters, digits and Chinese; the offsets where a word may start or end; its Latin words."""
    text = _JOINT.sub(" ", text).lower()
    out: list[str] = []
    bounds = {0}
    latin = []
    size = 0
    for token in _TOKEN.findall(text):
        out.append(token)
        if token.isascii():
            latin.append((size, size + len(token), token))
        size += len(token)
        bounds.add(size)
    return "".join(out), bounds, latin


def _exact(index: LeetCodeIndex, compact: str, bounds: set[int]) -> list[tuple[int, int, int | str]]:
    """Leftmost-longest names from the catalogue, each starting and ending on a word edge."""
    spans = []
    by_title, lengths = index.by_title, index.prefix_lengths
    for i in sorted(bounds):
        if spans and i < spans[-1][1]:
            continue
        # The longest name here first: one lookup per length names of this start have, not one per name.
        for size in lengths.get(compact[i : i + 2], ()):
            end = i + size
            if end in bounds and compact[i:end] in by_title:
                spans.append((i, end, by_title[compact[i:end]]))
                break
    return spans


def _fuzzy_zh(index: LeetCodeIndex, compact: str) -> list[tuple[int, int, int | str]]:
    """Chinese titles written a little differently ("二叉树层序遍历", "合并两个升序数组")."""
    from rapidfuzz import fuzz

    found = []
    for m in _RUN.finditer(compact):
        run = m.group(0)
        grams = index.zh_bigrams
        counts = Counter(chain.from_iterable(grams.get(run[j : j + 2], ()) for j in range(len(run) - 1)))
        best: tuple[float, int, int, int | str] | None = None
        need = index.zh_need
        for i in [i for i, shared in counts.items() if shared >= 3 and shared >= need[i]]:
            key, pid = index.zh_names[i]
            align = fuzz.partial_ratio_alignment(key, run, score_cutoff=85)
            if align is None or align.dest_end - align.dest_start < len(key) - 1:
                continue
            # A whole-title alignment must also keep the title's length (no gaps inside).
            score = fuzz.ratio(key, run[align.dest_start : align.dest_end])
            if score >= 85 and (best is None or score > best[0]):
                best = (score, m.start() + align.dest_start, m.start() + align.dest_end, pid)
        if best:
            found.append(best[1:])
    return found


def _fuzzy_en(index: LeetCodeIndex, words: list[tuple[int, int, str]]) -> list[tuple[int, int, int | str]]:
    """English titles with a word missing, plural or reworded a little ("Merge sorted linked lists")."""
    where: dict[str, list[int]] = {}
    for pos, (_, _, w) in enumerate(words):
        where.setdefault(w, []).append(pos)
    counts = Counter(i for w in where for i in index.en_words.get(w, ()))
    found = []
    needs = index.en_need
    for i in [i for i, shared in counts.items() if shared >= 2 and shared >= needs[i]]:
        content, length, pid = index.en_names[i]
        short, need = index.en_short[i], needs[i]
        if short:
            # Short names need all their words, in order: "transpose matrix", not "matrix transpose".
            for start in where.get(content[0], ()):
                if tuple(w for _, _, w in words[start : start + len(content)]) == content:
                    found.append((-1.0, -len(content), start, start + len(content), pid))
                    break
            continue
        hits = sorted((p, w) for w in set(content) for p in where.get(w, ()))
        total = sum(index.en_weight[w] for w in set(content))
        for a, (start, _) in enumerate(hits):
            inside = [(p, w) for p, w in hits[a:] if p < start + length + 2]
            seen = {w for _, w in inside}
            # The words present must carry most of the title: "merge sorted lists" for "Merge Two Sorted
            # Lists", but not "complete binary tree" for "Complete Binary Tree Inserter".
            weight = sum(index.en_weight[w] for w in seen) / total
            if len(seen) >= need and weight >= 0.8:
                found.append((-weight, -len(seen), start, inside[-1][0] + 1, pid))
                break
    # Best covered first, then the fuller name ("merge k sorted lists" over "merge sorted lists").
    found.sort(key=lambda f: (f[0], f[1], f[4] if isinstance(f[4], int) else 10**6))
    taken: list[tuple[int, int, int | str]] = []
    for _, _, start, end, pid in found:
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, pid))
    return [(words[s][0], words[e - 1][1], pid) for s, e, pid in taken]


_SITE_WORD = fastre.compile(r"(?<![a-z])(?:lc|leetcode)(?![a-z])|力扣|利口", re.I)


def link(text: str) -> list[int | str]:
    """Problem ids mentioned in a question, in order of first mention."""
    index = leetcode()
    found: list[int | str] = []

    def add(pid: int | str) -> None:
        if pid not in found and (pid in index.by_id or isinstance(pid, str)):
            found.append(pid)

    for m in _URL.finditer(text):
        slug = m.group(1).lower()
        if slug in index.by_slug:
            add(index.by_slug[slug])
    for m in _BY_NUMBER.finditer(text):
        add(int(m.group(1)))
    for m in _BY_NUMBER_AFTER.finditer(text):
        add(int(m.group(1)))
    for m in _BY_HOMOPHONE.finditer(text):
        add(int("".join(_HOMOPHONE[ch] for ch in m.group(1))))
    if _CODING_CONTEXT.search(text):
        # "最多交易两次怎么做（123）": a bare number in parentheses beside a coding ask.
        for m in re.finditer(r"[(（]\s*(\d{2,4})\s*[)）]", text):
            if not re.fullmatch(r"(?:19|20)\d\d", m.group(1)):
                add(int(m.group(1)))
    for m in _POINTED_NUMBER.finditer(text):
        add(int(m.group(1)))
    if _SITE_WORD.search(text):
        # "(not directly from LC, closest match: #210)": a '#' number where the site is named.
        for m in re.finditer(r"(?<![\w&])#\s?(\d{1,4})\b", text):
            add(int(m.group(1)))
    for m in _LCR.finditer(text):
        add(f"LCR {m.group(1)}")
    for m in _JIANZHI.finditer(text):
        lcr = _JIANZHI_TO_LCR.get(_jianzhi_key(m.group(1), m.group(2)))
        if lcr:
            add(lcr)
    without_urls = _URL.sub(" ", text)
    compact, bounds, latin = _compact(without_urls)
    spans = _exact(index, compact, bounds)
    rest = list(compact)
    for start, end, _ in spans:
        rest[start:end] = "|" * (end - start)
    spans += _fuzzy_zh(index, "".join(rest))
    spans += _concepts(index, "".join(rest))
    # English words outside the names found so far, with their place in the compact text.
    taken = {p for a, b, _ in spans for p in range(a, b)}
    words = [(s, e, stem(w)) for s, e, w in latin if s not in taken]
    if words:
        spans += _fuzzy_en(index, words)
    for _, _, pid in sorted(spans, key=lambda s: s[0]):
        add(pid)
    return found


def _positions(text: str, part: str) -> list[int]:
    out = []
    at = text.find(part)
    while at >= 0:
        out.append(at)
        at = text.find(part, at + 1)
    return out


def _concepts(index: LeetCodeIndex, compact: str, width: int = 20) -> list[tuple[int, int, int | str]]:
    """Popular problems named in another word order: 链表反转, 两个有序数组合并."""
    found = []
    for groups, pid in index.concepts:
        places = []
        for group in groups:
            at = [p for alt in group if alt in compact for p in _positions(compact, alt)]
            if not at:
                break
            places.append(at)
        else:
            first = min(min(at) for at in places)
            # An English description runs longer than a Chinese one, and the more words it must hold the
            # longer: "minimum number of changes … in its bit representation … to reach".
            span = width if _CJK_ONLY.search(groups[0][0]) else width * (len(groups) + 1)
            if all(any(first <= p < first + span for p in at) for at in places):
                found.append((len(groups), first, first + span, pid))
    # Of two readings of the same words keep the fuller one: 前序+中序+构造+二叉树 over 中序+遍历+二叉树.
    taken: list[tuple[int, int, int | str]] = []
    for _, start, end, pid in sorted(found, key=lambda f: (-f[0], f[1])):
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, pid))
    return taken


def describe(pid: int | str, language: str = "zh") -> tuple[str, str, str | None, str | None]:
    """(zh title, en title, difficulty, url) for a linked id, the url on the site of the reader's language;
    unknown ids keep their number."""
    problem = leetcode().by_id.get(pid)
    if problem is None:
        return (str(pid), str(pid), None, None)
    return problem.title_zh, problem.title_en, problem.difficulty, problem.url_for(language)
