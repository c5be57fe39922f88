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
        "3.5 一面",
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
