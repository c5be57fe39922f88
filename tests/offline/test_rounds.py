import pytest

from graph.offline.rounds import match_header, split_sections


@pytest.mark.parametrize(
    ("line", "label", "before"),
    [
        ("一面", "一面", ""),
        ("【二面】 50min 有点压力面", "二面", ""),
        ("1\u20e3 抖音一面", "一面", "抖音"),
        ("一面（40min）", "一面", ""),
        ("## 三面", "三面", ""),
        ("一面（技术面，约1小时）", "一面", ""),
        ("美团一面", "一面", "美团"),
        ("阿里通义 二面", "二面", "阿里通义"),
        ("HR面", "HR面", ""),
        ("leader面", "主管面", ""),
        ("交叉面", "交叉面", ""),
        ("终面（总监）", "终面", ""),
        ("加面", "加面", ""),
        ("笔试", "笔试", ""),
        ("Round 1 (Coding)", "Round 1", ""),
        ("**Phone Screen** (45 min)", "Phone Screen", ""),
        ("1\u20e3 Technical Round 1 (60 min, with a senior engineer)", "Round 1", "Technical"),
        ("Onsite 2 - System Design", "Onsite 2", ""),
        ("一面 9.12 下午 约1h 面试官是个小哥", "一面", ""),
        ("【三面·交叉面】9.18 晚上 30min", "三面", ""),
        ("第一轮：技术面（10.9，50分钟）", "一面", ""),
        ("第三轮 HR（10.20，20分钟）", "三面", ""),
        ("【群面/无领导小组讨论】 约60min，12个人一组", "群面", ""),
        ("===== 机考（9.3，2h，三道编程）=====", "笔试", ""),
        ("Interview 1 (technical, 60 min)", "Round 1", ""),
        ("Final interview with the director", "Final Round", ""),
        ("HR call", "HR面", ""),
    ],
)
def test_recognises_round_markers(line: str, label: str, before: str) -> None:
    header = match_header(line)
    assert header is not None and (header.label, header.before) == (label, before)


@pytest.mark.parametrize(
    "line",
    [
        "一面挂了，有点难过",
        "美团大模型应用算法实习 一二面 已oc",
        "华为 一面二面 已挂",
        "一面问了我很多RAG的细节，面试官人很好",
        "面试官人很好",
        "The interviewer was friendly and the round was relaxed",
        "三面面试官是总监，压力有点大。目前在泡池子，许愿！",
        "现在二面完一周了还没消息，许愿HR面！",
        "B站 前端开发 秋招 笔试+三轮面试 全记录（已oc）",
    ],
)
def test_ignores_lines_that_only_mention_rounds(line: str) -> None:
    assert match_header(line) is None


def test_each_round_carries_its_company() -> None:
    _, sections = split_sections("秋招合集\n美团一面\n1. 聊项目\n快手二面\n1. RoPE\n阿里通义一面\n1. DPO")
    assert [(s.label, s.company) for s in sections] == [("一面", "美团"), ("二面", "快手"), ("一面", "阿里巴巴")]


def test_no_marker_is_one_unlabelled_round() -> None:
    intro, sections = split_sections("1. 自我介绍\n2. 讲讲LoRA")
    assert intro == ""
    assert len(sections) == 1
    assert sections[0].label is None
    assert sections[0].lines == ["1. 自我介绍", "2. 讲讲LoRA"]


def test_prose_paragraphs_that_open_with_a_round() -> None:
    text = "记录一下。\n一面是一个很年轻的面试官，先问了我KV cache的原理。\n二面隔了三天，问了DPO和PPO的区别。"
    intro, sections = split_sections(text)
    assert intro == "记录一下。"
    assert [s.label for s in sections] == ["一面", "二面"]


def test_umbrella_heading_without_content_is_not_a_round() -> None:
    _, sections = split_sections("Onsite (4 rounds)\nRound 1 (Coding)\n- LRU Cache\nRound 2\n- Merge Intervals")
    assert [s.label for s in sections] == ["Round 1", "Round 2"]


def test_a_heading_may_carry_its_asks() -> None:
    _, sections = split_sections("一面：自我介绍、RoPE、LoRA、手撕快排\n二面：统计和AB实验为主\n1. AB实验怎么做")
    assert sections[0].lines == ["- 自我介绍、RoPE、LoRA、手撕快排"]
    assert sections[1].lines == ["1. AB实验怎么做"]


def test_the_title_is_not_a_round() -> None:
    _, sections = split_sections("百度 大模型算法 一面 面经 | 附部分回答\n1. 自我介绍\n2. RoPE原理")
    assert [s.label for s in sections] == [None]


