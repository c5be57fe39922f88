"""The offline engine: each graph node done by deterministic code, on the same state dicts.

It is the last rung of every model ladder, so a run always completes.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from graph.offline import advice as advice_writer
from graph.offline import clean as cleaner
from graph.offline import leetcode, meta, questions, rounds, topics
from graph.offline.resources import Taxonomy, taxonomy
from graph.state import Question, Round, Tip


def content_hash(clean: str) -> str:
    return hashlib.sha256(clean.encode("utf-8")).hexdigest()


def clean_text(text: str) -> dict:
    clean = cleaner.clean_text(text)
    return {"clean": clean, "language": meta.language(clean), "content_hash": content_hash(clean)}


def split_rounds(clean: str) -> dict:
    intro, sections = rounds.split_sections(clean)
    # Products and models named inside questions (淘宝, qwen) are not employers: trust the round
    # headers and the post's opening first, the whole text only when those name nobody.
    head = intro or "\n".join(clean.split("\n")[:3])
    named = [s.company for s in sections if s.company] + meta.find_companies(head)
    companies = list(dict.fromkeys(named)) or meta.find_companies(clean)[:1]
    for section in sections:
        section.company = section.company or (companies[0] if len(companies) == 1 else None)
    return {
        "sections": [
            {
                "label": s.label,
                "company": s.company,
                "header": s.header,
                "lines": s.lines,
                "intro": intro if i == 0 else "",
            }
            for i, s in enumerate(sections)
        ],
        "companies": companies,
        "role": meta.find_role(clean),
        "outcome": meta.find_outcome(clean),
    }


def extract_questions(sections: list[dict], clean: str, original: str | None = None) -> dict:
    out_rounds: list[dict] = []
    tips: list[str] = []
    confident = True
    for section in sections:
        in_round = section["label"] is not None or len(sections) == 1
        found = questions.extract(section["lines"], in_round=in_round)
        if section.get("intro"):
            tips.extend(questions.extract(section["intro"].split("\n"), in_round=False).tips)
        tips.extend(found.tips)
        confident = confident and found.confident
        qs = [
            Question(text=q, leetcode=leetcode.link(q), in_stats=not questions.is_self_intro(q)).model_dump()
            for q in found.questions
        ]
        out_rounds.append(
            {"label": section["label"], "company": section["company"], "header": section["header"], "questions": qs}
        )
    has_markers = any(s["label"] for s in sections)
    n_questions = sum(len(r["questions"]) for r in out_rounds)
    # Signs are counted on the original too: cleaning drops lines such as "私信我组队打卡".
    is_interview = meta.looks_like_interview(original or clean, has_markers=has_markers, question_count=n_questions)
    if not is_interview:
        out_rounds = []
    # Rounds a marker announced but that list no question (a "HR面 聊了聊" line) still count as rounds.
    return {
        "rounds": out_rounds,
        "tips": [Tip(text=t).model_dump() for t in dict.fromkeys(tips)],
        "is_interview": is_interview,
        # Questions read from prose or from unnumbered lines are where a model adds the most.
        "confident": confident and n_questions > 0,
    }


def classify_topics(round_dicts: list[dict], tax: Taxonomy | None = None) -> dict:
    tax = tax or taxonomy()
    out = []
    for r in round_dicts:
        hint = topics.header_hint(r.get("header"), r.get("label"))
        qs = []
        for q in r["questions"]:
            topic, topic_list, confidence = topics.classify(q["text"], tax, leetcode=q.get("leetcode"), hint=hint)
            qs.append({**q, "topic": topic, "topics": topic_list, "confidence": confidence})
        # A question no cue speaks for takes the round's dominant topic (an HR round's "Why us?").
        known = Counter(q["topic"] for q in qs if q["topic"] != "other")
        if known:
            dominant, count = known.most_common(1)[0]
            if count * 2 >= len(qs):
                qs = [{**q, "topic": dominant, "topics": [dominant]} if q["topic"] == "other" else q for q in qs]
        out.append({**r, "questions": qs})
    return {"rounds": out}


def write_advice(state: dict, tax: Taxonomy | None = None) -> dict:
    tax = tax or taxonomy()
    summary, advice = advice_writer.write_advice(
        language=state.get("language", "zh"),
        companies=state.get("companies", []),
        role=state.get("role"),
        outcome=state.get("outcome", "unknown"),
        rounds=[Round.model_validate(r) for r in state.get("rounds", [])],
        tips=[Tip.model_validate(t) for t in state.get("tips", [])],
        tax=tax,
        is_interview=state.get("is_interview", True),
    )
    return {"summary": summary, "advice": advice.model_dump()}
