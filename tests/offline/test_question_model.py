"""The learned question model: deterministic features, a lossless weights file, overlap-aware selection."""

import pytest

from graph.offline import question_model, questions
from graph.offline.candidates import Candidate, candidates
from graph.offline.question_model import QuestionModel, estimated_f1, feature_index, select


def test_feature_index_is_stable_across_processes() -> None:
    # crc32 of the UTF-8 bytes: the value a model trained elsewhere was given for this feature.
    assert feature_index("bias") == 1116170843 % (1 << 18)


def test_weights_round_trip_through_json() -> None:
    model = QuestionModel({feature_index("kind:line"): 1.25, feature_index("mode:reverse"): -3.0}, -0.5, 0.5)
    again = QuestionModel.from_json(model.to_json())
    assert again == model
    assert again.probability(["kind:line"]) == pytest.approx(1 / (1 + 2.718281828**-0.75), rel=1e-6)


def test_a_model_of_another_feature_space_is_refused() -> None:
    with pytest.raises(ValueError, match="feature space"):
        QuestionModel.from_json('{"dim": 16, "bias": 0, "threshold": 0.5, "weights": []}')


def test_select_keeps_the_likelier_of_a_line_and_its_clause() -> None:
    model = QuestionModel({feature_index("kind:clause"): 3.0, feature_index("kind:line"): 1.0}, 0.0, 0.5)
    line = Candidate("先问了RoPE的原理，然后问了GQA", {"line"}, 0, ["kind:line"])
    clause = Candidate("RoPE的原理", {"clause"}, 0, ["kind:clause"])
    other = Candidate("GQA", {"clause"}, 0, ["kind:clause"])
    picked = select([line, clause, other], model)
    assert picked.questions == ["RoPE的原理", "GQA"]
    assert picked.open == []  # the line is covered by its clauses, not a missed question


def test_estimated_f1_is_high_for_sure_readings_and_low_for_doubtful_ones() -> None:
    assert estimated_f1([0.99, 0.98, 0.97], [0.01, 0.02]) > 0.95
    assert estimated_f1([0.55, 0.6], [0.45, 0.4, 0.45]) < 0.7
    assert estimated_f1([], [0.05]) == pytest.approx(0.95)


def test_the_shipped_model_reads_a_numbered_list_and_skips_answers() -> None:
    model = question_model.current()
    assert model is not None
    lines = ["一面", "1. 讲一下Transformer的结构", "答：我讲了encoder和decoder", "2. LoRA的原理是什么"]
    rule = questions.extract(lines).questions
    picked = select(candidates(lines, in_round=True, rule_questions=rule), model)
    assert "讲一下Transformer的结构" in picked.questions
    assert "LoRA的原理是什么" in picked.questions
    assert not any("encoder和decoder" in q for q in picked.questions)


def test_use_overrides_the_shipped_model_until_reset() -> None:
    mine = QuestionModel({}, 0.0, 0.5)
    question_model.use(mine)
    try:
        assert question_model.current() is mine
    finally:
        question_model.use(None)
    assert question_model.current() is not mine


def test_rule_questions_need_less_to_be_kept() -> None:
    model = QuestionModel({feature_index("kind:rule"): 0.0}, -0.8, 0.45, rule_floor=0.2)  # p = 0.31 for both
    proposed = Candidate("讲一下RoPE", {"line", "rule"}, 0, ["kind:rule"])
    unproposed = Candidate("聊了会天", {"line"}, 1, [])
    assert select([proposed, unproposed], model).questions == ["讲一下RoPE"]
