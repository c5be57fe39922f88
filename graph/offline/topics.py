"""Classify a question into taxonomy topics with the weighted lexicon in data/topics.toml."""

from __future__ import annotations

import re
from collections import defaultdict

from graph.offline import fastre
from graph.offline.questions import is_self_intro
from graph.offline.resources import Taxonomy

_CODING = fastre.compile(
    r"手撕|手写|代码题|写代码|写一下代码|算法题|编程题|伪代码|(?<![a-z])(?:coding|implement(?!ed|ation)|leetcode|lc\s*\d)|写个|写一个|实现一个|力扣|hot\s*100|剑指"
    r"|^(?:实现|编写|编程|给定)|^write\b",
    re.I | re.A,
)
# The question is a problem to solve in code, wherever the cue sits: a stated task, not a concept to explain.
_CODING_TASK = fastre.compile(
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
_STYLING = fastre.compile(r"(?<![a-z])(?:css|html)(?![a-z])|样式|布局", re.I)
# The candidate's own paper is project work; a paper they have read is `papers`.
_OWN_PAPER = re.compile(r"(?:讲|介绍|聊|展开|说说)(?:一?下)?(?:你的|自己的)?论文|论文(?:介绍|讲解)")
_READ_PAPER = re.compile(r"一篇|最近|看过|读过|哪些|了解|前沿|别人")
# Patterns that the sum of single cues misses: whose work it is, what kind of ask it is.
_PATTERNS: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    ("project", 4.0, fastre.compile(r"你的?(?:项目|方法|论文|工作|实习)|你们的|项目(?:中|里)|论文(?:中|里)|实习(?:中|里)|你做的|你负责|深挖|拷打|your (?:project|work|paper|team)|in your (?:project|internship)", re.I)),
    # "是怎么做的", "如何部署的": asking how something already built was done.
    ("project", 3.0, fastre.compile(r"(?:怎么|如何)(?:做|实现|部署|设计|处理|解决|优化|选|搭建|训练|评估|构建|保证|测试|写|分|用|加|存)(?:的|\S{0,5}?的(?:[，,。？?\s]|$))|(?:做|用|选用|采用|进行)了(?:哪些|什么)|(?:有没有|有)?(?:做|写|开发|参与)过(?:什么|哪些)?|你\S{0,10}(?:里|中)的|(?:效果|提升|数据量|误差|指标)(?:是)?(?:如何|怎么样|多少)|(?:研发|开发)的?(?:整个)?流程|的(?:一些)?工作[。？?]?$")),
    ("project", 4.0, fastre.compile(r"\b(?:my|your) (?:projects?|internships?|resume|cv|work|experiences?|thesis)\b|\bprojects? (?:i|you)(?:'ve| have| had)?\b|\bhow (?:i|you) (?:implemented|built|designed|deployed|handled)\b|\b(?:problem|bug) (?:you|i) (?:have |had )?(?:solved|fixed)", re.I)),
    ("system_design", 4.0, fastre.compile(r"设计一个.{0,24}(?:系统|服务|平台|架构)|\bdesign(?:ing)? (?:an? |the )?.{0,40}(?:system|service|api|platform|系统)|系统设计|(?:如何|怎么)(?:构建|搭建|设计).{0,12}(?:功能|系统|平台|服务)|(?:功能|系统|平台|服务)\s*(?:如何|怎么)(?:构建|搭建|设计)|\bhow (?:(?:would|do|to|will) )?(?:you|i|we) (?:would )?scale", re.I)),
    ("scenario", 2.0, fastre.compile(r"^如果.{0,40}(?:怎么|如何)|怎么(?:定位|判断|评估).{0,10}(?:原因|效果)|你会怎么|场景题|估算|估计.{0,10}数量|假如你是|开放问题")),
    ("behavioral", 5.0, fastre.compile(r"^why (?!do|does|is|are|would|should|can|did|not|the|use|we|it|an?\b|this)\w+|\bwhy did you (?:choose|pick|join|leave|apply|want|decide)|为什么(?:选择(?!.{0,20}(?:而不是|而非|做|用|作为))|想来|来|加入|投递?|离开|离职|要学|学)|\bwhy (?:i'd|i would|you'd|you would) (?:prefer|like|want|join)|interviewing elsewhere|other offers?|start date|到岗|实习多久|期望薪资|tell me about (?:a time|your)|how did you (?:handle|deal|convince|resolve|manage)", re.I)),
    ("behavioral", 6.0, fastre.compile(r"困难.{0,12}(?:怎么|如何)(?:解决|克服|处理|应对)|(?:学校|平时).{0,8}(?:怎么|如何)学|(?:怎么|如何)(?:去)?学习|学习的?方向|更想(?:做|去|从事)|(?:读研|读博|考研|深造|留学)的?(?:打算|计划|想法)|(?:你|自己)(?:的|有)?.{0,6}(?:优缺点|优点|缺点)|(?:自己|你).{0,12}(?:有什么|有哪些)(?:变化|成长)")),
    ("behavioral", 8.0, re.compile(r"什么时候能(?:来|到岗|入职)|(?:能|可以)实习多久|多久(?:能)?到岗")),
    ("papers", 3.0, re.compile(r"很多工作|最近(?:的)?(?:工作|进展)|怎么看待|如何看待")),
)  # fmt: skip
_HEADER_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("behavioral", fastre.compile(r"hr|behavio|googleyness|leadership|\bbq\b|culture", re.I | re.A)),
    ("system_design", fastre.compile(r"system design|系统设计|\bsd\b|design", re.I | re.A)),
    ("coding", fastre.compile(r"coding|代码|手撕|笔试|\boa\b|algorithm", re.I | re.A)),
)
# What the heading a question sits under adds to its topic's score.
SECTION_WEIGHT = 3.0
COLON_SECTION_WEIGHT = 1.0
_ROUND_PRIOR = {"HR面": "behavioral", "Behavioral": "behavioral", "笔试": "coding", "OA": "coding"}

