"""Graph nodes: plain functions that take the state and return a partial update.

Each model-capable node computes the offline answer first (it is cheap and it is the fallback), asks the
model only where the model adds something, and hands any failure to the router. Every update says which
engine produced it.

Requests per post: `split_rounds` reads the whole post in one request (rounds, questions with their
topics, tips, companies, role, outcome) when the offline reading is unsure of it; `extract_questions` and
`classify_topics` use that answer. `classify_topics` asks about the topics it is unsure of only for a post
the model did not read. `write_advice` is one request. So a post costs at most two.
"""

from __future__ import annotations

import json
import re
from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from graph.context import Context
from graph.offline import engine as offline
from graph.offline import leetcode, questions
from graph.offline.resources import companies as company_index
from graph.offline.resources import taxonomy
from graph.prompt_files import fence, render
from graph.router.node import attempt, call_model, context_of, model_available, to_router
from graph.router.services import services
from graph.state import AdviceAnswer, PostReading, Question, State, Tip, reading_schema, topics_schema

# Below this classifier confidence, auto mode asks the model about a question's topic.
TOPIC_CONFIDENCE_FLOOR = 0.3


def _wants_model(node: str, state: State, ctx: Context, *, useful: bool) -> bool:
    if not model_available(ctx) or (state.get("degrade") or {}).get(node):
        return False
    return ctx.engine == "gemini" or useful


def _offline(node: str, state: State, update: dict) -> dict:
    """The offline answer, marked as such; says so when the router degraded this node."""
    out = {**update, "engines": {node: "offline"}}
    degraded = (state.get("degrade") or {}).get(node)
    if degraded:
        returns = degraded.get("quota_returns")
        out["degraded"] = [node]
        out["notes"] = [
            *update.get("notes", []),
            f"{node} ran on the offline engine: no Gemini deployment was left ({degraded.get('reason')})"
            + (f"; quota returns at {returns}." if returns else "."),
        ]
    return out


def _gemini(node: str, call, update: dict) -> dict:
    decision = "cached answer, no request" if call.cached else "answered"
    return {**update, "engines": {node: "gemini"}, "attempts": [attempt(services(), node, call, decision)]}


def _repairing(state: State, node: str) -> bool:
    return bool((state.get("repairs") or {}).get(node))


def clean_text(state: State, runtime: Runtime[Context]) -> dict:
    """Cleaning is deterministic: HTML, hashtags, stickers and social noise out; broken lines joined."""
    ctx = context_of(runtime)
    update = {
        **offline.clean_text(state["text"]),
        "source": state.get("source", "text"),
        "started_at": services().clock.now() if ctx.engine != "offline" else 0.0,
        "engines": {"clean_text": "offline"},
    }
    if ctx.engine != "offline" and not services().settings.has_keys:
        update["notes"] = ["No Gemini key is set: every step ran on the offline engine."]
    return update


def split_rounds(state: State, runtime: Runtime[Context]) -> Command[Literal["extract_questions", "router"]]:
    """Rounds by their markers; a post the offline reading is unsure of is read by the model, whole."""
    node, ctx = "split_rounds", context_of(runtime)
    update = offline.split_rounds(state["clean"])
    useful = False
    if model_available(ctx) and ctx.engine == "auto":
        # Only a keyed auto run pays for this look ahead; it is what decides whether a request is worth it.
        # Unsure includes a post called not-an-interview by a small margin.
        ahead = offline.extract_questions(update["sections"], state["clean"], state.get("text"))
        useful = not ahead["confident"]
    if not _wants_model(node, state, ctx, useful=useful):
        return Command(goto="extract_questions", update=_offline(node, state, update))
    tax = taxonomy(tuple(ctx.taxonomy_files))
    tag, post = fence(state["clean"])
    described = "\n".join(f"- {t}: {tax.label(t, 'en')} / {tax.label(t, 'zh')}" for t in tax.ids)
    prompt = render("read_post", taxonomy=described, tag=tag, post=post)
    schema = reading_schema(tuple(tax.ids))
    call = call_model(node, schema, prompt, state=state, ctx=ctx, kind="read", repair=_repairing(state, node))
    if call.failure:
        return to_router(node, call)
    reading, dropped = _grounded(call.value, state["clean"])  # type: ignore[arg-type]
    sections = _sections_from_model(state["clean"], reading["rounds"]) or update["sections"]
    result = {**update, "sections": sections, "reading": reading}
    if dropped:
        result["notes"] = [f"{dropped} question(s) the model returned were not found in the post and were dropped."]
    return Command(goto="extract_questions", update=_gemini(node, call, result))


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _grounded(answer: PostReading, clean: str) -> tuple[dict, int]:
    """The model's reading as plain data, keeping only questions and tips that really stand in the post
    (fuzzy): a model must not invent them. Returns (reading, questions dropped)."""
    from rapidfuzz import fuzz

    haystack = _norm(clean)

    def in_post(text: str) -> bool:
        n = _norm(text)
        return bool(n) and (n in haystack or fuzz.partial_ratio(n, haystack) >= 85)

    dropped = 0
    rounds = []
    for r in answer.rounds:
        kept = [q.model_dump() for q in r.questions if in_post(q.text)]
        dropped += len(r.questions) - len(kept)
        rounds.append({**r.model_dump(exclude={"questions"}), "questions": kept})
    reading = answer.model_dump(exclude={"rounds", "tips"})
    reading["rounds"] = rounds
    reading["tips"] = [t.strip() for t in answer.tips if t.strip() and in_post(t)]
    return reading, dropped


