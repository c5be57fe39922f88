"""The offline engine as the nodes call it: bounded reading of huge pastes, and the reading's confidence."""

from graph.offline import engine


def read(text: str) -> dict:
    clean = engine.clean_text(text)["clean"]
    return engine.extract_questions(engine.split_rounds(clean)["sections"], clean, text)


def test_a_clear_numbered_post_is_read_with_confidence() -> None:
    result = read("字节 大模型算法 一面\n1. 讲一下RoPE的原理\n2. 手撕多头注意力\n3. LoRA为什么能省显存")
    assert result["is_interview"]
    assert result["reading_confidence"] >= engine.UNSURE_BELOW
    assert result["confident"]


def test_a_vague_narrative_is_unsure() -> None:
    text = (
        "一面聊得挺久的，感觉面试官人不错，中间聊了聊之前做的东西，后面又说了些别的，具体记不太清了。\n"
        "二面面试官问了一些场景上的东西，我答得一般，反正最后说回去等通知吧，也不知道能不能过。"
    )
    result = read(text)
    assert result["reading_confidence"] < engine.UNSURE_BELOW
    assert not result["confident"]


def test_a_huge_paste_is_read_within_bounds_and_says_so() -> None:
    text = "一面\n" + "\n".join(f"{i}. 讲一下第{i}个组件的原理" for i in range(1, engine.READ_LINES + 200))
    result = read(text)
    asked = sum(len(r["questions"]) for r in result["rounds"])
    assert 0 < asked <= engine.MAX_QUESTIONS
    assert result["notes"] == [engine.CLIPPED_NOTE]


def test_a_problem_named_in_a_dropped_aside_still_links() -> None:
    line = "Coding - Merge intervals (not straight from LC, nearest: #56). I solved it with sorting."
    assert engine._linked("Coding - Merge intervals", line) == [56]
    # A short clause of a long sentence does not take the sentence's problems.
    assert (
        engine._linked("sorting", "We talked about sorting, heaps and graphs, and then lc 200 at the very end.") == []
    )


def test_advice_the_tips_reader_is_sure_of_is_not_also_a_question() -> None:
    result = read("一面\n1. 讲一下RoPE的原理\n2. 手撕LRU\n建议大家一定要多刷hot100，面试前把项目细节想清楚")
    asked = [q["text"] for r in result["rounds"] for q in r["questions"]]
    assert not any("hot100" in q for q in asked)
    assert any("hot100" in t["text"] for t in result["tips"])


def test_an_ask_with_advice_in_an_aside_stays_a_question() -> None:
    result = read("一面\n1. 讲一下RoPE的原理\n2. 二叉树的层序遍历（必须要把每一层分开输出）")
    asked = [q["text"] for r in result["rounds"] for q in r["questions"]]
    assert any(q.startswith("二叉树的层序遍历") for q in asked)


def test_a_company_named_alone_in_a_list_is_not_a_question() -> None:
    result = read("Round 1\n- PayPal\n- Design a rate limiter\n- Explain the CAP theorem")
    questions = [q["text"] for r in result["rounds"] for q in r["questions"]]
    assert questions == ["Design a rate limiter", "Explain the CAP theorem"]
