"""The offline engine measured against the gold corpus (targets from the offline-graph issue)."""

from pathlib import Path

import pytest

from tests.scoring import evaluate

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    folders = [FIXTURES / d for d in ("corpus", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7")]
    return evaluate(folders).figures()


def test_question_f1(figures: dict[str, float]) -> None:
    assert figures["question_f1"] >= 0.95
    assert figures["prose_recall"] >= 0.5


def test_topic_accuracy(figures: dict[str, float]) -> None:
    assert figures["topic_accuracy"] >= 0.80


def test_round_counts(figures: dict[str, float]) -> None:
    assert figures["round_count_exact"] >= 0.90


def test_leetcode_tips_companies(figures: dict[str, float]) -> None:
    assert figures["leetcode_recall"] >= 0.90
    assert figures["tips_recall"] >= 0.60
    assert figures["company_found"] >= 0.75


def test_no_questions_from_non_interview_text(figures: dict[str, float]) -> None:
    assert figures["non_interview_questions"] == 0
