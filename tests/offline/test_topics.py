from pathlib import Path

import pytest

from graph.errors import ConfigError
from graph.offline.resources import taxonomy
from graph.offline.topics import classify, header_hint

TAXONOMY_IDS = [
    "project", "ml_basics", "deep_learning", "nlp", "llm", "rl", "coding", "math",
    "system_design", "cs_basics", "scenario", "behavioral", "papers", "other",
]  # fmt: skip


def test_default_taxonomy_has_the_stable_ids_in_order() -> None:
    assert taxonomy().ids == TAXONOMY_IDS


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("聊项目。", "project"),
        ("AUC的两种公式是？你能证明这两种等价的吗？", "ml_basics"),
        ("BERT-CRF中，为什么要加CRF？好处是？", "nlp"),
        ("self-attention为什么要用QKV三个矩阵？", "llm"),
        ("reinforce属于on-policy还是off-policy？", "rl"),
        ("快速手写一些transformer的mha（多头注意力），伪代码意思一下就行。", "coding"),
        ("知识蒸馏有哪几种？你觉得哪种效果最好？", "deep_learning"),
        ("场景题：如何根据拼多多的商品数量，估计淘宝的商品数量？", "scenario"),
        ("你最近看到过哪些paper？简单介绍下？", "papers"),
        ("你觉得自己有那些优缺点？平时喜欢怎么缓解压力？", "behavioral"),
        ("MySQL的索引为什么用B+树？", "cs_basics"),
        ("设计一个短链系统", "system_design"),
        ("一个骰子期望扔多少次才能六个面都出现", "math"),
        ("Why Google, and why this team?", "behavioral"),
        ("How does speculative decoding work, and when does it not help?", "llm"),
        ("项目中SFT之后又做了DPO，为什么要两阶段？", "project"),
    ],
)
def test_classifies_typical_questions(question: str, topic: str) -> None:
    assert classify(question, taxonomy())[0] == topic


def test_linked_problem_makes_it_coding() -> None:
    assert classify("n皇后问题", taxonomy(), leetcode=[51])[0] == "coding"


def test_uncued_question_in_an_hr_round_is_behavioral() -> None:
    assert header_hint("Round 3 (30 min, HR)", "Round 3") == "behavioral"
    assert classify("Anything else?", taxonomy(), hint="behavioral")[0] == "behavioral"
    assert classify("Anything else?", taxonomy())[0] == "other"


