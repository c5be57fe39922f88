"""Data files shipped in the package, each loaded once on first use (never at import time)."""

from __future__ import annotations

import csv
import io
import math
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
    """One pattern for many terms; the longest term wins; Latin terms only match on word boundaries
    (so 'lr' is not in 'url').

    The terms are laid out as a prefix tree ("bert", "bert预训练" share "bert"), so matching costs
    the depth of the tree at each position, not the number of terms: thousands of cues stay fast.
    """
    latin: dict = {}
    other: dict = {}
    for term in set(terms):
        if not term:
            continue
        node = latin if _latin(term) else other
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = True
    parts = []
    # A term with CJK in it is longer than any Latin term it shares a start with, so it goes first.
    if other:
        parts.append(_trie_regex(other, ""))
    if latin:
        parts.append(r"(?<![a-z0-9])" + _trie_regex(latin, r"(?![a-z0-9])"))
    return re.compile("|".join(parts) or r"(?!x)x")


def _trie_regex(node: dict, end: str) -> str:
    branches = [re.escape(ch) + _trie_regex(child, end) for ch, child in sorted(node.items()) if ch]
    if "" in node:
        branches.append(end)  # last: a longer term through this node is tried first
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


# ---------------------------------------------------------------- companies


@dataclass(frozen=True)
class CompanyIndex:
    canonical: dict[str, str]
    english: dict[str, str]
    # Every alias (strong, weak, product) as trie-shaped alternations of literals: those that start with a
    # Latin letter or digit (matched only where no word, domain or path continues) and the others.
    patterns: tuple[re.Pattern[str], ...]
    weak: frozenset[str] = frozenset()  # ordinary words: a company only right before a round marker
    # Product and model names (qwen, 豆包, 淘宝): an employer only in a title or header, or before 一面/面经.
    products: frozenset[str] = frozenset()
    # Companies outside the canonical list of the gold format, named as the post writes them (高通).
    as_written: frozenset[str] = frozenset()
    avoid: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]] = field(default_factory=dict)

    def hits(self, text: str) -> list[tuple[int, str, str]]:
        """(position, canonical name, alias as matched) for every mention outside links and addresses."""
        low = mask_links(text).lower()
        out = []
        matches = sorted((m for p in self.patterns for m in p.finditer(low)), key=lambda m: m.start())
        for m in matches:
            alias, pos, end = m.group(0), m.start(), m.end()
            # Latin aliases stand alone: not inside a word, a domain or a path ("qq_123", "mp.weixin.qq.com").
            if alias[0] in _LATIN_START and pos and low[pos - 1] in _LATIN_BEFORE:
                continue
            if alias[-1] in _LATIN_START and (
                (end < len(low) and low[end] in _LATIN_AFTER) or _DOMAIN_AFTER.match(low, end)
            ):
                continue
            before, after = self.avoid.get(alias, (None, None))
            if before and before.search(low, max(0, pos - 4), pos):
                continue
            if after and after.match(low, end):
                continue
            if alias in self.weak and not ROUND_MARKER_AFTER.match(low, end):
                continue
            name = self.canonical[alias]
            if name in self.as_written and not re.search(r"[a-z0-9]", alias):
                name = text[pos:end]
            out.append((pos, name, alias))
        return out

    def find(self, text: str, *, products: bool = True) -> list[tuple[int, str]]:
        """(position, canonical name) for every company mentioned, in order."""
        low = text.lower()
        return [
            (pos, name)
            for pos, name, alias in self.hits(text)
            if products or alias not in self.products or ROUND_MARKER_AFTER.match(low, pos + len(alias))
        ]

    def first(self, text: str) -> str | None:
        hits = self.find(text)
        return hits[0][1] if hits else None

    def lookup(self, name: str) -> str | None:
        """The canonical name when `name` is exactly one of the aliases (weak ones too)."""
        return self.canonical.get(name.strip().lower())


_LATIN_START = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_LATIN_BEFORE = _LATIN_START | frozenset("_./@")
_LATIN_AFTER = _LATIN_START | frozenset("_")
_DOMAIN_AFTER = re.compile(r"\.(?:com|cn|net|org|io|ai|co)\b")
_LINKS = re.compile(
    r"https?://[^\s)\]>\"'，。]*|\bwww\.[^\s)\]>\"'，。]*|\]\([^()\s]{0,500}\)|<[^<>\n]{0,500}>"
    r"|(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,64}(?:\.[\w-]{1,64}){1,4}"
)


def mask_links(text: str) -> str:
    """Links, HTML tags and e-mail addresses blanked to spaces of the same length (positions are kept)."""
    return _LINKS.sub(lambda m: " " * len(m.group(0)), text)


