"""Graph state and the data schemas of an analysis.

State values are plain JSON-able dicts and lists so that checkpoints, Studio and the CLI's JSON
output all see the same thing; the pydantic models below validate them at the edges.
"""

from __future__ import annotations

import operator
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model
from typing_extensions import TypedDict

Engine = Literal["offline", "gemini"]
Outcome = Literal["offer", "rejected", "pending", "unknown"]
NODE_NAMES = ("clean_text", "split_rounds", "extract_questions", "classify_topics", "write_advice")


class Question(BaseModel):
    text: str = Field(description="The interviewer's question, numbering and author comments removed.")
    topic: str = Field(default="other", description="Primary topic id from the taxonomy.")
    topics: list[str] = Field(default_factory=list, description="Primary topic first, then an optional second.")
    leetcode: list[int | str] = Field(
        default_factory=list,
        description="Linked LeetCode problem numbers ('LCR 140' for 剑指 Offer problems).",
    )
    in_stats: bool = Field(
        default=True,
        description="False for 自我介绍/聊项目-style questions kept out of frequency statistics.",
    )
    confidence: float = Field(default=1.0, description="How sure the topic classifier is (0..1).")


class Round(BaseModel):
    label: str | None = Field(default=None, description="Canonical round label (一面, HR面, Round 1…) or null.")
    company: str | None = Field(default=None, description="Canonical company of this round, if known.")
    questions: list[Question] = Field(default_factory=list)


class Tip(BaseModel):
    text: str = Field(description="Advice in the author's own voice.")


class TopicWeight(BaseModel):
    topic: str
    label: str
    questions: int
    share: float


class LeetCodeRef(BaseModel):
    id: int | str
    title: str
    difficulty: str | None = None
    url: str | None = None


class Advice(BaseModel):
    language: Literal["zh", "en"] = "zh"
    key_points: list[str] = Field(default_factory=list, description="The key interview experience and tips.")
    focus_topics: list[TopicWeight] = Field(default_factory=list, description="Topics to review, by weight.")
    leetcode: list[LeetCodeRef] = Field(default_factory=list, description="LeetCode problems to practise.")
    project_prep: list[str] = Field(default_factory=list, description="How to prepare the project deep-dive.")
    plan: list[str] = Field(default_factory=list, description="A concrete preparation plan, step by step.")


class Attempt(BaseModel):
    """One router hop: which deployment was tried, what came back, what was decided."""

    node: str
    key: str | None = Field(default=None, description="Key fingerprint, never the key.")
    model: str | None = None
    error: str | None = None
    wait_s: float = 0.0
    decision: str = ""
    at: str = ""


class Analysis(BaseModel):
    """Everything mianjing knows about one post: the JSON document `--format json` prints."""

    model_config = ConfigDict(title="MianjingAnalysis")

    source: str = Field(description="Where the post came from: a file path, '-' for stdin, or 'text'.")
    content_hash: str = Field(default="", description="sha256 of the cleaned text; stable thread id.")
    language: Literal["zh", "en"] = "zh"
    encoding: str | None = Field(default=None, description="Detected encoding of the input bytes.")
    is_interview: bool = True
    reading_confidence: float = Field(
        default=1.0, description="The offline reading's estimate of its own question F1 (0..1); low means unsure."
    )
    companies: list[str] = Field(default_factory=list)
    role: str | None = None
    outcome: Outcome = "unknown"
    rounds: list[Round] = Field(default_factory=list)
    tips: list[Tip] = Field(default_factory=list)
    summary: str = ""
    advice: Advice = Field(default_factory=Advice)
    engines: dict[str, str] = Field(default_factory=dict, description="Which engine produced each node's output.")
    attempts: list[Attempt] = Field(default_factory=list, description="Router hops, in order.")
    degraded: list[str] = Field(default_factory=list, description="Nodes that fell back to the offline engine.")
    notes: list[str] = Field(default_factory=list, description="Things the user should know about this run.")


def merge_dicts(left: dict | None, right: dict | None) -> dict:
    return {**(left or {}), **(right or {})}


def union_list(left: list | None, right: list | None) -> list:
    out = list(left or [])
    out.extend(x for x in (right or []) if x not in out)
    return out


class InputState(BaseModel):
    """What a run takes: the post itself."""

    text: str = Field(description="The interview post (面经): plain text, Markdown or pasted HTML.")
    source: str = Field(default="text", description="A label for where the post came from (file name, URL).")
    encoding: str | None = Field(default=None, description="Encoding the caller decoded the bytes with, if any.")