def labels(text: str) -> list[str | None]:
    return [s.label for s in split_sections(text)[1]]


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("2.10 11点一面", "一面"),
        ("# 2024.8.19二面", "二面"),
        ("# 2024.12.17HR面", "HR面"),
        ("### 初面", "一面"),
        ("第五轮", "五面"),
        ("第一个人", "一面"),
        ("第二次面试", "二面"),
        ("=== PS 1 ===", "Phone Screen"),
        ("电面", "Phone Screen"),
        ("## Sixth round (ALP)", "Round 6"),
        ("## Interview 2", "Round 2"),
        ("*HR Interview*", "HR面"),
        ("Round 120", "Round 120"),
        ("## 三面（8.2） （部门换了方向", "三面"),
        ("### 一面（30分钟）--> 基础面/项目面/终面", "一面"),
    ],
)
def test_more_round_markers(line: str, label: str) -> None:
    header = match_header(line)
    assert header is not None and header.label.startswith(label.split()[0])
    assert header.label == label or label == "Phone Screen"


@pytest.mark.parametrize(
    "line",
    [
        "*A week after the second round.*",
        "**如果题目不方便公开，请联系我删掉笔试题**",
        "2. 讲讲Qwen-R1的训练流程",
    ],
)
def test_mentions_are_not_headings(line: str) -> None:
    assert match_header(line) is None


def test_numbered_rounds_past_ninety_nine() -> None:
    text = "\n".join(f"第{i}轮\n- 问题{i}" for i in range(1, 131))
    assert len(labels(text)) == 130


def test_a_round_opened_mid_sentence() -> None:
    text = "一面是个小哥，问了些基础。 隔了两天二面来了，聊了系统设计。"
    assert labels(text) == ["一面", "二面"]


def test_two_rounds_on_one_line() -> None:
    text = "电面，两道题\n第三轮，设计题\n第四轮，第五轮行为面"
    assert labels(text) == ["Phone Screen", "三面", "四面", "五面"]


def test_umbrella_then_first_round_is_one_round() -> None:
    assert labels("onsite，第一轮，写一个解数独\n第二轮，设计缓存") == ["Onsite 1", "Onsite 2"]


def test_round_opening_a_paragraph_in_english() -> None:
    text = "Some background.\n\nRound 1: we went over arrays and a tree problem.\n\nRound 2: a design chat."
    assert labels(text) == ["Round 1", "Round 2"]


