"""Files a batch leaves in --out: per-post JSON and Markdown, the bank (JSON, CSV, Markdown, Anki), a chart, a plan.

Every file is written atomically (a temp file renamed into place), so a killed batch never leaves a
truncated JSON behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from graph.bank import BankEntry

# Deterministic Anki ids, so re-exporting updates the same deck instead of adding a new one.
ANKI_MODEL_ID = 1_607_392_319
ANKI_DECK_ID = 2_059_400_110


def write_atomic(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def bank_json(entries: list[BankEntry], *, posts: int, groups: int) -> str:
    doc = {"posts": posts, "distinct_posts": groups, "entries": [e.model_dump() for e in entries]}
    return json.dumps(doc, ensure_ascii=False, indent=1)


def bank_csv(entries: list[BankEntry]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["rank", "question", "topic", "posts", "companies", "rounds", "leetcode", "variants"])
    for rank, e in enumerate(entries, 1):
        writer.writerow(
            [
                rank,
                e.canonical,
                e.topic,
                e.posts,
                "、".join(e.companies),
                "、".join(e.rounds),
                " ".join(map(str, e.leetcode)),
                " | ".join(e.variants[:5]),
            ]
        )
    # A BOM so that Excel opens the Chinese text as UTF-8.
    return buf.getvalue().encode("utf-8-sig")


def bank_markdown(entries: list[BankEntry], labels: dict[str, str], *, top: int = 50) -> str:
    lines = ["# 题库 / Question bank", "", f"## Top {min(top, len(entries))}", ""]
    lines += ["| # | question | topic | posts | companies | LeetCode |", "|---|---|---|---|---|---|"]
    for i, e in enumerate(entries[:top], 1):
        q = e.canonical.replace("|", "\\|")
        lines.append(
            f"| {i} | {q} | {labels.get(e.topic, e.topic)} | {e.posts} | {'、'.join(e.companies)} | {' '.join(map(str, e.leetcode))} |"
        )
    by_topic: dict[str, list[BankEntry]] = defaultdict(list)
    by_company: dict[str, list[BankEntry]] = defaultdict(list)
    for e in entries:
        by_topic[e.topic].append(e)
        for c in e.companies:
            by_company[c].append(e)
    lines += ["", "## By topic", ""]
    for topic, items in sorted(by_topic.items(), key=lambda kv: -len(kv[1])):
        lines += (
            [f"### {labels.get(topic, topic)} ({len(items)})", ""]
            + [f"- ({e.posts}) {e.canonical}" for e in items[:20]]
            + [""]
        )
    lines += ["## By company", ""]
    for company, items in sorted(by_company.items(), key=lambda kv: -len(kv[1])):
        lines += [f"### {company} ({len(items)})", ""] + [f"- ({e.posts}) {e.canonical}" for e in items[:20]] + [""]
    return "\n".join(lines) + "\n"


def anki_deck(entries: list[BankEntry], labels: dict[str, str], path: Path) -> None:
    import genanki

    model = genanki.Model(
        ANKI_MODEL_ID,
        "mianjing question",
        fields=[{"name": "Question"}, {"name": "Topic"}, {"name": "Details"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "<div>{{Question}}</div><div style='color:#888'>{{Topic}}</div>",
                "afmt": "{{FrontSide}}<hr id=answer>{{Details}}",
            }
        ],
    )
    deck = genanki.Deck(ANKI_DECK_ID, "mianjing 面经题库")
    for e in entries:
        details = [f"asked in {e.posts} post(s)"]
        if e.companies:
            details.append("companies: " + "、".join(e.companies))
        if e.leetcode:
            details.append("LeetCode: " + ", ".join(map(str, e.leetcode)))
        if e.variants:
            details.append("also asked as: " + " / ".join(e.variants[:5]))
        note = genanki.Note(
            model=model,
            fields=[e.canonical, labels.get(e.topic, e.topic), "<br>".join(details)],
            guid=genanki.guid_for(e.canonical, e.topic),
            tags=[e.topic],
        )
        deck.add_note(note)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".deck.", suffix=".apkg")
    os.close(fd)
    try:
        genanki.Package(deck).write_to_file(tmp)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def topic_chart(mix: dict[str, Counter], english: dict[str, str], path: Path) -> None:
    """Topic mix per company as a stacked horizontal bar chart (English labels: no CJK font needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    companies = sorted(mix, key=lambda c: -sum(mix[c].values()))[:15]
    topics = sorted({t for c in companies for t in mix[c]}, key=lambda t: -sum(mix[c][t] for c in companies))
    fig, ax = plt.subplots(figsize=(10, 0.5 * len(companies) + 2))
    left = [0.0] * len(companies)
    cmap = plt.get_cmap("tab20")
    for i, topic in enumerate(topics):
        values = [mix[c][topic] for c in companies]
        ax.barh([english.get(c, c) for c in companies], values, left=left, label=topic, color=cmap(i % 20))
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("questions")
    ax.set_title("Topic mix per company")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    write_atomic(path, buf.getvalue())


def corpus_plan(entries: list[BankEntry], labels: dict[str, str], *, posts: int) -> str:
    """One preparation plan across the corpus: what is asked most, by topic, then LeetCode."""
    weight = Counter()
    for e in entries:
        weight[e.topic] += e.posts
    total = sum(weight.values()) or 1
    lines = [f"# 备考计划 / Preparation plan ({posts} posts)", ""]
    lines.append("Topics by how often they are asked (distinct posts × questions):")
    lines.append("")
    for i, (topic, w) in enumerate(weight.most_common(), 1):
        top = [e.canonical for e in entries if e.topic == topic][:5]
        lines.append(f"{i}. **{labels.get(topic, topic)}** — {w / total:.0%}. Start with: " + "；".join(top))
    lc = [e for e in entries if e.leetcode][:20]
    if lc:
        lines += ["", "LeetCode, most asked first:", ""]
        lines += [f"- {', '.join(map(str, e.leetcode))} — {e.canonical} ({e.posts} posts)" for e in lc]
    lines += ["", "Then rehearse the project deep-dive and do one mock interview per round type."]
    return "\n".join(lines) + "\n"
