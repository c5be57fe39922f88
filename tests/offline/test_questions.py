import pytest

from graph.offline.questions import extract, is_self_intro, prose_questions, split_inline, strip_numbering


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("1、聊项目。", "聊项目。"),
        ("1. 什么是RoPE", "什么是RoPE"),
        ("1） 讲讲GQA", "讲讲GQA"),
        ("(1) 自我介绍", "自我介绍"),
        ("Q1: Walk me through your resume", "Walk me through your resume"),
        ("第3题：手撕LRU", "手撕LRU"),
        ("- LRU Cache", "LRU Cache"),
        ("• Merge Intervals", "Merge Intervals"),
        ("6.1 KV cache怎么省显存", "KV cache怎么省显存"),
        ("1\u20e3 聊项目", "聊项目"),
    ],
)
def test_strips_every_numbering_style(line: str, text: str) -> None:
    assert strip_numbering(line) == (True, text)


def test_a_decimal_number_is_not_numbering() -> None:
    assert strip_numbering("1.5B模型怎么部署")[0] is False


def test_splits_several_numbered_questions_on_one_line() -> None:
    assert split_inline("1.讲讲BN 2.讲讲LN 3.二者区别") == ["1.讲讲BN", "2.讲讲LN", "3.二者区别"]
    assert split_inline("用了1.5B和7B两个模型") == ["用了1.5B和7B两个模型"]


def test_answers_comments_reverse_and_tips_are_not_questions() -> None:
    lines = [
        "1. 什么是GQA？",
        "答：多个query头共享一组KV。",
        "    我答的是省显存",
        "2. 代码题（代码题一般别着急写，先跟面试官说下思路）：lc 46，全排列。",
        "3. CRF和HMM区别？CRF为什么比HMM效果好？",
        "反问：",
        "1. 组里做什么？",
        "",
        "总结：",
        "1. 一定要刷熟hot100",
    ]
    found = extract(lines)
    assert found.questions == ["什么是GQA？", "代码题：lc 46，全排列。", "CRF和HMM区别？CRF为什么比HMM效果好？"]
    assert found.tips == ["代码题一般别着急写，先跟面试官说下思路", "一定要刷熟hot100"]


def test_a_broken_numbered_question_is_joined_but_a_comment_is_not() -> None:
    lines = ["1. DIN的attention和transformer的attention有", "什么区别", "2. 手撕：lc 72 编辑距离", "这轮我答得还行"]
    assert extract(lines).questions == ["DIN的attention和transformer的attention有什么区别", "手撕：lc 72 编辑距离"]


def test_heading_of_sub_questions_is_dropped() -> None:
    found = extract(["6. 推理加速连环问：", "6.1 KV cache原理", "6.2 投机采样怎么做"])
    assert found.questions == ["KV cache原理", "投机采样怎么做"]


def test_prose_questions_are_found_inside_sentences() -> None:
    text = "项目聊完之后先问了我KV cache的原理，接着问GQA相比MHA能省多少显存，我按层数算了一下。最后手撕了一道lc 56合并区间。"
    assert prose_questions(text) == ["KV cache的原理", "GQA相比MHA能省多少显存", "手撕了一道lc 56合并区间"]


def test_english_prose() -> None:
    found = prose_questions(
        "The interviewer asked me about consistent hashing. Then he had me implement a rate limiter."
    )
    # English narration keeps the sentence that tells of the ask, as the author wrote it.
    assert found == ["The interviewer asked me about consistent hashing", "Then he had me implement a rate limiter"]


def test_self_introduction_stays_out_of_statistics() -> None:
    assert is_self_intro("自我介绍")
    assert is_self_intro("简单聊项目。")
    assert not is_self_intro("项目里的负样本是怎么采样的？")


def test_a_listing_is_several_asks_but_a_sentence_is_one() -> None:
    assert extract(["- 自我介绍、RoPE、LoRA、手撕快排"]).questions == ["自我介绍", "RoPE", "LoRA", "手撕快排"]
    assert extract(["1. RoPE、ALiBi、NTK的区别", "2. 做一个能写代码、跑测试、修bug的Agent，怎么设计"]).questions == [
        "RoPE、ALiBi、NTK的区别",
        "做一个能写代码、跑测试、修bug的Agent，怎么设计",
    ]


