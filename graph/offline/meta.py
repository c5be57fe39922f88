"""Post-level facts: language, companies, role, outcome, and whether it is an interview at all."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from graph.offline import fastre
from graph.offline.resources import ROUND_MARKER_AFTER, companies, mask_links

_ROLE_LABELED = fastre.compile(
    r"(?:岗位|职位|投递(?:的)?|应聘|面的|面试岗位|方向|部门|role|position)\s*[:：是为]\s*([^\n，,。;；|]{2,24})",
    re.I,
)
_ROLE_ZH = fastre.compile(
    r"((?:大模型|llm|多模态|nlp|cv|推荐|搜索|广告|算法|后端|前端|客户端|测试|测开|数据|java|go|c\+\+|python|机器学习|深度学习|强化学习"
    r"|ai|agent|infra|基础架构|安全|运维|产品)[^\n，,。:：;；()]{0,10}?(?:算法工程师|工程师|研究员|开发|实习生?|岗|方向|研发))",
    re.I | re.A,
)
_ROLE_EN = fastre.compile(
    r"\b((?:senior |junior |staff |new grad |ng )?(?:software|machine learning|ml|ai|research|data|backend|frontend|full[- ]stack"
    r"|applied|llm)\s*(?:engineer|scientist|developer|swe|sde)(?:\s*(?:intern|ii|iii|i|l\d))?|sde\s*(?:i{1,3}|\d)?(?: intern)?"
    r"|swe(?: intern)?|mle)\b",
    re.I | re.A,
)
_OUTCOME_PATTERNS = (
    ("pending", fastre.compile(r"求(?:个)?offer|许愿|蹲(?:个)?offer|等(?:待)?(?:结果|通知|消息|hr)|泡池子|池子|还没(?:有)?(?:消息|结果|出)"
                           r"|约了(?:下一轮|二面|三面|终面|hr面|下一面)|\bpending\b|waiting (?:for|on) (?:the |their |a |any )?(?:[\w-]+'?s )?(?:result|decision|feedback|response|hr|news|verdict|outcome)"
                           r"|haven'?t heard (?:back|from)|fingers crossed|no news", re.I | re.A)),
    ("rejected", fastre.compile(r"挂了|被挂|挂掉|已挂|面挂|挂在|挂！|挂!|\b挂$|感谢信|凉了|凉凉|已凉|没过|没通过|未通过|止步|寄了|g了|被拒|拒信"
                            r"|(?<!you )(?<!i )(?<!we )(?<!they )\brejected\b|\brejection\b|\bno offer\b|didn'?t (?:get|pass|make)|did not (?:get|pass|make|land|receive)"
                            r"|\bdinged\b|not (?:move|moving) forward|not (?:be )?selected|unsuccessful", re.I | re.A)),
    ("offer", fastre.compile(r"(?<!求)(?<!许愿)(?<!蹲)(?<!剑指)(?<![.\w])(?:拿到|收到|喜提|已拿|获得|发了|给了|谈了)?\s*offer(?!\s*[?？(])|(?<![a-z])oc(?![a-z])|意向书|意向(?:了|啦)|已签|签了|最后签"
                         r"|录用|offer\s*get|拿下|上岸|\bgot (?:the|an) offer\b|\boffer (?:received|accepted)\b|\bextended an offer\b"
                         r"|(?:verdict|result|status|outcome)\s*[:：-]?\s*(?:selected|hired|accepted)", re.I | re.A)),
)  # fmt: skip
# An outcome word that is not this post's result: negated, hypothetical, about other offers, a book title.
_NEGATED_OFFER = fastre.compile(
    r"(?:不|没|未|无)[\u4e00-\u9fff]{0,4}\s*$|\b(?:didn'?t|did not|don'?t|not|never|no)(?:\W+\w+){0,3}\W*$", re.I
)
_NOT_OURS_BEFORE = fastre.compile(r"(?:其他|别的|其它|多个|几个|手上|如何抉择|other|competing)\s*$", re.I)
_HYPOTHETICAL = re.compile(r"(?:想|差点|险些|以为|本来|怕|担心|会不会|要是|如果|可能会).{0,6}$")
_WEAK_PENDING = re.compile(r"约了|waiting")
# What only an interview write-up says; 面试 and 手撕 also fill study plans.
_INTERVIEW_SIGNS = fastre.compile(
    r"面试官|问了|问我|问到|让我|反问|[一二三四五]面|hr面|终面|interviewer|asked me|they asked|he asked|she asked", re.I
)
_AD_SIGNS = fastre.compile(
    r"岗位职责|职位描述|任职要求|工作职责|岗位要求|加分项|我们提供|福利|投递(?:方式|邮箱|链接)|简历(?:投递|发送)|内推码|招聘|hc|base\s*地"
    r"|【内推】|帮忙内推|内推开启|热招|在招|岗位[:：]|经验者优先|者优先"
    r"|responsibilities|qualifications|requirements|we offer|apply now|job description",
    re.I | re.A,
)
_PLAN_SIGNS = fastre.compile(
    r"学习计划|复习计划|备考计划|学习路线|路线图|第[一二三四五六七八九十\d]+(?:周|天|阶段)|day\s*\d+|week\s*\d+|打卡|书单|资料推荐|知识点清单"
    r"|每天|每周|目标[:：]|计划[:：]|study plan|roadmap|study schedule",
    re.I | re.A,
)


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def language(text: str) -> str:
    text = text[:20_000]  # the opening tells the language; a 2 MB paste need not be counted
    cjk = len(_CJK_CHAR.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return "zh" if cjk * 3 >= latin * 0.5 and cjk >= 5 else "en"


def find_companies(text: str) -> list[str]:
    out: list[str] = []
    for _, name in companies().find(text):
        if name not in out:
            out.append(name)
    return out


def find_role(text: str) -> str | None:
    text = text[: 2 * _SCAN]  # a post names its role early; a 2 MB paste need not be searched
    head = "\n".join(text.split("\n", 15)[:15])
    for pattern, scope in (
        (_ROLE_LABELED, head),
        (_ROLE_ZH, head),
        (_ROLE_EN, head),
        (_ROLE_ZH, text),
        (_ROLE_EN, text),
    ):
        m = pattern.search(scope)
        if m:
            role = m.group(1).strip(" -—:：")
            if 2 <= len(role) <= 30:
                return role
    return None


_SCAN = 30_000  # how far the post-level scans read into (and back from the end of) a very long text


def find_outcome(text: str) -> str:
    """The last outcome the post mentions wins: a timeline ends with the result. Words inside parentheses
    are asides (another company's result); a negated offer is a rejection; "约了二面" only counts when the
    post names no result at all."""
    if len(text) > 2 * _SCAN:
        text = text[:_SCAN] + "\n" + text[-_SCAN:]  # a post states its result near its start or its end
    best_pos, best = -1, "unknown"
    weak_pos, weak = -1, "unknown"
    for outcome, pattern in _OUTCOME_PATTERNS:
        for m in pattern.finditer(text):
            start = m.start()
            line_start = text.rfind("\n", 0, start) + 1
            before = text[max(line_start, start - 24) : start]
            if _in_parentheses(text[max(line_start, start - 200) : start]):
                continue
            outcome_here = outcome
            if outcome == "offer" and re.search(r"offer", m.group(0), re.I):
                if _NOT_OURS_BEFORE.search(before):
                    continue
                if _NEGATED_OFFER.search(before[-20:]):
                    outcome_here = "rejected"
            if (
                outcome_here == "rejected"
                and _HYPOTHETICAL.search(before[-10:])
                and not re.search(r"offer", m.group(0), re.I)
            ):
                continue
            if outcome_here == "pending" and _WEAK_PENDING.match(m.group(0)):
                if start > weak_pos:
                    weak_pos, weak = start, outcome_here
                continue
            if start > best_pos or (start == best_pos and outcome_here == "offer"):
                best_pos, best = start, outcome_here
    return best if best != "unknown" else weak


def _in_parentheses(line_before: str) -> bool:
    """Inside a parenthesised aside ("（…在别家被挂的情况下）"), not a short status note ("（已oc）")."""
    opened: list[int] = []
    for i, ch in enumerate(line_before):
        if ch in "(（":
            opened.append(i)
        elif ch in ")）" and opened:
            opened.pop()
    return bool(opened) and len(line_before) - opened[-1] > 8


_HELP_SIGNS = re.compile(
    r"求助|请问(?:大家|各位|一下)|想问一下|问一下大家|有没有.{0,8}(?:知道|懂|了解)|大佬们|求解答|求建议|该怎么选|要不要.{0,12}[？?]",
)
_INDEX_SIGNS = re.compile(r"合集|目录|索引|汇总|整理了.{0,8}(?:面经|链接|帖子)")
_URL = re.compile(r"https?://\S+")


_TITLE_INTERVIEW = fastre.compile(
    r"面经|面试(?:记录|复盘|回顾|经历|经验|实录|分享|流程|过程|体验)|[一二三四五六]面|[二三四五六]轮|hr面|终面|电面|笔试|\boc\b|意向"
    r"|interview(?:ed|ing)?\s+(?:at|with|experience|process|journey)|interview experience|my interview|interviewed"
    r"|\bonsite\b|phone screen|\bverdict\b|got (?:the|an) offer",
    re.I,
)
_TITLE_OTHER = fastre.compile(
    r"学习计划|复习计划|备考计划|备战计划|学习路线|路线图|成长之路|合集|目录|索引|汇总|大全|资料|书单|内推(?!的)|招聘|招.{0,12}实习生|加入我们"
    r"|模拟面试|面试题(?:库|总结|整理|汇总)|八股(?:文)?(?:总结|整理|汇总)|知识点|学习笔记|读书笔记|刷题"
    r"|roadmap|resources|reading list|study plan|study guide|cheat ?sheet|articles|we(?:'re| are) hiring|join us|admission"
    r"|job description|apply now|mock interview",
    re.I,
)
_MORE_INTERVIEW_SIGNS = fastre.compile(
    r"被问|问的|考了|面完|面了|电面|面试(?:结束|完|时|中|的时候|过程)|手撕了?|interview(?:ed|s)?\b|i was asked|asked (?:me|us|about)|recruiter"
    r"|\bround\s*\d|\bonsite\b|phone screen|offer letter",
    re.I,
)
_LINKED_POST = fastre.compile(r"面经|[一二三四五六]面|hr面|终面|interview experience", re.I)
_MOCK = re.compile(r"模拟面试|mock interview|假如我是面试官|如果我是面试官", re.I)


def _title_zone(text: str) -> str:
    front = re.match(r"\A\s*---\n(.{0,3000}?)\n---", text, re.S)
    titles = re.findall(r"^(?:title|summary|subtitle):\s*(.{0,200})$", front.group(1), re.M) if front else []
    body = text[front.end() :] if front else text
    lines = [line for line in body.split("\n")[:12] if line.strip() and not re.match(r"\s*<", line)]
    return "\n".join(titles + [re.sub(r"<[^>]{0,300}>", "", line)[:200] for line in lines[:2]])


_MD_LINK = re.compile(r"\]\([^)\s]{1,300}\)")


def looks_like_interview(text: str, *, has_markers: bool, question_count: int) -> bool:
    """A job ad, a study plan, an index of links, a resources list, a mock-interview summary or a plea for
    advice lists things that look like questions but were never asked by an interviewer."""
    text = text[: 2 * _SCAN]  # the signs are counted on the first pages of a very long text
    lines = text.split("\n")
    title = next((line.strip() for line in lines if line.strip()), "")
    if re.match(r"^[【\[]?(?:求助|请问|想问|求问|问一下|求建议|蹲)", title):
        return False  # a plea for advice: the questions in it are the author's own
    head = _title_zone(text)
    title_in = bool(_TITLE_INTERVIEW.search(head))
    title_out = bool(_TITLE_OTHER.search(head))
    nonempty = [line for line in lines if line.strip()]
    link_lines = sum(1 for line in nonempty if _URL.search(line) or _MD_LINK.search(line))
    # Titles of linked posts ("一面 手撕LRU https://…") are not this post's interview.
    own = "\n".join(line for line in lines if not _URL.search(line) and "](" not in line)
    signs = len(_INTERVIEW_SIGNS.findall(own)) + min(len(_MORE_INTERVIEW_SIGNS.findall(own)), 6)
    interview = signs + (3 if has_markers else 0) + (4 if title_in else 0)
    other = len(_AD_SIGNS.findall(text)) + len(_PLAN_SIGNS.findall(text)) + len(_HELP_SIGNS.findall(text))
    other += 4 * len(_MOCK.findall(text)) + (6 if title_out else 0)
    # An index of other posts: link lines titled like interview posts ("字节一面 …](…)"), or mostly links.
    linked_posts = sum(
        1 for line in nonempty if (_URL.search(line) or "](" in line) and _LINKED_POST.search(_URL.sub("", line))
    )
    if linked_posts >= 3 and linked_posts >= (0.15 if linked_posts >= 5 else 0.3) * len(nonempty):
        return False  # an index of other people's write-ups (a list, or a table with a guide around it)
    if linked_posts >= 3:
        other += linked_posts + len(_INDEX_SIGNS.findall(text))
    elif link_lines >= 3 and link_lines >= 0.5 * len(nonempty):
        other += link_lines + len(_INDEX_SIGNS.findall(text))
    if question_count == 0:
        # No question read: an interview only if the post plainly tells one (an NDA-bound write-up).
        return title_in and not title_out and signs >= 3 and other * 2 <= interview
    if other >= 2 and (interview <= 1 or other >= 2 * interview):
        return False
    return not (other >= 1 and interview == 0)


# ---------------------------------------------------------------- companies
# The employer is named in the title, the headers and the opening lines; questions, remarks ("还没X的系统方便")
# and links name products, models and other companies. The whole text is read only when those name nobody.

_FRONT_MATTER = re.compile(r"\A\s*---\n(.{0,3000}?)\n---\s*\n", re.S)
_FRONT_TITLE = re.compile(r"^title:\s*[\"']?(.{1,200}?)[\"']?\s*$", re.M)
_MD_HEADER = re.compile(r"^\s{0,3}#{1,6}\s*(.{1,120})$")
_COLON_HEADER = re.compile(r"^\s*[*_]{0,2}([^\s:：，,。]{2,16})[*_]{0,2}\s*[:：]\s*$")
_HASHTAG = re.compile(r"#([^#\s\[\]]{2,24})(?:\[话题\])?#")
_ZH_SUFFIX = (
    r"(?:科技|智能|集团|网络|银行|证券|汽车|机器人|信息|软件|资本|投资|研究院|实验室|公司|技术|互联网|游戏|传媒|医疗)"
)
_ZH_ROLE = (
    r"(?:大模型|算法|机器学习|深度学习|nlp|cv|推荐|搜索|广告|后端|前端|客户端|测试|测开|数据|java|golang|go|c\+\+|ios|android"
    r"|安卓|嵌入式|图像|视觉|自然语言|智能驾驶|自动驾驶|软件|硬件|产品|运维|基础架构|ai|llm|研发|开发|技术|infra)"
)
_ZH_MARKER = r"(?:[一二三四五六七八九十\d]面|初面|终面|hr面|面经|面试|笔试|实习|offer|oc)"
_ZH_LEAD = re.compile(
    r"^[\s#*>【\[]*(?:[一二三四五六七八九十]{1,3}[、.．]\s*|\d{1,2}[、.．)）]\s*(?!\d))?"
    r"(?:\d{4}\s*[.年/-]\s*)?(?:\d{1,2}\s*[.月/-]\s*\d{1,2}\s*[日号]?\s*)?"
)
_ZH_NAMED = re.compile(
    rf"([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]{{1,9}}?)(?:公司|厂)?\s*(?:[-－—·|｜]\s*)?"
    rf"(?:{_ZH_ROLE}[\u4e00-\u9fffA-Za-z+]{{0,10}}?)?\s*{_ZH_MARKER}",
    re.I,
)
_ZH_ONLY_NAME = re.compile(rf"([\u4e00-\u9fff]{{2,10}}?{_ZH_SUFFIX})(?:\s+[A-Za-z][\w.]{{1,20}})?\s*[:：]?\s*$")
_ZH_GENERIC = fastre.compile(
    r"面|试|问|答|题|总结|记录|经验|分享|之前|第|技术|业务|交叉|主管|总监|部门|电话|视频|现场|线上|线下|秋招|春招|暑期|日常|校招"
    r"|社招|实习|项目|今天|昨天|大厂|中厂|小厂|某|国企|外企|央企|专业|综合|复盘|心得|准备|岗位|职位|方向|公司|我的|一些|这次|本次"
    r"|hr|^(?:大模型|算法|机器学习|深度学习|nlp|cv|推荐|搜索|广告|后端|前端|客户端|测开|数据|java|go|ios|android|安卓|嵌入式|软件"
    r"|硬件|产品|运维|ai|llm|研发|开发|infra|c\+\+|python|cpp|golang|rust)$",
    re.I,
)
_EN_NAME_CORE = r"([A-Z][\w&.-]{0,30}[\w&](?: [A-Z][\w&-]{0,30})?)"
_EN_NAME = r"[*_\[\"“]{0,3}" + _EN_NAME_CORE
_EN_AT = fastre.compile(
    r"\b(?:interview(?:ed|s|ing)?|intern(?:ship)?|offer|appl(?:ied|y|ying)|work(?:ed|ing)?|join(?:ed|ing)?|position|role|job"
    r"|engineer|developer|scientist|analyst|experience|summers?(?:\s+\d{4})?)[*_]{0,2}\s+(?:at|with)\s+" + _EN_NAME,
    re.I,
)
_EN_TITLE = re.compile(
    r"^[\s#*_\[]*" + _EN_NAME_CORE + r"[*_\]]*\s*(?:[|:(–-]\s*)?(?:[\w+/-]+\s+){0,4}?"
    r"(?:interview|internship|intern|onsite|oa|online assessment|phone screen|offer)\b",
    re.I,
)
_EN_DEFINED = fastre.compile(
    r"\b([A-Z][\w&-]{0,30}[\w&](?:\s[A-Z][\w&-]{0,30})?)(?:\.inc\b|,?\s(?:Inc\b|Pvt\.?\sLtd|Ltd\b|LLC\b|Corp\b|Corporation\b))"
    r"|\b([A-Z][\w&-]{0,30}[\w&]),\san?\s(?:[\w-]+\s){0,2}(?:startup|company|firm|unicorn)\b"
)
_ZH_DEFINED = fastre.compile(
    r"(?<![\u4e00-\u9fff])(?:北京|上海|深圳|杭州|广州|南京|成都|武汉|西安|苏州|天津|重庆|合肥|厦门)?(?:市)?"
    r"([\u4e00-\u9fff]{2,8}?)(?:科技|网络|信息|人工智能|智能|软件|技术)*(?:股份)?有限公司"
)
_EN_STOP = re.compile(
    r"^(?:the|a|an|my|our|your|this|that|it|i|hr|round|interview|online|phone|onsite|final|first|second|third|day|company"
    r"|team|hiring|manager|recruiter|software|senior|staff|summer|winter|intern|internship|machine|data|backend|frontend"
    r"|new|big|tech|faang|maang|top|one|two|some|all|every|each|an?\s.*|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*"
    r"|sep\w*|oct\w*|nov\w*|dec\w*|campus|college|university|leetcode|zoom|skype|hangouts|teams|covid\S*)$",
    re.I,
)
_EN_CUT = re.compile(
    r"\s+(?:intern\w*|interview\w*|sde\w*|swe|software|backend|frontend|summer|winter|new|data|machine|ml|ai|research|onsite"
    r"|oa|online|phone|offer|japan|india|china|us|usa|uk|singapore|london|bangalore|bengaluru|hyderabad|seattle|tokyo"
    r"|inc|ltd|pvt|llc|corp)\b.*$",
    re.I,
)


def _canonical(name: str) -> str | None:
    index = companies()
    name = name.strip(" *_[]\"“”'")
    listed = index.lookup(name)
    if listed:
        return listed
    inside = index.find(name)
    return inside[0][1] if inside else None


def _english_name(raw: str, text: str, *, trusted: bool = False) -> str | None:
    name = _EN_CUT.sub("", raw.strip(" *_[]\"“”'.-"))
    if len(name) < 2 or _EN_STOP.match(name) or not name[0].isupper():
        return None
    listed = _canonical(name)
    if listed:
        return listed
    if re.search(rf"(?<![\w./-]){re.escape(name.lower())}(?![\w/-]|\.\w)", mask_links(text)):
        return None  # an ordinary word the post also writes in lower case ("Coding Interview" / "coding")
    # An unknown capitalised word is a company when the post names it again (or it heads the title).
    if trusted or len(re.findall(rf"(?<![\w]){re.escape(name)}(?![\w])", text)) >= 2:
        return name
    return None


def _chinese_name(raw: str) -> str | None:
    name = raw.strip()
    listed = _canonical(name)
    if listed:
        return listed
    if len(name) < 2 or _ZH_GENERIC.search(name) or re.fullmatch(r"[A-Za-z]{1,3}\d*", name):
        return None
    return name


def header_company(line: str, text: str = "", *, title: bool = False) -> str | None:
    """The company a title or header line names: a listed alias, or an unlisted name in a
    company position ("XX公司一面", "## XX科技", "Wingify Intern Interview", "Interview at Mercari")."""
    return _header_company(line[:300], text[: 2 * _SCAN], title)


@lru_cache(maxsize=4096)
def _header_company(line: str, text: str, title: bool) -> str | None:
    plain = companies().find(line)
    if plain:
        return plain[0][1]
    body = _ZH_LEAD.sub("", mask_links(line).strip()).strip(" *_#")
    if not body:
        return None
    m = _ZH_NAMED.match(body)
    if m and re.search(r"[\u4e00-\u9fff]", m.group(1)):
        name = _chinese_name(m.group(1))
        if name:
            return name
    m = _ZH_ONLY_NAME.match(body)
    if m:
        name = _chinese_name(m.group(1))
        if name:
            return name
    for pattern in (_EN_TITLE, _EN_AT):
        m = pattern.search(body) if pattern is _EN_AT else pattern.match(body)
        if m:
            name = _english_name(m.group(1), text or line, trusted=title)
            if name:
                return name
    return None


def _is_header(line: str) -> str | None:
    m = _MD_HEADER.match(line)
    if m:
        return m.group(1)
    m = _COLON_HEADER.match(line)
    return m.group(1) if m else None


def post_companies(text: str, section_companies: list[str | None] = ()) -> list[str]:
    """Companies the post is about, in order: title, opening lines, headers; else strong mentions anywhere."""
    index = companies()
    text = text[: 2 * _SCAN]
    front = _FRONT_MATTER.match(text)
    named: list[str] = []
    if front:
        t = _FRONT_TITLE.search(front.group(1))
        if t:
            named.append(header_company(t.group(1), text, title=True) or "")
        text_body = text[front.end() :]
    else:
        text_body = text
    lines = [line for line in text_body.split("\n") if line.strip()]
    if lines:
        named.append(header_company(lines[0][:300], text, title=True) or "")
        if not _is_header(lines[0]):
            named += [name for _, name in index.find(lines[0][:300], products=False)]
    for line in lines[1:4]:
        line = line[:300]
        if _is_header(line):
            continue  # read below, with the other headers
        named += [name for pos, name in index.find(line, products=False) if not _COMPARED.search(line, 0, pos)]
        m = _EN_AT.search(mask_links(line))
        if m:
            named.append(_english_name(m.group(1), text) or "")
    named += [c for c in section_companies if c]
    for line in lines[1:]:
        header = _is_header(line)
        if header and len(header) <= 60:
            named.append(header_company(header, text) or "")
    for tag in _HASHTAG.findall(text[-3000:]):
        named += [name for _, name in index.find(tag) if re.search(_ZH_MARKER, tag)]
    out = list(dict.fromkeys(n for n in named if n))
    if out:
        return out
    return _companies_anywhere(text)


# "还没X的系统方便", "比X难", "harder than X": a comparison names another company.
_COMPARED = fastre.compile(r"(?:没|比|像|不如|类似|than|like|unlike)\s*$", re.I)
_JOINING = re.compile(r"(?:加入|入职|去了|offer from|joined|join|joining|work(?:ing)? (?:at|for))\s*$")


def _companies_anywhere(text: str) -> list[str]:
    index = companies()
    text = text[: 2 * _SCAN]
    low = text.lower()
    hits = index.hits(text)
    strong = [
        name
        for pos, name, alias in hits
        if ROUND_MARKER_AFTER.match(low, pos + len(alias)) or _JOINING.search(low, max(0, pos - 12), pos)
    ]
    masked = mask_links(text)
    for m in _ZH_DEFINED.finditer(masked):
        name = _chinese_name(m.group(1))
        if name:
            strong.append(name)
    for m in _EN_DEFINED.finditer(masked):
        name = _english_name(m.group(1) or m.group(2), text, trusted=True)
        if name:
            strong.append(name)
    if strong:
        return list(dict.fromkeys(strong))
    # A company the post keeps naming; one passing mention is a remark, not the employer.
    counts = Counter(
        name
        for pos, name, alias in hits
        if alias not in index.products and not _COMPARED.search(low, max(0, pos - 6), pos)
    )
    if counts:
        name, n = counts.most_common(1)[0]
        if n >= 2:
            return [name]
    return []