class OutputState(TypedDict, total=False):
    source: str
    content_hash: str
    language: str
    encoding: str | None
    is_interview: bool
    reading_confidence: float
    companies: list[str]
    role: str | None
    outcome: str
    rounds: list[dict]
    tips: list[dict]
    summary: str
    advice: dict
    engines: Annotated[dict[str, str], merge_dicts]
    attempts: Annotated[list[dict], operator.add]
    degraded: Annotated[list[str], union_list]
    notes: Annotated[list[str], union_list]


class State(OutputState, total=False):
    text: str
    clean: str
    sections: list[dict]
    started_at: float
    # The model's reading of the whole post (grounded), when one request read it: later nodes use it.
    reading: dict | None
    # A failed model call parks here for the router: {"node", "deployment", "failure"}.
    pending: dict | None
    # Router bookkeeping, per node: deployments not to try again, repairs spent, hops, offline fallbacks.
    excluded: dict[str, list[str]]
    repairs: dict[str, int]
    hops: dict[str, int]
    degrade: dict[str, dict]


# ---------------------------------------------------------------- what the model is asked to return


# Round labels a model may give: the offline reader's canonical names, so both readings compare.
ROUND_LABELS = (
    *(f"{n}面" for n in "一二三四五六七八九十"),
    "终面", "HR面", "交叉面", "主管面", "总监面", "加面", "复试", "笔试", "群面",
    *(f"Round {n}" for n in range(1, 13)),
    "Phone Screen", "OA", "Onsite", *(f"Onsite {n}" for n in range(1, 9)),
    "Hiring Manager", "Final Round", "Team Match", "Behavioral",
)  # fmt: skip


class ReadQuestion(BaseModel):
    text: str = Field(description="The interviewer's question, verbatim from the post, numbering removed.")
    topic: str = Field(description="Primary topic id.")
    second_topic: str | None = Field(default=None, description="Optional second topic id.")


class ReadRound(BaseModel):
    label: str | None = Field(description="Canonical round label, or null when the post does not name it.")
    company: str | None = Field(default=None, description="Company of this round, or null.")
    first_line: str = Field(description="The post's line where this round begins, verbatim.")
    questions: list[ReadQuestion] = Field(default_factory=list)


class PostReading(BaseModel):
    """One request's answer that reads a whole post: what split_rounds, extract_questions and
    classify_topics would otherwise each ask for."""

    is_interview: bool = Field(description="Whether the post recounts interviews at all.")
    companies: list[str] = Field(default_factory=list)
    role: str | None = Field(default=None)
    outcome: Outcome = "unknown"
    rounds: list[ReadRound] = Field(default_factory=list)
    tips: list[str] = Field(default_factory=list, description="The author's own advice, verbatim.")


def _topic_fields(topic_ids: tuple[str, ...]) -> dict:
    """A primary topic and an optional second one, both constrained to the taxonomy's ids."""
    topic = Literal[topic_ids]  # type: ignore[valid-type]
    return {
        "topic": (topic, Field(description="Primary topic id.")),
        "second_topic": (topic | None, Field(default=None, description="Optional second topic id.")),
    }


@cache
def reading_schema(topic_ids: tuple[str, ...]) -> type[PostReading]:
    """PostReading with topic ids and round labels as enums, so the response schema itself constrains them."""
    label = Literal[ROUND_LABELS]  # type: ignore[valid-type]
    question = create_model("ReadQuestion", __base__=ReadQuestion, **_topic_fields(topic_ids))
    round_ = create_model(
        "ReadRound",
        __base__=ReadRound,
        label=(label | None, Field(description="Canonical round label, or null when the post does not name it.")),
        questions=(list[question], Field(default_factory=list)),  # type: ignore[valid-type]
    )
    return create_model("PostReading", __base__=PostReading, rounds=(list[round_], Field(default_factory=list)))  # type: ignore[valid-type]


@cache
def topics_schema(topic_ids: tuple[str, ...]) -> type[TopicsAnswer]:
    choice = create_model("TopicChoice", __base__=TopicChoice, **_topic_fields(topic_ids))
    return create_model("TopicsAnswer", __base__=TopicsAnswer, items=(list[choice], ...))  # type: ignore[valid-type]


class TopicChoice(BaseModel):
    index: int = Field(description="The question's index as given.")
    topic: str = Field(description="Primary topic id.")
    second_topic: str | None = Field(default=None, description="Optional second topic id.")


class TopicsAnswer(BaseModel):
    items: list[TopicChoice]


class AdviceAnswer(BaseModel):
    summary: str
    key_points: list[str]
    project_prep: list[str]
    plan: list[str]
