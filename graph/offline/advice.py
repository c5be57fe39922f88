"""Write the summary and the preparation plan from the structured analysis, in the post's language."""

from __future__ import annotations

import re
from collections import Counter

from graph.offline.leetcode import describe
from graph.offline.resources import Taxonomy, study_hints
from graph.state import Advice, LeetCodeRef, Round, Tip, TopicWeight

_OUTCOME = {
    "zh": {"offer": "拿到 offer", "rejected": "未通过", "pending": "等待结果", "unknown": "未说明"},
    "en": {
        "offer": "offer",
        "rejected": "rejected",
        "pending": "waiting for the result",
        "unknown": "not stated",
    },
}


# Whether a post is about an ML job decides which hints fit: the role when it says, else its questions.
_ML_ROLE = re.compile(
    r"算法|机器学习|深度学习|强化学习|大模型|大语言模型|多模态|自然语言|视觉|语音|推荐|广告|搜广推|数据挖掘|对齐|后训练|rlhf"
    r"|(?<![a-z])(?:ai|ml|mle|llm|nlp|cv|agent)(?![a-z])|machine learning|deep learning|computer vision|scientist|applied",
    re.I,
)
_SWE_ROLE = re.compile(
    r"后端|前端|客户端|全栈|开发|研发|测试|测开|运维|基础架构|安全|java|golang|c\+\+|infra"
    r"|(?<![a-z])(?:swe|sde|sre|go|ios|android)(?![a-z])|software|backend|frontend|full[- ]?stack|develop|devops|engineer",
    re.I,
)
_ML_TOPICS = frozenset({"ml_basics", "deep_learning", "nlp", "llm", "rl", "papers"})
# A label that starts a capitalised word is lowered mid-sentence; CS, ML, LLM, LeetCode keep their capitals.
_KEEPS_CAPITALS = re.compile(r"[A-Z](?:[A-Z]|[a-z]+[A-Z])")


def track(role: str | None, rounds: list[Round]) -> str:
    """'ml' or 'swe'. An ML role is ML; otherwise the questions decide: ML topics in a fifth of them, or in a
    third for a software role (an inference engineer asked mostly about transformers is preparing for ML)."""
    if role and _ML_ROLE.search(role):
        return "ml"
    topics = [q.topic for r in rounds for q in r.questions]
    ml = sum(t in _ML_TOPICS for t in topics)
    needed = 3 if role and _SWE_ROLE.search(role) else 5
    return "ml" if ml and ml * needed >= len(topics) else "swe"


def _hints(hints: dict, topic: str, lang: str, kind: str) -> list[str]:
    table = hints.get(topic, {})
    return list(table.get(kind, table).get(lang, []))


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _mid(text: str) -> str:
    """A label or hint as it reads mid-sentence: 'System design' → 'system design', 'CS fundamentals' stays."""
    return text[0].lower() + text[1:] if text[:1].isupper() and not _KEEPS_CAPITALS.match(text) else text


def _quoted(questions: list[str]) -> str:
    return _and([f'"{q.strip().rstrip(".;,:。；，：")}"' for q in questions])


def focus_topics(rounds: list[Round], tax: Taxonomy, language: str) -> list[TopicWeight]:
    counts = Counter(q.topic for r in rounds for q in r.questions)
    total = sum(counts.values()) or 1
    return [
        TopicWeight(topic=t, label=tax.label(t, language), questions=n, share=round(n / total, 3))
        for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], tax.ids.index(kv[0]) if kv[0] in tax.ids else 99))
    ]


def leetcode_refs(rounds: list[Round], language: str) -> list[LeetCodeRef]:
    refs: list[LeetCodeRef] = []
    seen: set = set()
    for q in (q for r in rounds for q in r.questions):
        for pid in q.leetcode:
            if pid in seen:
                continue
            seen.add(pid)
            zh, en, difficulty, url = describe(pid, language)
            refs.append(LeetCodeRef(id=pid, title=zh if language == "zh" else en, difficulty=difficulty, url=url))
    return refs


def summarize(
    *,
    language: str,
    companies: list[str],
    role: str | None,
    outcome: str,
    rounds: list[Round],
    focus: list[TopicWeight],
) -> str:
    n_questions = sum(len(r.questions) for r in rounds)
    labels = [r.label for r in rounds if r.label]
    top = [f for f in focus if f.topic != "project"][:3]
    if language == "zh":
        who = "、".join(companies) or "未注明公司"
        head = f"{who}{'·' + role if role else ''} 面经：{len(rounds)} 轮"
        head += f"（{'、'.join(labels)}）" if labels else ""
        head += f"，共 {n_questions} 题，结果：{_OUTCOME['zh'][outcome]}。"
        if top:
            head += "面试官反复考察：" + "、".join(f"{f.label}（{f.questions} 题）" for f in top) + "。"
        return head
    who = ", ".join(companies) or "an unnamed company"
    head = f"{who}{' – ' + role if role else ''}: {_plural(len(rounds), 'round')}"
    head += f" ({', '.join(labels)})" if labels else ""
    head += f", {_plural(n_questions, 'question')}, outcome: {_OUTCOME['en'][outcome]}."
    if top:
        head += " The interviewers asked most about " + _and(
            [f"{_mid(f.label)} ({_plural(f.questions, 'question')})" for f in top]
        )
        head += "."
    return head


