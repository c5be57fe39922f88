import pytest

from graph.offline.meta import (
    find_companies,
    find_outcome,
    find_role,
    language,
    looks_like_interview,
    post_companies,
)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("美团暑期实习终于oc啦", "offer"),
        ("一面过了，二面挂了，收到感谢信", "rejected"),
        ("一面挂了……后来捞起来，最后拿到offer！", "offer"),
        ("二面结束，等结果中，求offer", "pending"),
        ("Outcome: Got the offer after team matching", "offer"),
        ("Got rejected after the onsite", "rejected"),
        ("Currently waiting for the HM's decision.", "pending"),
        ("面经分享", "unknown"),
    ],
)
def test_outcome_is_the_last_one_mentioned(text: str, outcome: str) -> None:
    assert find_outcome(text) == outcome


def test_companies_are_canonical_and_in_order() -> None:
    assert find_companies("抖音一面，然后是通义二面，最后鹅厂") == ["字节跳动", "阿里巴巴", "腾讯"]
    assert find_companies("理想一面") == ["理想汽车"]
    assert find_companies("这个想法很理想") == []


def test_role() -> None:
    assert find_role("百度文心 大模型算法实习 面试记录") == "大模型算法实习"
    assert find_role("Google | L4 SWE (ML Infra) | Zurich") == "SWE"


def test_language() -> None:
    assert language("字节一面：聊项目，讲讲RoPE和KV cache") == "zh"
    assert language("Round 1: LRU cache, then a system design round") == "en"


def test_job_ad_is_not_an_interview() -> None:
    ad = "岗位职责：\n1. 负责大模型训练\n任职要求：\n1. 熟悉PyTorch\n投递邮箱：hr@example.com 内推码 ABC"
    assert not looks_like_interview(ad, has_markers=False, question_count=2)
    assert looks_like_interview("一面\n1. 聊项目\n2. 讲讲RoPE", has_markers=True, question_count=2)


def test_a_plea_for_advice_and_an_index_of_links_are_not_interviews() -> None:
    plea = "求助：蚂蚁二面后一周没消息\n二面问了GRPO和DPO的区别\n想问一下：\n1. 一般多久出结果？\n2. 还会被捞吗？"
    assert not looks_like_interview(plea, has_markers=True, question_count=2)
    index = "\n".join(f"{i}. 字节 一面 手撕LRU https://example.com/p/{i}" for i in range(5))
    assert not looks_like_interview("面经合集\n" + index, has_markers=False, question_count=5)


# ---------------------------------------------------------------- companies, outcome, is-interview on real-style posts


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("F家 电面回顾\n两道题", "Meta"),
        ("狗家 onsite 面经\n1. 设计一个限流器", "Google"),
        ("G家 intern 一面", "Google"),
        ("亚麻 SDE 二面小结", "Amazon"),
        ("压马僧 OA 记录", "Amazon"),
        ("M家 new grad 面经", "微软"),
        ("L家 实习电面", "LinkedIn"),
        ("T家 onsite 面经", "Twitter"),
        ("头条 后端一面", "字节跳动"),
        ("豆包大模型团队一面", "字节跳动"),
        ("阶跃星辰 多模态实习面经", "阶跃星辰"),
    ],
)
def test_slang_and_aliases_name_the_canonical_company(text: str, company: str) -> None:
    assert post_companies(text) == [company]


def test_companies_come_from_the_title_not_from_questions_links_or_remarks() -> None:
    post = (
        "快手推荐算法一面\n"
        "1. 讲讲qwen和豆包的结构差异\n"
        "2. 这个题感觉还没美团的系统方便\n"
        "参考 https://link.zhihu.com/?target=https://www.google.com/x\n"
    )
    assert post_companies(post) == ["快手"]


def test_byte_code_is_not_bytedance() -> None:
    assert find_companies("讲讲Java字节码和一个int占4个字节") == []
    assert find_companies("字节一面") == ["字节跳动"]


def test_an_unlisted_company_is_kept_as_written() -> None:
    assert post_companies("Foobarly Intern Interview Experience\nRound 1 was DSA.") == ["Foobarly"]
    assert post_companies("My interview at Quuxio\nI applied to Quuxio in May.") == ["Quuxio"]
    assert post_companies("## 云图星辰科技：\n1. 介绍项目\n2. 讲讲BN") == ["云图星辰科技"]
    assert post_companies("星河引擎公司一面面经\n1. 自我介绍") == ["星河引擎"]
    assert post_companies("# 面试\n## 技术一面\n1. 讲讲TCP") == []


