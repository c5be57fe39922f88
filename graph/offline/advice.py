"""Write the summary and the preparation plan from the structured analysis, in the post's language."""

from __future__ import annotations

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
            zh, en, difficulty, url = describe(pid)
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
    head = f"{who}{' – ' + role if role else ''}: {len(rounds)} round{'s' if len(rounds) != 1 else ''}"
    head += f" ({', '.join(labels)})" if labels else ""
    head += f", {n_questions} questions, outcome: {_OUTCOME['en'][outcome]}."
    if top:
        head += " The interviewers kept probing " + ", ".join(f"{f.label} ({f.questions})" for f in top) + "."
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
    questions_by_topic: dict[str, list[str]] = {}
    for q in (q for r in rounds for q in r.questions):
        questions_by_topic.setdefault(q.topic, []).append(q.text)

    key_points = [t.text for t in tips]
    project_rounds = sum(1 for r in rounds if any(q.topic == "project" for q in r.questions))
    coding = questions_by_topic.get("coding", [])
    if lang == "zh":
        if project_rounds >= 2:
            key_points.append(f"{project_rounds} 轮都从项目开始，项目深挖是每一轮的主线。")
        if coding:
            key_points.append(
                f"共 {len(coding)} 道代码题" + (f"，其中 LeetCode 原题 {len(refs)} 道。" if refs else "。")
            )
        for f in focus[:2]:
            if f.topic != "project" and f.questions >= 2:
                key_points.append(f"{f.label}占 {round(f.share * 100)}% 的问题，是这场面试的重点。")
    else:
        if project_rounds >= 2:
            key_points.append(
                f"{project_rounds} rounds opened with the candidate's projects: expect a deep dive every time."
            )
        if coding:
            key_points.append(
                f"{len(coding)} coding questions" + (f", {len(refs)} of them LeetCode problems." if refs else ".")
            )
        for f in focus[:2]:
            if f.topic != "project" and f.questions >= 2:
                key_points.append(f"{f.label} made up {round(f.share * 100)}% of the questions.")

    project_prep = list(hints.get("project", {}).get(lang, [])) if "project" in questions_by_topic else []
    asked_project = [q for q in questions_by_topic.get("project", []) if len(q) > 6]
    if asked_project:
        joined = "；".join(asked_project[:3]) if lang == "zh" else "; ".join(asked_project[:3])
        project_prep.append(("这场面试问到：" if lang == "zh" else "Asked in this interview: ") + joined)

    plan: list[str] = []
    for f in [f for f in focus if f.topic not in {"project", "coding"}][:4]:
        examples = questions_by_topic[f.topic][:2]
        hint = (
            "；".join(hints.get(f.topic, {}).get(lang, [])[:2])
            if lang == "zh"
            else "; ".join(hints.get(f.topic, {}).get(lang, [])[:2])
        )
        if lang == "zh":
            plan.append(f"复习{f.label}（{f.questions} 题）：{hint}。先能答出：" + "；".join(examples))
        else:
            plan.append(f"Review {f.label} ({f.questions}): {hint}. Be able to answer: " + "; ".join(examples))
    if coding:
        ids = ", ".join(f"{r.id} {r.title}" for r in refs[:8])
        if lang == "zh":
            plan.append("练代码题：" + (f"先做 {ids}；" if ids else "") + "；".join(hints["coding"]["zh"][:2]) + "。")
        else:
            plan.append(
                "Practise coding: "
                + (f"start with {ids}; " if ids else "")
                + "; ".join(hints["coding"]["en"][:2])
                + "."
            )
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