def test_an_answer_after_a_dash_is_cut() -> None:
    assert extract(["1. RoPE原理 —— 我说了旋转矩阵", "2. SFT的loss只算response吗 —— 是的"]).questions == [
        "RoPE原理",
        "SFT的loss只算response吗",
    ]


def test_bare_short_lines_are_each_an_ask() -> None:
    lines = ["自我介绍", "拷打实习", "transformer结构", "bn和ln区别", "投机解码", "二面挂了 感觉投机解码没答好?"]
    assert extract(lines).questions == lines[:5]


def test_prose_with_several_asks_a_listing_and_a_trailing_remark() -> None:
    text = (
        "然后给了一个场景：如果要做一个订机票的agent，你会怎么设计整体流程。"
        "HR面问了为什么想来百度、手上还有哪些offer、期望薪资是多少，十分钟结束。"
        "最后问了我的职业规划，以及愿不愿意去杭州。"
    )
    assert prose_questions(text) == [
        "如果要做一个订机票的agent，你会怎么设计整体流程",
        "为什么想来百度",
        "手上还有哪些offer",
        "期望薪资是多少",
        "职业规划",
        "愿不愿意去杭州",
    ]


def test_inline_list_with_a_repeated_number_stays_one_list() -> None:
    line = "1.RoPE原理 2.GQA和MQA的区别 3.KV cache 3.投机解码 4.MoE路由"
    assert len(split_inline(line)) == 5


def test_inline_list_after_an_intro_sentence() -> None:
    line = "整理了一下被问到的题。1.RoPE原理 2.GQA和MQA的区别 3.投机解码的流程"
    assert split_inline(line) == ["整理了一下被问到的题。", "1.RoPE原理", "2.GQA和MQA的区别", "3.投机解码的流程"]


def test_numbering_past_99_is_numbering() -> None:
    assert strip_numbering("100、讲一下分布式锁") == (True, "讲一下分布式锁")
    assert strip_numbering("1234. what is a B-tree") == (True, "what is a B-tree")
    assert strip_numbering("1.5B模型怎么部署") == (False, "1.5B模型怎么部署")


def test_job_ad_lines_under_a_jd_heading_are_not_questions():
    lines = [
        "### 岗位职责",
        "1、负责搜索排序模型的迭代和线上效果优化",
        "2、参与特征工程与样本构建",
        "### 一面",
        "1、讲讲GBDT和随机森林的区别",
        "2、手写AUC的计算",
    ]
    assert extract(lines).questions == ["讲讲GBDT和随机森林的区别", "手写AUC的计算"]


def test_markdown_headings_are_not_asks_and_a_few_bullets_do_not_hide_bare_lines():
    lines = ["# 网络", "", "TCP三次握手", "", "HTTPS加密过程", "", "# 系统", "", "进程和线程区别", "", "- 共享内存", ""]
    got = extract(lines).questions
    assert "网络" not in got and "系统" not in got
    assert {"TCP三次握手", "HTTPS加密过程", "进程和线程区别"} <= set(got)


def test_numbered_heading_questions_keep_their_bulleted_answers_out():
    lines = ["### 1. 讲一下虚拟内存", "- 我说了页表和缺页中断", "- 还提了TLB", "### 2. 死锁的四个条件"]
    assert extract(lines).questions == ["讲一下虚拟内存", "死锁的四个条件"]


def test_code_blocks_and_quotes_are_skipped():
    lines = ["1. 实现一个节流函数", "```", "function f(a, b) {", "}", "```", "> 补充：可以用时间戳", "2. 闭包是什么"]
    assert extract(lines).questions == ["实现一个节流函数", "闭包是什么"]


def test_indented_sub_questions_under_a_topic_line_are_asks():
    lines = ["1. 项目细节", "    + 数据是怎么清洗的？", "    + 我这里讲得有点乱", "2. 手写softmax"]
    got = extract(lines).questions
    assert "数据是怎么清洗的？" in got and "手写softmax" in got
    assert not any("讲得有点乱" in q for q in got)