def _sections_from_model(clean: str, rounds: list[dict]) -> list[dict]:
    from rapidfuzz import fuzz

    lines = clean.split("\n")
    cuts: list[tuple[int, dict]] = []
    for r in rounds:
        scores = [fuzz.ratio(r["first_line"].strip(), line.strip()) for line in lines]
        best = max(range(len(lines)), key=scores.__getitem__) if lines else -1
        if best >= 0 and scores[best] >= 80 and all(best > c for c, _ in cuts):
            cuts.append((best, {"label": r["label"], "company": _company(r["company"])}))
    if not cuts or len(cuts) != len(rounds):
        return []
    sections = []
    for i, (line_no, round_info) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(lines)
        # The line a round starts on may carry content ("一面问了…"); a bare heading there is harmless.
        sections.append(
            {
                **round_info,
                "header": lines[line_no],
                "lines": lines[line_no:end],
                "intro": "\n".join(lines[: cuts[0][0]]) if i == 0 else "",
            }
        )
    return sections


def extract_questions(state: State, runtime: Runtime[Context]) -> dict:
    """The interviewer's questions of each round, the author's tips, LeetCode links: from the model's
    reading when there is one, else offline. Never a request of its own."""
    node = "extract_questions"
    update = offline.extract_questions(state["sections"], state["clean"], state.get("text"))
    update.pop("confident", None)
    reading = state.get("reading")
    if not reading:
        out = _offline(node, state, update)
        if (state.get("degrade") or {}).get("split_rounds"):
            out["degraded"] = [node]  # the reading it would have used fell back
        return out
    rounds = [
        {
            "label": r["label"],
            "company": _company(r["company"]),
            "header": next((s["header"] for s in state["sections"] if s.get("label") == r["label"]), r["label"] or ""),
            "questions": [_question(q) for q in r["questions"]],
        }
        for r in reading["rounds"]
    ]
    is_interview = bool(reading["is_interview"])
    has_questions = any(r["questions"] for r in rounds)
    result = {
        **update,
        "is_interview": is_interview,
        # Without a question the model adds nothing to the rounds: the offline ones stay.
        "rounds": (rounds if has_questions else update["rounds"]) if is_interview else [],
        "tips": [Tip(text=t).model_dump() for t in reading["tips"]] or update["tips"],
        "companies": list(dict.fromkeys(_company(c) for c in reading["companies"] if c)) or state.get("companies", []),
        "role": reading.get("role") or state.get("role"),
        "outcome": reading["outcome"] if reading["outcome"] != "unknown" else state.get("outcome", "unknown"),
    }
    return {**result, "engines": {node: "gemini"}}


def _company(name: str | None) -> str | None:
    """The model's company under its canonical name (字节 → 字节跳动); a company not in the list as written."""
    if not name:
        return None
    return company_index().lookup(name.strip()) or name.strip()


def _question(q: dict) -> dict:
    text = q["text"].strip()
    topics = [q["topic"]] + ([q["second_topic"]] if q.get("second_topic") not in (None, q["topic"]) else [])
    return Question(
        text=text,
        topic=q["topic"],
        topics=topics,
        leetcode=leetcode.link(text),
        in_stats=not questions.is_self_intro(text),
        confidence=1.0,
    ).model_dump()


