"""Faster searches for the big alternations the rules are written in, with exactly the same matches.

Python's `re` tries a pattern such as `(?:先|又|再)?(?:问了?|考了?|…)|\\b(?:asked|…)` in full at every position
of a text. `compile` puts a lookahead in front that admits only the characters a match can start with
(`(?=[先又再问考…a…])`), so most positions are rejected in one step. The set is read off the parsed pattern;
where it cannot be known for sure (a match that may be empty, `.`, `[^…]`, inline flags), the pattern is
compiled as it is. The guard adds no group: match objects, `finditer`, `sub` and `split` behave exactly as
with `re.compile`. It pays off for unanchored alternations searched in many texts; a pattern anchored at
`^` or opening with a plain literal is as fast without it.
"""

from __future__ import annotations

import re

try:  # the parser is internal to `re`; without it a pattern simply stays as it is
    from re import _constants as _c
    from re import _parser

    _CATEGORIES = {
        _c.CATEGORY_DIGIT: r"\d",
        _c.CATEGORY_NOT_DIGIT: r"\D",
        _c.CATEGORY_SPACE: r"\s",
        _c.CATEGORY_NOT_SPACE: r"\S",
        _c.CATEGORY_WORD: r"\w",
        _c.CATEGORY_NOT_WORD: r"\W",
    }
except ImportError:  # pragma: no cover
    _parser = None


class _Unknown(Exception):
    """A match could start with any character: no guard."""


def _char(code: int) -> str:
    return f"\\U{code:08x}"


def _members(items: list) -> list[str]:
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(_char(av))
        elif op is _c.RANGE:
            out.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is _c.CATEGORY and av in _CATEGORIES:
            out.append(_CATEGORIES[av])
        else:
            raise _Unknown  # a negated set and anything unusual
    return out


# Where a match can start, as far as the pattern says: anywhere, at a word boundary, or at the start of the text.
_ANYWHERE, _AT_WORD, _AT_START = "", r"\b", r"\A"


def _sequence(items, where: str, multiline: bool) -> tuple[list[tuple[str, str]], bool]:
    """The characters a match of these items can start with, each with where it can start; and whether a
    match surely starts with one of them."""
    first: list[tuple[str, str]] = []
    for op, av in items:
        if op is _c.AT and av is _c.AT_BOUNDARY:
            where = where or _AT_WORD  # what follows starts here, so here is a word boundary
            continue
        if op is _c.AT and (av is _c.AT_BEGINNING_STRING or (av is _c.AT_BEGINNING and not multiline)):
            where = _AT_START
            continue
        chars, sure = _item(op, av, where, multiline)
        first += chars
        if sure:
            return first, True
    return first, False  # every item may match empty: what follows decides


def _item(op, av, where: str, multiline: bool) -> tuple[list[tuple[str, str]], bool]:
    if op is _c.LITERAL:
        return [(_char(av), where)], True
    if op is _c.IN:
        return [(member, where) for member in _members(av)], True
    if op is _c.AT or op is _c.ASSERT_NOT or (op is _c.ASSERT and av[0] < 0):
        return [], False  # zero width: the next item starts at the same place
    if op is _c.ASSERT:  # a lookahead: what it needs stands at this very place
        chars, sure = _sequence(av[1].data, where, multiline)
        return (chars, True) if sure else ([], False)
    if op is _c.SUBPATTERN:
        _, add_flags, del_flags, body = av
        if add_flags or del_flags:
            raise _Unknown
        return _sequence(body.data, where, multiline)
    if op is _c.ATOMIC_GROUP:
        return _sequence(av.data, where, multiline)
    if op is _c.BRANCH:
        first: list[tuple[str, str]] = []
        all_sure = True
        for alternative in av[1]:
            chars, sure = _sequence(alternative.data, where, multiline)
            first += chars
            all_sure = all_sure and sure
        return first, all_sure
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _, body = av
        chars, sure = _sequence(body.data, where, multiline)
        return chars, sure and low > 0
    raise _Unknown  # ".", "[^…]", back references, conditionals


def first_chars(pattern: str, flags: int = 0) -> str | None:
    """A condition every match of `pattern` meets where it starts (`[先又问]|\\b[aw]|\\A[q]`: one of these
    characters, or one of those at a word boundary, or that one at the start of the text); None when there is
    none for sure, or when the pattern is anchored at the start anyway (`re` tries only there)."""
    if _parser is None or flags & re.VERBOSE:
        return None
    try:
        chars, sure = _sequence(_parser.parse(pattern, flags).data, _ANYWHERE, bool(flags & re.MULTILINE))
    except (_Unknown, AttributeError, TypeError, ValueError, re.error):
        return None
    anywhere = list(dict.fromkeys(c for c, where in chars if where == _ANYWHERE))
    parts = ["[" + "".join(anywhere) + "]"] if anywhere else []
    for where in (_AT_WORD, _AT_START):
        only = [c for c in dict.fromkeys(c for c, w in chars if w == where) if c not in anywhere]
        if only:
            parts.append(where + "[" + "".join(only) + "]")
    if not sure or not parts or all(part.startswith(_AT_START) for part in parts):
        return None
    return "|".join(parts)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, guarded when a first character can be known: the same matches (spans,
    groups) on every text, found faster."""
    first = first_chars(pattern, flags)
    if first is not None:
        try:
            return re.compile(f"(?={first})(?:{pattern})", flags)
        except re.error:  # pragma: no cover - e.g. global inline flags, which must open a pattern
            pass
    return re.compile(pattern, flags)


_GUARD = re.compile(r"\(\?=[^()]*\)\(\?:(.*)\)\Z", re.S)  # a guard holds no bracket: see _char


def source(pattern: re.Pattern[str]) -> str:
    """The pattern as written, without its guard."""
    m = _GUARD.match(pattern.pattern)
    return m.group(1) if m else pattern.pattern
