"""The question bank: near-duplicate questions merged across posts and ranked by how many posts ask them.

Exact repeats are rare, so questions are merged by meaning: fillers (说说, 讲一下, 简述, 请问…) and
punctuation are dropped, then rapidfuzz compares within a topic. Each LeetCode problem is one entry: a
question naming two problems ("接雨水和岛屿数量") counts towards both entries, and each entry links only its
own problem. Near-identical reposts are grouped first and counted once.

Ranking: distinct posts, then distinct companies, then the weight of the question's topic in the corpus
(the posts asking its topic's questions, summed), then the text — most single-post questions tie on the
first key, and among them the ones from the most asked topics come first. Posts carry no reliable date, so
recency is not a key.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

_FILLERS = re.compile(
    r"说说|说一下|讲讲|讲一下|简述|简单|请问|请|介绍一下|介绍下|谈谈|聊聊|你了解|你知道|了解吗|知道吗|能不能|能否|可以|一下|吗|呢"
    r"|^(?:can you|could you|please|tell me|explain|describe|what is|what's)\s+",
    re.I,
)
MATCH_SCORE = 85.0


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _FILLERS.sub("", text)
    return re.sub(r"[\W_]+", "", text)


class BankEntry(BaseModel):
    canonical: str = Field(description="The most common wording.")
    variants: list[str] = Field(default_factory=list)
    topic: str = "other"
    topics: list[str] = Field(default_factory=list)
    leetcode: list[int | str] = Field(default_factory=list)
    posts: int = Field(default=0, description="Distinct posts (a group of reposts counts once).")
    company_count: int = Field(default=0, description="Distinct companies that asked it.")
    companies: list[str] = Field(default_factory=list)
    rounds: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    in_ranking: bool = True


@dataclass
class _Entry:
    key: str
    norm: str
    topic: str
    wordings: Counter = field(default_factory=Counter)
    topics: Counter = field(default_factory=Counter)
    leetcode: list = field(default_factory=list)
    posts: set = field(default_factory=set)  # sources; reposts are grouped when the entries are read
    companies: set = field(default_factory=set)
    rounds: set = field(default_factory=set)
    sources: list = field(default_factory=list)
    in_ranking: bool = True


def repost_groups(posts: list[tuple[str, list[str]]], threshold: float = 0.8) -> dict[str, str]:
    """post id → group id. Two posts whose question sets overlap by `threshold` (Jaccard) are one post."""
    return _groups({pid: {n for n in map(normalize, qs) if n} for pid, qs in posts}, threshold)


def _groups(sets: dict[str, set[str]], threshold: float = 0.8) -> dict[str, str]:
    """repost_groups over the posts' normalized question sets."""
    parent: dict[str, str] = {pid: pid for pid in sets}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_question: dict[str, list[str]] = defaultdict(list)
    for pid, qs in sets.items():
        for q in qs:
            by_question[q].append(pid)
    for pid, qs in sets.items():
        if len(qs) < 3:
            continue
        candidates = Counter(other for q in qs for other in by_question[q] if other != pid)
        for other, shared in candidates.items():
            union = len(qs | sets[other])
            if union and shared / union >= threshold:
                parent[find(pid)] = find(other)
    return {pid: find(pid) for pid in parent}


