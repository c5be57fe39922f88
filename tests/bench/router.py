"""Router figures against the fake Gemini server, in one go. Prints numbers; asserts nothing.

    python -m tests.bench.router            # full: about 3 minutes, real clocks
    python -m tests.bench.router --quick    # the seed case and the request economy only

(a) the seed case (per-day 429 on the first model, a retired second model) — this router vs LangChain's
    `with_fallbacks` over the same deployments with the SDK's default retries;
(b) 30 posts through 3 keys with a per-minute limit each — requests per post and achieved throughput as
    a share of the quota ceiling;
(c) request economy of the default mode over the fixture corpora, and of a repeated run.
"""

from __future__ import annotations

import math
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from graph.context import Context
from graph.offline.decode import decode_bytes
from graph.prompt_files import render
from graph.run import analyze_text
from graph.services import use_services
from graph.state import AdviceAnswer
from tests import fake_gemini as fg
from tests.gemini_helpers import POST, make_services, responder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LITE, OLD, FLASH = "gemini-2.5-flash-lite", "gemini-1.5-flash", "gemini-2.5-flash"
KEYS = ("bench-key-1-000000000000", "bench-key-2-000000000000", "bench-key-3-000000000000")


class RealClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


class QuotaFake(fg.FakeGemini):
    """Enforces a per-minute request limit per key, in real time, like Gemini's free tier."""

    def __init__(self, rpm: int) -> None:
        super().__init__()
        self.rpm = rpm
        self.sent: dict[str, list[float]] = defaultdict(list)
        self.quota_lock = threading.Lock()

    def _next(self, key: str | None, model: str) -> fg.Behaviour:
        now = time.time()
        with self.quota_lock:
            window = [t for t in self.sent[key or ""] if t > now - 60]
            if len(window) >= self.rpm:
                self.sent[key or ""] = window
                wait = 60 - (now - window[0])
                return fg.quota_per_minute(model, f"{max(1, round(wait))}s")
            window.append(now)
            self.sent[key or ""] = window
        return super()._next(key, model)


def advice_prompt(i: int) -> str:
    return render(
        "write_advice",
        language_name="Chinese",
        companies="字节跳动",
        role="-",
        outcome="unknown",
        rounds=f"  一面: 讲讲RoPE 第{i}题",
        tips="[]",
        focus="llm 1",
        leetcode="-",
    )


def with_fallbacks_chain(base_url: str, deployments: list[tuple[str, str]]):
    from langchain_google_genai import ChatGoogleGenerativeAI

    runnables = [
        ChatGoogleGenerativeAI(
            model=model, api_key=key, base_url=base_url, api_version="v1beta"
        ).with_structured_output(AdviceAnswer)
        for key, model in deployments
    ]
    return runnables[0].with_fallbacks(runnables[1:])


def seed_case() -> None:
    print("(a) seed case: per-day 429 on flash-lite, retired gemini-1.5-flash, then gemini-2.5-flash")
    for name in ("mianjing router", "with_fallbacks + SDK default retries"):
        with fg.FakeGemini(models=[LITE, OLD, FLASH]) as server:
            server.responder = responder
            server.script(fg.quota_per_day(LITE), model=LITE, sticky=True)
            server.retired.add(OLD)
            start = time.perf_counter()
            if name == "mianjing router":
                home = Path(tempfile.mkdtemp())
                svc = make_services(server.base_url, home, keys=KEYS[:1], models=(LITE, OLD, FLASH), clock=RealClock())
                with use_services(svc):
                    result = analyze_text(POST, context=Context())
                ok = result.engines["write_advice"] == "gemini"
            else:
                chain = with_fallbacks_chain(server.base_url, [(KEYS[0], LITE), (KEYS[0], OLD), (KEYS[0], FLASH)])
                ok = chain.invoke(advice_prompt(0)) is not None
            wall = time.perf_counter() - start
            print(
                f"  {name:38s} requests {server.count():2d} (flash-lite {server.count(model=LITE)}, retired "
                f"{server.count(model=OLD)}), wall {wall:6.2f} s, answered by Gemini: {ok}"
            )


def throughput(posts: int = 30, rpm: int = 5) -> None:
    ceiling = rpm * len(KEYS)
    # With a one-minute sliding window, N requests can finish no sooner than this.
    ideal = 60.0 * (math.ceil(posts / ceiling) - 1)
    print(
        f"(b) {posts} posts through {len(KEYS)} keys, {rpm} requests/minute each "
        f"(ceiling {ceiling}/min: at best done after {ideal:.0f} s)"
    )
    for name in ("mianjing router", "with_fallbacks + SDK default retries"):
        with QuotaFake(rpm) as server:
            server.responder = responder
            start = time.perf_counter()
            answered = 0
            if name == "mianjing router":
                home = Path(tempfile.mkdtemp())
                svc = make_services(
                    server.base_url,
                    home,
                    keys=KEYS,
                    models=(FLASH,),
                    clock=RealClock(),
                    gemini_rpm=rpm,
                    gemini_rpd=10_000,
                )
                with use_services(svc):
                    for i in range(posts):
                        result = analyze_text(f"一面\n1. 讲讲RoPE的第{i}个细节", context=Context())
                        answered += result.engines["write_advice"] == "gemini"
            else:
                chain = with_fallbacks_chain(server.base_url, [(k, FLASH) for k in KEYS])
                for i in range(posts):
                    answered += chain.invoke(advice_prompt(i)) is not None
            wall = time.perf_counter() - start
            sent = server.count()
            print(
                f"  {name:38s} requests {sent:3d} ({sent / posts:.2f}/post, {sent - answered} refused with 429), "
                f"{answered} answered, wall {wall:6.1f} s = {ideal / wall:.0%} of the quota ceiling's throughput"
            )


def economy() -> None:
    posts = [
        p
        for d in ("corpus", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7")
        for p in sorted((FIXTURES / d).glob("*.txt"))
    ]
    print(f"(c) request economy, default mode (--engine auto), {len(posts)} fixture posts")
    with fg.FakeGemini() as server:
        server.responder = responder
        home = Path(tempfile.mkdtemp())
        for run in ("first run", "repeated run"):
            before = server.count()
            with use_services(make_services(server.base_url, home, gemini_rpm=1000, gemini_rpd=100_000)):
                for post in posts:
                    analyze_text(decode_bytes(post.read_bytes())[0], source=post.name, context=Context())
            sent = server.count() - before
            print(f"  {run:13s} {sent:3d} requests = {sent / len(posts):.2f} per post")


def main() -> None:
    seed_case()
    if "--quick" not in sys.argv:
        throughput()
    economy()


if __name__ == "__main__":
    main()