def classify_topics(state: State, runtime: Runtime[Context]) -> Command[Literal["write_advice", "router"]]:
    """One primary taxonomy topic per question (and an optional second): the model's reading already has
    them; otherwise the classifier, and in auto mode the model for the ones the classifier is unsure of."""
    node, ctx = "classify_topics", context_of(runtime)
    tax = taxonomy(tuple(ctx.taxonomy_files))
    if state.get("reading") and (state.get("engines") or {}).get("extract_questions") == "gemini":
        modelled = [r for r in state.get("rounds", []) if all(q.get("topics") for q in r["questions"])]
        if len(modelled) == len(state.get("rounds", [])):
            return Command(goto="write_advice", update={"rounds": state.get("rounds", []), "engines": {node: "gemini"}})
    update = offline.classify_topics(state.get("rounds", []), tax, state.get("sections"))
    flat = [(ri, qi, q) for ri, r in enumerate(update["rounds"]) for qi, q in enumerate(r["questions"])]
    unsure = [item for item in flat if ctx.engine == "gemini" or item[2]["confidence"] < TOPIC_CONFIDENCE_FLOOR]
    # A post the model was asked to read has had its request: topics are not worth a third one.
    asked = state.get("reading") is not None or bool((state.get("degrade") or {}).get("split_rounds"))
    if not unsure or asked or not _wants_model(node, state, ctx, useful=True):
        out = _offline(node, state, update)
        if (state.get("degrade") or {}).get("split_rounds"):
            out["degraded"] = [node]  # the reading whose topics it would have used fell back
        return Command(goto="write_advice", update=out)
    tag, listing = fence("\n".join(f"{i}. {q['text']}" for i, (_, _, q) in enumerate(unsure)), kind="questions")
    described = "\n".join(f"- {t}: {tax.label(t, 'en')} / {tax.label(t, 'zh')}" for t in tax.ids)
    prompt = render("classify_topics", taxonomy=described, tag=tag, questions=listing)
    schema = topics_schema(tuple(tax.ids))
    call = call_model(node, schema, prompt, state=state, ctx=ctx, kind="topics", repair=_repairing(state, node))
    if call.failure:
        return to_router(node, call)
    for choice in call.value.items:  # type: ignore[union-attr]
        if 0 <= choice.index < len(unsure):
            ri, qi, q = unsure[choice.index]
            topics = [choice.topic] + ([choice.second_topic] if choice.second_topic not in (None, choice.topic) else [])
            update["rounds"][ri]["questions"][qi] = {**q, "topic": choice.topic, "topics": topics, "confidence": 1.0}
    return Command(goto="write_advice", update=_gemini(node, call, update))


def write_advice(state: State, runtime: Runtime[Context]) -> Command[Literal["__end__", "router"]]:
    """Summary, key experience and a preparation plan in the post's language: one request."""
    node, ctx = "write_advice", context_of(runtime)
    tax = taxonomy(tuple(ctx.taxonomy_files))
    update = offline.write_advice(dict(state), tax)
    if not _wants_model(node, state, ctx, useful=bool(state.get("is_interview", True))):
        return Command(goto="__end__", update=_offline(node, state, update))
    advice = update["advice"]
    language = state.get("language", "zh")
    rounds = "\n".join(
        f"  {r.get('label') or '-'} ({r.get('company') or '-'}): "
        + " | ".join(f"{q['text']} [{q['topic']}]" for q in r["questions"])
        for r in state.get("rounds", [])
    )
    focus = ", ".join(f"{f['label']} {f['questions']}" for f in advice["focus_topics"])
    problems = ", ".join(f"{r['id']} {r['title']}" for r in advice["leetcode"])
    facts = "\n".join(
        [
            f"- companies: {', '.join(state.get('companies', [])) or '-'}",
            f"- role: {state.get('role') or '-'}",
            f"- outcome: {state.get('outcome', 'unknown')}",
            f"- rounds and questions:\n{rounds}",
            f"- the author's tips: {json.dumps([t['text'] for t in state.get('tips', [])], ensure_ascii=False)}",
            f"- topics by weight: {focus}",
            f"- linked LeetCode problems: {problems or '-'}",
        ]
    )
    tag, fenced = fence(facts, kind="facts")
    prompt = render(
        "write_advice",
        language_name="Chinese (简体中文)" if language == "zh" else "English",
        tag=tag,
        facts=fenced,
    )
    call = call_model(node, AdviceAnswer, prompt, state=state, ctx=ctx, kind="advice", repair=_repairing(state, node))
    if call.failure:
        return to_router(node, call)
    answer: AdviceAnswer = call.value  # type: ignore[assignment]
    advice = {
        **advice,
        "key_points": answer.key_points or advice["key_points"],
        "project_prep": answer.project_prep or advice["project_prep"],
        "plan": answer.plan or advice["plan"],
    }
    return Command(
        goto="__end__", update=_gemini(node, call, {"summary": answer.summary or update["summary"], "advice": advice})
    )