def _trie_alternation(terms: list[str]) -> str:
    """A regex for a set of literals shaped as a trie, so each position is rejected on its first character;
    at every node the longest alias is tried first."""
    trie: dict = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in node.items() if ch]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if optional:
            return "(?:" + body + ")?" if len(branches) > 1 or len(branches[0]) > 1 else body + "?"
        return body

    return build(trie) or r"(?!x)x"


ROUND_MARKER_AFTER = re.compile(
    r"\s*(?:[一二三四五六七八九十\d]面|hr面|终面|面试|面经|笔试|实习|校招|社招|暑期|日常|秋招|春招|offer|oc|二面|三面"
    r"|北京|上海|深圳|杭州|广州|成都|南京|武汉|西安|苏州)"
)


@cache
def companies() -> CompanyIndex:
    table = tomllib.loads(data_text("companies.toml"))["companies"]
    canonical: dict[str, str] = {}
    weak: dict[str, str] = {}
    english: dict[str, str] = {}
    products: set[str] = set()
    avoid: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]] = {}
    as_written: set[str] = set()
    for name, entry in table.items():
        weak_names = [a.lower() for a in entry.get("weak_aliases", [])]
        if name.lower() not in weak_names:
            canonical[name.lower()] = name
        for alias in entry.get("aliases", []) + entry.get("product_aliases", []):
            canonical.setdefault(alias.lower(), name)
        products.update(a.lower() for a in entry.get("product_aliases", []))
        for alias in entry.get("weak_aliases", []):
            weak.setdefault(alias.lower(), name)
        for alias, rule in entry.get("not_around", {}).items():
            before, after = rule.get("before"), rule.get("after")
            avoid[alias.lower()] = (
                re.compile(f"(?:{before})$") if before else None,
                re.compile(f"(?:{after})") if after else None,
            )
        if entry.get("as_written"):
            as_written.add(name)
        english[name] = entry.get("lang_en", name)
    weak_only = {alias for alias in weak if alias not in canonical}
    aliases = sorted(set(canonical) | weak_only)
    return CompanyIndex(
        canonical={**weak, **canonical},
        english=english,
        patterns=(
            re.compile(r"(?<![a-z0-9_./@])" + _trie_alternation([a for a in aliases if a[0] in _LATIN_START])),
            re.compile(_trie_alternation([a for a in aliases if a[0] not in _LATIN_START])),
        ),
        weak=frozenset(weak_only),
        products=frozenset(products),
        as_written=frozenset(as_written),
        avoid=avoid,
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
        return self.url_for("zh")

    def url_for(self, language: str) -> str:
        """leetcode.cn (Chinese titles) for a Chinese reader, leetcode.com for others: both use the same slug."""
        site = "leetcode.cn" if language == "zh" else "leetcode.com"
        return f"https://{site}/problems/{self.slug}/" if self.slug else ""


_CJK = re.compile(r"[\u4e00-\u9fff]")
# Words a fuzzy English match does not need ("Find the Celebrity" ~ "find celebrity").
_FUZZY_STOP = frozenset(
    ["a", "an", "the", "of", "in", "to", "and", "or", "with", "for", "from", "by", "on", "at", "is", "are"]
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


def norm_title(text: str) -> str:
    """Lowercase letters, digits and Chinese only: "Pow(x, n)" → "powxn", "会议室 II" → "会议室ii"."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", text.lower())


def stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def title_words(text: str) -> list[str]:
    """Lowercased, stemmed words; camelCase and letter-digit joints split ("isAnagram" → is, anagram)."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", text)
    return [stem(w) for w in re.findall(r"[0-9a-z]+", text.lower())]


@dataclass
class LeetCodeIndex:
    by_id: dict[int | str, Problem]
    by_slug: dict[str, int | str]
    # Normalized name (title, short name, alias) → id, for names that may link by themselves.
    by_title: dict[str, int | str]
    # First two characters of a name → names starting so, longest first; and the lengths of those names.
    by_prefix: dict[str, list[str]] = field(default_factory=dict)
    prefix_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # Fuzzy candidates: Chinese names by character bigram, English names by content word.
    zh_names: list[tuple[str, int | str]] = field(default_factory=list)
    zh_bigrams: dict[str, list[int]] = field(default_factory=dict)
    en_names: list[tuple[tuple[str, ...], int, int | str]] = field(default_factory=list)
    en_words: dict[str, list[int]] = field(default_factory=dict)
    # How telling a title word is (rare across titles → high), to weigh a fuzzy match's missing word.
    en_weight: dict[str, float] = field(default_factory=dict)
    # Word-order-free names of popular problems, as groups of alternatives that must all appear close
    # together: 前序/先序 + 中序 + 构造/重建 + 二叉树 → 105.
    concepts: list[tuple[tuple[tuple[str, ...], ...], int | str]] = field(default_factory=list)
    # Shared bigrams / words a fuzzy candidate needs, and whether an English name must match whole.
    zh_need: list[float] = field(default_factory=list)
    en_need: list[int] = field(default_factory=list)
    en_short: list[bool] = field(default_factory=list)


def _name_variants(name: str) -> list[str]:
    """A name as people also write it: roman numerals as digits, "的" dropped, the part before " - "."""
    out = [name]
    if " - " in name:
        out.append(name.split(" - ")[0])
    for v in list(out):
        m = re.search(r"\s+(i{1,3}|iv)$", v, re.I)
        if m:
            out.append(v[: m.start()] + " " + _ROMAN[m.group(1).lower()])
        if "的" in v and len(norm_title(v)) >= 6:
            out.append(v.replace("的", ""))
    return out


@cache
def leetcode() -> LeetCodeIndex:
    index = LeetCodeIndex({}, {}, {})
    for row in csv.DictReader(io.StringIO(data_text("leetcode.csv"))):
        pid: int | str = int(row["id"]) if row["id"].isdigit() else row["id"]
        index.by_id[pid] = Problem(pid, row["slug"], row["title_zh"], row["title_en"], row["difficulty"])
        if row["slug"]:
            index.by_slug[row["slug"]] = pid
        # SQL, pandas and JavaScript exercises are not interview coding questions; generic titles
        # ("Binary Search", "Design Twitter") are everyday words: all of these link by number or URL only.
        if row.get("kind") or row.get("link") == "number":
            continue
        curated = row.get("link") == "title"
        aliases = []
        for alias in (row.get("aliases") or "").split("|"):
            if "+" in alias:
                groups = tuple(tuple(norm_title(x) for x in part.split("/")) for part in alias.split("+"))
                index.concepts.append((groups, pid))
            elif alias:
                # "warmer day/next warmer": alternatives, each a name of its own.
                aliases.extend(a for a in alias.split("/") if a)
        for name in [*_name_variants(row["title_zh"]), *_name_variants(row["title_en"]), *aliases]:
            key = norm_title(name)
            is_alias = name in aliases
            if _CJK.search(key):
                # Short Chinese titles (子集, 组合) are ordinary words; popular three-character ones are not.
                if len(key) >= (3 if curated else 5):
                    index.by_title.setdefault(key, pid)
                if (len(key) >= 5 and not is_alias) or len(key) >= 6:
                    index.zh_names.append((key, pid))
                continue
            words = title_words(name)
            if (is_alias and len(key) >= 3) or ((len(words) >= 2 or len(key) >= 8) and (curated or len(key) >= 10)):
                index.by_title.setdefault(key, pid)
            content = tuple(w for w in words if w not in _FUZZY_STOP)
            if len(content) == 2 and not (curated or is_alias):
                # A short title of a less known problem needs all its words: "to lower case", not "lower-case".
                content = tuple(words)
            if len(key) >= 8 and len(content) >= 2:
                index.en_names.append((content, len(words), pid))
    for key in sorted(index.by_title, key=len, reverse=True):
        index.by_prefix.setdefault(key[:2], []).append(key)
    for prefix, keys in index.by_prefix.items():
        index.prefix_lengths[prefix] = tuple(dict.fromkeys(len(key) for key in keys))
    for i, (key, _) in enumerate(index.zh_names):
        for gram in {key[j : j + 2] for j in range(len(key) - 1)}:
            index.zh_bigrams.setdefault(gram, []).append(i)
    for i, (content, _, _) in enumerate(index.en_names):
        for word in set(content):
            index.en_words.setdefault(word, []).append(i)
    for word, names in index.en_words.items():
        index.en_weight[word] = math.log(1 + len(index.en_names) / len(names))
    index.zh_need = [max(3, 0.6 * (len(key) - 1)) for key, _ in index.zh_names]
    for content, _, _ in index.en_names:
        short = sum(w not in _FUZZY_STOP for w in content) <= 2
        index.en_short.append(short)
        index.en_need.append(len(content) if short else math.ceil(0.75 * len(content)))
    return index


# ---------------------------------------------------------------- advice hints


@cache
def study_hints() -> dict[str, dict]:
    """Per-topic hints: {topic: {"zh": [...], "en": [...], "swe": {"zh": [...], "en": [...]}}}."""
    return tomllib.loads(data_text("study_hints.toml"))
