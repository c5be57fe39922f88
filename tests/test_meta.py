import pytest

from graph.offline.meta import find_companies, find_outcome, find_role, language, looks_like_interview


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