def test_users_extend_the_taxonomy_with_a_file(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[robotics]\nlabel_zh = "机器人"\n[robotics.cues]\n"slam" = 5\n"ros" = 4\n', encoding="utf-8")
    tax = taxonomy((str(extra),))
    assert tax.ids[: len(TAXONOMY_IDS)] == TAXONOMY_IDS
    assert classify("讲讲SLAM的回环检测", tax)[0] == "robotics"


def test_unreadable_taxonomy_file_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[robotics\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml"):
        taxonomy((str(bad),))


@pytest.mark.parametrize(
    "question",
    [
        "flex布局下怎么让一个元素水平垂直居中？",
        "localStorage 和 cookie 各自适合存什么？",
        "webpack 打包时 tree-shaking 靠什么生效？",
        "CommonJS 的 require 和 ES module 的 import 有何不同",
        "浏览器发出的 OPTIONS 预检请求是什么时候触发的",
        "Android 里 Activity 的启动模式有几种",
        "kmalloc 申请的内存和 vmalloc 有什么不同",
        "How does Python's garbage collector find reference cycles?",
        "When would you reach for a context manager instead of try/finally?",
        "What do ECS and Lambda each cost you on AWS?",
    ],
)
def test_frontend_runtime_and_platform_questions_are_cs_basics(question: str) -> None:
    assert classify(question, taxonomy())[0] == "cs_basics"


@pytest.mark.parametrize(
    "question",
    [
        "把你发表的那篇论文介绍一下",
        "论文介绍，然后追问实验细节",
        "订单服务上线后是怎么做灰度的？",
        "当时的鉴权模块你们是如何部署的",
        "在上一段实习里团队的研发流程是什么样的",
        "Walk me through one of my projects you found on the resume.",
        "What is the most complex problem you have solved so far?",
    ],
)
def test_questions_about_the_candidates_own_work_are_project(question: str) -> None:
    assert classify(question, taxonomy())[0] == "project"


def test_a_paper_the_candidate_read_is_still_papers() -> None:
    assert classify("最近读过哪些有意思的论文？挑一篇介绍", taxonomy())[0] == "papers"


@pytest.mark.parametrize(
    "question",
    [
        "读书或工作中碰到过什么大的困难，最后怎么解决的",
        "这段实习最大的收获是什么",
        "本科的成绩排名大概多少",
        "毕业之后的职业规划是怎样的",
        "实习最早什么时候能来？",
        "Tell me about a time you disagreed with your manager.",
        "Why did you choose this field instead of pure research?",
    ],
)
def test_motivation_career_and_logistics_are_behavioral(question: str) -> None:
    assert classify(question, taxonomy())[0] == "behavioral"


def test_hr_round_pulls_a_borderline_question_to_behavioral() -> None:
    hint = header_hint("三面（HR面）", "HR面")
    assert hint == "behavioral"
    assert classify("团队刚起步，项目还很早期，你怎么看", taxonomy(), hint=hint)[0] == "behavioral"


@pytest.mark.parametrize(
    "question",
    [
        "Design a ride-hailing dispatch system for one city.",
        "What does an API gateway do, and where would you put rate limiting?",
        "Monolithic versus microservices for a ten-person team: which and why?",
        "在线文档如何处理多人协同编辑的冲突",
        "电商的以图搜图功能怎么搭建",
    ],
)
def test_design_questions_are_system_design(question: str) -> None:
    assert classify(question, taxonomy())[0] == "system_design"


@pytest.mark.parametrize(
    "question",
    [
        "Write a retry decorator with exponential backoff.",
        "Write a class that keeps a running median, then a unit test for it.",
        "Write a program that prints the primes below n.",
        "Given a sorted array of integers, return the index of the first duplicate.",
        "编写一个 shell 脚本，把日志里出现最多的 IP 统计出来",
        "实现一个带过期时间的LRU缓存",
        "memmove 的实现，要考虑源和目标重叠",
    ],
)
def test_anything_to_be_written_as_code_is_coding(question: str) -> None:
    assert classify(question, taxonomy())[0] == "coding"


def test_other_is_rare_an_uncued_question_follows_its_round_then_its_post() -> None:
    from graph.offline.engine import classify_topics

    def rnd(*texts: str) -> dict:
        return {"label": "一面", "header": "一面", "questions": [{"text": t} for t in texts]}

    rounds = classify_topics([rnd("说一下事件循环", "闭包是什么", "Foo 和 Bar 呢")])["rounds"]
    assert [q["topic"] for q in rounds[0]["questions"]] == ["cs_basics"] * 3
    # A round with nothing cued borrows the post's dominant topic.
    rounds = classify_topics([rnd("TCP 三次握手", "HTTPS 握手过程"), rnd("Foo 和 Bar 呢")])["rounds"]
    assert rounds[1]["questions"][0]["topic"] == "cs_basics"
    # Small talk that is cued as 'other' stays 'other'.
    rounds = classify_topics([rnd("TCP 三次握手", "最后随便聊了聊天")])["rounds"]
    assert rounds[0]["questions"][1]["topic"] == "other"


def test_classifying_is_fast() -> None:
    import time

    tax = taxonomy()
    question = "给定一个数组，" + "找出其中出现次数最多的元素并说明复杂度，" * 10
    classify(question, tax)
    start = time.perf_counter()
    for _ in range(200):
        classify(question, tax)
    assert (time.perf_counter() - start) / 200 < 0.002


@pytest.mark.parametrize(
    ("line", "topic"),
    [
        ("## 项目经历", "project"),
        ("### 操作系统", "cs_basics"),
        ("**Go 基础**", "cs_basics"),
        ("【手撕代码】", "coding"),
        ("#### Low Level Design", "system_design"),
        ("Behavioural round:", "behavioral"),
        ("- 概率题：", "math"),
    ],
)
def test_a_heading_names_the_kind_of_question_under_it(line: str, topic: str) -> None:
    from graph.offline.topics import heading_of, section_topic

    heading = heading_of(line)
    assert heading is not None
    assert section_topic(heading[0]) == topic


@pytest.mark.parametrize(
    "line", ["## 面试过程", "### 总结", "反问：", "TCP 和 UDP 的区别是什么？", "说说你对闭包的理解"]
)
def test_framing_lines_and_questions_name_no_section(line: str) -> None:
    from graph.offline.topics import heading_of, section_topic

    heading = heading_of(line)
    assert heading is None or section_topic(heading[0]) is None


def test_a_question_takes_the_heading_it_sits_under() -> None:
    from graph.offline.engine import classify_topics

    lines = [
        "## 项目经历",
        "1. 缓存命中率是怎么统计出来的",
        "## 八股",
        "2. 缓存穿透怎么处理",
        "## 系统设计",
        "3. 评论区",
    ]
    texts = ["缓存命中率是怎么统计出来的", "缓存穿透怎么处理", "评论区"]
    rnd = {"label": "一面", "header": "一面", "questions": [{"text": t} for t in texts]}
    section = {"label": "一面", "header": "一面", "lines": lines}
    rounds = classify_topics([rnd], taxonomy(), [section])["rounds"]
    assert [q["topic"] for q in rounds[0]["questions"]] == ["project", "cs_basics", "system_design"]
    # The question dicts keep their shape: the heading is a cue, not a field.
    assert set(rounds[0]["questions"][0]) == {"text", "topic", "topics", "confidence"}
    # Without the post's lines (a model's own grouping it cannot find) nothing breaks.
    assert classify_topics([rnd], taxonomy())["rounds"][0]["questions"][1]["topic"] == "cs_basics"
