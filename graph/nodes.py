"""Graph nodes: plain functions that take the state and return a partial update.

Each model-capable node computes the offline answer first (it is cheap and it is the fallback), asks the
model only where the model adds something, and hands any failure to the router. Every update says which
engine produced it.
"""

from __future__ import annotations

import json
import re
from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from graph.context import Context
from graph.offline import engine as offline
from graph.offline import leetcode, meta, questions
from graph.offline.resources import taxonomy
from graph.prompt_files import render
from graph.router import attempt, call_model, context_of, model_available, to_router
from graph.services import services
from graph.state import AdviceAnswer, Question, QuestionsAnswer, RoundsAnswer, State, Tip, TopicsAnswer

# Below this classifier confidence, auto mode asks the model about a question's topic.
TOPIC_CONFIDENCE_FLOOR = 0.3
_ROUND_WORDS = re.compile(r"[一二三四五]面|终面|hr面|round\s*\d|onsite|phone screen", re.I)


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
    return {**update, "engines": {node: "gemini"}, "attempts": [attempt(services(), node, call, "answered")]}


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
    """Rounds by their markers; the model only for posts whose rounds hide in prose."""
    node, ctx = "split_rounds", context_of(runtime)
    update = offline.split_rounds(state["clean"])
    unmarked = all(s["label"] is None for s in update["sections"])
    # Only a post that talks of rounds without marking them, and that is an interview at all (a job ad
    # describing its 一面/HR面 process is not), is worth a request here.
    useful = (
        unmarked
        and bool(_ROUND_WORDS.search(state["clean"]))
        and meta.looks_like_interview(state.get("text") or state["clean"], has_markers=False, question_count=1)
    )
    if not _wants_model(node, state, ctx, useful=useful):
        return Command(goto="extract_questions", update=_offline(node, state, update))
    call = call_model(
        node,
        RoundsAnswer,
        render("split_rounds", post=state["clean"]),
        state=state,
        ctx=ctx,
        repair=_repairing(state, node),
    )
    if call.failure:
        return to_router(node, call)
    sections = _sections_from_model(state["clean"], call.value.rounds) or update["sections"]  # type: ignore[union-attr]
    return Command(goto="extract_questions", update=_gemini(node, call, {**update, "sections": sections}))


def _sections_from_model(clean: str, starts: list) -> list[dict]:
    from rapidfuzz import fuzz

    lines = clean.split("\n")
    cuts: list[tuple[int, dict]] = []
    for start in starts:
        scores = [fuzz.ratio(start.first_line.strip(), line.strip()) for line in lines]
        best = max(range(len(lines)), key=scores.__getitem__) if lines else -1
        if best >= 0 and scores[best] >= 80 and all(best > c for c, _ in cuts):
            cuts.append((best, {"label": start.label, "company": start.company}))
    if not cuts:
        return []
    sections = []
    for i, (line_no, round_info) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(lines)
        # The line a round starts on may carry content ("一面问了…"); a bare heading there is harmless.
        body = lines[line_no:end]
        sections.append(
            {
                **round_info,
                "header": lines[line_no],
                "lines": body,
                "intro": "\n".join(lines[: cuts[0][0]]) if i == 0 else "",
            }
        )
    return sections


def extract_questions(state: State, runtime: Runtime[Context]) -> Command[Literal["classify_topics", "router"]]:
    """The interviewer's questions of each round, the author's tips, LeetCode links."""
    node, ctx = "extract_questions", context_of(runtime)
    update = offline.extract_questions(state["sections"], state["clean"], state.get("text"))
    confident = update.pop("confident", True)
    if not _wants_model(node, state, ctx, useful=not confident and update["is_interview"]):
        return Command(goto="classify_topics", update=_offline(node, state, update))
    labels = ", ".join(str(s["label"]) for s in state["sections"])
    prompt = render("extract_questions", post=state["clean"], labels=labels)
    call = call_model(node, QuestionsAnswer, prompt, state=state, ctx=ctx, repair=_repairing(state, node))
    if call.failure:
        return to_router(node, call)
    merged, dropped = _grounded(call.value, state["clean"])  # type: ignore[arg-type]
    if not merged["rounds"] or not any(r["questions"] for r in merged["rounds"]):
        merged = {"rounds": update["rounds"], "tips": merged["tips"] or update["tips"]}
    result = {**update, **merged}
    if dropped:
        result["notes"] = [f"{dropped} question(s) the model returned were not found in the post and were dropped."]
    return Command(goto="classify_topics", update=_gemini(node, call, result))


