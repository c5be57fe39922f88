"""The offline engine: each graph node done by deterministic code, on the same state dicts.

It is the last rung of every model ladder, so a run always completes.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from graph.offline import advice as advice_writer
from graph.offline import candidates, leetcode, meta, question_model, questions, rounds, topics
from graph.offline import clean as cleaner
from graph.offline.clean import match_key
from graph.offline.resources import Taxonomy, taxonomy
from graph.offline.tips import find_tips, is_advice
from graph.state import Question, Round, Tip

# Below this estimated question F1 a reading is unsure: in auto mode with a key the model reads the post.
UNSURE_BELOW = 0.9
# Bounds on how much of one post is read for questions (real posts stay far below them).
READ_LINES = 800
READ_LINE_CHARS = 20_000
MAX_QUESTIONS = 500
CLIPPED_NOTE = (
    f"This post is longer than any interview post: questions were read from its first {READ_LINES} lines "
    f"(up to {READ_LINE_CHARS} characters each), at most {MAX_QUESTIONS} of them."
)


def content_hash(clean: str) -> str:
    return hashlib.sha256(clean.encode("utf-8")).hexdigest()


# Cleanings already worked out: a batch cleans each post to name it (its content hash) before a worker
# runs the graph on it, whose first node then takes the result instead of cleaning the text again. Each is
# taken once, so this stays small.
_known_clean: dict[str, dict] = {}


def remember_clean(text: str, result: dict) -> None:
    if len(_known_clean) >= 256:
        _known_clean.clear()
    _known_clean[text] = result


def clean_text(text: str) -> dict:
    known = _known_clean.pop(text, None)
    if known is not None:
        return dict(known)
    clean = cleaner.clean_text(text)
    return {"clean": clean, "language": meta.language(clean), "content_hash": content_hash(clean)}


def split_rounds(clean: str) -> dict:
    intro, sections = rounds.split_sections(clean)
    # Products and models named inside questions (淘宝, qwen) are not employers: trust the title, the
    # headers and the opening lines first, the whole text only when those name nobody.
    for section in sections:
        section.company = section.company or (meta.header_company(section.header, clean) if section.header else None)
    companies = meta.post_companies(clean, [s.company for s in sections])
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
    # What the question model made of every candidate: the reading's confidence comes from it.
    accepted: list[float] = []
    open_: list[float] = []
    budget = READ_LINES
    clipped = False
    for section in sections:
        source_lines: dict[str, str] = {}
        in_round = section["label"] is not None or len(sections) == 1
        # A pasted dump can hold far more than any post: questions are read from a bounded share of it.
        lines = [line[:READ_LINE_CHARS] for line in section["lines"][: max(0, budget)]]
        clipped = clipped or len(lines) < len(section["lines"]) or any(len(x) > READ_LINE_CHARS for x in lines)
        budget -= len(lines)
        section = {**section, "lines": lines}
        found = questions.extract(section["lines"], in_round=in_round)
        model = question_model.current()
        if model is not None:
            cands = candidates.candidates(section["lines"], in_round=in_round, rule_questions=found.questions)
            selection = question_model.select(cands, model)
            found.questions = selection.questions
            source_lines = dict(zip(selection.questions, selection.lines, strict=True))
            accepted.extend(selection.accepted)
            open_.extend(selection.open)
        if section.get("intro"):
            tips.extend(questions.extract(section["intro"].split("\n"), in_round=False).tips)
        tips.extend(found.tips)
        confident = confident and found.confident
        room = max(0, MAX_QUESTIONS - sum(len(r["questions"]) for r in out_rounds))
        clipped = clipped or len(found.questions) > room
        qs = [
            Question(
                text=q, leetcode=_linked(q, source_lines.get(q, "")), in_stats=not questions.is_self_intro(q)
            ).model_dump()
            for q in found.questions[:room]
        ]
        out_rounds.append(
            {"label": section["label"], "company": section["company"], "header": section["header"], "questions": qs}
        )
    # The author's advice is looked for in the whole post; what the line reader found is one input.
    tips = find_tips(clean, seed=tips)
    # Advice the tips reader is sure of is advice, not a question the line model took it for.
    advice = [match_key(t) for t in tips]
    for r in out_rounds:
        r["questions"] = [q for q in r["questions"] if not _is_tip_text(q["text"], advice)]
    has_markers = any(s["label"] for s in sections)
    n_questions = sum(len(r["questions"]) for r in out_rounds)
    # Signs are counted on the original too: cleaning drops lines such as "私信我组队打卡".
    is_interview = meta.looks_like_interview(original or clean, has_markers=has_markers, question_count=n_questions)
    if question_model.current() is None:
        # No learned model (a trimmed install): the rules' own sense of where they are weak.
        confidence = 1.0 if confident and n_questions > 0 else 0.5
    elif is_interview:
        confidence = question_model.estimated_f1(accepted, open_)
    else:
        # Called not an interview: unsure when it still has round markers or reads as many questions.
        likely = sum(p >= 0.9 for p in accepted)
        confidence = 0.7 if has_markers or likely >= 10 else 0.95
    if not is_interview:
        out_rounds = []
    # Rounds a marker announced but that list no question (a "HR面 聊了聊" line) still count as rounds.
    return {
        "rounds": out_rounds,
        "tips": [Tip(text=t).model_dump() for t in dict.fromkeys(tips)],
        "is_interview": is_interview,
        "reading_confidence": round(confidence, 3),
        "notes": [CLIPPED_NOTE] if clipped and is_interview else [],
        "confident": confidence >= UNSURE_BELOW,
    }


def _is_tip_text(question: str, advice: list[str]) -> bool:
    key = match_key(question)
    if not key or not any(key in a and len(key) >= 0.8 * len(a) for a in advice):
        return False
    # "二叉树的层序遍历（必须要分层）": the advice sits in an aside of a real ask, which stays a question.
    return is_advice(re.sub(r"[(（][^()（）]*[)）]", "", question))


def _linked(question: str, line: str) -> list:
    """LeetCode ids of a question; an aside its cleaning dropped ("(not from LC, closest: #347)") still
    counts when the question is most of its sentence."""
    ids = leetcode.link(question)
    if ids or not line or line == question:
        return ids
    q = match_key(question)
    for sentence in re.split(r"(?<=[.!?。！？])\s+", line):
        whole = match_key(sentence)
        if q and q in whole and len(q) >= 0.3 * len(whole):
            return leetcode.link(sentence)
    return []


def classify_topics(round_dicts: list[dict], tax: Taxonomy | None = None, sections: list[dict] | None = None) -> dict:
    """`sections` (split_rounds' output, optional) lets a question take the heading it sits under as a cue."""
    tax = tax or taxonomy()
    rounds = []
    for r, lines in zip(round_dicts, _round_lines(round_dicts, sections or []), strict=True):
        hint = topics.header_hint(r.get("header"), r.get("label"))
        under = topics.section_hints([q["text"] for q in r["questions"]], lines)
        qs = []
        for q, section in zip(r["questions"], under, strict=True):
            topic, topic_list, confidence = topics.classify(
                q["text"], tax, leetcode=q.get("leetcode"), hint=hint, section=section
            )
            qs.append({**q, "topic": topic, "topics": topic_list, "confidence": confidence})
        rounds.append((r, qs))
    # A question no cue speaks for ("other" at confidence 0) takes the topic most of its round is about
    # (an HR round's "Why us?"), else the post's: a bare "居中" in a front-end post is front-end.
    post = Counter(q["topic"] for _, qs in rounds for q in qs if q["topic"] != "other")
    out = []
    for r, qs in rounds:
        known = Counter(q["topic"] for q in qs if q["topic"] != "other") or post
        if known:
            dominant = known.most_common(1)[0][0]
            qs = [{**q, "topic": dominant, "topics": [dominant]} if _uncued(q) else q for q in qs]
        out.append({**r, "questions": qs})
    return {"rounds": out}


def _round_lines(round_dicts: list[dict], sections: list[dict]) -> list[list[str]]:
    """The lines each round was read from: its own section when the rounds are the sections (the offline
    reading), else the whole post (a model's reading groups questions its own way)."""
    if len(sections) == len(round_dicts) and all(
        s.get("header") == r.get("header") for s, r in zip(sections, round_dicts, strict=True)
    ):
        return [list(s.get("lines", [])) for s in sections]
    every = [line for s in sections for line in s.get("lines", [])]
    return [every] * len(round_dicts)


def _uncued(q: dict) -> bool:
    return q["topic"] == "other" and not q["confidence"]


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