def test_coding_label_joins_the_statement_below_it():
    lines = ["3、手撕代码：一道字符串题", "", "给定一个字符串，求最长的不含重复字符的子串长度。", "", "4、讲讲快排"]
    got = extract(lines).questions
    assert got[0].startswith("手撕代码：一道字符串题") and "最长的不含重复字符" in got[0]
    assert got[1] == "讲讲快排"


def test_chinese_comma_numbering_and_reverse_opener():
    lines = ["1，自我介绍", "2，Redis持久化方式", "3，你还有什么想问的吗", "问了团队做什么业务"]
    assert extract(lines).questions == ["自我介绍", "Redis持久化方式"]


def test_a_colon_label_keeps_its_listing_whole():
    assert extract(["1. 评估指标：精确率、召回率、F1", "2. 讲讲BN"]).questions == [
        "评估指标：精确率、召回率、F1",
        "讲讲BN",
    ]


def test_english_question_label_takes_the_statement_below_and_not_the_solution():
    lines = [
        "#### Question 1:",
        "Given an array of prices, return for each day how long until a higher price.",
        "Example:",
        "* **input**: [3, 1, 4]",
        "Solution:",
        "* Approach: a monotonic stack.",
        "* Expected complexity: O(N)",
    ]
    assert extract(lines).questions == ["Given an array of prices, return for each day how long until a higher price."]


def test_english_tips_sections_and_advice_bullets_are_not_questions():
    lines = [
        "- Design a rate limiter for an API gateway.",
        "",
        "## General Tips",
        "- Practice mock interviews with friends.",
        "- Explain every step you take.",
    ]
    out = extract(lines)
    assert out.questions == ["Design a rate limiter for an API gateway."]
    assert "Practice mock interviews with friends." in out.tips
    assert "Don't rush into code." in extract(["- Don't rush into code.", "- Implement an LRU cache."]).tips


def test_english_section_titles_logistics_and_verdicts_are_not_questions():
    lines = [
        "### How Did I Hear Back?",
        "- The test was held online on a weekday.",
        "- 3 coding questions, 90 min.",
        "- Implement a trie with insert and search.",
        "**Verdict:** Selected",
    ]
    assert extract(lines).questions == ["Implement a trie with insert and search."]


def test_english_narrated_asks_keep_their_sentence():
    lines = [
        "We said hello and I was asked to introduce myself.",
        "Then the recruiter asked me to pick a slot on the calendar.",
        "Later I asked about the team's on-call load.",
        "Some things he asked me: *What is a mutex, Difference between TCP and UDP, How a hash map grows*.",
    ]
    qs = extract(lines).questions
    assert "We said hello and I was asked to introduce myself" in qs
    assert {"What is a mutex", "Difference between TCP and UDP", "How a hash map grows"} <= set(qs)
    assert not any("calendar" in q or "on-call" in q for q in qs)


def test_mixed_prose_follow_up_and_problem_after_a_count():
    qs = prose_questions(
        "电话面就考了一道题，word ladder，难度中等，但是我没准备过，写完之后follow up是要求输出所有最短路径，然后我卡住了"
    )
    assert any(q.startswith("word ladder") for q in qs)
    assert any(q.startswith("要求输出所有最短路径") for q in qs)
    assert not any("卡住" in q for q in qs)


def test_round_named_at_line_head_keeps_the_ask_and_drops_the_story():
    qs = extract(
        [
            "第一轮，LRU cache，我写得很慢，最后没跑通。面试官人很好",
            "第二轮，coding。小哥说，给你一个二叉树求最大路径和",
        ]
    ).questions
    assert "LRU cache" in qs
    assert "coding" not in qs
    assert any(q.startswith("给你一个二叉树") for q in qs)


def test_numbered_item_with_long_story_keeps_only_the_problem():
    qs = extract(
        [
            "0，聊简历，我讲得太久了，面试官似乎对这些经历没什么兴趣听下去的样子",
            "",
            "1，two sum变种，我一开始用了暴力解法，后来改成哈希表才终于过了所有case",
        ]
    ).questions
    assert qs == ["聊简历", "two sum变种"]


def test_candidate_turn_and_negated_asks_are_not_questions():
    qs = prose_questions("最后他说你得问我问题，我就随便问了组里的情况。全程没怎么被问到系统设计")
    assert qs == []
