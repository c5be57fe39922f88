"""Router figures against the fake Gemini server, in one go. Prints numbers; asserts nothing.

    python -m tests.bench.router            # full: about 8 minutes, real clocks
    python -m tests.bench.router --quick    # (a), (c), (d) with the shipped model, (f)

(a) the seed case (per-day 429 on the first model, a retired second model) — this router vs LangChain's
    `with_fallbacks` over the same deployments with the SDK's default retries;
(b) 30 posts through 3 keys with a per-minute limit each — requests per post and achieved throughput as
    a share of the quota ceiling;
(c) request economy of the default mode over the fixture corpora, and of a repeated run;
(d) the real posts (when ../shared/corpus/real is there): requests per post in auto mode, and the share
    of badly read posts (offline question F1 < 0.8) the model is asked to read, and of well read ones;
(e) wall time past --deadline in a 503 storm and a hang, and a 10-post batch against a hanging endpoint;
(f) the router's per-request overhead over a raw request to the same server;
(g) 50 keyed batches at --jobs 8, started five at a time: their exit codes.
"""

from __future__ import annotations

import collections
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.context import Context
from graph.offline.decode import decode_bytes
from graph.prompt_files import render
from graph.router.services import use_services
from graph.run import analyze_text
from graph.settings import fingerprint
from graph.state import AdviceAnswer
from tests import fake_gemini as fg
from tests.gemini_helpers import POST, make_services, responder, schema_title

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LITE, OLD, FLASH = "gemini-2.5-flash-lite", "gemini-1.5-flash", "gemini-2.5-flash"
KEYS = ("bench-key-1-000000000000", "bench-key-2-000000000000", "bench-key-3-000000000000")


class RealClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


QuotaFake = fg.QuotaFake  # enforces a per-minute limit per key, in real time


def advice_prompt(i: int) -> str:
    from graph.prompt_files import fence

    tag, facts = fence(f"- rounds and questions:\n  一面: 讲讲RoPE 第{i}题", kind="facts")
    return render("write_advice", language_name="Chinese", tag=tag, facts=facts)


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


def _empty_reading(body: dict, model: str) -> str:
    """A valid answer to every request; a reading without rounds leaves the offline ones in place."""
    if schema_title(body) == "PostReading":
        return '{"is_interview": true, "rounds": [], "tips": []}'
    return responder(body, model)


def real_corpus(lofo: bool) -> None:
    """Requests per post in auto mode on the real posts, and which posts the model is asked to read,
    against how well the offline engine reads them (question F1 from the gold)."""
    from graph.offline import question_model
    from tests.learn import own_folders, real_folders, train
    from tests.scoring import Score, score_post

    folders = real_folders()
    if not folders:
        print("(d) no real corpus beside the project: skipped")
        return
    label = "held-out question model (leave one folder out)" if lofo else "shipped question model"
    print(f"(d) real posts, --engine auto with a key: requests per post and escalation ({label})")
    with fg.FakeGemini() as server:
        server.responder = _empty_reading
        home = Path(tempfile.mkdtemp())
        f1: dict[str, float] = {}
        read: dict[str, bool] = {}
        per_post: list[int] = []
        for held in folders:
            if lofo:
                question_model.use(train(own_folders() + [f for f in folders if f != held]))
            for gold_path in sorted(held.glob("*.gold.json")):
                gold = json.loads(gold_path.read_text(encoding="utf-8"))
                text = decode_bytes(gold_path.with_name(gold["source"]).read_bytes())[0]
                before = len(server.requests)
                with use_services(make_services(server.base_url, home, gemini_rpm=1000, gemini_rpd=100_000)):
                    analyze_text(text, source=gold["source"], context=Context())
                sent = [r for r in server.requests[before:] if r.kind == "generate"]
                per_post.append(len(sent))
                offline = analyze_text(text, source=gold["source"], context=Context(engine="offline")).model_dump()
                score = Score()
                score_post(gold, offline, score)
                name = f"{held.name}/{gold['source']}"
                f1[name] = score.post_f1[gold["source"]]
                read[name] = any(schema_title(r.body or {}) == "PostReading" for r in sent)
        question_model.use(None)
        bad = [k for k, v in f1.items() if v < 0.8]
        good = [k for k, v in f1.items() if v >= 0.95]
        print(
            f"  {len(per_post)} posts: {sum(per_post) / len(per_post):.2f} requests per post, at most {max(per_post)}; "
            f"read by the model: {sum(read.values())}"
        )
        print(
            f"  read badly offline (F1 < 0.8): {len(bad)} posts, {sum(read[k] for k in bad) / max(1, len(bad)):.0%} "
            f"sent to the model (target >= 90%); read well (F1 >= 0.95): {len(good)} posts, "
            f"{sum(read[k] for k in good) / max(1, len(good)):.0%} sent (target <= 50%)"
        )
        if not lofo:
            before = server.count()
            with use_services(make_services(server.base_url, home, gemini_rpm=1000, gemini_rpd=100_000)):
                for folder in folders:
                    for gold_path in sorted(folder.glob("*.gold.json")):
                        gold = json.loads(gold_path.read_text(encoding="utf-8"))
                        text = decode_bytes(gold_path.with_name(gold["source"]).read_bytes())[0]
                        analyze_text(text, source=gold["source"], context=Context())
            print(f"  a re-run of the same posts: {server.count() - before} requests")


