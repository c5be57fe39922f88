import time

from graph.offline import engine
from graph.offline.tips import find_tips


def test_items_under_a_markdown_tips_heading_are_tips() -> None:
    post = "## Round 1\nWe did a graph problem.\n\n## My Tips\n\n- Sleep well the night before.\n- Rehearse your project story.\n"
    assert find_tips(post) == ["Sleep well the night before.", "Rehearse your project story."]


def test_a_colon_header_list_ends_where_the_narrative_resumes() -> None:
    post = "Lessons learned:\n\n* Read the job description twice\n* Keep a log of solved problems\n\nThe next week I flew to the onsite and met four engineers."
    assert find_tips(post) == ["Read the job description twice", "Keep a log of solved problems"]


def test_a_chinese_tips_list_may_come_before_the_questions() -> None:
    post = "写在前面：\n1，投递前先把简历里的数字核对一遍\n2，笔试题量大，先做会的\n\n一面：\n1，讲讲快排\n"
    tips = find_tips(post, questions=["讲讲快排"])
    assert tips == ["投递前先把简历里的数字核对一遍", "笔试题量大，先做会的"]


def test_a_summary_section_gives_only_its_advice_sentences() -> None:
    post = "## 总结\n\n这次面试整体节奏很快，面完有点懵。项目一定要能讲出自己的取舍，不然很容易被追问住。\n"
    assert find_tips(post) == ["项目一定要能讲出自己的取舍，不然很容易被追问住"]


def test_advice_inside_a_narrative_paragraph_is_found() -> None:
    zh = "二面问了很多调参的细节，我答得一般。建议大家把实验里每个超参的来由都记下来。"
    en = "The second call was about caching. Make sure you can sketch a cache eviction policy from memory."
    assert find_tips(zh) == ["建议大家把实验里每个超参的来由都记下来"]
    assert find_tips(en) == ["Make sure you can sketch a cache eviction policy from memory."]


def test_narration_alone_gives_no_tip() -> None:
    post = "一面是视频面，面试官人很好。先聊了实习，然后写了一道二分。\n\nThe recruiter called me a week later with the result."
    assert find_tips(post) == []


def test_the_interviewers_advice_is_not_the_authors() -> None:
    zh = "最后面试官建议我多看看分布式相关的书。"
    en = "Her closing advice:\n\n- Never stop learning\n\nAt the end he told me to practise more system design."
    assert find_tips(zh) == []
    assert find_tips(en) == []


def test_questions_and_problem_statements_are_not_tips() -> None:
    post = "1. 为什么这个模型可以不要价值网络\n2. You have to print every pair whose sum is zero.\n"
    assert find_tips(post, questions=["为什么这个模型可以不要价值网络"]) == []


def test_a_thank_you_line_closes_the_tips_section() -> None:
    post = "### Advice\n- Bring water to the onsite\n\nThanks for reading, and good luck!\n"
    assert find_tips(post) == ["Bring water to the onsite"]


def test_code_blocks_are_skipped() -> None:
    post = "```python\n# make sure the list is sorted\nxs.sort()\n```\n"
    assert find_tips(post) == []


def test_a_list_that_is_mostly_advice_is_read_as_a_whole() -> None:
    post = "Design round:\n- Always state your assumptions first\n- Sketch the components on the board\n- Never go silent for long\n"
    assert find_tips(post) == [
        "Always state your assumptions first",
        "Sketch the components on the board",
        "Never go silent for long",
    ]


def test_tips_found_elsewhere_are_filtered_and_merged() -> None:
    seed = ["那天下雨，我迟到了五分钟，心态有点崩", "别慌"]
    post = "面试小结：别慌，先把题意复述一遍再动手。"
    assert find_tips(post, seed=seed) == ["别慌，先把题意复述一遍再动手"]


def test_a_huge_single_line_stays_cheap() -> None:
    line = "一定要多练手撕，面试官问了很多问题。" * 120_000  # about 2 MB on one line
    start = time.perf_counter()
    tips = find_tips(line)
    assert time.perf_counter() - start < 0.5
    assert len(tips) <= 60


def test_the_engine_collects_tips_from_the_closing_section() -> None:
    post = "一面\n1. 讲讲Transformer的结构\n2. 手撕二分查找\n\n## 心得\n- 手撕题写完要自己举几个边界例子跑一遍\n"
    clean = engine.clean_text(post)["clean"]
    sections = engine.split_rounds(clean)["sections"]
    tips = [t["text"] for t in engine.extract_questions(sections, clean)["tips"]]
    assert "手撕题写完要自己举几个边界例子跑一遍" in tips


def test_a_question_line_with_advice_in_brackets_gives_only_the_advice() -> None:
    line = "算法题（建议先讲思路再动手写）：lc 206，反转链表"
    tips = find_tips(line, questions=["lc 206，反转链表"], seed=["建议先讲思路再动手写"])
    assert tips == ["建议先讲思路再动手写"]
