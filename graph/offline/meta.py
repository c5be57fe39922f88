"""Post-level facts: language, companies, role, outcome, and whether it is an interview at all."""

from __future__ import annotations

import re

from graph.offline.resources import companies

_ROLE_LABELED = re.compile(
    r"(?:岗位|职位|投递(?:的)?|应聘|面的|面试岗位|方向|部门|role|position)\s*[:：是为]\s*([^\n，,。;；|]{2,24})",
    re.I,
)
_ROLE_ZH = re.compile(
    r"((?:大模型|llm|多模态|nlp|cv|推荐|搜索|广告|算法|后端|前端|客户端|测试|测开|数据|java|go|c\+\+|python|机器学习|深度学习|强化学习"
    r"|ai|agent|infra|基础架构|安全|运维|产品)[^\n，,。:：;；()]{0,10}?(?:算法工程师|工程师|研究员|开发|实习生?|岗|方向|研发))",
    re.I | re.A,
)
_ROLE_EN = re.compile(
    r"\b((?:senior |junior |staff |new grad |ng )?(?:software|machine learning|ml|ai|research|data|backend|frontend|full[- ]stack"
    r"|applied|llm)\s*(?:engineer|scientist|developer|swe|sde)(?:\s*(?:intern|ii|iii|i|l\d))?|sde\s*(?:i{1,3}|\d)?(?: intern)?"
    r"|swe(?: intern)?|mle)\b",
    re.I | re.A,
)
_OUTCOME_PATTERNS = (
    ("pending", re.compile(r"求(?:个)?offer|许愿|蹲(?:个)?offer|等(?:待)?(?:结果|通知|消息|hr)|泡池子|池子|还没(?:有)?(?:消息|结果|出)"
                           r"|约了(?:下一轮|二面|三面|终面|hr面|下一面)|\bpending\b|\bwaiting\b|haven'?t heard|fingers crossed|no news", re.I | re.A)),
    ("rejected", re.compile(r"挂了|被挂|挂掉|已挂|面挂|挂在|挂！|挂!|\b挂$|感谢信|凉了|凉凉|已凉|没过|没通过|未通过|止步|寄了|g了"
                            r"|\brejected\b|\breject(?:ion)?\b|\bno offer\b|didn'?t (?:get|pass|make)|\bdinged\b|not move forward", re.I | re.A)),
    ("offer", re.compile(r"(?<!求)(?<!许愿)(?<!蹲)(?:拿到|收到|喜提|已拿|获得|发了|给了|谈了)?\s*offer(?!\s*[?？])|(?<![a-z])oc(?![a-z])|意向书|意向(?:了|啦)|已签|签了|最后签"
                         r"|录用|offer\s*get|拿下|上岸|\bgot (?:the|an) offer\b|\boffer (?:received|accepted)\b|\bextended an offer\b", re.I | re.A)),
)  # fmt: skip
# What only an interview write-up says; 面试 and 手撕 also fill study plans.
_INTERVIEW_SIGNS = re.compile(
    r"面试官|问了|问我|问到|让我|反问|[一二三四五]面|hr面|终面|interviewer|asked me|they asked|he asked|she asked", re.I
)
_AD_SIGNS = re.compile(
    r"岗位职责|职位描述|任职要求|工作职责|岗位要求|加分项|我们提供|福利|投递(?:方式|邮箱|链接)|简历(?:投递|发送)|内推码|招聘|hc|base\s*地"
    r"|【内推】|帮忙内推|内推开启|热招|在招|岗位[:：]|经验者优先|者优先"
    r"|responsibilities|qualifications|requirements|we offer|apply now|job description",
    re.I | re.A,
)
_PLAN_SIGNS = re.compile(
    r"学习计划|复习计划|备考计划|学习路线|路线图|第[一二三四五六七八九十\d]+(?:周|天|阶段)|day\s*\d+|week\s*\d+|打卡|书单|资料推荐|知识点清单"
    r"|每天|每周|目标[:：]|计划[:：]|study plan|roadmap|schedule",
    re.I | re.A,
)


def language(text: str) -> str:
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return "zh" if cjk * 3 >= latin * 0.5 and cjk >= 5 else "en"


def find_companies(text: str) -> list[str]:
    out: list[str] = []
    for _, name in companies().find(text):
        if name not in out:
            out.append(name)
    return out


def find_role(text: str) -> str | None:
    head = "\n".join(text.split("\n")[:15])
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


def find_outcome(text: str) -> str:
    """The last outcome the post mentions wins: a timeline ends with the result."""
    best_pos, best = -1, "unknown"
    for outcome, pattern in _OUTCOME_PATTERNS:
        for m in pattern.finditer(text):
            if m.start() > best_pos or (m.start() == best_pos and outcome == "offer"):
                best_pos, best = m.start(), outcome
    return best


_HELP_SIGNS = re.compile(
    r"求助|请问(?:大家|各位|一下)|想问一下|问一下大家|有没有.{0,8}(?:知道|懂|了解)|大佬们|求解答|求建议|该怎么选|要不要.{0,12}[？?]",
)
_INDEX_SIGNS = re.compile(r"合集|目录|索引|汇总|整理了.{0,8}(?:面经|链接|帖子)")
_URL = re.compile(r"https?://\S+")


def looks_like_interview(text: str, *, has_markers: bool, question_count: int) -> bool:
    """A job ad, a study plan, an index of links or a plea for advice lists things that look like
    questions but were never asked by an interviewer."""
    if question_count == 0:
        return False
    lines = text.split("\n")
    title = next((line.strip() for line in lines if line.strip()), "")
    if re.match(r"^[【\[]?(?:求助|请问|想问|求问|问一下|求建议|蹲)", title):
        return False  # a plea for advice: the questions in it are the author's own
    link_lines = sum(1 for line in lines if _URL.search(line))
    # Titles of linked posts ("一面 手撕LRU https://…") are not this post's interview.
    own = "\n".join(line for line in lines if not _URL.search(line))
    interview = len(_INTERVIEW_SIGNS.findall(own)) + (3 if has_markers else 0)
    other = len(_AD_SIGNS.findall(text)) + len(_PLAN_SIGNS.findall(text)) + len(_HELP_SIGNS.findall(text))
    if link_lines >= 3:
        other += link_lines + len(_INDEX_SIGNS.findall(text))
    if other >= 2 and (interview <= 1 or other >= 2 * interview):
        return False
    return not (other >= 1 and interview == 0)
