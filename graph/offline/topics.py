"""Classify a question into taxonomy topics with the weighted lexicon in data/topics.toml."""

from __future__ import annotations

import re
from collections import defaultdict

from graph.offline.questions import is_self_intro
from graph.offline.resources import Taxonomy

_CODING = re.compile(
    r"手撕|手写|代码题|写代码|写一下代码|算法题|编程题|伪代码|(?<![a-z])(?:coding|implement(?!ed|ation)|leetcode|lc\s*\d)|写个|写一个|实现一个|力扣|hot\s*100|剑指"
    r"|^(?:实现|编写|编程|给定)|^write\b",
    re.I | re.A,
)
# The question is a problem to solve in code, wherever the cue sits: a stated task, not a concept to explain.
_CODING_TASK = re.compile(
    r"\bwrite (?:an? |the |some |me )?(?:[\w-]+ ){0,3}(?:function|class|program|method|decorator|script|tests?|code|query)"
    r"|(?:^|[.:;]\s*)given (?:an?|the|two|\w+ of|n\b|\d)|\b(?:print|find|return|output) (?:all|out|the|min|max|minimum|maximum|number|sum|count|longest|shortest)\b|\bproblem statement\b"
    r"|\b(?:data structures?|graphs?|dp|array|string|tree|sql|coding) (?:problem|question)|\bflatten"
    r"|写(?:一个|个)?\S{0,8}脚本|编写|脚本$|(?:用|使用)\s*(?:shell|python|awk|sql)\s*(?:写|实现|统计|求)"
    r"|^[`\w.\s]{1,25}?(?:函数)?(?:的)?\s*(?:设计)?实现(?:[，,。]|$)|^`?[a-z_]\w*`?\s*函数$"
    r"|^\d+\s*[万亿千百]*个.{0,30}(?:找|求|判断|排序|统计|存)"
    r"|(?:数组|链表|字符串|二叉树|矩阵|序列)(?:中|里)?\S{0,12}(?:找|求|返回|判断|删除|合并|反转|最多|最长|最大|最小|第[k\d])"
    r"|(?:^|[，,。\s])求(?!职|助)|打平|扁平化",
    re.I | re.A,
)
# Styling is written too, but the gold files treat "用css实现…" as front-end knowledge.
_STYLING = re.compile(r"(?<![a-z])(?:css|html)(?![a-z])|样式|布局", re.I)
# The candidate's own paper is project work; a paper they have read is `papers`.
_OWN_PAPER = re.compile(r"(?:讲|介绍|聊|展开|说说)(?:一?下)?(?:你的|自己的)?论文|论文(?:介绍|讲解)")
_READ_PAPER = re.compile(r"一篇|最近|看过|读过|哪些|了解|前沿|别人")
# Patterns that the sum of single cues misses: whose work it is, what kind of ask it is.
_PATTERNS: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    ("project", 4.0, re.compile(r"你的?(?:项目|方法|论文|工作|实习)|你们的|项目(?:中|里)|论文(?:中|里)|实习(?:中|里)|你做的|你负责|深挖|拷打|your (?:project|work|paper|team)|in your (?:project|internship)", re.I)),
    # "是怎么做的", "如何部署的": asking how something already built was done.
    ("project", 3.0, re.compile(r"(?:怎么|如何)(?:做|实现|部署|设计|处理|解决|优化|选|搭建|训练|评估|构建|保证|测试|写|分|用|加|存)(?:的|\S{0,5}?的(?:[，,。？?\s]|$))|(?:做|用|选用|采用|进行)了(?:哪些|什么)|(?:有没有|有)?(?:做|写|开发|参与)过(?:什么|哪些)?|你\S{0,10}(?:里|中)的|(?:效果|提升|数据量|误差|指标)(?:是)?(?:如何|怎么样|多少)|(?:研发|开发)的?(?:整个)?流程|的(?:一些)?工作[。？?]?$")),
    ("project", 4.0, re.compile(r"\b(?:my|your) (?:projects?|internships?|resume|cv|work|experiences?|thesis)\b|\bprojects? (?:i|you)(?:'ve| have| had)?\b|\bhow (?:i|you) (?:implemented|built|designed|deployed|handled)\b|\b(?:problem|bug) (?:you|i) (?:have |had )?(?:solved|fixed)", re.I)),
    ("system_design", 4.0, re.compile(r"设计一个.{0,24}(?:系统|服务|平台|架构)|\bdesign(?:ing)? (?:an? |the )?.{0,40}(?:system|service|api|platform|系统)|系统设计|(?:如何|怎么)(?:构建|搭建|设计).{0,12}(?:功能|系统|平台|服务)|(?:功能|系统|平台|服务)\s*(?:如何|怎么)(?:构建|搭建|设计)|\bhow (?:(?:would|do|to|will) )?(?:you|i|we) (?:would )?scale", re.I)),
    ("scenario", 2.0, re.compile(r"^如果.{0,40}(?:怎么|如何)|怎么(?:定位|判断|评估).{0,10}(?:原因|效果)|你会怎么|场景题|估算|估计.{0,10}数量|假如你是|开放问题")),
    ("behavioral", 5.0, re.compile(r"^why (?!do|does|is|are|would|should|can|did|not|the|use|we|it|an?\b|this)\w+|\bwhy did you (?:choose|pick|join|leave|apply|want|decide)|为什么(?:选择(?!.{0,20}(?:而不是|而非|做|用|作为))|想来|来|加入|投递?|离开|离职|要学|学)|\bwhy (?:i'd|i would|you'd|you would) (?:prefer|like|want|join)|interviewing elsewhere|other offers?|start date|到岗|实习多久|期望薪资|tell me about (?:a time|your)|how did you (?:handle|deal|convince|resolve|manage)", re.I)),
    ("behavioral", 6.0, re.compile(r"困难.{0,12}(?:怎么|如何)(?:解决|克服|处理|应对)|(?:学校|平时).{0,8}(?:怎么|如何)学|(?:怎么|如何)(?:去)?学习|学习的?方向|更想(?:做|去|从事)|(?:读研|读博|考研|深造|留学)的?(?:打算|计划|想法)|(?:你|自己)(?:的|有)?.{0,6}(?:优缺点|优点|缺点)|(?:自己|你).{0,12}(?:有什么|有哪些)(?:变化|成长)")),
    ("behavioral", 8.0, re.compile(r"什么时候能(?:来|到岗|入职)|(?:能|可以)实习多久|多久(?:能)?到岗")),
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
    if "project" in tax.labels_zh and _OWN_PAPER.search(question) and not _READ_PAPER.search(question):
        scores["project"] += 8.0
    if hint in ("system_design", "behavioral") and scores:
        scores[hint] += 4.0
    elif hint and scores.get(hint):
        scores[hint] += 2.0
    coding = _CODING.search(question)
    # "手撕LRU", "代码题：…" lead with the ask; "做一个能自己写代码的Agent，怎么设计" only mentions code.
    if leetcode or (
        not _STYLING.search(question)
        and (
            (coding and (coding.start() <= 10 or re.search(r"[让要请](?:你|我)?(?:手撕|手写|写|实现)", question)))
            or _CODING_TASK.search(question)
        )
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
