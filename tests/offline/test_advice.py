"""Advice that fits the post: the reader's LeetCode site, hints for the role, English that reads right.

The posts here are written for these tests.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest

from graph.offline.advice import track, write_advice
from graph.offline.resources import taxonomy
from graph.state import Question, Round
from tests.conftest import MIANJING, run_cli_env

EN_BACKEND = """Stripe Backend Engineer interview

Round 1 (phone screen):
1. Implement an LRU cache with get and put in constant time.
2. Design a rate limiter for a public API.

Round 2 (onsite):
1. Number of Islands.
2. Write a function that parses a CSV line with quoted fields.

Result: waiting for the result.
"""
ZH_BACKEND = "字节跳动 后端开发 一面\n1. 手撕 LRU 缓存\n2. 设计一个短链系统\n3. MySQL 索引为什么用 B+ 树\n"
ZH_LLM = "字节跳动 大模型算法岗 一面\n1. 手撕 LRU 缓存\n2. 讲讲 RoPE\n3. KV cache 是怎么加速推理的\n"
ML_HINTS = re.compile(r"multi-head attention|ML systems|多头注意力|ML 系统")


def analyse(tmp: Path, home: Path, **posts: str) -> dict[str, dict]:
    """The posts through `mianjing analyze --format json`, one process for all: {name: its document}."""
    for name, text in posts.items():
        (tmp / f"{name}.txt").write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [
            *MIANJING,
            "analyze",
            *(str(tmp / f"{name}.txt") for name in posts),
            "--format",
            "json",
            "--engine",
            "offline",
        ],
        capture_output=True,
        env=run_cli_env(home),
        timeout=120,
        check=True,
    )
    docs = [json.loads(line) for line in proc.stdout.splitlines()]
    return {Path(doc["source"]).stem: doc for doc in docs}


def test_english_posts_link_leetcode_com_chinese_posts_leetcode_cn(isolated_env: Path, tmp_path: Path) -> None:
    docs = analyse(tmp_path, isolated_env, stripe=EN_BACKEND, backend=ZH_BACKEND, llm=ZH_LLM)
    urls = [ref["url"] for ref in docs["stripe"]["advice"]["leetcode"]]
    assert "https://leetcode.com/problems/lru-cache/" in urls
    assert all(url.startswith("https://leetcode.com/problems/") for url in urls)
    for name in ("backend", "llm"):
        assert [ref["url"] for ref in docs[name]["advice"]["leetcode"]] == ["https://leetcode.cn/problems/lru-cache/"]
    # A software role gets no ML hints, in either language; an LLM role's coding prep includes writing attention.
    for name in ("stripe", "backend"):
        plan = "\n".join(docs[name]["advice"]["plan"])
        assert ("Practise coding" in plan or "练代码题" in plan) and not ML_HINTS.search(plan)
    assert "多头注意力" in next(line for line in docs["llm"]["advice"]["plan"] if line.startswith("练代码题"))


def _rounds(*questions: tuple[str, str, list[int]]) -> list[Round]:
    return [
        Round(label="Round 1", questions=[Question(text=t, topic=topic, leetcode=lc) for t, topic, lc in questions])
    ]


@pytest.mark.parametrize(
    ("role", "topics", "expected"),
    [
        ("Machine Learning Engineer", ["coding", "system_design"], "ml"),
        ("大模型算法实习", ["coding"], "ml"),
        ("Backend Engineer", ["coding", "cs_basics", "system_design", "llm"], "swe"),
        # A software title with a transformer-heavy interview (inference work) prepares like ML.
        ("Software Engineer", ["llm", "llm", "coding"], "ml"),
        ("后端开发", ["coding", "system_design"], "swe"),
        (None, ["coding", "cs_basics", "system_design", "behavioral"], "swe"),
        (None, ["coding", "deep_learning", "ml_basics"], "ml"),
    ],
)
def test_track_follows_the_role_then_the_questions(role: str | None, topics: list[str], expected: str) -> None:
    assert track(role, _rounds(*((f"q{i}", t, []) for i, t in enumerate(topics)))) == expected


def _english(role: str, *questions: tuple[str, str, list[int]]) -> tuple[str, list[str], list[str]]:
    summary, advice = write_advice(
        language="en",
        companies=["Acme"],
        role=role,
        outcome="offer",
        rounds=_rounds(*questions),
        tips=[],
        tax=taxonomy(),
    )
    return summary, advice.key_points, advice.plan


def test_one_of_each_is_singular() -> None:
    summary, key_points, plan = _english("SWE", ("Merge Intervals", "coding", [56]))
    assert summary.startswith("Acme – SWE: 1 round (Round 1), 1 question, outcome: offer.")
    assert "coding (1 question)" in summary
    assert key_points == ["1 coding question, a LeetCode problem."]
    assert plan[0].startswith("Practise coding — start with 56 Merge Intervals; work through LeetCode Hot 100")


@pytest.mark.parametrize(
    ("linked", "line"),
    [
        ([[56], [], []], "3 coding questions, 1 of them a LeetCode problem."),
        ([[56], [200], []], "3 coding questions, 2 of them LeetCode problems."),
        ([[56], [200], [146]], "3 coding questions, all LeetCode problems."),
        ([[], [], []], "3 coding questions."),
    ],
)
def test_the_coding_count_agrees_with_its_noun(linked: list[list[int]], line: str) -> None:
    _, key_points, _ = _english("SWE", *((f"coding task {i}", "coding", lc) for i, lc in enumerate(linked)))
    assert key_points[0] == line


def test_plan_lines_read_as_sentences() -> None:
    summary, _, plan = _english(
        "SWE",
        ("What happens when you type a URL into a browser?", "cs_basics", []),
        ("Explain the difference between a process and a thread.", "cs_basics", []),
        ("Two Sum", "coding", [1]),
        ("Number of Islands", "coding", [200]),
    )
    assert "asked most about coding (2 questions) and CS fundamentals (2 questions)." in summary
    review = plan[0]
    # The label keeps its capitals, hints follow a dash in lower case, the examples are quoted and joined with 'and'.
    assert review.startswith("Review CS fundamentals (2 questions) — operating systems: ")
    assert review.endswith(
        'Be able to answer "What happens when you type a URL into a browser?" and '
        '"Explain the difference between a process and a thread".'
    )
    assert "start with 1 Two Sum and 200 Number of Islands;" in plan[1]
    assert not re.search(r"[;:] [A-Z][a-z]", " ".join(plan))
