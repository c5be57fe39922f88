import itertools
import subprocess
import sys

from graph.context import Context
from graph.run import analyze_text
from graph.state import NODE_NAMES, Analysis
from tests.conftest import EXAMPLE_POST


def test_graph_has_the_pipeline_in_order() -> None:
    from graph.workflow import graph

    drawn = graph.get_graph()
    edges = {(e.source, e.target) for e in drawn.edges}
    chain = ["__start__", *NODE_NAMES, "__end__"]
    assert all((a, b) in edges for a, b in itertools.pairwise(chain))


def test_schemas_are_explicit() -> None:
    from graph.workflow import graph

    assert set(graph.get_input_jsonschema()["properties"]) == {"text", "source", "encoding"}
    assert {"rounds", "advice", "engines", "attempts"} <= set(graph.get_output_jsonschema()["properties"])
    assert "engine" in graph.get_context_jsonschema()["properties"]


def test_example_post_end_to_end_offline() -> None:
    analysis = analyze_text(
        EXAMPLE_POST.read_text(encoding="utf-8"), source="example", context=Context(engine="offline")
    )
    assert isinstance(analysis, Analysis)
    assert analysis.companies == ["字节跳动"]
    assert [r.label for r in analysis.rounds] == ["一面", "二面", "三面"]
    assert [len(r.questions) for r in analysis.rounds] == [8, 9, 8]
    assert analysis.rounds[0].questions[7].leetcode == [46, 73]
    assert analysis.engines == dict.fromkeys(NODE_NAMES, "offline")
    assert analysis.tips[0].text.startswith("代码题一般别着急写")
    assert "字节跳动" in analysis.summary
    assert analysis.advice.plan and analysis.advice.focus_topics


def test_runs_without_a_context() -> None:
    from graph.workflow import graph

    result = graph.invoke({"text": "一面\n1. 讲讲RoPE\n2. 手撕LRU缓存"})
    assert result["rounds"][0]["questions"][1]["leetcode"] == [146]


def test_english_post_gets_english_advice() -> None:
    analysis = analyze_text("Round 1 (Coding)\n- Q1: LRU Cache\n- Q2: Explain how a B+ tree index works")
    assert analysis.language == "en"
    assert analysis.advice.language == "en"
    assert analysis.advice.plan[-1].startswith("Finish with a mock interview")


def test_non_interview_text_gives_no_questions() -> None:
    ad = "【招聘】大模型算法工程师\n岗位职责：\n1. 负责预训练\n2. 负责RLHF\n任职要求：\n1. 熟悉PyTorch\n内推码：ABC123，投递邮箱 hr@example.com"
    analysis = analyze_text(ad)
    assert analysis.is_interview is False
    assert analysis.rounds == []
    assert "不是面试经历" in analysis.summary


def test_importing_the_package_has_no_side_effects() -> None:
    code = (
        "import sys, graph, graph.cli;"
        "heavy = [m for m in ('langgraph', 'langchain_google_genai', 'google.genai') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
