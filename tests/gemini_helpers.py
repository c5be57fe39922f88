"""Shared pieces for tests that run the graph on the real Gemini client against the fake server."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from graph.context import Context
from graph.router.services import Services
from graph.router.store import StateStore
from graph.run import analyze_text
from graph.settings import Settings, fingerprint
from graph.state import Analysis

# Fake keys shaped like nothing real; the security test greps for them.
KEY_A = "fake-key-A-0000000000000000000001"
KEY_B = "fake-key-B-0000000000000000000002"
FP_A, FP_B = fingerprint(KEY_A), fingerprint(KEY_B)
POST = """抖音一面
1、聊项目。
2、AUC的两种公式是？你能证明这两种等价的吗？
3、代码题：lc 46，全排列。
"""


class FakeClock:
    """Starts at 10:00 in Los Angeles; sleeping only moves the hands."""

    def __init__(self, start: float | None = None) -> None:
        self.t = start or datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles")).timestamp()
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += max(0.0, seconds)


READING = {
    "is_interview": True,
    "companies": ["抖音"],
    "role": None,
    "outcome": "unknown",
    "rounds": [
        {
            "label": "一面",
            "company": "抖音",
            "first_line": "抖音一面",
            "questions": [
                {"text": "聊项目。", "topic": "project", "second_topic": None},
                {"text": "AUC的两种公式是？你能证明这两种等价的吗？", "topic": "ml_basics", "second_topic": "math"},
                {"text": "代码题：lc 46，全排列。", "topic": "coding", "second_topic": None},
            ],
        }
    ],
    "tips": [],
}


def schema_title(body: dict) -> str:
    return (body.get("generationConfig", {}).get("responseJsonSchema") or {}).get("title", "")


def responder(body: dict, model: str) -> str:
    """A well-behaved model: answers each schema with something valid and grounded in POST."""
    title = schema_title(body)
    if title == "PostReading":
        answer = READING
    elif title == "TopicsAnswer":
        answer = {"items": [{"index": 0, "topic": "ml_basics", "second_topic": "math"}]}
    else:
        answer = {
            "summary": f"GEMINI SUMMARY from {model}",
            "key_points": ["AUC 要会推导"],
            "project_prep": ["准备项目的量化收益"],
            "plan": ["复习 AUC", "练习 lc 46"],
        }
    return json.dumps(answer, ensure_ascii=False)


def make_services(
    base_url: str,
    home: Path,
    *,
    keys: tuple[str, ...] = (KEY_A,),
    models: tuple[str, ...] = ("gemini-2.5-flash", "gemini-2.5-flash-lite"),
    clock: FakeClock | None = None,
    store: StateStore | None = None,
    **settings: object,
) -> Services:
    config = Settings(
        gemini_api_keys=list(keys),
        gemini_models=list(models),
        gemini_base_url=base_url,
        mianjing_home=home,
        request_timeout_s=settings.pop("request_timeout_s", 5.0),
        **settings,
    )
    return Services.create(config, clock=clock or FakeClock(), store=store)


def analyze(text: str = POST, **context: object) -> Analysis:
    return analyze_text(text, source="post.txt", context=Context(**context))