# A heading inside a round ("## 项目相关", "**计算机网络**", "System Design:") names the kind of question
# under it. Checked in this order: the first that fits wins ("机器学习算法" is not an algorithm problem).
_SECTION_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("behavioral", fastre.compile(r"(?<![a-z])(?:hr|bq|lp)(?![a-z])|behaviou?r|leadership|culture|综合面|行为|软技能|价值观|人事", re.I | re.A)),
    ("system_design", fastre.compile(r"system design|系统设计|架构设计|(?<![a-z])(?:hld|lld)(?![a-z])|(?:high|low)[- ]level design", re.I | re.A)),
    ("rl", fastre.compile(r"强化学习|(?<![a-z])rlhf(?![a-z])|reinforcement", re.I | re.A)),
    ("llm", fastre.compile(r"大模型|(?<![a-z])(?:llms?|rag|agents?|aigc)(?![a-z])|transformer|多模态", re.I | re.A)),
    ("nlp", fastre.compile(r"(?<![a-z])nlp(?![a-z])|自然语言", re.I | re.A)),
    ("deep_learning", fastre.compile(r"深度学习|deep learning|神经网络|(?<![a-z])(?:dl|cv)(?![a-z])|计算机视觉", re.I | re.A)),
    ("ml_basics", fastre.compile(r"机器学习|machine learning|(?<![a-z])ml(?![a-z])|统计学习|推荐算法|搜广推", re.I | re.A)),
    ("papers", fastre.compile(r"论文|(?<![a-z])papers?(?![a-z])|前沿|research", re.I | re.A)),
    ("math", fastre.compile(r"数学|概率|统计|智力|(?<![a-z])math|probability|puzzles?|brain ?teasers?", re.I | re.A)),
    ("scenario", fastre.compile(r"场景|开放(?:题|问题)|业务|产品|估算|(?<![a-z])(?:case|product|guesstimates?)(?![a-z])", re.I | re.A)),
    ("coding", fastre.compile(r"算法|代码|手撕|编程|笔试|机试|coding|leetcode|力扣|(?<![a-z])(?:dsa|oa|code)(?![a-z])|data structures?|online assessment", re.I | re.A)),
    ("cs_basics", fastre.compile(
        r"八股|基础|计算机网络|网络|操作系统|数据库|并发|多线程|集合|中间件|前端|浏览器|(?<![a-z])(?:os|dbms|oop|jvm|java|mysql|redis|linux|c\+\+|golang|go|python|js|javascript|css|vue|react|spring|kafka)(?![a-z])"
        r"|networking|operating systems?|fundamentals|core subjects?|cs basics", re.I | re.A)),
    ("project", fastre.compile(r"项目|实习|简历|科研|(?<![a-z])(?:projects?|internships?|resume|cv)(?![a-z])", re.I | re.A)),
)  # fmt: skip
# The post's own framing, not a kind of question: "## 面试实录", "Interview Experience", "反问".
_NOT_SECTION = fastre.compile(
    r"面试|面经|反问|总结|心得|建议|感受|感想|特点|例子|经验|interview|tips|learnings|conclusion|summary|jd|岗位|职位|要求",
    re.I,
)
_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*(?P<md>[^#]+?)\s*#*|\*\*(?P<bold>[^*]{1,40})\*\*\s*[:：]?|【(?P<bracket>[^】]{1,30})】"
    r"|(?P<colon>[^。？?！!，,]{1,30}?)\s*[:：])\s*$"
)
_LIST_MARK = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.、)）]|[一二三四五六七八九十]{1,2}[、.])\s*")
_NORM = re.compile(r"[\W_]+")


