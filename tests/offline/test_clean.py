from graph.offline.clean import clean_text


def test_strips_pasted_html_into_lines() -> None:
    html = "<div><p>一面（40min）</p><ul><li>1. 讲讲RoPE&nbsp;原理</li><li>2. KV cache &amp; GQA</li></ul></div>"
    lines = clean_text(html).split("\n")
    assert "一面（40min）" in lines
    assert "- 1. 讲讲RoPE 原理" in lines
    assert any("KV cache & GQA" in line for line in lines)


def test_drops_hashtags_stickers_and_social_calls() -> None:
    raw = "一面[哭惹R]好难\n#面经[话题]# #字节跳动[话题]#\n求点赞关注！\n码字不易，点赞收藏\n1、聊项目 #大模型"
    cleaned = clean_text(raw)
    assert cleaned == "一面 好难\n\n1、聊项目"


def test_keeps_chinese_punctuation_and_folds_full_width_letters() -> None:
    assert clean_text("ＡＵＣ的两种公式是？１、ＫＶ ｃａｃｈｅ") == "AUC的两种公式是？1、KV cache"


def test_circled_numbers_become_numbering_and_keycaps_survive() -> None:
    cleaned = clean_text("①自我介绍\n1️⃣抖音一面")
    assert cleaned.split("\n") == ["(1) 自我介绍", "1\u20e3 抖音一面"]


def test_rejoins_a_line_broken_before_a_continuation() -> None:
    assert clean_text("3. 介绍一下Transformer的结构\n和训练时的mask") == "3. 介绍一下Transformer的结构和训练时的mask"


def test_keeps_indentation_that_marks_answers() -> None:
    assert clean_text("1. 什么是GQA？\n    答：分组共享KV").split("\n")[1].startswith("    ")


def test_hard_wrapped_paragraph_is_joined() -> None:
    wrapped = (
        "The second interviewer started with a question about my internship and the\n"
        "tooling I had built there, then moved on to a graph problem that asked for the\n"
        "shortest path between two nodes.\n"
    )
    assert clean_text(wrapped).count("\n") == 0


def test_short_question_lines_are_not_joined() -> None:
    listing = "讲一下RoPE的原理和它的外推性\n手撕多头注意力和因果掩码\nLoRA为什么能省显存"
    assert clean_text(listing).split("\n") == listing.split("\n")


def test_markdown_hard_breaks_keep_their_lines() -> None:
    lines = [
        "The first question was about designing a cache for a read-heavy service with a TTL  ",
        "The second one asked how I would shard the same cache across many machines later  ",
        "The third was a behavioural question about a conflict with a colleague on my team",
    ]
    assert clean_text("\n".join(lines)).count("\n") == 2


def test_code_blocks_are_not_unwrapped() -> None:
    code = "```\n" + "\n".join(["x = some_function_with_a_long_name(argument_one, argument_two, three)"] * 3) + "\n```"
    assert clean_text(code).count("\n") == 4


def test_long_line_with_social_words_is_kept() -> None:
    # Only a short line is social noise; a long line is kept (and not searched at all).
    line = "求关注 " + "讲一下RoPE的原理和它的外推性，" * 5
    assert clean_text(line) == line
    assert clean_text("求关注") == ""


def test_round_header_is_not_joined_to_the_next_line() -> None:
    # The continuation test runs first; the round-header test still keeps a heading apart.
    assert clean_text("字节跳动二面\n的时候问了KV cache").split("\n") == ["字节跳动二面", "的时候问了KV cache"]
    assert clean_text("讲一下RoPE的原理\n和它的外推性") == "讲一下RoPE的原理和它的外推性"


def test_numbered_block_is_left_as_it_is() -> None:
    block = "\n".join(f"{i}. " + "讲一下某个问题的原理和实现细节，以及它的优缺点和适用的场景" * 2 for i in range(1, 4))
    assert clean_text(block) == block


def test_a_hash_number_is_not_a_hashtag() -> None:
    assert "#42" in clean_text("closest problem: #42) and more")
    assert "#面经" not in clean_text("今天的分享 #面经 #2024秋招")
    assert "#2024秋招" not in clean_text("今天的分享 #面经 #2024秋招")


def test_a_markdown_hard_break_keeps_lines_apart() -> None:
    text = "The phone screen covered two broad areas  \nthen a short chat with the manager\n\nThe onsite had two long coding rounds and\nthey were hard"
    assert clean_text(text).split("\n") == [
        "The phone screen covered two broad areas",
        "then a short chat with the manager",
        "",
        "The onsite had two long coding rounds and they were hard",
    ]


def test_lettered_items_are_not_joined_to_the_line_before() -> None:
    text = "Expect two parts:\na. one coding question on arrays and\nb. one question about your last project"
    assert clean_text(text).split("\n")[1:] == [
        "a. one coding question on arrays and",
        "b. one question about your last project",
    ]
