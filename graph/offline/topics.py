"""Classify a question into taxonomy topics with the weighted lexicon in data/topics.toml."""

from __future__ import annotations

import re
from collections import defaultdict

from graph.offline.questions import is_self_intro
from graph.offline.resources import Taxonomy

_CODING = re.compile(
    r"手撕|手写|代码题|写代码|写一下代码|算法题|编程题|coding|implement|写个|写一个|实现一个|\blc\s*\d|leetcode|力扣|hot\s*100|剑指",
    re.I | re.A,
)
_ROUND_PRIOR = {"HR面": "behavioral", "Behavioral": "behavioral", "笔试": "coding", "OA": "coding"}


def score(question: str, tax: Taxonomy) -> dict[str, float]:
    low = question.lower()
    scores: dict[str, float] = defaultdict(float)
    assert tax.pattern is not None
    for m in tax.pattern.finditer(low):
        for topic, weight in tax.cue_topics[m.group(0)]:
            scores[topic] += weight
    return scores


def classify(
    question: str, tax: Taxonomy, *, leetcode: list | None = None, round_label: str | None = None
) -> tuple[str, list[str], float]:
    """(primary topic, [primary, secondary?], confidence 0..1)."""
    if is_self_intro(question):
        return "project", ["project"], 1.0
    scores = score(question, tax)
    if leetcode or _CODING.search(question):
        # Whatever is being written, writing it is the skill tested.
        scores["coding"] = max(scores.get("coding", 0.0), *scores.values(), 0.0) + 5.0
    if not scores:
        prior = _ROUND_PRIOR.get(round_label or "")
        return (prior, [prior], 0.3) if prior else ("other", ["other"], 0.0)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], tax.ids.index(kv[0]) if kv[0] in tax.ids else 99))
    best, best_score = ranked[0]
    topics = [best]
    if len(ranked) > 1 and ranked[1][1] >= 0.5 * best_score:
        topics.append(ranked[1][0])
    total = sum(scores.values())
    confidence = round(min(1.0, best_score / 4.0) * (best_score / total), 3)
    return best, topics, confidence