def section_topic(heading: str | None) -> str | None:
    """The topic a heading names, if it names one."""
    if not heading or len(heading) > 40 or _NOT_SECTION.search(heading):
        return None
    for topic, pattern in _SECTION_TOPICS:
        if pattern.search(heading):
            return topic
    return None


def heading_of(line: str) -> tuple[str, bool] | None:
    """The text of a heading-like line (markdown heading, bold-only line, 【…】, a short line ending in a
    colon) and whether it is marked up as one: a colon line may only introduce a short list."""
    m = _HEADING.match(_LIST_MARK.sub("", line, count=1) if line.lstrip()[:1] not in "#*" else line)
    if not m:
        return None
    return next(g for g in m.groups() if g is not None).strip(" *：:"), m.group("colon") is None


def _key(text: str) -> str:
    return _NORM.sub("", text.lower())


def section_hints(questions: list[str], lines: list[str]) -> list[tuple[str, float] | None]:
    """For each question (in reading order), the topic named by the nearest heading above its line in
    `lines` and what it adds to that topic's score; None where no heading names one or the line is not found."""
    keys = [_key(line) for line in lines]
    heads: dict[int, tuple[str, bool] | None] = {}
    out: list[str | None] = []
    start = 0
    for q in questions:
        probe = _key(q)[:16]
        found = None
        if probe:
            for order in (range(start, len(keys)), range(0, start)):
                found = next((i for i in order if probe in keys[i] or (len(keys[i]) >= 4 and keys[i] in probe)), None)
                if found is not None:
                    break
        if found is None:
            out.append(None)
            continue
        start = found
        topic = None
        for i in range(found - 1, -1, -1):
            if i not in heads:
                heads[i] = heading_of(lines[i])
            heading = heads[i]
            if heading is not None:
                name = section_topic(heading[0])
                topic = (name, SECTION_WEIGHT if heading[1] else COLON_SECTION_WEIGHT) if name else None
                break
        out.append(topic)
    return out


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


def rule_scores(
    question: str,
    tax: Taxonomy,
    *,
    leetcode: list | None = None,
    hint: str | None = None,
    section: tuple[str, float] | None = None,
) -> dict[str, float]:
    """The lexicon's and the patterns' score per topic, with the round's and the heading's hints."""
    scores = score(question, tax)
    if "project" in tax.labels_zh and _OWN_PAPER.search(question) and not _READ_PAPER.search(question):
        scores["project"] += 8.0
    if hint in ("system_design", "behavioral") and scores:
        scores[hint] += 4.0
    elif hint and scores.get(hint):
        scores[hint] += 2.0
    if section and section[0] in tax.labels_zh and section[1]:
        scores[section[0]] += section[1]
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
    return dict(scores)


def classify(
    question: str,
    tax: Taxonomy,
    *,
    leetcode: list | None = None,
    hint: str | None = None,
    section: tuple[str, float] | None = None,
) -> tuple[str, list[str], float]:
    """(primary topic, [primary, secondary?], confidence 0..1)."""
    if is_self_intro(question):
        return "project", ["project"], 1.0
    scores = rule_scores(question, tax, leetcode=leetcode, hint=hint, section=section)
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
