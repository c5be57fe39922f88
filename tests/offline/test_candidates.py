"""Candidates: every line and narrated clause of a round, with the layout a reader judges it by."""

from graph.offline.candidates import candidates


def texts(lines: list[str], rule: list[str] | None = None) -> dict[str, set[str]]:
    return {c.text: c.kinds for c in candidates(lines, in_round=True, rule_questions=rule or [])}


def test_numbered_line_is_a_candidate_without_its_number() -> None:
    found = texts(["1. 讲一下RoPE的原理", "2、手撕LRU"])
    assert set(found) == {"讲一下RoPE的原理", "手撕LRU"}


def test_bold_question_numbers_are_numbering() -> None:
    cands = candidates(["**Q1.** Design a rate limiter"], in_round=True, rule_questions=[])
    assert cands[0].text == "Design a rate limiter"
    assert "num:q" in cands[0].features


def test_narrated_sentence_gives_one_candidate_per_ask() -> None:
    found = texts(["面试官先问了我项目的难点，然后问了KV cache的原理，我答得一般"])
    assert "KV cache的原理" in found
    assert "项目的难点" in found


def test_rule_questions_are_marked_and_placed_on_their_line() -> None:
    cands = candidates(["一面", "上来问了DPO和PPO的区别"], in_round=True, rule_questions=["DPO和PPO的区别"])
    rule = [c for c in cands if "rule" in c.kinds]
    assert [c.text for c in rule] == ["DPO和PPO的区别"]
    assert rule[0].line_index == 1


def test_code_blocks_and_reverse_sections_are_marked() -> None:
    cands = candidates(
        ["1. 实现一个栈", "```python", "class Stack: pass", "```", "反问：", "团队做什么的"],
        in_round=True,
        rule_questions=[],
    )
    by_text = {c.text: c.features for c in cands}
    assert "incode" in by_text["class Stack: pass"]
    assert "mode:reverse" in by_text["团队做什么的"]
    assert "mode:questions" in by_text["实现一个栈"]


def test_list_items_know_how_many_of_their_siblings_the_rules_took() -> None:
    cands = candidates(
        ["- RoPE原理", "- GQA和MQA", "- 聊项目", "面完了"], in_round=True, rule_questions=["RoPE原理", "GQA和MQA"]
    )
    by_text = {c.text: c.features for c in cands}
    assert "listsize:1" in by_text["聊项目"]  # a list of three
    assert "listrule:2" in by_text["聊项目"]  # two of three taken by the rules
    assert "listsize:0" in by_text["面完了"]


def test_a_told_ask_is_a_candidate_without_the_telling() -> None:
    found = texts(["The round went fine. Then I was asked to merge overlapping meeting slots in a calendar."])
    assert "told" in found["merge overlapping meeting slots in a calendar."]
    found = texts(["The coding problem was that given a grid of letters you find every word from a list."])
    assert "given a grid of letters you find every word from a list." in found


def test_no_told_ask_where_nothing_is_told() -> None:
    found = texts(["I was nervous before the call but the recruiter was kind to me."])
    assert not any("told" in kinds for kinds in found.values())


def test_clauses_know_which_sentence_of_their_line_they_are_in() -> None:
    cands = candidates(
        ["Coding - Rotate a matrix in place. It went well, and I finished early."], in_round=True, rule_questions=[]
    )
    by_text = {c.text: c.features for c in cands}
    assert "sentno:0" in by_text["Rotate a matrix in place."]
    assert "sentno:1" in by_text["I finished early."]
    line = next(c for c in cands if "line" in c.kinds)
    assert "sents:1" in line.features and not any(f.startswith("sentno:") for f in line.features)


def test_a_bare_company_name_is_barred_but_a_product_is_not() -> None:
    cands = candidates(["1. Bloomberg", "2. 豆包", "3. Bloomberg terminal design"], in_round=True, rule_questions=[])
    barred = {c.text: c.barred for c in cands}
    assert barred == {"Bloomberg": True, "豆包": False, "Bloomberg terminal design": False}
