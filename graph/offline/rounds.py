"""Split a cleaned post into interview rounds by their markers (一面, HR面, Round 1, Onsite …)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CN_NUM = "一二三四五六七八九十"
_ZH_MARKER = re.compile(
    rf"(?<![{_CN_NUM}\d])(?P<n>[一二三四五六七八九]|十[一二]?|\d)\s*面(?!试官|经|前|后|完|过|挂|的|试|评)"
    r"|(?P<named>终面|hr\s*面|hrbp面|交叉面|主管面|leader\s*面|总监面|老板面|大老板面|boss面|加面|笔试|群面|技术面|业务面|部门面"
    r"|机试|复试|初试|hr面试|总裁面|vp面|cto面)",
    re.I | re.A,
)
_EN_MARKER = re.compile(
    r"\b(?:(?P<round>round|r)\s*[-#]?\s*(?P<rn>\d+)|(?P<phone>phone\s*(?:screen|interview)|recruiter\s*(?:call|screen)"
    r"|technical\s*(?:phone\s*)?screen|tech\s*screen)|(?P<onsite>(?:virtual\s*)?onsite|vo)\s*[-#]?\s*(?P<on>\d+)?"
    r"|(?P<oa>online\s*assessment|oa)\b|(?P<hm>hiring\s*manager|hm)\s*(?:round|interview|chat)?"
    r"|(?P<final>final\s*round)|(?P<beh>behavio(?:u)?ral\s*(?:round|interview)))(?![a-z])",
    re.I | re.A,
)
_DECOR = re.compile(
    r"^[\s#*>|\-=_~【\[「『(（]*(?:\d\u20e3|part\s*\d+[:：]?|[一二三四五六七八九十]{1,2}[、.．]|\d{1,2}[、.．)）])?\s*"
)
_NOISE_TAIL = re.compile(
    r"[\s】\]」』)）*#:：\-—|,，.。]+|[(（][^)）]{0,24}[)）]|\d+\s*(?:min|mins|分钟|h|小时|minutes?)\b"
    r"|\d{1,2}[./月-]\d{1,2}日?|\d{4}[./年-]\d{1,2}(?:[./月-]\d{1,2})?",
    re.I | re.A,
)
_NOT_HEADER = re.compile(
    r"挂|过了|通过|结果|感谢信|凉|约了|约二|约三|问了|问我|让我|许愿|求|希望|还没|消息|轮|[+＋]|全记录|合集|汇总|\?|？|。|，.*，"
)
_TIMELINE = re.compile(r"^\s*\d{1,2}[./月]\d{1,2}日?\s")


@dataclass
class Section:
    label: str | None
    company: str | None
    header: str
    lines: list[str] = field(default_factory=list)


def _canonical_label(m: re.Match[str]) -> str:
    gd = m.groupdict()
    if gd.get("n"):
        n = gd["n"]
        return (_CN_NUM[int(n) - 1] if n.isdigit() and 0 < int(n) <= 10 else n) + "面"
    if gd.get("named"):
        named = re.sub(r"\s+", "", gd["named"]).lower()
        aliases = {
            "hr面": "HR面", "hrbp面": "HR面", "hr面试": "HR面", "leader面": "主管面", "老板面": "主管面",
            "大老板面": "总监面", "boss面": "主管面", "总裁面": "总监面", "vp面": "总监面", "cto面": "总监面",
            "机试": "笔试", "初试": "一面",
        }  # fmt: skip
        return aliases.get(named, named)
    if gd.get("round"):
        return f"Round {gd['rn']}"
    if gd.get("phone"):
        return "Phone Screen"
    if gd.get("onsite"):
        return f"Onsite {gd['on']}" if gd.get("on") else "Onsite"
    if gd.get("oa"):
        return "OA"
    if gd.get("hm"):
        return "Hiring Manager"
    if gd.get("final"):
        return "Final Round"
    return "Behavioral"


def match_header(line: str) -> tuple[str, str] | None:
    """(label, text before the marker) if the line is a round heading, else None."""
    stripped = line.strip()
    if not stripped or len(stripped) > 90 or line.startswith("  "):
        return None
    body = _DECOR.sub("", stripped, count=1)
    # "一面（技术面，约1小时）": what the parentheses say does not make a second marker.
    body = re.sub(r"[(（][^)）]{0,40}[)）]", " ", body)
    if len(body.strip()) > 48:
        return None
    markers = list(_ZH_MARKER.finditer(body)) or list(_EN_MARKER.finditer(body))
    if not markers or _TIMELINE.match(stripped):
        return None
    # Two Chinese markers is a title or a timeline ("一面二面已挂"); English headings may stack ("VO round 1").
    if markers[0].re is _ZH_MARKER and len({m.group(0).lower() for m in markers}) > 1:
        return None
    m = markers[0]
    before, after = body[: m.start()], body[m.end() :]
    rest = _NOISE_TAIL.sub(" ", after).strip()
    en = m.re is _EN_MARKER
    if en:
        # "Round 1 (Coding)", "Onsite - System Design": a short title may follow an English marker.
        if (
            len(rest) > 40
            or _NOT_HEADER.search(after)
            or re.search(r"\b(?:asked|was|were|did|had)\b", after, re.I | re.A)
        ):
            return None
        if before.strip() and len(before.strip()) > 24:
            return None
    else:
        if len(rest) > 12 or _NOT_HEADER.search(after) or len(before.strip()) > 16:
            return None
        if _NOT_HEADER.search(before) or re.search(r"[，,！!]", before):
            return None
    return _canonical_label(m), before.strip()


def is_round_header(line: str) -> bool:
    return match_header(line) is not None


_LEADING_MARKER = re.compile(
    rf"^(?:[{_CN_NUM}]面|终面|hr面|交叉面|主管面|加面)(?=[是的：:，,\s]|隔|约|那|这|面试官)", re.I
)


_EN_ORDINAL = re.compile(
    r"^(?:in |during )?the (first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th) (?:round|interview)\b", re.I | re.A
)
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
}


def _leading_header(line: str) -> tuple[str, str] | None:
    stripped = line.strip()
    ordinal = _EN_ORDINAL.match(stripped)
    if ordinal:
        return f"Round {_ORDINALS[ordinal.group(1).lower()]}", ""
    m = _ZH_MARKER.match(stripped) if _LEADING_MARKER.match(stripped) else None
    return (_canonical_label(m), "") if m else None


def split_sections(clean: str) -> tuple[str, list[Section]]:
    """(intro text, rounds). A post without any marker is one round with label None."""
    from graph.offline.resources import companies

    index = companies()
    lines = clean.split("\n")
    headers = [match_header(line) for line in lines]
    if not any(headers):
        # Prose posts open a paragraph with the round: "二面隔了三天，面试官…".
        headers = [_leading_header(line) for line in lines]
    intro: list[str] = []
    sections: list[Section] = []
    for line, header in zip(lines, headers, strict=True):
        leading = _LEADING_MARKER.match(line.strip()) or _EN_ORDINAL.match(line.strip())
        if header and header[1] == "" and leading and len(line.strip()) > 12:
            sections.append(Section(label=header[0], company=None, header="", lines=[line]))
        elif header:
            label, before = header
            company = index.first(before) if before else None
            sections.append(Section(label=label, company=company, header=line.strip()))
        elif sections:
            sections[-1].lines.append(line)
        else:
            intro.append(line)
    # "Onsite (4 rounds)" followed straight by "Round 1": an umbrella heading, not a round.
    sections = [s for i, s in enumerate(sections) if any(x.strip() for x in s.lines) or i == len(sections) - 1]
    if not sections:
        return "", [Section(label=None, company=None, header="", lines=intro)]
    return "\n".join(intro), sections