def faults() -> None:
    """Wall time against a misbehaving endpoint, on real clocks."""
    print("(e) faults: time past --deadline, and a hanging endpoint")
    for name, behaviour, deadline, timeout in (
        ("503 storm, --deadline 5", fg.overloaded(), 5.0, 30.0),
        ("hang, --deadline 10, GEMINI_TIMEOUT=30", fg.hang(), 10.0, 30.0),
    ):
        with fg.FakeGemini() as server:
            server.responder = responder
            server.script(behaviour, sticky=True)
            home = Path(tempfile.mkdtemp())
            svc = make_services(server.base_url, home, keys=KEYS, clock=RealClock(), request_timeout_s=timeout)
            start = time.perf_counter()
            with use_services(svc):
                analyze_text(POST, context=Context(engine="gemini", deadline_s=deadline))
            wall = time.perf_counter() - start
            server.release_hangs()
            print(
                f"  {name:42s} wall {wall:5.2f} s = {wall - deadline:+.2f} s past the deadline, {server.count()} requests"
            )
    with fg.FakeGemini() as server:
        server.script(fg.hang(), sticky=True)
        folder = Path(tempfile.mkdtemp())
        for i in range(10):
            (folder / f"p{i}.txt").write_text(f"字节一面\n1. 讲讲RoPE的第{i}种推导\n2. 手撕LRU", encoding="utf-8")
        env = {
            **os.environ,
            "GEMINI_API_KEYS": ",".join(KEYS),
            "GOOGLE_GEMINI_BASE_URL": server.base_url,
            "GEMINI_TIMEOUT": "3",
            "MIANJING_HOME": tempfile.mkdtemp(),
        }
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "graph.cli", "analyze", str(folder), "--out", str(folder / "out")],
            env=env,
            capture_output=True,
            check=False,
        )
        wall = time.perf_counter() - start
        server.release_hangs()
        print(
            f"  10-post batch, hanging endpoint, GEMINI_TIMEOUT=3: exit {done.returncode}, wall {wall:.1f} s "
            f"(target <= 45 s), {server.count()} requests"
        )


def overhead(n: int = 60) -> None:
    """Per request: the router's call (pool, cache lookup, client) against a raw POST of the same body."""
    import httpx

    from graph.router.node import call_model

    print(f"(f) per-request overhead over a raw request to the fake server ({n} requests each)")
    with fg.FakeGemini() as server:
        server.responder = responder
        home = Path(tempfile.mkdtemp())
        svc = make_services(server.base_url, home, keys=KEYS[:1], gemini_rpm=100_000, gemini_rpd=1_000_000)
        with use_services(svc):
            call_model("write_advice", AdviceAnswer, advice_prompt(-1), state={}, ctx=Context(), kind="advice")
            start = time.perf_counter()
            for i in range(n):
                call_model("write_advice", AdviceAnswer, advice_prompt(i), state={}, ctx=Context(), kind="advice")
            routed = (time.perf_counter() - start) / n
            # The client alone (langchain-google-genai over google-genai), called as the router calls it.
            from langchain_core.messages import HumanMessage, SystemMessage

            from graph.router.models import json_schema
            from graph.router.pool import Deployment

            dep = Deployment(fingerprint(KEYS[0]), FLASH, fingerprint(KEYS[0]))
            messages = [SystemMessage("system"), HumanMessage(advice_prompt(0))]
            options = {"response_mime_type": "application/json", "response_json_schema": json_schema(AdviceAnswer)}
            start = time.perf_counter()
            for _ in range(n):
                svc.model(dep).invoke(messages, **options, timeout=30, thinking_budget=512)
            client_s = (time.perf_counter() - start) / n
        body = server.requests[-1].body
        url = f"{server.base_url}/v1beta/models/{FLASH}:generateContent"
        with httpx.Client() as client:
            client.post(url, json=body, headers={"x-goog-api-key": KEYS[0]})
            start = time.perf_counter()
            for _ in range(n):
                client.post(url, json=body, headers={"x-goog-api-key": KEYS[0]}).raise_for_status()
            raw = (time.perf_counter() - start) / n
    print(
        f"  raw {raw * 1000:.1f} ms, the client alone {client_s * 1000:.1f} ms, routed {routed * 1000:.1f} ms: "
        f"overhead {(routed - raw) * 1000:+.1f} ms over raw (target <= +5), of which the router's own "
        f"(pool, cache, checks) {(routed - client_s) * 1000:+.1f} ms"
    )


def many_batches(n: int = 50, at_once: int = 5) -> None:
    """First use under concurrency: keyed batches at --jobs 8 started together must all exit 0."""
    print(f"(g) {n} keyed batches at --jobs 8, {at_once} at a time")
    with fg.FakeGemini() as server:
        server.responder = responder
        folder = Path(tempfile.mkdtemp())
        for i in range(8):
            (folder / f"p{i}.txt").write_text(f"字节一面\n1. 讲讲GQA的第{i}个变体", encoding="utf-8")
        codes = []
        for wave in range(0, n, at_once):
            runs = []
            for _ in range(wave, min(n, wave + at_once)):
                env = {
                    **os.environ,
                    "GEMINI_API_KEYS": ",".join(KEYS),
                    "GOOGLE_GEMINI_BASE_URL": server.base_url,
                    "MIANJING_HOME": tempfile.mkdtemp(),
                }
                out = tempfile.mkdtemp()
                runs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "graph.cli", "analyze", str(folder), "--out", out, "--jobs", "8"],
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
            codes += [r.wait() for r in runs]
    print(f"  exit codes: {dict(sorted(collections.Counter(codes).items()))}")


def main() -> None:
    seed_case()
    if "--quick" not in sys.argv:
        throughput()
    economy()
    real_corpus(lofo=False)
    if "--quick" not in sys.argv:
        real_corpus(lofo=True)
        faults()
        many_batches()
    overhead()


if __name__ == "__main__":
    main()
