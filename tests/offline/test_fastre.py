"""fastre: a guarded pattern finds exactly what the pattern finds, on crafted cases and on the engine's own
patterns over the fixture posts."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from graph.offline import fastre
from graph.offline.clean import clean_text
from graph.offline.decode import decode_bytes

FIXTURES = Path(__file__).parents[1] / "fixtures"


def matches(pattern: re.Pattern[str], text: str) -> list:
    found = [(m.span(), m.groups(), m.groupdict()) for m in pattern.finditer(text)]
    head = pattern.match(text)
    return [found, head and head.span(), pattern.split(text), pattern.sub("<>", text)]


@pytest.mark.parametrize(
    ("source", "flags", "first"),
    [
        ("abc|def", 0, "ad"),
        ("(?:x)?y", 0, "xy"),
        ("(?:先|又)?(?:就)?问了?", 0, "先又就问"),
        ("(?=ab)|c", 0, "ac"),  # a lookahead alone is still a condition on the first character
        ("(?<!反)问", 0, "问"),
        (r"\bfoo", re.I, "f"),
        ("x{0,3}y", 0, "xy"),
        ("(?:a|)b", 0, "ab"),
        ("(?>ab)c", 0, "a"),
    ],
)
def test_first_characters_are_read_off_the_pattern(source: str, flags: int, first: str) -> None:
    chars = fastre.first_chars(source, flags)
    assert chars is not None
    assert set(re.findall(r"\\U([0-9a-f]{8})", chars)) == {f"{ord(c):08x}" for c in first}


@pytest.mark.parametrize(
    ("source", "flags"),
    [
        ("a*", 0),  # may match empty: any position can match
        ("x{0}", 0),
        ("(?=a)?", 0),
        (".b", 0),
        ("[^a]b", 0),
        ("(?i:a)b", 0),  # an inline flag changes what the characters mean
        (r"(a)?\1b", 0),  # a back reference
        ("a # comment", re.X),
        (r"\b", 0),
    ],
)
def test_no_guard_where_the_first_character_is_unknown(source: str, flags: int) -> None:
    assert fastre.first_chars(source, flags) is None
    compiled = fastre.compile(source, flags)
    assert compiled.pattern == source
    assert fastre.source(compiled) == source


@pytest.mark.parametrize(
    ("source", "flags", "text"),
    [
        ("k", re.I, "\u212a Kelvin, K, k"),  # case folding beyond ASCII works in the guard as in the pattern
        ("s", re.I, "\u017f S s"),
        ("σ", re.I, "Σ ς σ"),
        ("k", re.I | re.A, "\u212a K k"),
        (r"\bfoo|bar(?=x)", re.I, "FOO food barx BARX bar"),
        ("(?:先|又|再)?(?:就)?(?:(?<!反)问了?|考了?)|(?=手撕)", 0, "又问了反问考了手撕LRU，再就问"),
        (r"(?P<n>\d+)\s*面|(?P<named>终面|hr\s*面)", re.I, "1面 二面 HR 面 终面 12 面"),
        (r"[,，](?=\s*(?:我|他))|\s+(?=and )", 0, "问了A，我说B, 他说C and D"),
    ],
)
def test_a_guarded_pattern_finds_what_the_pattern_finds(source: str, flags: int, text: str) -> None:
    guarded = fastre.compile(source, flags)
    assert guarded.pattern != source
    assert fastre.source(guarded) == source
    plain = re.compile(source, flags)
    for start in range(len(text)):
        assert matches(guarded, text[start:]) == matches(plain, text[start:])


def _engine_patterns() -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for name in ("candidates", "clean", "leetcode", "meta", "questions", "rounds", "tips", "topics"):
        module = importlib.import_module(f"graph.offline.{name}")
        for attr, value in vars(module).items():
            items = value if isinstance(value, tuple) else (value,)
            for i, item in enumerate(items):
                for pattern in item if isinstance(item, tuple) else (item,):
                    if isinstance(pattern, re.Pattern) and fastre.source(pattern) != pattern.pattern:
                        found[f"{name}.{attr}[{i}]"] = pattern
    return found


def test_the_engines_guarded_patterns_find_what_they_found_before() -> None:
    patterns = _engine_patterns()
    # The rules the engine spends most of its time in are guarded.
    assert len(patterns) >= 50
    texts: list[str] = []
    for path in sorted((FIXTURES / "corpus").glob("*.txt")):
        clean = clean_text(decode_bytes(path.read_bytes())[0])
        texts += [clean, *clean.split("\n")]
    texts = list(dict.fromkeys(t for t in texts if t.strip()))
    for name, guarded in patterns.items():
        plain = re.compile(fastre.source(guarded), guarded.flags)
        for text in texts:
            assert [(m.span(), m.groups()) for m in guarded.finditer(text)] == [
                (m.span(), m.groups()) for m in plain.finditer(text)
            ], (name, text)
