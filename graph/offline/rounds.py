"""Split a cleaned post into interview rounds by their markers (一面, HR面, Round 1, Onsite …)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CN_NUM = "一二三四五六七八九十"
_ZH_MARKER = re.compile(
    rf"(?<![{_CN_NUM}\d])(?P<n>[一二三四五六七八九]|十[一二]?|\d)\s*面(?!试官|经|前|后|完|过|挂|的|试|评)"
    r"|(?P<named>终面|hr\s*面|hrbp面|交叉面|主管面|leader\s*面|总监面|老板面|大老板面|boss面|加面|笔试|群面|技术面|业务面|部门面"
    r"|机试|机考|复试|初试|hr面试|总裁面|vp面|cto面|无领导小组(?:讨论)?)"
    r"|(?<![一二三四五六七八九十\d])第?(?P<lun>[一二三四五六七八九]|\d)\s*轮(?!面试|技术面)"
    r"|面试(?P<mian>[一二三四五六七八九])(?=\s*[:：(（]|\s*$)"
    r"|^(?P<hr>hr)(?=\s*(?:[:：(（]|call|chat|$))",
    re.I | re.A,
)
_EN_MARKER = re.compile(
    r"\b(?:(?P<round>round|r|interview)\s*[-#]?\s*(?P<rn>\d+)"
    r"|(?P<ord>1st|2nd|3rd|[4-9]th|first|second|third|fourth|fifth)\s+round|(?P<hrcall>hr\s*(?:call|round|interview|screen|chat))|(?P<phone>phone\s*(?:screen|interview)|recruiter\s*(?:call|screen)"
    r"|technical\s*(?:phone\s*)?screen|tech\s*screen)|(?P<onsite>(?:virtual\s*)?onsite|vo)\s*[-#]?\s*(?P<on>\d+)?"
    r"|(?P<oa>online\s*assessment|oa)\b|(?P<hm>hiring\s*manager|hm)\s*(?:round|interview|chat)?"
    r"|(?P<final>final\s*(?:round|interview))|(?P<beh>behavio(?:u)?ral\s*(?:round|interview)))(?![a-z])",
    re.I | re.A,
)
_DECOR = re.compile(
    r"^[\s#*>|\-=_~【\[「『(（]*(?:\d\u20e3|part\s*\d+[:：]?|[一二三四五六七八九十]{1,2}[、.．]|\d{1,2}[、.．)）])?\s*"
)
_NOISE_TAIL = re.compile(
    r"[\s】\]」』)）*#:：\-—|,，.。=~·/]+|[(（][^)）]{0,24}[)）]|\d+\s*(?:min|mins|分钟|h|小时|minutes?)\b"
    r"|\d{1,2}[./月-]\d{1,2}日?|\d{4}[./年-]\d{1,2}(?:[./月-]\d{1,2})?",
    re.I | re.A,
)
_NOT_HEADER = re.compile(
    r"挂|过了|通过|结果|感谢信|凉|约了|约二|约三|问了|问我|让我|许愿|求|希望|还没|消息|泡池子|[+＋]|全记录|合集|汇总"
    r"|^\s*(?:面经|面试经验|经验|记录|分享|总结|复盘)|\?|？|。|！|!|，.*，"
)
# A heading the author set apart: 【一面】, [Round 1], **Recruiter screen (30 min)**.
_BRACKETED = re.compile(r"^[\s#=\-~]*(?:[【\[「]([^】\]」]{1,30})[】\]」]|\*\*([^*]{1,40})\*\*)")
_TITLE_WORDS = re.compile(r"面经|面试记录|全记录|合集|汇总|总结|分享")
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
    if gd.get("ord"):
        return f"Round {_ORDINALS[gd['ord'].lower()]}"
    if gd.get("mian"):
        return gd["mian"] + "面"
    if gd.get("lun"):
        n = gd["lun"]
        return (_CN_NUM[int(n) - 1] if n.isdigit() and 0 < int(n) <= 10 else n) + "面"
    if gd.get("hr") or gd.get("hrcall"):
        return "HR面"
    if gd.get("named"):
        named = re.sub(r"\s+", "", gd["named"]).lower()
        aliases = {
            "hr面": "HR面", "hrbp面": "HR面", "hr面试": "HR面", "leader面": "主管面", "老板面": "主管面",
            "大老板面": "总监面", "boss面": "主管面", "总裁面": "总监面", "vp面": "总监面", "cto面": "总监面",
            "机试": "笔试", "机考": "笔试", "初试": "一面", "无领导小组": "群面", "无领导小组讨论": "群面",
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


@dataclass(frozen=True)
class Header:
    label: str
    before: str  # text ahead of the marker, e.g. the company in "美团一面"
    content: str = ""  # what follows "一面：" on the same line, when it is the round's first content


def match_header(line: str, *, first_line: bool = False) -> Header | None:
    """The round heading on this line, if it is one."""
    stripped = line.strip()
    if not stripped or len(stripped) > 90 or line.startswith("  ") or _TIMELINE.match(stripped):
        return None
    bracketed = _BRACKETED.match(stripped)
    body = _DECOR.sub("", (bracketed.group(1) or bracketed.group(2)) if bracketed else stripped, count=1)
    # "一面（技术面，约1小时）": what the parentheses say does not make a second marker.
    body = re.sub(r"[(（][^)）]{0,40}[)）]", " ", body)
    # A heading may carry its round's asks after a colon ("二面：聊项目、KV cache原理、…"): only the part
    # ahead of the colon must be short.
    if len(re.split(r"[:：]", body, maxsplit=1)[0].strip()) > 48:
        return None
    markers = list(_ZH_MARKER.finditer(body)) or list(_EN_MARKER.finditer(body))
    if not markers:
        return None
    m = markers[0]
    before, after = body[: m.start()].strip(), body[m.end() :]
    zh = m.re is _ZH_MARKER
    if bracketed:
        # "【三面·交叉面】9.18 晚上", "【群面/无领导小组讨论】 约60min": the brackets say it is a heading;
        # "【腾讯WXG 后台开发 一面+二面 挂】" is the post's title.
        titled = (_NOT_HEADER.search(after) if zh else None) or len({x.group(0).lower() for x in markers}) > 2
        plural = zh and len({x.group(0).lower() for x in markers}) > 1 and not re.match(r"^\s*[·/、]", after)
        return Header(_canonical_label(m), before) if len(before) <= 16 and not titled and not plural else None
    # Two different Chinese markers is a title or a timeline ("一面二面已挂"), unless they are joined
    # as one name ("三面·交叉面"); English headings may stack ("VO round 1").
    # 技术面/业务面 describe the round another marker names ("第一轮：技术面").
    distinct = {x.group(0).lower() for x in markers} - ({"技术面", "业务面", "部门面"} if len(markers) > 1 else set())
    if zh and len(distinct) > 1 and not re.match(r"^\s*[·/、]", after):
        return None
    if first_line and _TITLE_WORDS.search(stripped):
        return None  # "字节大模型一面面经｜附答案" is the post's title
    if len(before) > (24 if not zh else 16) or re.search(r"[，,！!。？?]", before) or _NOT_HEADER.search(before):
        return None
    inline = re.match(r"^\s*[:：]\s*(\S.*)$", after)
    content = inline.group(1).strip() if inline else ""
    described = re.search(r"为主|主要|全程|偏|比较|很|挺|\bwith\b|\bmostly\b|\bmainly\b", content, re.I)
    if not zh and "?" not in content and len(content.split()) < 6 and not re.search(r"[\u4e00-\u9fff]", content):
        described = True  # "VO 2: system design" names the round's kind
    if (
        inline
        and not described
        and not re.match(r"^\d", content)
        and (len(_NOISE_TAIL.sub("", content)) > 8 or re.search(r"[、，,?？]", content))
    ):
        # "一面：自我介绍、RoPE、手撕快排", "Round 1: 自我介绍，然后问了…": a heading with its content.
        return Header(_canonical_label(m), before, inline.group(1).strip())
    rest = _NOISE_TAIL.sub(" ", after).strip()
    # "VO Round 1 - Coding + LP" is an English heading; "笔试+三轮面试" is a Chinese title.
    if _NOT_HEADER.search(after.replace("+", " ") if not zh else after):
        return None
    if zh:
        # "二面纯数学问得有点懵，第二题…" is narration that opens with the round.
        if len(rest) > 20 or re.search(r"[，,]|问得|有点|懵|感觉|答得|写得", after):
            return None
    elif len(rest) > 40 or re.search(r"\b(?:asked|was|were|did|had|went|got|is|are)\b", after, re.I | re.A):
        return None
    return Header(_canonical_label(m), before)


def is_round_header(line: str) -> bool:
    return match_header(line) is not None


_LEADING_MARKER = re.compile(
    rf"^(?:[{_CN_NUM}]面|终面|hr面|交叉面|主管面|加面)(?=[是的：:，,\s]|隔|约|那|这|面试官|就|也|主要|基本|比较|很)",
    re.I,
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
    "6th": 6,
    "7th": 7,
    "8th": 8,
    "9th": 9,
}


_EN_ROUND_OPENING = re.compile(r"^round (\d+) (?:was|is|went|started|began|had)\b", re.I | re.A)


def _leading_header(line: str) -> Header | None:
    stripped = line.strip()
    ordinal = _EN_ORDINAL.match(stripped)
    if ordinal:
        return Header(f"Round {_ORDINALS[ordinal.group(1).lower()]}", "")
    opening = _EN_ROUND_OPENING.match(stripped)
    if opening:
        return Header(f"Round {opening.group(1)}", "")  # "Round 2 was heavy on coding. First problem: …"
    lead = _LEADING_MARKER.match(stripped)
    # Parse just the marker: "二面的时候…" must not trip the lookaheads that guard "二面的面试官" mid-line.
    m = _ZH_MARKER.match(lead.group(0) + " ") if lead else None
    return Header(_canonical_label(m), "") if m else None


def split_sections(clean: str) -> tuple[str, list[Section]]:
    """(intro text, rounds). A post without any marker is one round with label None."""
    from graph.offline.resources import companies

    index = companies()
    lines = clean.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    headers = [match_header(line, first_line=i == first) for i, line in enumerate(lines)]
    leading = False
    if not any(headers):
        # Prose posts open a paragraph with the round: "二面隔了三天，面试官…".
        headers = [_leading_header(line) for line in lines]
        leading = True
    intro: list[str] = []
    sections: list[Section] = []
    for line, header in zip(lines, headers, strict=True):
        if header and leading:
            sections.append(Section(label=header.label, company=None, header="", lines=[line]))
        elif header:
            company = index.first(header.before) if header.before else None
            # The asks listed after "一面：" are questions: a bullet says so to the extractor, unless they
            # are narrated ("自我介绍，然后问了…"), which the prose reader handles.
            narrated = re.search(r"问了|让我|问我|asked|had me", header.content, re.I)
            body = [header.content if narrated else f"- {header.content}"] if header.content else []
            sections.append(Section(label=header.label, company=company, header=line.strip(), lines=body))
        elif sections:
            sections[-1].lines.append(line)
        else:
            intro.append(line)
    # "Onsite (4 rounds)" followed straight by "Round 1": an umbrella heading, not a round.
    sections = [s for i, s in enumerate(sections) if any(x.strip() for x in s.lines) or i == len(sections) - 1]
    if not sections:
        return "", [Section(label=None, company=None, header="", lines=intro)]
    return "\n".join(intro), sections
