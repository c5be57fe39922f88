"""Data files shipped in the package, each loaded once on first use (never at import time)."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from graph.errors import ConfigError


def data_text(name: str) -> str:
    return resources.files("graph").joinpath("data", name).read_text(encoding="utf-8")


def _latin(term: str) -> bool:
    return bool(re.search(r"[a-z0-9]", term)) and not re.search(r"[\u4e00-\u9fff]", term)


def term_pattern(terms: list[str]) -> re.Pattern[str]:
    """One alternation, longest first; Latin terms only match on word boundaries (so 'lr' is not in 'url')."""
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        escaped = re.escape(term)
        if _latin(term):
            escaped = rf"(?<![a-z0-9]){escaped}(?![a-z0-9])"
        parts.append(escaped)
    return re.compile("|".join(parts) or r"(?!x)x")


# ---------------------------------------------------------------- companies


@dataclass(frozen=True)
class CompanyIndex:
    canonical: dict[str, str]
    english: dict[str, str]
    pattern: re.Pattern[str]
    weak_pattern: re.Pattern[str]

    def find(self, text: str) -> list[tuple[int, str]]:
        """(position, canonical name) for every company mentioned, in order."""
        low = text.lower()
        hits = [(m.start(), self.canonical[m.group(0)]) for m in self.pattern.finditer(low)]
        hits += [(m.start(), self.canonical[m.group(1)]) for m in self.weak_pattern.finditer(low)]
        return sorted(hits)

    def first(self, text: str) -> str | None:
        hits = self.find(text)
        return hits[0][1] if hits else None


_ROUND_AFTER = (
    r"(?=\s*(?:[一二三四五六七八九十\d]面|hr面|终面|面试|面经|实习|校招|社招|暑期|日常|秋招|春招|offer|oc|二面|三面))"
)


@cache
def companies() -> CompanyIndex:
    table = tomllib.loads(data_text("companies.toml"))["companies"]
    canonical: dict[str, str] = {}
    weak: dict[str, str] = {}
    english: dict[str, str] = {}
    for name, entry in table.items():
        weak_names = [a.lower() for a in entry.get("weak_aliases", [])]
        if name.lower() not in weak_names:
            canonical[name.lower()] = name
        for alias in entry.get("aliases", []):
            canonical.setdefault(alias.lower(), name)
        for alias in entry.get("weak_aliases", []):
            weak.setdefault(alias.lower(), name)
        english[name] = entry.get("lang_en", name)
    weak_alt = term_pattern(list(weak)).pattern
    return CompanyIndex(
        canonical={**weak, **canonical},
        english=english,
        pattern=term_pattern(list(canonical)),
        weak_pattern=re.compile(f"({weak_alt}){_ROUND_AFTER}"),
    )


# ---------------------------------------------------------------- topics


@dataclass
class Taxonomy:
    labels_zh: dict[str, str]
    labels_en: dict[str, str]
    cues: dict[str, dict[str, float]] = field(default_factory=dict)
    pattern: re.Pattern[str] | None = None
    cue_topics: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return list(self.labels_zh)

    def label(self, topic: str, language: str = "zh") -> str:
        labels = self.labels_zh if language == "zh" else self.labels_en
        return labels.get(topic, topic)


def _merge_taxonomy(tax: Taxonomy, table: dict) -> None:
    for topic, entry in table.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"taxonomy entry {topic!r} must be a table")
        tax.labels_zh.setdefault(topic, entry.get("label_zh", topic))
        tax.labels_en.setdefault(topic, entry.get("label_en", tax.labels_zh[topic]))
        cues = tax.cues.setdefault(topic, {})
        for cue, weight in entry.get("cues", {}).items():
            cues[str(cue).lower()] = float(weight)


@cache
def taxonomy(extra: tuple[str, ...] = ()) -> Taxonomy:
    """The default taxonomy, extended by the user's TOML files (same format as data/topics.toml)."""
    tax = Taxonomy(labels_zh={}, labels_en={})
    _merge_taxonomy(tax, tomllib.loads(data_text("topics.toml")))
    for path in extra:
        try:
            _merge_taxonomy(tax, tomllib.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read taxonomy file {path}: {exc}") from exc
    for topic, cues in tax.cues.items():
        for cue, weight in cues.items():
            tax.cue_topics.setdefault(cue, []).append((topic, weight))
    tax.pattern = term_pattern(list(tax.cue_topics))
    return tax


# ---------------------------------------------------------------- leetcode


@dataclass(frozen=True)
class Problem:
    id: int | str
    slug: str
    title_zh: str
    title_en: str
    difficulty: str

    @property
    def url(self) -> str:
        return f"https://leetcode.cn/problems/{self.slug}/" if self.slug else ""


def norm_title(text: str) -> str:
    return re.sub(r"[\s\-_·,，.。:：'’()（）]+", "", text.lower())


@dataclass(frozen=True)
class LeetCodeIndex:
    by_id: dict[int | str, Problem]
    by_title: dict[str, int | str]
    # Matched on text with spaces and punctuation removed ("numberofislands", "lru缓存").
    title_pattern: re.Pattern[str]
    # Short Latin names (LRU, LIS) only as whole words of the original text: not inside "parallelism".
    short_pattern: re.Pattern[str]


@cache
def leetcode() -> LeetCodeIndex:
    by_id: dict[int | str, Problem] = {}
    by_title: dict[str, int | str] = {}
    short: dict[str, int | str] = {}
    for row in csv.DictReader(io.StringIO(data_text("leetcode.csv"))):
        pid: int | str = int(row["id"]) if row["id"].isdigit() else row["id"]
        problem = Problem(pid, row["slug"], row["title_zh"], row["title_en"], row["difficulty"])
        by_id[pid] = problem
        names = [row["title_zh"], row["title_en"], *(row.get("aliases") or "").split("|")]
        for name in names:
            key = norm_title(name)
            # Short titles (子集, 组合) are ordinary words; only link them by number.
            cjk = bool(re.search(r"[\u4e00-\u9fff]", key))
            if (cjk and len(key) >= 3) or (not cjk and len(key) >= 8):
                by_title.setdefault(key, pid)
            elif not cjk and len(key) >= 3:
                # Kept with its spaces ("two sum"), matched as whole words of the lowercased text.
                short.setdefault(re.sub(r"\s+", " ", name.strip().lower()), pid)
    long_titles = sorted(by_title, key=len, reverse=True)
    by_title.update(short)
    return LeetCodeIndex(by_id, by_title, re.compile("|".join(map(re.escape, long_titles))), term_pattern(list(short)))


# ---------------------------------------------------------------- advice hints


@cache
def study_hints() -> dict[str, dict[str, list[str]]]:
    return tomllib.loads(data_text("study_hints.toml"))
