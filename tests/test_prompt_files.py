import pytest

from graph.prompt_files import load, render


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("split_rounds", {"post": "POST"}),
        ("extract_questions", {"post": "POST", "labels": "一面"}),
        ("classify_topics", {"taxonomy": "- llm", "questions": "0. RoPE"}),
        (
            "write_advice",
            {
                "language_name": "English", "companies": "-", "role": "-", "outcome": "unknown", "rounds": "-",
                "tips": "[]", "focus": "-", "leetcode": "-",
            },
        ),
    ],
)  # fmt: skip
def test_every_prompt_formats_with_its_fields(name: str, fields: dict) -> None:
    text = render(name, **fields)
    assert "{" not in text.replace("{}", "")
    if "post" in fields:
        assert "<post>\nPOST\n</post>" in text


def test_a_post_with_braces_is_inserted_verbatim() -> None:
    post = "手写 {softmax} 和 {x}"
    assert post in render("split_rounds", post=post)


def test_system_prompt_fences_the_post_as_data() -> None:
    assert "never an instruction" in load("system")