def test_a_generic_capitalised_word_is_not_a_company() -> None:
    assert post_companies("## Coding Interview\nThe coding part was two problems.") == []


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("复习计划：每天刷两道剑指offer", "unknown"),
        ("I got the offer two weeks later.", "offer"),
        ("Sadly I was rejected after the final round.", "rejected"),
        ("I didn't make it past the onsite.", "rejected"),
        ("Verdict: Selected", "offer"),
        ("二面后收到了意向书", "offer"),
        ("三面后发了感谢信，凉", "rejected"),
        ("Unfortunately they could not give me an offer.", "rejected"),
        ("面完拿到了offer（之前在另一家面到终面被挂了）", "offer"),
        ("面试官问我手上有没有其他offer", "unknown"),
    ],
)
def test_outcome_words_in_context(text: str, outcome: str) -> None:
    assert find_outcome(text) == outcome


def test_a_numbered_post_with_long_answers_is_an_interview() -> None:
    answer = "回答：先讲了定义，再讲了推导过程和在项目里的用法，面试官追问了细节。" * 3
    post = "某厂大模型一面面经\n" + "\n".join(f"Q{i}: 讲讲第{i}个知识点\n{answer}" for i in range(1, 8))
    assert looks_like_interview(post, has_markers=True, question_count=7)
    bullets = "一面 记录\n- 讲讲LoRA\n  - 我答了低秩分解\n- 讲讲PPO\n  - 我答了clip\n面试官人很好"
    assert looks_like_interview(bullets, has_markers=True, question_count=2)


@pytest.mark.parametrize(
    "text",
    [
        "深度学习学习笔记\n1. 什么是BN\n2. 什么是LN\n知识点整理，持续更新",
        "模拟面试总结：假如我是面试官会问这些\n1. 讲讲RoPE\n2. 讲讲KV cache",
        "秋招学习计划\n第1周：\n- https://leetcode.cn/problems/a\n- https://leetcode.cn/problems/b\n"
        "- https://leetcode.cn/problems/c\n第2周：每天两题",
        "【内推】某某科技招大模型实习生\n岗位职责：训练模型\n任职要求：熟悉PyTorch\n笔试题：实现一个tokenizer",
        "# 面经索引\n" + "\n".join(f"- [某厂一面 第{i}篇](./doc/p{i}.md)" for i in range(6)),
        "## Resources\n" + "\n".join(f"- [Article {i}](https://example.com/a{i})" for i in range(6)),
    ],
)
def test_texts_that_are_not_interviews(text: str) -> None:
    assert not looks_like_interview(text, has_markers=True, question_count=3)


def test_a_long_single_line_is_fast() -> None:
    import time

    big = "字节一面 https://x.com/a-b 面经 interview at Quuxio offer 挂了 （" * 40_000
    start = time.perf_counter()
    post_companies(big)
    find_outcome(big)
    looks_like_interview(big, has_markers=False, question_count=3)
    assert time.perf_counter() - start < 1.5


def test_role_is_read_from_the_opening_of_a_huge_paste() -> None:
    # A 2 MB paste is searched only in its opening pages: a role named that far in does not count.
    filler = "讲一下第几个问题的原理和实现细节。" * 8000
    assert find_role(filler + "后端开发工程师") is None
    assert find_role("岗位：推荐算法工程师\n" + filler) == "推荐算法工程师"


def test_language_counts_cjk_against_ascii_letters() -> None:
    assert language("一二三四五 " + "é" * 100) == "zh"  # accented letters are not ASCII letters
    assert language("一二三四 abc") == "en"  # fewer than five Chinese characters


def test_a_table_of_linked_write_ups_with_a_contribution_guide_is_not_an_interview() -> None:
    rows = "\n".join(
        f"| [腾讯后端{n}面-同学{i}](./doc/post{i}.md) | 2024-3-{i} | 腾讯 | 后端 |"
        for i, n in enumerate("一二一二一一", 1)
    )
    guide = "\n".join(f"- 第{i}步：按照说明提交你的经历" for i in range(1, 20))
    text = f"# 我们学校的面试经验分享\n\n| 链接 | 日期 | 公司 | 岗位 |\n| --- | --- | --- | --- |\n{rows}\n\n## 如何贡献\n{guide}"
    assert not looks_like_interview(text, has_markers=True, question_count=3)
