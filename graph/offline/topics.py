"""Classify a question into taxonomy topics with the weighted lexicon in data/topics.toml."""

from __future__ import annotations

import re
from collections import defaultdict

from graph.offline.questions import is_self_intro
from graph.offline.resources import Taxonomy

_CODING = re.compile(
    r"手撕|手写|代码题|写代码|写一下代码|算法题|编程题|伪代码|(?<![a-z])(?:coding|implement|leetcode|lc\s*\d)|写个|写一个|实现一个|力扣|hot\s*100|剑指",
    re.I | re.A,
)
# Patterns that the sum of single cues misses: whose work it is, what kind of ask it is.
_PATTERNS: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    ("project", 4.0, re.compile(r"你的?(?:项目|方法|论文|工作|实习)|你们的|项目(?:中|里)|论文(?:中|里)|实习(?:中|里)|你做的|你负责|深挖|拷打|your (?:project|work|paper|team)|in your (?:project|internship)", re.I)),
    ("system_design", 4.0, re.compile(r"设计一个.{0,24}(?:系统|服务|平台|架构)|design (?:a|an|the) .{0,40}(?:system|service)|系统设计", re.I)),
    ("scenario", 2.0, re.compile(r"^如果.{0,40}(?:怎么|如何)|怎么(?:定位|判断|评估).{0,10}(?:原因|效果)|你会怎么|场景题|估算|估计.{0,10}数量")),
    ("behavioral", 5.0, re.compile(r"^why (?!do|does|is|are|would|should|can|did|not)\w+|为什么(?:选择|想来|来|加入|投递?|离开|离职)|interviewing elsewhere|other offers?|start date|到岗|实习多久|期望薪资", re.I)),
    ("papers", 3.0, re.compile(r"很多工作|最近(?:的)?(?:工作|进展)|怎么看待|如何看待")),
)  # fmt: skip
_HEADER_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("behavioral", re.compile(r"hr|behavio|googleyness|leadership|\bbq\b|culture", re.I | re.A)),
    ("system_design", re.compile(r"system design|系统设计|\bsd\b|design", re.I | re.A)),
    ("coding", re.compile(r"coding|代码|手撕|笔试|\boa\b|algorithm", re.I | re.A)),
)
_ROUND_PRIOR = {"HR面": "behavioral", "Behavioral": "behavioral", "笔试": "coding", "OA": "coding"}


def score(question: str, tax: Taxonomy) -> dict[str, float]:
    """Each distinct cue counts once: a question that says 初始化 twice is no more about it."""
    low = question.lower()
    scores: dict[str, float] = defaultdict(float)
    assert tax.pattern is not None
    for cue in {m.group(0) for m in tax.pattern.finditer(low)}:
        for topic, weight in tax.cue_topics[cue]:
            scores[topic] += weight
    for topic, weight, pattern in _PATTERNS:
        if topic in tax.labels_zh and pattern.search(question):
            scores[topic] += weight
    return scores


def header_hint(header: str | None, label: str | None) -> str | None:
    text = f"{header or ''} {label or ''}"
    for topic, pattern in _HEADER_HINTS:
        if pattern.search(text):
            return topic
    return _ROUND_PRIOR.get(label or "")


def classify(
    question: str, tax: Taxonomy, *, leetcode: list | None = None, hint: str | None = None
) -> tuple[str, list[str], float]:
    """(primary topic, [primary, secondary?], confidence 0..1)."""
    if is_self_intro(question):
        return "project", ["project"], 1.0
    scores = score(question, tax)
    if hint in ("system_design", "behavioral") and scores:
        scores[hint] += 3.0
    elif hint and scores.get(hint):
        scores[hint] += 2.0
    coding = _CODING.search(question)
    # "手撕LRU", "代码题：…" lead with the ask; "做一个能自己写代码的Agent，怎么设计" only mentions code.
    if leetcode or (
        coding and (coding.start() <= 10 or re.search(r"[让要请](?:你|我)?(?:手撕|手写|写|实现)", question))
    ):
        # Whatever is being written, writing it is the skill tested.
        scores["coding"] = max(scores.get("coding", 0.0), *scores.values(), 0.0) + 5.0
    if not scores:
        return (hint, [hint], 0.3) if hint else ("other", ["other"], 0.0)
    order = {t: i for i, t in enumerate(tax.ids)}
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99)))
    best, best_score = ranked[0]
    topics = [best]
    if len(ranked) > 1 and ranked[1][1] >= 0.5 * best_score:
        topics.append(ranked[1][0])
    total = sum(scores.values())
    confidence = round(min(1.0, best_score / 4.0) * (best_score / total), 3)
    return best, topics, confidence
