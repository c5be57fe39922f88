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
