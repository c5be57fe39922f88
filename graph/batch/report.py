"""report.html: a batch as one self-contained page to browse.

The question bank as a searchable, filterable (topic, company, LeetCode) and sortable table, the topic
chart, and each post's rounds and advice. Nothing is fetched: CSS and JS are inline and the chart is a
data: URI, so the file can be mailed or opened offline.

Posts are untrusted text. Jinja's autoescape escapes every value, links are kept only when they point at
LeetCode problems, and a Content-Security-Policy allows only the page's own script and style (by hash) and
data: images, so even a missed escape could neither run a script nor load anything.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path, PurePath

from graph.batch.bank import BankEntry

_LEETCODE_URL = re.compile(r"https://leetcode\.(?:cn|com)/problems/[a-z0-9-]+/?")


def safe_url(url: str | None) -> str | None:
    """A link only where it can be nothing but a LeetCode problem page (no javascript:, no lookalike)."""
    return url if url and _LEETCODE_URL.fullmatch(url) else None


def post_anchor(source: str) -> str:
    return "post-" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:10]


@cache
def _asset(name: str) -> str:
    from importlib import resources

    return resources.files("graph").joinpath("data", "report", name).read_text(encoding="utf-8")


def _csp_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _problems(ids: Iterable[int | str]) -> list[dict]:
    from graph.offline.leetcode import describe

    out = []
    for pid in ids:
        _zh, _en, _difficulty, url = describe(int(pid) if str(pid).isdigit() else pid)
        out.append({"id": str(pid), "url": safe_url(url)})
    return out


def _bank_rows(entries: list[BankEntry], labels: dict[str, str]) -> list[dict]:
    return [
        {
            "rank": rank,
            "text": e.canonical,
            "variants": e.variants[:5],
            "topic": e.topic,
            "topic_label": labels.get(e.topic, e.topic),
            "posts": e.posts,
            "companies": e.companies,
            "rounds": e.rounds,
            "leetcode": _problems(e.leetcode),
            # Sorted by the first problem's number; entries without one sort last either way.
            "lc_sort": next((str(p) for p in e.leetcode if str(p).isdigit()), ""),
            "sources": [{"name": PurePath(s).name or s, "anchor": post_anchor(s)} for s in e.sources],
        }
        for rank, e in enumerate(entries, 1)
    ]


def _post_view(analysis: dict, labels: dict[str, str]) -> dict:
    source = analysis.get("source", "")
    advice = analysis.get("advice") or {}
    rounds = analysis.get("rounds") or []
    return {
        "anchor": post_anchor(source),
        "name": PurePath(source).name or source,
        "source": source,
        "language": analysis.get("language", "zh"),
        "is_interview": analysis.get("is_interview", True),
        "companies": analysis.get("companies") or [],
        "role": analysis.get("role"),
        "outcome": analysis.get("outcome", "unknown"),
        "summary": analysis.get("summary", ""),
        "questions": sum(len(r.get("questions") or []) for r in rounds),
        "rounds": [
            {
                "label": r.get("label"),
                "company": r.get("company"),
                "questions": [
                    {
                        "text": q.get("text", ""),
                        "topic_label": labels.get(q.get("topic") or "other", q.get("topic") or "other"),
                        "leetcode": _problems(q.get("leetcode") or []),
                    }
                    for q in r.get("questions") or []
                ],
            }
            for r in rounds
        ],
        "tips": [t.get("text", "") for t in analysis.get("tips") or []],
        "key_points": advice.get("key_points") or [],
        "focus_topics": advice.get("focus_topics") or [],
        "leetcode": [{**p, "url": safe_url(p.get("url"))} for p in advice.get("leetcode") or []],
        "project_prep": advice.get("project_prep") or [],
        "plan": advice.get("plan") or [],
        "notes": analysis.get("notes") or [],
    }


@cache
def _template(name: str):  # a jinja2.Template: jinja2 is imported only when a page is made
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(_asset(name))


def render_post(analysis: dict, labels: dict[str, str]) -> str:
    """One post's section of the page: its rounds, questions, tips and advice. A batch renders it in the
    worker that analysed the post, so the page at the end is mostly a copy."""
    return _template("report_post.html.j2").render(p=_post_view(analysis, labels))


def render_report(
    entries: list[BankEntry],
    labels: dict[str, str],
    analyses: Iterable[dict],
    *,
    posts: int,
    distinct: int,
    chart_png: bytes | None = None,
    sections: Iterable[str] | None = None,
) -> Iterator[str]:
    """The page in chunks. `analyses` may be a generator over result files: one post is in memory at a
    time. `sections`, when given, are the posts' sections already rendered (render_post), in their place."""
    from markupsafe import Markup

    css, js = _asset("report.css"), _asset("report.js")
    rows = _bank_rows(entries, labels)
    topics = Counter(r["topic"] for r in rows)
    companies = Counter(c for r in rows for c in r["companies"])
    csp = (
        f"default-src 'none'; img-src data:; style-src {_csp_source(css)}; script-src {_csp_source(js)}; "
        "base-uri 'none'; form-action 'none'"
    )
    if sections is None:
        sections = (render_post(a, labels) for a in analyses)
    return _template("report.html.j2").generate(
        csp=csp,
        css=Markup(css),
        js=Markup(js),
        rows=rows,
        topics=[(t, labels.get(t, t), n) for t, n in topics.most_common()],
        companies=companies.most_common(),
        posts_total=posts,
        distinct=distinct,
        chart=base64.b64encode(chart_png).decode("ascii") if chart_png else None,
        posts=(Markup(section) for section in sections),  # rendered with autoescape already
    )


def write_report(path: Path, chunks: Iterable[str]) -> None:
    """Streamed to a temporary file, then renamed into place: never a half-written page."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # The mode the umask gives, as write_atomic does for the other files in --out.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines(chunks)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
