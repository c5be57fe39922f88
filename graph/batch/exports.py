"""Files a batch leaves in --out: per-post JSON and Markdown, the bank (JSON, CSV, Markdown, Anki), a chart, a plan.

Every file is written atomically (a temp file renamed into place), so a killed batch never leaves a
truncated JSON behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import zlib
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

from graph.batch.bank import BankEntry

# Deterministic Anki ids, so re-exporting updates the same deck instead of adding a new one.
ANKI_MODEL_ID = 1_607_392_319
ANKI_DECK_ID = 2_059_400_110


def write_atomic(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # Created like any new file (0666 less the umask), not 0600 as mkstemp would: every file in --out,
    # the checkpoint database included, gets the one mode the user's umask gives.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def topic_labels() -> dict[str, str]:
    """Topic id → the label the exports show: '算法与编码 (coding)'."""
    from graph.offline.resources import taxonomy

    tax = taxonomy()
    return {t: f"{tax.label(t, 'zh')} ({t})" for t in tax.ids}


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
    buf = io.BytesIO()
    genanki.Package(deck).write_to_file(buf)
    write_atomic(path, buf.getvalue())


# One colour per topic id, whatever topics a corpus has, so a chart reads the same from run to run.
TOPIC_COLOURS = {
    "project": "#4e79a7",
    "ml_basics": "#f28e2b",
    "deep_learning": "#e15759",
    "nlp": "#76b7b2",
    "llm": "#59a14f",
    "rl": "#edc948",
    "coding": "#b07aa1",
    "math": "#ff9da7",
    "system_design": "#9c755f",
    "cs_basics": "#17becf",
    "scenario": "#bcbd22",
    "behavioral": "#d37295",
    "papers": "#a0cbe8",
    "other": "#bab0ac",
}
_EXTRA_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
# Bundled (Apache-2.0, see data/fonts/README.md): Chinese company names draw on machines with no CJK font.
CJK_FONT = Path(__file__).parents[1] / "data" / "fonts" / "DroidSansFallback.ttf"
CHART_FONTS = ["DejaVu Sans", "Droid Sans Fallback"]


def topic_colour(topic: str) -> str:
    """A fixed colour per topic id; a user's own topics get one from their name (crc32 is stable, hash() is not)."""
    return TOPIC_COLOURS.get(topic) or _EXTRA_COLOURS[zlib.crc32(topic.encode()) % len(_EXTRA_COLOURS)]


def topic_mix(entries: list[BankEntry]) -> dict[str, Counter]:
    """company → topic → ranked bank entries it asked: the chart counts exactly what bank.md lists by company."""
    mix: dict[str, Counter] = defaultdict(Counter)
    for e in entries:
        if e.in_ranking:
            for company in e.companies:
                mix[company][e.topic] += 1
    return dict(mix)


@cache
def _chart_glyphs() -> frozenset[int]:
    """Code points the chart's fonts can draw (the bundled CJK font registered once per process)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    font_manager.fontManager.addfont(str(CJK_FONT))
    dejavu = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    return frozenset(FT2Font(dejavu).get_charmap()) | frozenset(FT2Font(str(CJK_FONT)).get_charmap())


def _chart_label(name: str, english: dict[str, str]) -> str:
    glyphs = _chart_glyphs()
    if all(ord(ch) in glyphs for ch in name):
        return name
    # A character no font here has (an emoji, a rare script): the English name, or a plain stand-in.
    fallback = english.get(name, name)
    return "".join(ch if ord(ch) in glyphs else "?" for ch in fallback)


def topic_chart(entries: list[BankEntry], english: dict[str, str], path: Path, *, top: int = 15) -> None:
    """Topic mix per company (the ranked bank's questions), a stacked horizontal bar chart, as a PNG.

    Built on a bare Figure, not pyplot: no global backend is switched (a notebook keeps its inline one).
    """
    import matplotlib
    from matplotlib.figure import Figure

    mix = topic_mix(entries)
    if not mix:
        return
    companies = sorted(mix, key=lambda c: (-sum(mix[c].values()), c))[:top]
    order = [*TOPIC_COLOURS, *sorted({t for c in companies for t in mix[c]} - TOPIC_COLOURS.keys())]
    topics = [t for t in order if any(mix[c][t] for c in companies)]
    labels = [_chart_label(c, english) for c in companies]
    with matplotlib.rc_context({"font.family": CHART_FONTS}):
        fig = Figure(figsize=(10, 0.5 * len(companies) + 2))
        ax = fig.subplots()
        left = [0] * len(companies)
        for topic in topics:
            values = [mix[c][topic] for c in companies]
            ax.barh(labels, values, left=left, label=topic, color=topic_colour(topic))
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.invert_yaxis()
        ax.set_xlabel("questions in the bank")
        ax.set_title("Topic mix per company")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)  # beside, not on, the bars
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
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
