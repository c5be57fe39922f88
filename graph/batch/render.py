"""Markdown for people, from an Analysis."""

from __future__ import annotations

from graph.state import Analysis

_ZH = {
    "title": "面经分析",
    "summary": "概要",
    "rounds": "轮次与问题",
    "no_label": "（未标注轮次）",
    "tips": "作者的建议",
    "advice": "准备建议",
    "key": "关键经验",
    "focus": "按权重复习的主题",
    "lc": "相关 LeetCode 题",
    "project": "项目深挖准备",
    "plan": "准备计划",
    "engines": "引擎",
    "role": "岗位",
    "outcome": "结果",
    "topic": "主题",
    "question": "问题",
    "notes": "说明",
}
_EN = {
    "title": "Interview analysis",
    "summary": "Summary",
    "rounds": "Rounds and questions",
    "no_label": "(no round marker)",
    "tips": "The author's tips",
    "advice": "Preparation advice",
    "key": "Key experience",
    "focus": "Topics to review, by weight",
    "lc": "LeetCode problems",
    "project": "Project deep-dive prep",
    "plan": "Plan",
    "engines": "Engines",
    "role": "Role",
    "outcome": "Outcome",
    "topic": "Topic",
    "question": "Question",
    "notes": "Notes",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(analysis: Analysis) -> str:
    t = _ZH if analysis.language == "zh" else _EN
    lines = [f"# {t['title']}: {analysis.source}", ""]
    lines += [f"**{t['summary']}**: {analysis.summary}", ""]
    for note in analysis.notes:
        lines.append(f"> {note}")
    if analysis.notes:
        lines.append("")
    if analysis.rounds:
        lines += [f"## {t['rounds']}", ""]
        for r in analysis.rounds:
            heading = " · ".join(x for x in (r.label or t["no_label"], r.company) if x)
            lines += [
                f"### {heading}",
                "",
                f"| # | {t['question']} | {t['topic']} | LeetCode |",
                "|---|---|---|---|",
            ]
            for i, q in enumerate(r.questions, 1):
                lc = ", ".join(str(x) for x in q.leetcode)
                lines.append(f"| {i} | {_cell(q.text)} | {'/'.join(q.topics or [q.topic])} | {lc} |")
            lines.append("")
    if analysis.tips:
        lines += [f"## {t['tips']}", ""] + [f"- {tip.text}" for tip in analysis.tips] + [""]
    advice = analysis.advice
    if advice.key_points or advice.plan:
        lines += [f"## {t['advice']}", ""]
        if advice.key_points:
            lines += [f"### {t['key']}", ""] + [f"- {p}" for p in advice.key_points] + [""]
        if advice.focus_topics:
            lines += [f"### {t['focus']}", ""]
            lines += [
                f"- **{f.label}** (`{f.topic}`): {f.questions} · {round(f.share * 100)}%" for f in advice.focus_topics
            ]
            lines.append("")
        if advice.leetcode:
            lines += [f"### {t['lc']}", ""]
            lines += [
                f"- {ref.id}. [{ref.title}]({ref.url})" + (f" ({ref.difficulty})" if ref.difficulty else "")
                if ref.url
                else f"- {ref.id}. {ref.title}"
                for ref in advice.leetcode
            ]
            lines.append("")
        if advice.project_prep:
            lines += [f"### {t['project']}", ""] + [f"- {p}" for p in advice.project_prep] + [""]
        if advice.plan:
            lines += [f"### {t['plan']}", ""] + [f"{i}. {p}" for i, p in enumerate(advice.plan, 1)] + [""]
    engines = ", ".join(f"{node}={engine}" for node, engine in analysis.engines.items())
    lines.append(f"_{t['engines']}: {engines}_")
    return "\n".join(lines) + "\n"
