"""Split a cleaned post into interview rounds by their markers (一面, HR面, Round 1, Onsite …)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from graph.offline import fastre

_CN_NUM = "一二三四五六七八九十"
_ZH_MARKER = fastre.compile(
    rf"(?<![{_CN_NUM}\d])(?P<n>[一二三四五六七八九]|十[一二]?|\d)\s*面(?!试官|经|前|后|完|过|挂|的|试|评)"
    r"|(?P<named>终面|hr\s*面|hrbp面|交叉面|主管面|leader\s*面|总监面|老板面|大老板面|boss面|加面|笔试|群面|技术面|业务面|部门面"
    r"|机试|机考|复试|初试|初面|复面|hr面试|总裁面|vp面|cto面|无领导小组(?:讨论)?)"
    r"|(?P<phonezh>店面|电面|电话面试?)"
    r"|(?<![一二三四五六七八九十\d])第?(?P<lun>[一二三四五六七八九]|十[一二三四五六七八九]?|\d{1,6})\s*轮(?!面试|技术面)"
    r"|第(?P<ren>[一二三四五六七八九]|十[一二三四五六七八九]?|\d{1,6})\s*(?:个人|个面试官|位面试官|次面试?)"
    r"|面试(?P<mian>[一二三四五六七八九])(?=\s*[:：(（]|\s*$)"
    r"|^(?P<hr>hr)(?=\s*(?:[:：(（]|call|chat|$))",
    re.I | re.A,
)
_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8,
    "9th": 9, "10th": 10,
}  # fmt: skip
_ORDINALS = _EN_ORDINALS
_EN_MARKER = fastre.compile(
    r"\b(?:(?P<round>round|r|interview)\s*[-#]?\s*(?P<rn>\d+)"
    r"|(?P<ord>1st|2nd|3rd|[4-9]th|10th|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+round"
    r"|(?P<hrcall>hr\s*(?:call|round|interview|screen|chat))"
    r"|(?P<phone>phone\s*(?:screen|interview)|recruiter\s*(?:call|screen)|telephonic\s*(?:round|interview)"
    r"|technical\s*(?:phone\s*)?screen|tech\s*screen|ps\s*-?\s*(?P<ps>\d+))"
    r"|(?P<onsite>(?:virtual\s*)?onsite|vo)\s*[-#]?\s*(?P<on>\d+)?"
    r"|(?P<oa>online\s*assessment|oa)\b|(?P<hm>hiring\s*manager|hm)\s*(?:round|interview|chat)?"
    r"|(?P<final>final\s*(?:round|interview))|(?P<beh>behavio(?:u)?ral\s*(?:round|interview))"
    r"|(?P<match>(?:host|team)[\s-]*match(?:ing)?(?:\s*(?:call|round|interview|chat))?)"
    r"|(?P<kind>(?:coding|technical|system\s*design|design|machine\s*coding|managerial|bar\s*raiser"
    r"|culture\s*fit|problem\s*solving|screening|ds\s*/?\s*algo|dsa)\s+(?:round|interview)(?!\s*[-#]?\s*\d)))(?![a-z])",
    re.I | re.A,
)
# A date or clock time ahead of the marker: "2024.8.19二面", "2.10 11点一面", "9月3日 一面".
_DATE = (
    r"(?:\d{4}[./年-]\d{1,2}(?:[./月-]\d{1,2}[日号]?)?|\d{1,2}[./月]\d{1,2}[日号]?)"
    r"(?:\s*(?:上午|下午|晚上|早上|中午)?\s*\d{1,2}(?:[:：]\d{2}|点半?(?:\d{1,2}分?)?))?"
)
_DECOR = re.compile(
    r"^[\s#*_>|\-=~【\[「『(（]*"
    rf"(?:\d\u20e3|part\s*\d+[:：]?|{_DATE}(?=\s|[^\x00-\x7f])|[一二三四五六七八九十]{{1,2}}[、.．]|\d{{1,6}}[、.．)）])?[\s*_#>]*",
    re.I,
)
_NOISE_TAIL = fastre.compile(
    r"[\s】\]」』)）*#:：\-—|,，.。=~·/]+|[(（][^)）]{0,24}[)）]|\d+\s*(?:min|mins|分钟|h|小时|minutes?)\b"
    r"|\d{1,2}[./月-]\d{1,2}日?|\d{4}[./年-]\d{1,2}(?:[./月-]\d{1,2})?",
    re.I | re.A,
)
_NOT_HEADER = fastre.compile(
    r"挂|过了|通过|结果|感谢信|凉|约了|约二|约三|问了|问我|让我|许愿|求|希望|还没|消息|泡池子|[+＋]|全记录|合集|汇总|请看|详情"
    r"|^\s*(?:面经|面试经验|经验|记录|分享|总结|复盘)|\?|？|。|！|!|，.*，"
)
# A heading the author set apart: 【一面】, [Round 1], **Recruiter screen (30 min)**, *HR Interview*.
_BRACKETED = re.compile(
    r"^[\s#=\-~]*(?:[【\[「]([^】\]」]{1,30})[】\]」](?!\()|\*\*([^*]{1,40})\*\*|\*([^*\s][^*]{0,40})\*(?!\*)|__([^_]{1,40})__)"
)
_TITLE_WORDS = fastre.compile(r"面经|面试记录|全记录|合集|汇总|总结|分享|实录|\binterview experiences?\b", re.I)
# "After a week of the first round": a round named inside a sentence, not a heading.
_EN_MENTION = fastre.compile(
    r"\b(?:the|this|that|my|a|an|each|every|per|next|last|previous|of|in|after|before|for|all|to)\s*$", re.I
)
# "*1st Software Specific Round*", "## Trading Software Interview": a set-apart title naming a round.
_EN_TITLE = re.compile(
    r"^(?:(?P<ord>1st|2nd|3rd|[4-9]th|10th|first|second|third|fourth|fifth|sixth|seventh)\s+)?"
    r"(?P<words>(?:[a-z][\w/+&.-]*\s+){0,4}?)(?:round|interview)\s*$",
    re.I | re.A,
)
_EN_FUNCTION_WORDS = fastre.compile(
    r"\b(?:the|this|that|my|your|our|an?|of|in|about|for|to|after|before|all|each|how|what|why|during|main|first"
    r"|last|general|common|some|more|next|final|typical)\b",
    re.I,
)
# What a heading is about when the round words only qualify it: "Coding Interview Tips".
_EN_NOT_ROUND = re.compile(
    r"^[\s:*_-]*(?:tips?|prep(?:aration)?|materials?|resources?|advice|questions?\s+(?:to|for)\b|experiences?|process"
    r"|guides?|strateg(?:y|ies)|tricks|structure|format|checklist|summary|overview|timeline|journey|stages?)\b",
    re.I,
)
_ZH_HINT = fastre.compile(r"[面轮试考第]|无领导|hr", re.I)
_MD_LEVEL = re.compile(r"^\s*(#{1,6})")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+面|Round \d+|Onsite \d+|Phone Screen \d+|第.+轮)$")


@dataclass
class Section:
    label: str | None
    company: str | None
    header: str
    lines: list[str] = field(default_factory=list)


def _zh_number(n: str) -> int:
    if n.isdigit():
        return int(n)
    if n.startswith("十"):
        return 10 + (_CN_NUM.index(n[1]) + 1 if len(n) > 1 else 0)
    return _CN_NUM.index(n) + 1


def _zh_label(n: str) -> str:
    k = _zh_number(n)
    return _CN_NUM[k - 1] + "面" if 0 < k <= 10 else f"Round {k}"


def _canonical_label(m: re.Match[str]) -> str:
    gd = m.groupdict()
    if gd.get("n"):
        return _zh_label(gd["n"])
    if gd.get("ord"):
        return f"Round {_EN_ORDINALS[gd['ord'].lower()]}"
    if gd.get("mian"):
        return gd["mian"] + "面"
    for key in ("lun", "ren"):
        if gd.get(key):
            return _zh_label(gd[key])
    if gd.get("phonezh"):
        return "Phone Screen"
    if gd.get("hr") or gd.get("hrcall"):
        return "HR面"
    if gd.get("named"):
        named = re.sub(r"\s+", "", gd["named"]).lower()
        aliases = {
            "hr面": "HR面", "hrbp面": "HR面", "hr面试": "HR面", "leader面": "主管面", "老板面": "主管面",
            "大老板面": "总监面", "boss面": "主管面", "总裁面": "总监面", "vp面": "总监面", "cto面": "总监面",
            "机试": "笔试", "机考": "笔试", "初试": "一面", "初面": "一面", "复面": "复试", "无领导小组": "群面",
            "无领导小组讨论": "群面",
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
    if gd.get("kind"):
        return "Round"
    if gd.get("match"):
        return "Team Match"
    return "Behavioral"


@dataclass(frozen=True)
class Header:
    label: str
    before: str  # text ahead of the marker, e.g. the company in "美团一面"
    content: str = ""  # what follows "一面：" on the same line, when it is the round's first content


def _title_header(body: str) -> Header | None:
    """A set-apart English title that names a round without a number: "HR Interview", "Coding Round"."""
    title = _EN_TITLE.match(body.strip())
    if not title:
        return None
    words = title.group("words").strip()
    if not (words or title.group("ord")) or _EN_FUNCTION_WORDS.search(words) or len(words) > 40:
        return None
    if title.group("ord"):
        return Header(f"Round {_EN_ORDINALS[title.group('ord').lower()]}", "")
    low = words.lower()
    if re.search(r"\bhr\b|human resources?", low):
        return Header("HR面", "")
    if re.search(r"phone|recruit|telephon", low):
        return Header("Phone Screen", "")
    if re.search(r"hiring manager|\bhm\b|manager", low):
        return Header("Hiring Manager", "")
    return Header("Round", "")


_HR_ASIDE = re.compile(r"^[^(（]{0,40}(?:[(（]\s*(?:hr|human\s+resources?)\b[^)）]{0,20}[)）])", re.I | re.A)


def match_header(line: str, *, first_line: bool = False) -> Header | None:
    """The round heading on this line, if it is one; "Seventh round (HR)" is the HR round."""
    header = _match_header(line, first_line=first_line)
    if header and header.label.startswith("Round") and _HR_ASIDE.match(line.strip()):
        return Header("HR面", header.before, header.content)
    return header


_BULLET = re.compile(r"[-*•+]\s|\d{1,2}[.)]\s")
_INDEX_LINK = re.compile(r"(?:[-*+]\s*)?\[[^\]]{0,80}\]\([^)]*\)\s*$")
_COLON = re.compile(r"[:：]")
_SHORT_ASIDE = re.compile(r"[(（][^)）]{0,40}[)）]")
_ARROW_TAIL = fastre.compile(r"\s*(?:-+>|→|=>).*$|[(（][^)）]{0,60}$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _match_header(line: str, *, first_line: bool = False) -> Header | None:
    stripped = line.strip()
    if not stripped:
        return None
    # An indented line is an answer, unless it is a bullet that opens with the round ("  * Round 1: …").
    indented = line.startswith("  ")
    if indented and not _BULLET.match(stripped):
        return None
    if _INDEX_LINK.match(stripped):
        return None  # "- [字节一面](a.md)": a link in an index
    colon = _COLON.search(stripped[:60])
    if len(stripped) > 90 and not colon:
        return None
    # Only the head of a long line can be a heading: look no further (a 2 MB line stays cheap).
    full, stripped = stripped, stripped[:300]
    bracketed = _BRACKETED.match(stripped)
    inner = next((g for g in bracketed.groups() if g), "") if bracketed else ""
    body = _DECOR.sub("", inner if bracketed else stripped, count=1)
    # "一面（技术面，约1小时）": what the parentheses say does not make a second marker; nor does an aside
    # after an arrow ("一面 --> 基础面/项目面/终面"), nor a parenthesis left open at the end of the line.
    body = _SHORT_ASIDE.sub(" ", body)
    body = _ARROW_TAIL.sub(" ", body)
    set_apart = bool(bracketed) or bool(_MD_LEVEL.match(stripped))
    # The post's first line is its title ("# Amazon Interview"), unless it is a section heading ("## Coding Round").
    if set_apart and not (first_line and not stripped.startswith("##")) and not _HAN.search(body):
        title = _title_header(_NOISE_TAIL.sub(" ", body).strip() if not bracketed else body)
        if title and not (indented or len(body) > 60):
            return title
    # A heading may carry its round's asks after a colon ("二面：聊项目、KV cache原理、…"): only the part
    # ahead of the colon must be short.
    head = re.split(r"[:：]", body, maxsplit=1)[0]
    if len(head.strip()) > 48:
        return None
    markers = (list(_ZH_MARKER.finditer(body)) if _ZH_HINT.search(body) else []) or list(_EN_MARKER.finditer(body))
    if not markers:
        return None
    m = markers[0]
    if len(stripped) > 90 and m.start() > len(head):
        return None
    before, after = body[: m.start()].strip(), body[m.end() :]
    zh = m.re is _ZH_MARKER
    if not zh and _EN_NOT_ROUND.match(after):
        return None  # "Coding Interview Tips", "Phone screen preparation": about rounds, not one
    if indented and before:
        return None
    ahead = body[max(0, m.start() - 20) : m.start()]
    if not zh and (_EN_MENTION.search(ahead) or re.search(r"[-_./]$", ahead)):
        return None  # "after the first round", "DeepSeek-R1"
    if bracketed:
        # "【三面·交叉面】9.18 晚上", "【群面/无领导小组讨论】 约60min": the brackets say it is a heading;
        # "【腾讯WXG 后台开发 一面+二面 挂】" is the post's title.
        titled = (_NOT_HEADER.search(after) or re.search(r"[，,]", after) if zh else None) or len(
            {x.group(0).lower() for x in markers}
        ) > 2
        plural = zh and len({x.group(0).lower() for x in markers}) > 1 and not re.match(r"^\s*[·/、]", after)
        if zh and (_NOT_HEADER.search(before) or re.search(r"如果|因为|所以|但是|[，,]", before)):
            return None
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
    if zh and re.search(r"(?:约|等|准备|安排|面完|开始)$", before):
        return None  # "面完半小时就约二面了": the next round announced, not opened
    if not zh and m.group("onsite") and not m.group("on"):
        numbered = next((x for x in markers[1:] if x.group("rn")), None)
        if numbered:
            return Header(f"Onsite {numbered.group('rn')}", before)  # "Onsite Round 1 - Coding"
    inline = re.match(r"^\s*[:：]\s*(\S.*)$", after)
    content = inline.group(1).strip() if inline else ""
    if inline and colon and len(full) > len(stripped):
        content = full[colon.end() :].strip()
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
        return Header(_canonical_label(m), before, content)
    if len(stripped) > 90:
        # A long line opened by "Round 2: …" is the round with its account on the same line.
        return Header(_canonical_label(m), before, content) if content and not before else None
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


_ORD_WORDS = r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|1st|2nd|3rd|[4-9]th|10th"
# A sentence that opens with the round it tells: "In the first phone interview, …", "This final round of interviews
# involved …", "The second one was …", "1st was an essay round …" (after "There were 2 rounds.").
_ORD_LEAD = r"(?:(?:in|during|for|at)\s+)?(?:(?:the|this|that|my|our)\s+)?"
# Tried only around an ordinal word (_ORD_HIT): an attempt at every offset of a 2 MB line is slow.
_ORD_HIT = fastre.compile(rf"\b(?:{_ORD_WORDS}|last|final)\b", re.I | re.A)
_EN_ORDINAL = re.compile(
    rf"(?:^\s*|[.!?;]\s{{1,2}})(?P<lead>{_ORD_LEAD})(?P<w>(?P<ord>{_ORD_WORDS})|last|final)\b"
    r"(?:(?P<noun>(?:[\s-]+(?!rounds?\b|interviews?\b)[a-z]+){0,2}?[\s-]+(?:round|interview|conversation|call|screen)\b"
    r"(?!s))|(?:\s+one)?\s+(?:was|is)\b)",
    re.I | re.A,
)
# "After that some were shortlisted for interviews": the story moves on to the next round.
_NEXT_HIT = re.compile(r"\b(?:after\s+that|afterwards|then|next|later(?:\s+on)?|subsequently|finally)\b", re.I | re.A)
_NEXT_ROUND = re.compile(r"[^.!?]{0,60}?\b(?:interviews?|round)\b", re.I | re.A)
_STOP_BEFORE = re.compile(r"[.!?;]\s{1,2}$")


_EN_ROUND_OPENING = re.compile(r"^round (\d+)(?: (?:was|is|went|started|began|had)\b|\s*[:：.\-–—])", re.I | re.A)
# Prose that opens a sentence with the round: "一面是…", "二面隔了三天…", "隔了三天二面来了", "第二轮，…".
_GAP = r"(?:然后|接着|之后|后来|最后|第二天|次日|(?:隔|过)了?[\d一二两三四五六七八九十几]+[天周]|[\d一二两三四五六七八九十几]+[天周]后)，?"
_ZH_OPENING = fastre.compile(
    rf"(?:^|(?<=[。！？!?；;，,])|(?<=[。！？!?；;，,\u4e00-\u9fff]\s))(?:{_GAP})?"
    rf"(?:(?P<lun>第(?:[{_CN_NUM}]{{1,3}}|\d{{1,6}})轮)(?!面试|技术面|的|通过|挂|结束|都|也)"
    # 电面 and onsite are also plain nouns ("电面就准备电面的题"): only a pause or a verb opens the round.
    r"|(?P<noun>电面|店面|onsite)(?=[：:，,]|是|的时候|来了|开始)"
    rf"|(?P<mian>[{_CN_NUM[:-1]}]面|终面|hr面|交叉面|主管面|加面)"
    r"(?=[是的：:，,\s]|隔|约|那|这|面试官|就|也|主要|基本|比较|很|来了|开始))",
    re.I,
)
# "1. **Telephonic round with Recruiting team** - …": a numbered paragraph that names a round.
_NUMBERED_ROUND = re.compile(
    r"^\d{1,3}[.)]\s+(?:\*\*?)?(?P<title>[^*:\n]{0,60}?\b(?:round|interview|call|screen(?:ing)?|assessment|onsite)\b"
    r"[^*:\n]{0,40}?)(?:\*\*?)?\s*(?:[-–—:]|$)",
    re.I | re.A,
)


def _en_openings(line: str, opened: dict[str, None]) -> list[tuple[int, str]]:
    """(offset, label) of the English rounds a prose line opens: a sentence that opens with the round it tells
    ("In the first phone interview, …", "This final round of interviews involved …", "1st was an essay round",
    "The second one was …"), or moves on to the next one ("After that … interviews …"). `opened` holds the
    labels opened so far: a round told of again ("the first interview" later on) opens nothing."""
    stripped = line.lstrip()
    shift = len(line) - len(stripped)
    opening = _EN_ROUND_OPENING.match(stripped)
    if opening:
        label = f"Round {opening.group(1)}"  # "Round 2 was heavy on coding. First problem: …"
        opened[label] = None
        return [(0, label)]
    hits: list[tuple[int, str | None]] = []  # (offset, label); None: the next round
    seen: set[str] = set()
    for hit in _ORD_HIT.finditer(stripped):
        n = _EN_ORDINALS.get(hit.group(0).lower())
        label = f"Round {n}" if n else "Final Round"
        if label in opened or label in seen:
            continue  # told already: only its first opening counts (and a long line stays cheap)
        m = _EN_ORDINAL.search(stripped, max(0, hit.start() - 30), hit.end() + 120)
        if not m or m.start("w") != hit.start() or not (m.group("noun") or m.group("ord")):
            continue  # "The last was …" names no round
        seen.add(label)
        hits.append((m.start("lead"), label))
    if opened or hits:
        hits += [
            (m.start(), None)
            for m in _NEXT_HIT.finditer(stripped)
            if (m.start() == 0 or _STOP_BEFORE.search(stripped, max(0, m.start() - 3), m.start()))
            and _NEXT_ROUND.match(stripped, m.end())
        ]
    out: list[tuple[int, str]] = []
    for start, label in sorted(hits, key=lambda x: x[0]):
        if label is None:
            if not opened:
                continue  # "Then …" moves on only from a round already told
            last = _label_number(next(reversed(opened)))
            label = f"Round {last + 1}" if last else "Round"
        if label in opened:
            continue
        opened[label] = None
        out.append((start + shift, label))
    return out


@functools.lru_cache(maxsize=4096)
def _marker_label(text: str) -> str | None:
    if text.lower() == "onsite":
        return "Onsite"
    m = _ZH_MARKER.match(text + " ")
    return _canonical_label(m) if m else None


@functools.lru_cache(maxsize=4096)
def _label_number(label: str) -> int | None:
    m = re.match(r"(?:Round|Onsite) (\d+)$|(.)面$", label)
    if not m:
        return None
    return int(m.group(1)) if m.group(1) else (_CN_NUM.index(m.group(2)) + 1 if m.group(2) in _CN_NUM else None)


_ONSITE_WORD = re.compile(r"\bonsite\b|\bon-site\b|现场面", re.I | re.A)


def _prose_openings(line: str, onsite: bool = False) -> list[tuple[int, str]]:
    """(offset, label) of every round a prose line opens; chained markers ("onsite，第一轮，") name one round,
    unless they count on ("第五轮，第六轮…": two rounds). Once the story has reached the onsite (`onsite`),
    its 第N轮 are "Onsite N"."""
    out: list[tuple[int, str]] = []
    last_end = -10
    for m in _ZH_OPENING.finditer(line):
        group = m.lastgroup or "mian"
        label = _marker_label(m.group(group))
        if label is None:
            continue
        if group == "lun" and (onsite or (out and out[-1][1] == "Onsite" and m.start(group) - last_end <= 1)):
            label = f"Onsite {_label_number(label)}"
        if out and m.start(group) - last_end <= 1:
            prev = _label_number(out[-1][1])
            if prev is None or _label_number(label) != prev + 1:
                out[-1] = (out[-1][0], label)  # "onsite，第一轮": the umbrella gives way to the round
                last_end = m.end()
                continue
            out.append((m.start(group), label))
        else:
            out.append((m.start(), label))
        last_end = m.end()
    return out


# "…策略模式应用场景二面15min": a round glued to the end of the previous line (a flattened paste).
_GLUED = fastre.compile(
    rf"(?<=[^\s\d{_CN_NUM}])(?P<m>[{_CN_NUM[:-1]}]面|终面|hr面|加面)\s*\d{{1,3}}\s*(?:min|mins|分钟|h|小时)\s*$", re.I
)
_COMPANY_SUFFIX = fastre.compile(
    r"(?:科技|智能|集团|公司|网络|银行|证券|研究院|实验室|汽车|机器人|\bInc\.?|\bLtd\.?|\bLabs?)$"
)


def _company_heading(line: str, index) -> str | None:
    """The company a heading names when it names nothing else: "## 美团", "**Google**:", "超参数科技：",
    "# Google, SWE Intern", "## 二、得物"."""
    stripped = line.strip()
    if not stripped or len(stripped) > 40 or line.startswith(" "):
        return None
    md = _MD_LEVEL.match(stripped)
    bracketed = _BRACKETED.match(stripped)
    colon_end = re.search(r"[:：]\s*$", stripped)
    if not (md or bracketed or colon_end):
        return None
    text = (next(g for g in bracketed.groups() if g) if bracketed else stripped).strip()
    text = re.sub(r"^[#\s*]+|[\s:：*]+$", "", text)
    text = re.sub(r"^(?:[一二三四五六七八九十]{1,2}|\d{1,2})[、.．]\s*", "", text)
    if not text or re.search(r"[?？。！!]", text) or _TITLE_WORDS.search(text):
        return None
    if _ZH_MARKER.search(text) or _EN_MARKER.search(text) or _title_header(text):
        return None
    name = re.split(r"[,，、|｜/(（\-—]", text, maxsplit=1)[0].strip()
    found = index.first(name) if name else None
    if found and len(name) <= 20:
        return found
    # "## 网络" is a topic: a company name says more than its suffix.
    suffix = _COMPANY_SUFFIX.search(name)
    if md and suffix and suffix.start() > 0 and len(name) <= 12:
        return name
    if colon_end and not md and suffix and suffix.start() > 0 and len(name) <= 12:
        return name
    return None


_LIST_ITEM = re.compile(r"^\s*(?:[-*•+]\s|\d{1,3}[.、)）]|[(（]\d{1,2}[)）]|Q\s*\d)")


def _level(line: str) -> int | None:
    md = _MD_LEVEL.match(line)
    return len(md.group(1)) if md else None


def _has_problem(section: Section) -> bool:
    """Whether a written test / OA section describes its problems (else it is no round in the gold)."""
    text = "\n".join(section.lines)
    if sum(1 for x in section.lines if _LIST_ITEM.match(x)) >= 2:
        return True
    return bool(
        re.search(
            r"\bgiven\b|\bfind\b|\breturn\b|\bimplement|\bwrite a\b|给定|给你|给出|输入|输出|求|找出|实现|设计|编程题|算法题"
            r"|题目|问题描述|[?？]",
            text,
            re.I,
        )
    )


class _MemoIndex:
    """The company index, asked once per distinct text (a post repeats its headings)."""

    def __init__(self, index) -> None:
        self.index, self.memo = index, {}

    def first(self, text: str) -> str | None:
        if text not in self.memo:
            self.memo[text] = self.index.first(text)
        return self.memo[text]


def split_sections(clean: str) -> tuple[str, list[Section]]:
    """(intro text, rounds). A post without any marker is one round with label None."""
    from graph.offline.resources import companies

    index = _MemoIndex(companies())
    lines = clean.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    headers: list[Header | None] = [match_header(line, first_line=i == first) for i, line in enumerate(lines)]
    if sum(1 for line, h in zip(lines, headers, strict=True) if h and re.match(r"\d{1,3}[.)]\s", line)) >= 2:
        # "1. Recruiter call …", "2. System design …", "3. Coding round …": the numbered list of rounds goes on.
        last: int | None = None
        for i, line in enumerate(lines):
            item = re.match(r"(\d{1,6})[.)]\s", line)
            if item and headers[i]:
                last = int(item.group(1))
            elif item and last is not None and int(item.group(1)) == last + 1:
                headers[i], last = Header("Round", ""), last + 1
            elif item:
                last = None
    if any(headers):
        # A round glued to the end of a line ("…应用场景二面15min") opens there.
        split_lines: list[str] = []
        split_headers: list[Header | None] = []
        for line, header in zip(lines, headers, strict=True):
            glued = None if header else _GLUED.search(line)
            if glued and _marker_label(glued.group("m")):
                split_lines += [line[: glued.start()], line[glued.start() :]]
                split_headers += [None, Header(_marker_label(glued.group("m")) or "", "")]
            else:
                split_lines.append(line)
                split_headers.append(header)
        lines, headers = split_lines, split_headers
    companies_at = [None if h else _company_heading(line, index) for line, h in zip(lines, headers, strict=True)]
    if not any(headers):
        return _split_prose(lines, companies_at)
    _sibling_rounds(lines, headers, companies_at)

    sections: list[Section] = []
    keep: set[int] = set()  # company sections, which stand as a round even when empty of other lines
    intro: list[str] = []
    company: str | None = None
    company_open: int | None = None  # a company heading whose block has no round yet
    level: int | None = None  # the markdown level of the current round's heading
    for i, (line, header) in enumerate(zip(lines, headers, strict=True)):
        heading_company = companies_at[i]
        if heading_company:
            company, company_open, level = heading_company, len(sections), None
            sections.append(Section(label=None, company=company, header=line.strip(), lines=[]))
            keep.add(len(sections) - 1)
            continue
        if header:
            lv = _level(line)
            if level is not None and lv is not None and lv > level and not _NUMBERED.match(header.label):
                header = None  # "### 笔试题" under "# 一面": a part of the round, not a round
        if header:
            lv = _level(line)
            if (
                company_open is not None
                and company_open == len(sections) - 1
                and sections[-1].label is None
                and sum(1 for x in sections[-1].lines if _LIST_ITEM.match(x)) < 2
            ):
                # The company heading heads rounds of its own: it is no round itself.
                opened = sections.pop()
                keep.discard(len(sections))
                (sections[-1].lines if sections else intro).extend([opened.header, *opened.lines])
            company_open = None
            named = index.first(header.before) if header.before else None
            # The asks listed after "一面：" are questions: a bullet says so to the extractor, unless they
            # are narrated ("自我介绍，然后问了…"), which the prose reader handles.
            narrated = re.search(r"问了|让我|问我|asked|had me", header.content, re.I)
            body = [header.content if narrated else f"- {header.content}"] if header.content else []
            sections.append(Section(label=header.label, company=named or company, header=line.strip(), lines=body))
            level = lv
        elif sections:
            sections[-1].lines.append(line)
        else:
            intro.append(line)
    # A company heading whose block holds no content at all (a trailing "## 美团" link) is no round.
    sections = [
        s
        for i, s in enumerate(sections)
        if i not in keep or s.label is not None or any(x.strip() for x in s.lines) or len(sections) == 1
    ]
    intro, sections = _rounds_told_in_intro(intro, sections)
    intro, sections = _questions_before_rounds(lines, headers, intro, sections)
    _number_rounds(sections)
    sections = _drop_summary(sections)
    # "Onsite (4 rounds)" followed straight by "Round 1": an umbrella heading, not a round.
    sections = [
        s
        for i, s in enumerate(sections)
        if any(x.strip() for x in s.lines)
        or i == len(sections) - 1
        or s.label is None
        or not (s.label == "Onsite" or re.search(r"rounds|loop|[几\d一二三四五六七八九]轮", s.header, re.I))
    ]
    # A title that names the round ("# 百度笔试实录") ahead of the same round's heading.
    if (
        len(sections) > 1
        and sections[0].header == lines[first].strip()
        and sections[0].label == sections[1].label
        and sum(1 for x in sections[0].lines if x.strip()) <= 2
    ):
        intro += [sections[0].header, *sections[0].lines]
        sections = sections[1:]
    # An online test whose problems are not described is no round (when others are).
    tests = {id(s) for s in sections if _is_test(s) and not _has_problem(s)}
    if tests and len(tests) < len(sections):
        sections = [s for s in sections if id(s) not in tests]
    _number_rounds(sections)
    if not sections:
        return "", [Section(label=None, company=None, header="", lines=intro)]
    return "\n".join(intro), sections


# A heading that names a kind of round without saying "round": "Machine coding (MC)", "Problem solving",
# "System Design"; and what a heading about the process rather than a round says.
_ROUND_KIND = fastre.compile(
    r"\b(?:coding|problem[\s-]*solving|system\s+design|low[\s-]*level\s+design|high[\s-]*level\s+design|technical"
    r"|algorithms?|data\s+structures?|dsa|ds\s*/\s*algo|behaviou?ral|managerial|culture(?:\s+fit)?|pair\s+programming"
    r"|whiteboard|take[\s-]*home|case\s+study|bar\s+raiser|hiring\s+manager)\b",
    re.I | re.A,
)
_NOT_A_ROUND = fastre.compile(
    r"\b(?:tips?|advice|summary|conclusions?|prep(?:aration|aring)?|resources?|verdict|results?|background|about"
    r"|introduction|intro|overview|timeline|process|experiences?|learnings?|faqs?|references?|links?|books?|how|why"
    r"|what|thoughts|takeaways?|lessons?|final\s+words|offer|outcome|questions|notes?)\b",
    re.I | re.A,
)
# The section's own words call it a round: "This round is usually not so hard", "I felt this was the most
# important round".
_SELF_ROUND = re.compile(r"\bthis\s+(?:round|interview)\b|\bthis\s+was\s+(?:[a-z]+\s+){0,4}(?:round|interview)\b", re.I)


def _sibling_rounds(lines: list[str], headers: list[Header | None], companies_at: list[str | None]) -> None:
    """Headings at the level of a round heading ("## Hiring manager round") that head rounds too, though they
    name no marker: "## Machine coding", "## UI+Javascript" whose text says "this was the most important round"."""
    levels = {_level(line) for line, h in zip(lines, headers, strict=True) if h and _level(line)}
    if not levels:
        return
    heads = [i for i, line in enumerate(lines) if _level(line) is not None]
    for k, i in enumerate(heads):
        if headers[i] or companies_at[i] or _level(lines[i]) not in levels:
            continue
        title = re.sub(r"^[\s#]+|[(（][^)）]*[)）]", " ", lines[i]).strip()
        if not title or len(title) > 40 or re.search(r"[\u4e00-\u9fff?!:：]", title) or _NOT_A_ROUND.search(title):
            continue
        end = heads[k + 1] if k + 1 < len(heads) else len(lines)
        body = " ".join(x.strip() for x in lines[i + 1 : min(end, i + 12)])[:1500]
        if _ROUND_KIND.search(title) or _SELF_ROUND.search(body):
            headers[i] = Header("Round", "")


def _rounds_told_in_intro(intro: list[str], sections: list[Section]) -> tuple[list[str], list[Section]]:
    """Rounds the text before the first round heading tells by their openings ("In the first phone interview,
    …", "In the second interview, …") when the headings name other steps (a "Host matching" call)."""
    if not intro or any(
        s.label and (s.label.startswith(("Round", "Onsite")) or _label_number(s.label)) for s in sections
    ):
        return intro, sections
    opened: dict[str, None] = {}
    found: list[tuple[int, int, str]] = []  # (line, offset, label)
    for k, line in enumerate(intro):
        if not line.startswith((" ", "\t", "*", "-", "+", "#", ">")):
            found += [(k, start, label) for start, label in _en_openings(line, opened)]
    if not found:
        return intro, sections
    told: list[Section] = []
    for n, (k, start, label) in enumerate(found):
        end_line, end_at = (found[n + 1][0], found[n + 1][1]) if n + 1 < len(found) else (len(intro), 0)
        body = [intro[k][start:]] if end_line > k else [intro[k][start:end_at]]
        body += intro[k + 1 : end_line]
        if end_line > k and end_at and end_line < len(intro):
            body.append(intro[end_line][:end_at])
        told.append(Section(label=label, company=None, header="", lines=body))
    head = intro[: found[0][0]] + ([intro[found[0][0]][: found[0][1]]] if found[0][1] else [])
    return head, told + sections


_META_HEADING = fastre.compile(
    r"[?？]|(?:个人|教育|学历|我的|本人)背景|简介|介绍|经历|时间线|流程|总结|感想|感受|建议|准备|资料|参考|目录|前言|写在|情况|投递|结果|心得|经验|说明|岗位|职位|薪|"
    r"offer|tips|about|background|timeline|process|resources?|preparation|summary|intro|table\s+of\s+contents",
    re.I,
)


def _questions_before_rounds(
    lines: list[str], headers: list[Header | None], intro: list[str], sections: list[Section]
) -> tuple[list[str], list[Section]]:
    """Questions grouped under topic headings ("## 项目相关", "## 技术背景") at the level of the round headings
    that follow ("## HR面试"): an interview whose round the post does not name, so one unlabelled round."""
    levels = {_level(line) for line, h in zip(lines, headers, strict=True) if h and _level(line)}
    if not levels or not sections or sections[0].company or _is_test(sections[0]):
        return intro, sections  # "## 笔试题" after topic headings: the post's problems, in no new round
    at = next((k for k, x in enumerate(intro) if k and _level(x) in levels), None)
    if at is None:
        return intro, sections
    block = intro[at:]
    heads = [x for x in block if _level(x) in levels]
    if any(_META_HEADING.search(x) for x in heads):
        return intro, sections
    items = [x for x in block if _LIST_ITEM.match(x) and not re.search(r"^\s*\S+\s*[:：]\s*\S{0,20}$", x)]
    if len(items) < 3:
        return intro, sections
    return intro[:at], [Section(label=None, company=None, header=block[0].strip(), lines=block[1:]), *sections]


def _is_test(section: Section) -> bool:
    if section.label in {"OA", "笔试"}:
        return True
    return section.label == "Round 0" or bool(
        re.search(r"online\s*(?:coding|test|assessment)|hackerrank|codility|笔试|机试", section.header, re.I)
    )


def _drop_summary(sections: list[Section]) -> list[Section]:
    """A list of the rounds at the top ("Round 1: Coding", "Round 2: …", or a dated timeline) followed by
    the detailed sections is no extra rounds."""

    def size(s: Section) -> int:
        return sum(1 for x in s.lines if x.strip())

    # The first run of at least two labelled sections with at most two lines each.
    start = 0
    while start < len(sections):
        run, seen = start, set()
        while run < len(sections) and sections[run].label and size(sections[run]) <= 2:
            key = (sections[run].label, sections[run].company)
            if key in seen:
                break  # the list has ended: its rounds come again
            seen.add(key)
            run += 1
        if run - start >= 2:
            break
        start = run + 1
    else:
        return sections
    summary, rest = sections[start:run], sections[run:]
    keys = {(s.label, s.company) for s in summary}
    later = {(s.label, s.company) for s in rest}
    if len(keys & later) >= max(2, len(keys) - 1):
        detailed = sum(size(s) for s in rest if (s.label, s.company) in keys)
        if detailed > sum(size(s) for s in summary):
            return sections[:start] + rest
    return sections


def _number_rounds(sections: list[Section]) -> None:
    """Unnumbered English rounds ("Coding Round", "Hiring manager round") take their place in the order."""
    if not any(s.label == "Round" for s in sections) or any(re.match(r"Round \d", s.label or "") for s in sections):
        return  # numbered rounds beside it: "Coding Round" stays unnumbered rather than clash
    for n, s in enumerate(sections, start=1):
        if s.label == "Round":
            s.label = f"Round {n}"


# The first round named in passing: "an email inviting me to the first-round interview", "约了一面", "the phone call".
_FIRST_MENTION = fastre.compile(
    r"\b(?:first|1st)[\s-]+(?:[a-z]+[\s-]+)?(?:round|interview|call|screen)\b|\bphone\s+(?:interview|screen|call)\b"
    r"|\b(?:recruiter|hr)\s+(?:call|screen|chat)\b|一面|电面|电话面|初面",
    re.I | re.A,
)


def _first_round_in_intro(intro: list[str], sections: list[Section]) -> None:
    """The story told the later rounds by their openings ("This final round…", "In the second interview…")
    but the first only in passing: it opens where the text first names it."""
    if not sections or sections[0].company:
        return
    label = sections[0].label or ""
    number = _label_number(label)
    if not (label in {"Final Round", "终面"} or (number and number >= 2)):
        return
    at = next((k for k, x in enumerate(intro) if _FIRST_MENTION.search(x)), None)
    if at is None:
        return
    first = "一面" if re.search(r"[\u4e00-\u9fff]", label) else "Round 1"
    sections.insert(0, Section(label=first, company=None, header="", lines=intro[at:]))
    del intro[at:]


def _split_prose(lines: list[str], companies_at: list[str | None]) -> tuple[str, list[Section]]:
    """A post without headings: rounds open paragraphs or sentences, or head numbered paragraphs."""
    intro: list[str] = []
    sections: list[Section] = []
    numbered = [_NUMBERED_ROUND.match(line.strip()) if not line.startswith(" ") else None for line in lines]
    use_numbered = sum(1 for x in numbered if x) >= 2
    last_number: int | None = None  # the number of the last numbered paragraph that is a round
    opened: dict[str, None] = {}  # the English rounds opened so far, in order
    onsite = False  # the story has reached the onsite
    company: str | None = None
    for i, line in enumerate(lines):
        if companies_at[i]:
            company = companies_at[i]
            sections.append(Section(label=None, company=company, header=line.strip(), lines=[]))
            continue
        item = re.match(r"^(\d{1,3})[.)]\s", line) if use_numbered else None
        if item and not numbered[i]:
            # "1. recruiter call …" then "2. system design …": the list of rounds goes on.
            numbered_on = last_number is not None and int(item.group(1)) == last_number + 1
            last_number = int(item.group(1)) if numbered_on else None
            if not numbered_on:
                item = None
        elif item:
            last_number = int(item.group(1))
        if item:
            title = numbered[i]
            label = None
            if title:
                kind = _title_header(re.sub(r"\s+with\s.*$", "", title.group("title")).strip() + " round")
                label = kind.label if kind else "Round"
            sections.append(Section(label=label or "Round", company=company, header="", lines=[line]))
            continue
        openings = _en_openings(line, opened) if not (i == 0 and _TITLE_WORDS.search(line)) else []
        if not openings:
            openings = [] if i == 0 and _TITLE_WORDS.search(line) else _prose_openings(line, onsite)
        onsite = onsite or bool(_ONSITE_WORD.search(line))
        if not openings:
            (sections[-1].lines if sections else intro).append(line)
            continue
        head = line[: openings[0][0]]
        if head.strip():
            (sections[-1].lines if sections else intro).append(head)
        for k, (start, label) in enumerate(openings):
            end = openings[k + 1][0] if k + 1 < len(openings) else len(line)
            sections.append(Section(label=label, company=company, header="", lines=[line[start:end]]))
    _first_round_in_intro(intro, sections)
    if not any(s.label for s in sections):
        # Company headings alone: each company's block is one round; otherwise the post is one round.
        if len([s for s in sections if s.company]) >= 2:
            return "\n".join(intro), sections
        return "", [Section(label=None, company=None, header="", lines=lines)]
    _number_rounds(sections)
    return "\n".join(intro), sections