def test_markdown_rounds_with_ordinal_words() -> None:
    text = "\n".join(f"## {w} round\n- q" for w in ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh"])
    assert len(labels(text)) == 7


def test_indented_rounds_under_an_onsite_bullet() -> None:
    text = "* Virtual onsite:\n  * Round 1: Coding - two pointers\n  * Round 2: Design - a chat service"
    assert labels(text) == ["Round 1", "Round 2"]


def test_company_sections_in_a_multi_company_post() -> None:
    text = (
        "## 美团\n### 一面\n1. LoRA\n### 二面\n1. DPO\n"
        "快手：\n1. 手撕NMS\n2. BN\n"
        "商汤one:\n1. softmax\n2. FPN\n"
        "## 提问面试官\n1. 组里做什么"
    )
    _, sections = split_sections(text)
    assert [(s.label, s.company) for s in sections] == [
        ("一面", "美团"),
        ("二面", "美团"),
        (None, "快手"),
        (None, "商汤"),
    ]


def test_company_bold_header_with_rounds_below() -> None:
    text = "**Google**:\n* Phone interview: two array problems\n**Amazon**:\n* Round 1: LRU cache\n* Round 2: design"
    _, sections = split_sections(text)
    assert [(s.label, s.company) for s in sections] == [
        ("Phone Screen", "Google"), ("Round 1", "Amazon"), ("Round 2", "Amazon"),
    ]  # fmt: skip


def test_title_naming_onsite_or_mianjing_is_not_a_round() -> None:
    assert labels("# 百度笔试实录\n\n## 笔试\n1. 给定数组求和") == ["笔试"]
    assert labels("Google onsite 面经\n1. 两数之和\n2. LRU") == [None]


def test_summary_list_does_not_double_the_rounds() -> None:
    text = (
        "* **Round 1**: coding\n* **Round 2**: design\n\n"
        "## Round 1\nGiven an array, find the pair.\nFollow-up on sorting.\nComplexity talk.\n"
        "## Round 2\nDesign a url shortener.\nScale it.\nAdd caching."
    )
    assert labels(text) == ["Round 1", "Round 2"]


def test_dated_timeline_then_details() -> None:
    text = "时间线：\n3.5 一面\n3.8 二面\n\n一面\n1. RoPE\n2. KV cache\n二面\n1. DPO\n2. PPO"
    assert labels(text) == ["一面", "二面"]


def test_sub_headers_inside_a_round_are_not_rounds() -> None:
    text = "# 某厂前端一面\n## 题目\n### 口述题\n* vue原理\n### 笔试题\n* 数组打平"
    assert labels(text) == ["一面"]


def test_index_of_links_is_not_rounds() -> None:
    text = "# 目录\n- [字节一面](a.md)\n- [腾讯一面](b.md)\n- [美团一面](c.md)\n- [阿里一面](d.md)"
    assert len(labels(text)) <= 1


def test_interview_headings_and_italic_titles() -> None:
    assert labels("## Interview 1\n- q\n## Interview 2\n- q") == ["Round 1", "Round 2"]
    assert labels("*Coding Round*\n- q\n\n*HR Interview*\n- why us") == ["Round 1", "HR面"]


def test_numbered_paragraphs_naming_rounds() -> None:
    text = "Intro.\n1. Recruiter call - background chat.\n2. System design - a feed.\n3. Coding round - graphs."
    assert len(labels(text)) == 3


def test_glued_round_at_line_end() -> None:
    text = "一面 50min\n自我介绍\n设计模式应用场景二面15min\n垃圾回收"
    assert labels(text) == ["一面", "二面"]


def test_written_test_without_problems_is_no_round() -> None:
    text = "## Round 0 - Online coding\nTwo easy questions on HackerRank.\n## Round 1 - DSA\n- graphs\n- two sum"
    assert labels(text) == ["Round 1"]


def test_heading_about_rounds_is_not_a_round() -> None:
    assert match_header("**Coding Interview Tips:**") is None
    assert match_header("## Phone screen preparation") is None


def test_hr_in_parentheses_names_the_round() -> None:
    header = match_header("## Ninth round (HR)")
    assert header is not None and header.label == "HR面"


def test_team_matching_call_is_a_round() -> None:
    header = match_header("### Team matching call")
    assert header is not None and header.label == "Team Match"


def test_english_story_rounds_open_sentences() -> None:
    text = (
        "I applied online and heard back soon.\n\n"
        "In the first technical interview, we did a heap problem. In the second interview, I designed a cache.\n\n"
        "The last round was with a director."
    )
    assert labels(text) == ["Round 1", "Round 2", "Final Round"]


def test_a_round_told_again_opens_nothing() -> None:
    text = "The first round was on trees.\n\nThe second round was on graphs.\n\nThe first round was the easier one."
    assert labels(text) == ["Round 1", "Round 2"]


def test_counted_rounds_then_ordinal_and_next_step() -> None:
    text = "Campus hiring.\nWe had two rounds. 1st was a quiz on probability. Then came interviews on my thesis."
    assert labels(text) == ["Round 1", "Round 2"]


def test_first_round_named_in_passing_before_the_final_round() -> None:
    text = (
        "I got a mail about the first-round interview, a video call.\n\n"
        "They asked about a hard bug I fixed.\n\n"
        "This final round of interviews was four whiteboard sessions."
    )
    _, sections = split_sections(text)
    assert [s.label for s in sections] == ["Round 1", "Final Round"]
    assert sections[0].lines[0].startswith("I got a mail")


def test_sibling_headings_of_a_round_heading_are_rounds() -> None:
    text = (
        "## The day\nWe waited a lot between rounds.\n"
        "## Pair programming\nWe built a small parser together.\n"
        "## Frontend depth\nThis was the hardest round of all: closures and the event loop.\n"
        "## Hiring manager round\nWhy this team?\n"
        "## Advice\nSleep well."
    )
    assert labels(text) == ["Round 1", "Round 2", "Hiring Manager"]


def test_shared_behavioural_section_is_no_round() -> None:
    text = "## Round 1\n- sort a list\n## Round 2\n- design a queue\n## Behavioral Questions\n- a conflict you had"
    assert labels(text) == ["Round 1", "Round 2"]


def test_prose_rounds_before_a_step_heading() -> None:
    text = (
        "## Phone stage\nIn the first interview, a string problem.\n\nIn the second interview, a grid search.\n"
        "## Team matching\nA call with a manager about the project."
    )
    assert labels(text) == ["Round 1", "Round 2", "Team Match"]


def test_topic_headings_before_the_hr_heading_are_one_unlabelled_round() -> None:
    text = "某厂复盘\n## 操作系统\n* 进程和线程\n* 虚拟内存\n## 网络\n* TCP握手\n## HR面\n职业规划"
    _, sections = split_sections(text)
    assert [s.label for s in sections] == [None, "HR面"]
    assert "* TCP握手" in sections[0].lines


def test_background_list_before_rounds_is_no_round() -> None:
    text = "## 个人背景\n* 本科计算机\n* 硕士NLP\n* 两段实习\n## 一面\n* RoPE\n## 二面\n* DPO"
    assert labels(text) == ["一面", "二面"]


def test_rounds_after_the_onsite_are_onsite_rounds() -> None:
    text = "电面，一道题\n然后约了onsite。\n第一轮，写个LRU\n第二轮，设计题"
    assert labels(text) == ["Phone Screen", "Onsite 1", "Onsite 2"]