class QuestionBank:
    """Built one post at a time (a batch adds each post as it is analysed); reposts are grouped, over
    every post added, when the entries are read."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._by_topic: dict[str, list[str]] = defaultdict(list)  # topic → entry keys with a text key
        self._norms: dict[str, list[str]] = defaultdict(list)  # topic → normalized canonical texts (parallel)
        self._questions: dict[str, set[str]] = {}  # source → its normalized questions, for repost_groups
        self._groups: dict[str, str] | None = None

    def add_post(self, post: dict) -> None:
        """A post as `slim_post` gives it; its source names it."""
        source = post.get("source", "")
        norms = self._questions.setdefault(source, set())
        self._groups = None
        for r in post.get("rounds", []):
            company = r.get("company") or (post.get("companies") or [None])[0]
            for q in r.get("questions", []):
                norms.add(self.add(q, company=company, round_label=r.get("label"), source=source))
        norms.discard("")

    def groups(self) -> dict[str, str]:
        """post → its group of near-identical reposts (see repost_groups), over every post added."""
        if self._groups is None:
            self._groups = _groups(self._questions)
        return self._groups

    def add(self, q: dict, *, company: str | None, round_label: str | None, source: str) -> str:
        """One question of the post named `source`; returns its normalized text."""
        from rapidfuzz import fuzz, process

        text, topic = q["text"], q.get("topic") or "other"
        problems = list(dict.fromkeys(q.get("leetcode") or []))
        norm = normalize(text)
        keys: list[str]
        if problems:
            keys = [f"lc:{pid}" for pid in problems]
        elif norm in self._entries:
            keys = [norm]
        else:
            found = process.extractOne(norm, self._norms[topic], scorer=fuzz.ratio, score_cutoff=MATCH_SCORE)
            keys = [self._by_topic[topic][found[2]]] if found else [norm]
        for key in keys:
            entry = self._entries.get(key)
            if entry is None:
                own = [problems[keys.index(key)]] if problems else []  # its own problem, not the question's list
                entry = self._entries[key] = _Entry(key=key, norm=norm, topic=topic, leetcode=own)
                if not key.startswith("lc:"):
                    self._by_topic[topic].append(key)
                    self._norms[topic].append(norm)
            entry.wordings[text] += 1
            entry.topics.update(q.get("topics") or [topic])
            entry.posts.add(source)
            if company:
                entry.companies.add(company)
            if round_label:
                entry.rounds.add(round_label)
            if source not in entry.sources:
                entry.sources.append(source)
            entry.in_ranking = entry.in_ranking and q.get("in_stats") is not False
        return norm

    def entries(self, *, include_unranked: bool = False) -> list[BankEntry]:
        groups = self.groups()
        out = []
        for e in self._entries.values():
            if not e.in_ranking and not include_unranked:
                continue
            canonical = e.wordings.most_common(1)[0][0]
            topic = e.topics.most_common(1)[0][0]
            if e.key.startswith("lc:"):
                # One entry per LeetCode problem, named after it; the posts' wordings become variants.
                from graph.offline.leetcode import describe

                pid = e.key.removeprefix("lc:")
                zh, _en, _difficulty, _url = describe(int(pid) if pid.isdigit() else pid)
                canonical, topic = f"LeetCode {pid} {zh}", "coding"
            out.append(
                BankEntry(
                    canonical=canonical,
                    variants=[w for w, _ in e.wordings.most_common() if w != canonical],
                    topic=topic,
                    topics=[t for t, _ in e.topics.most_common(2)],
                    leetcode=e.leetcode,
                    posts=len({groups.get(p, p) for p in e.posts}),
                    company_count=len(e.companies),
                    companies=sorted(e.companies),
                    rounds=sorted(e.rounds),
                    sources=e.sources,
                    in_ranking=e.in_ranking,
                )
            )
        weight: Counter = Counter()
        for b in out:
            weight[b.topic] += b.posts
        return sorted(out, key=lambda b: (-b.posts, -b.company_count, -weight[b.topic], b.canonical))


def slim_post(analysis: dict) -> dict | None:
    """What the bank keeps of a post (its source, companies, and its rounds' questions); None for a text
    that is not an interview, which the bank leaves out."""
    if not analysis.get("is_interview", True):
        return None
    return {
        "source": analysis.get("source", ""),
        "companies": analysis.get("companies", []),
        "rounds": [
            {
                "label": r.get("label"),
                "company": r.get("company"),
                "questions": [
                    {k: q.get(k) for k in ("text", "topic", "topics", "leetcode", "in_stats")} for q in r["questions"]
                ],
            }
            for r in analysis.get("rounds", [])
        ],
    }


def build_bank(analyses: Iterable[dict]) -> tuple[QuestionBank, dict[str, str]]:
    """Analyses may be a generator over files on disk: only what slim_post keeps is held in memory."""
    bank = QuestionBank()
    for analysis in analyses:
        if (post := slim_post(analysis)) is not None:
            bank.add_post(post)
    return bank, bank.groups()