def _grounded(answer: QuestionsAnswer, clean: str) -> tuple[dict, int]:
    """Keep only questions that really stand in the post (fuzzy): a model must not invent them."""
    from rapidfuzz import fuzz

    def norm(text: str) -> str:
        return re.sub(r"[\W_]+", "", text.lower())

    haystack = norm(clean)
    dropped = 0
    rounds = []
    for r in answer.rounds:
        kept = []
        for text in r.questions:
            n = norm(text)
            if n and (n in haystack or fuzz.partial_ratio(n, haystack) >= 85):
                kept.append(
                    Question(
                        text=text.strip(), leetcode=leetcode.link(text), in_stats=not questions.is_self_intro(text)
                    ).model_dump()
                )
            else:
                dropped += 1
        rounds.append({"label": r.label, "company": r.company, "header": r.label or "", "questions": kept})
    tips = [
        Tip(text=t.strip()).model_dump()
        for t in answer.tips
        if t.strip() and fuzz.partial_ratio(norm(t), haystack) >= 85
    ]
    return {"rounds": rounds, "tips": tips}, dropped


def classify_topics(state: State, runtime: Runtime[Context]) -> Command[Literal["write_advice", "router"]]:
    """One primary taxonomy topic per question (and an optional second); the model for unsure ones."""
    node, ctx = "classify_topics", context_of(runtime)
    tax = taxonomy(tuple(ctx.taxonomy_files))
    update = offline.classify_topics(state.get("rounds", []), tax, state.get("sections"))
    flat = [(ri, qi, q) for ri, r in enumerate(update["rounds"]) for qi, q in enumerate(r["questions"])]
    unsure = [item for item in flat if ctx.engine == "gemini" or item[2]["confidence"] < TOPIC_CONFIDENCE_FLOOR]
    if not unsure or not _wants_model(node, state, ctx, useful=True):
        return Command(goto="write_advice", update=_offline(node, state, update))
    listing = "\n".join(f"{i}. {q['text']}" for i, (_, _, q) in enumerate(unsure))
    described = "\n".join(f"- {t}: {tax.label(t, 'en')} / {tax.label(t, 'zh')}" for t in tax.ids)
    prompt = render("classify_topics", taxonomy=described, questions=listing)
    call = call_model(node, TopicsAnswer, prompt, state=state, ctx=ctx, repair=_repairing(state, node))
    if call.failure:
        return to_router(node, call)
    for choice in call.value.items:  # type: ignore[union-attr]
        if 0 <= choice.index < len(unsure) and choice.topic in tax.ids:
            ri, qi, q = unsure[choice.index]
            topics = [choice.topic] + (
                [choice.second_topic] if choice.second_topic in tax.ids and choice.second_topic != choice.topic else []
            )
            update["rounds"][ri]["questions"][qi] = {**q, "topic": choice.topic, "topics": topics, "confidence": 1.0}
    return Command(goto="write_advice", update=_gemini(node, call, update))


def write_advice(state: State, runtime: Runtime[Context]) -> Command[Literal["__end__", "router"]]:
    """Summary, key experience and a preparation plan in the post's language."""
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
    prompt = render(
        "write_advice",
        language_name="Chinese (简体中文)" if language == "zh" else "English",
        companies=", ".join(state.get("companies", [])) or "-",
        role=state.get("role") or "-",
        outcome=state.get("outcome", "unknown"),
        rounds=rounds,
        tips=json.dumps([t["text"] for t in state.get("tips", [])], ensure_ascii=False),
        focus=", ".join(f"{f['label']} {f['questions']}" for f in advice["focus_topics"]),
        leetcode=", ".join(f"{r['id']} {r['title']}" for r in advice["leetcode"]) or "-",
    )
    call = call_model(node, AdviceAnswer, prompt, state=state, ctx=ctx, repair=_repairing(state, node))
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