def write_advice(
    *,
    language: str,
    companies: list[str],
    role: str | None,
    outcome: str,
    rounds: list[Round],
    tips: list[Tip],
    tax: Taxonomy,
    is_interview: bool = True,
) -> tuple[str, Advice]:
    lang = "zh" if language == "zh" else "en"
    if not is_interview:
        msg = (
            "这篇文字不是面试经历（像是学习计划或招聘信息），没有可提取的面试题。"
            if lang == "zh"
            else "This text is not an interview experience (it reads like a study plan or a job ad); no questions to extract."
        )
        return msg, Advice(language=lang)
    focus = focus_topics(rounds, tax, lang)
    refs = leetcode_refs(rounds, lang)
    summary = summarize(language=lang, companies=companies, role=role, outcome=outcome, rounds=rounds, focus=focus)
    hints = study_hints()
    kind = track(role, rounds)
    questions_by_topic: dict[str, list[str]] = {}
    for q in (q for r in rounds for q in r.questions):
        questions_by_topic.setdefault(q.topic, []).append(q.text)

    key_points = [t.text for t in tips]
    project_rounds = sum(1 for r in rounds if any(q.topic == "project" for q in r.questions))
    coding = questions_by_topic.get("coding", [])
    # Coding questions that are LeetCode problems (not the problems the whole post names).
    on_leetcode = sum(1 for r in rounds for q in r.questions if q.topic == "coding" and q.leetcode)
    if lang == "zh":
        if project_rounds >= 2:
            key_points.append(f"{project_rounds} 轮都从项目开始，项目深挖是每一轮的主线。")
        if coding:
            share = f"，其中 LeetCode 原题 {on_leetcode} 道" if on_leetcode else ""
            share = "，都是 LeetCode 原题" if on_leetcode == len(coding) else share
            key_points.append(f"共 {len(coding)} 道代码题{share}。")
        for f in focus[:2]:
            if f.topic != "project" and f.questions >= 2:
                key_points.append(f"{f.label}占 {round(f.share * 100)}% 的问题，是这场面试的重点。")
    else:
        if project_rounds >= 2:
            key_points.append(
                f"{project_rounds} rounds opened with the candidate's projects: expect a deep dive every time."
            )
        if coding:
            n = len(coding)
            if on_leetcode == n:
                share = {1: ", a LeetCode problem", 2: ", both LeetCode problems"}.get(n, ", all LeetCode problems")
            elif on_leetcode:
                share = f", {on_leetcode} of them {'a LeetCode problem' if on_leetcode == 1 else 'LeetCode problems'}"
            else:
                share = ""
            key_points.append(f"{_plural(n, 'coding question')}{share}.")
        for f in focus[:2]:
            if f.topic != "project" and f.questions >= 2:
                key_points.append(f"{f.label} made up {round(f.share * 100)}% of the questions.")

    project_prep = _hints(hints, "project", lang, kind) if "project" in questions_by_topic else []
    asked_project = [q for q in questions_by_topic.get("project", []) if len(q) > 6]
    if asked_project:
        joined = "；".join(asked_project[:3]) if lang == "zh" else "; ".join(asked_project[:3])
        project_prep.append(("这场面试问到：" if lang == "zh" else "Asked in this interview: ") + joined)

    plan: list[str] = []
    for f in [f for f in focus if f.topic not in {"project", "coding"}][:4]:
        examples = questions_by_topic[f.topic][:2]
        topic_hints = _hints(hints, f.topic, lang, kind)[:2]
        if lang == "zh":
            hint = "：" + "；".join(topic_hints) if topic_hints else ""
            plan.append(f"复习{f.label}（{f.questions} 题）{hint}。先能答出：" + "；".join(examples))
        else:
            # A dash, not a colon: the hints have colons of their own.
            hint = " — " + "; ".join(_mid(h) for h in topic_hints) if topic_hints else ""
            line = f"Review {_mid(f.label)} ({_plural(f.questions, 'question')}){hint}. Be able to answer {_quoted(examples)}"
            plan.append(line if line.endswith(('?"', '!"')) else line + ".")
    if coding:
        coding_hints = _hints(hints, "coding", lang, kind)[:2]
        if lang == "zh":
            ids = ", ".join(f"{r.id} {r.title}" for r in refs[:8])
            plan.append("练代码题：" + (f"先做 {ids}；" if ids else "") + "；".join(coding_hints) + "。")
        else:
            start = f"start with {_and([f'{r.id} {r.title}' for r in refs[:8]])}; " if refs else ""
            plan.append("Practise coding — " + start + "; ".join(_mid(h) for h in coding_hints) + ".")
    if "project" in questions_by_topic:
        plan.append(
            "把项目讲成故事并准备被追问的细节（见下方项目准备）。"
            if lang == "zh"
            else "Turn each project into a story and rehearse the follow-up questions (see project prep)."
        )
    plan.append(
        "最后按轮次模拟一遍：每轮 45–60 分钟，把本帖的问题当作题库口头作答。"
        if lang == "zh"
        else "Finish with a mock interview per round (45–60 minutes), answering this post's questions out loud."
    )
    return summary, Advice(
        language=lang,
        key_points=key_points,
        focus_topics=focus,
        leetcode=refs,
        project_prep=project_prep,
        plan=plan,
    )
