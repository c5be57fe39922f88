"""Regression guard on the real posts in ../shared/corpus/real (other people's text, read in place).

These are in-sample figures of the shipped model (it was trained on these posts); the honest measure of
posts never seen is `python -m tests.learn lofo` / `sources`, printed by CI and reported in the README.
"""

from pathlib import Path

import pytest

from tests.scoring import evaluate

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
FOLDERS = ("zh_llm", "zh_swe", "en_mixed")

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"no real corpus at {REAL}")


@pytest.fixture(scope="module", params=FOLDERS)
def figures(request: pytest.FixtureRequest) -> dict[str, float]:
    return evaluate([REAL / request.param]).figures()


def test_no_questions_from_texts_that_are_not_interviews(figures: dict[str, float]) -> None:
    assert figures["non_interview_questions"] == 0
    assert figures["is_interview_accuracy"] >= 0.95


def test_company_and_topic(figures: dict[str, float]) -> None:
    assert figures["company_found"] >= 0.80
    assert figures["topic_accuracy"] >= 0.80


def test_rounds_and_questions(figures: dict[str, float]) -> None:
    assert figures["round_count_exact"] >= 0.60
    assert figures["question_f1"] >= 0.80
