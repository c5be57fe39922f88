from graph.batch.bank import build_bank, normalize, repost_groups


def post(source: str, questions: list[str], company: str = "美团", **extra) -> dict:
    qs = [{"text": q, "topic": "llm", "topics": ["llm"], "leetcode": [], "in_stats": True} for q in questions]
    return {
        "source": source,
        "companies": [company],
        "rounds": [{"label": "一面", "company": company, "questions": qs}],
        **extra,
    }


def test_fillers_do_not_make_a_new_question() -> None:
    assert normalize("说说KV cache的原理？") == normalize("讲一下 KV Cache 的原理") == "kvcache的原理"


def test_near_duplicates_merge_and_rank_by_distinct_posts() -> None:
    posts = [
        post("a.txt", ["说说KV cache的原理", "RoPE为什么能外推"], "美团"),
        post("b.txt", ["讲一下KV Cache原理？", "介绍一下MoE"], "快手"),
        post("c.txt", ["KV cache的原理是什么", "DPO的损失函数"], "字节跳动"),
    ]
    bank, _ = build_bank(posts)
    top = bank.entries()[0]
    assert top.posts == 3
    assert top.companies == ["字节跳动", "快手", "美团"]
    assert len(top.variants) == 2


def test_the_same_leetcode_problem_is_one_entry_named_after_it() -> None:
    a = post("a.txt", [])
    a["rounds"][0]["questions"] = [{"text": "手撕接雨水", "topic": "coding", "leetcode": [42]}]
    b = post("b.txt", [], "快手")
    b["rounds"][0]["questions"] = [{"text": "lc42 trapping rain water", "topic": "coding", "leetcode": [42]}]
    entry = build_bank([a, b])[0].entries()[0]
    assert entry.canonical == "LeetCode 42 接雨水"
    assert entry.posts == 2 and entry.leetcode == [42]


def test_reposts_count_once() -> None:
    questions = ["KV cache的原理", "RoPE为什么能外推", "手撕MHA", "DPO的损失函数"]
    groups = repost_groups(
        [("a", questions), ("b", [*questions, "补充：反问了业务"]), ("c", ["别的问题一", "问题二", "问题三"])]
    )
    assert groups["a"] == groups["b"] != groups["c"]
    bank, _ = build_bank(
        [post("a.txt", questions), post("b.txt", [*questions, "补充一题"]), post("c.txt", ["KV cache的原理"])]
    )
    assert bank.entries()[0].posts == 2


def test_self_introduction_stays_out_of_the_ranking() -> None:
    p = post("a.txt", ["RoPE为什么能外推"])
    p["rounds"][0]["questions"].append({"text": "自我介绍", "topic": "project", "in_stats": False})
    bank, _ = build_bank([p])
    assert [e.canonical for e in bank.entries()] == ["RoPE为什么能外推"]
    assert len(bank.entries(include_unranked=True)) == 2


def test_non_interview_posts_are_left_out() -> None:
    bank, groups = build_bank([post("plan.txt", ["Transformer为什么要除以根号dk"], is_interview=False)])
    assert bank.entries() == [] and groups == {}


def test_ties_rank_by_companies_then_by_how_much_the_topic_is_asked() -> None:
    # Every question is asked in one post; the code-point order of the texts is the opposite of the ranking.
    a = post("a.txt", ["Z多公司都问", "C大模型一"], "美团")
    a["rounds"].append({"label": "二面", "company": "快手", "questions": [dict(a["rounds"][0]["questions"][0])]})
    b = post("b.txt", ["D大模型二"], "百度")
    c = post("c.txt", [], "阿里巴巴")
    c["rounds"][0]["questions"] = [{"text": "A数学题", "topic": "math", "in_stats": True}]
    ranked = [(e.canonical, e.posts, e.company_count) for e in build_bank([a, b, c])[0].entries()]
    assert ranked == [("Z多公司都问", 1, 2), ("C大模型一", 1, 1), ("D大模型二", 1, 1), ("A数学题", 1, 1)]


def test_a_question_naming_two_problems_is_one_entry_per_problem() -> None:
    a = post("a.txt", [])
    a["rounds"][0]["questions"] = [{"text": "手撕接雨水和岛屿数量", "topic": "coding", "leetcode": [42, 200]}]
    b = post("b.txt", [], "快手")
    b["rounds"][0]["questions"] = [{"text": "lc200", "topic": "coding", "leetcode": [200, 200]}]
    entries = {e.canonical: e for e in build_bank([a, b])[0].entries()}
    assert set(entries) == {"LeetCode 200 岛屿数量", "LeetCode 42 接雨水"}
    assert entries["LeetCode 200 岛屿数量"].leetcode == [200] and entries["LeetCode 200 岛屿数量"].posts == 2
    assert entries["LeetCode 42 接雨水"].leetcode == [42]
    assert entries["LeetCode 42 接雨水"].variants == ["手撕接雨水和岛屿数量"]
