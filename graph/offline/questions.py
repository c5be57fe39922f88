"""Find the interviewer's questions and the author's tips in the lines of one round."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.offline import fastre

_NUMBERING = re.compile(
    r"^(?:"
    r"(?:q|问题|题目|question)\s*\d{1,3}\s*[:：.、)）]?"  # Q1: / 问题1
    r"|(?:q|问)\s*[:：]"  # Q: / 问：
    r"|\d{1,2}(?:\.\d{1,2}){1,2}(?=\s|[\u4e00-\u9fff])"  # 6.1 nested
    r"|\d{1,4}\s*[、．:：)）](?!\d)|\d{1,4}\.(?!\d)|\d{1,2}，(?=[^\d\s])"  # 1、 1． 1) 1. 100. 1，(not 1.5B)
    r"|[(（]\d{1,3}[)）]"  # (1)
    r"|第\s*[\d一二三四五六七八九十]{1,3}\s*[题问道个][:：、.．]?"  # 第3题
    r"|\d\u20e3"  # 1️⃣
    r"|[-*•·●○▪►◆◇]\s*|\+(?=\s)"  # bullets
    r")\s*",
    re.I | re.A,
)
_INLINE_NUMBER = fastre.compile(r"(?<![\d.\w])(\d{1,4})\s*[、.．)）](?!\d)")
_ANSWER = re.compile(
    r"^(?:答|a\s*\d*\s*[:：]|回答|我答|我回答|我的回答|我说|我讲|我的答案|我的思路|我是|解答|参考答案|个人理解|我当时|当时我"
    r"|answer|my answer|i (?:said|answered|explained|talked|mentioned|used|went|wrote|did|gave)|->|=>|——)",
    re.I | re.A,
)
_REVERSE = re.compile(
    r"^(?:反问|我的反问|最后反问|反问环节|提问环节|q\s*&\s*a|reverse|questions? for (?:them|the interviewer)|i asked"
    r"|(?:do you have )?any questions for (?:me|us)\b)"
    r"|^(?:你|最后)?(?:还)?有(?:什么|啥|没有|无)(?:问题)?(?:想|要)?问(?:我)?的?(?:问题)?(?:吗|么|没|嘛)?\s*[?？]?\s*$",
    re.I | re.A,
)
# A job ad pasted into the post: its duty and requirement lines are not asks.
_JD_HEADER = re.compile(
    r"^(?:(?:岗位|职位|工作|任职)(?:职责|描述|要求|内容|资格|名称|介绍|信息)|加分项|优先条件|jd|job description)"
    r"(?:\s*[(（][^)）]{0,12}[)）])?\s*[:：]?\s*$",
    re.I,
)
_JD_DUTY = re.compile(
    r"^(?:负责|参与|熟悉|熟练|精通|掌握|具有|具备|拥有|良好的|扎实的|有较强|较强的).{8,}$|优先[。；;]?$"
)
_HEADING_MARK = re.compile(r"^#{1,6}\s*")
_TIPS_HEADER = re.compile(
    r"^(?:[\w /]{0,24}(?:advice|tips|takeaways|lessons learned)[\w /]{0,32}[:：]\s*$)|^(?:总结|小结|建议|一些建议|个人建议|给.{0,6}建议|心得|经验|经验分享|复盘|感想|感受|个人感觉|一点感受|体会|收获|反思|tips?|advice|takeaways?|lessons?|my tips|注意事项)"
    r"(?:\s*[/、&和]\s*(?:总结|建议|心得|经验|tips?))?(?:\s*[(（][^)）]{0,12}[)）])?(?:[:：\s]|$)",
    re.I | re.A,
)
_TIP_VOICE = fastre.compile(
    r"建议|一定要|别着急|不要(?:慌|紧张|怕|急)|记得|务必|最好(?:先|提前|多|把)|推荐(?:大家|多|先)|多刷|多看|多练|多准备|提前准备"
    r"|重点准备|注意(?!力)|切记|同学们?(?:可以|要|一定|多)|大家(?:一定|可以|要)|千万(?:不要|别|要|记得)|要熟|要会|背熟|一定会|心态|\btips?\b|make sure|\bi recommend|\brecommend\b"
    r"|\badvice\b|\bdon'?t\b|\bbe (?:ready|prepared)\b|\bpractice\b|\bprepare\b|\bshould\b",
    re.I | re.A,
)
_COMMENTARY = fastre.compile(
    r"我|感觉|答|没|不会|忘|紧张|下同|表示|估计|应该|好像|编|哈哈|hh|捂脸|尴尬|卡住|秒了|写出|面试官|写了|\bi\b|\bmy\b|\bhe\b|\bshe\b|\bthey\b|\binterviewer\b|\bwe\b",
    re.I | re.A,
)
_FOLLOW_UP = re.compile(r"^(?:追问|继续问|面试官追问|又问|follow[- ]?up)[:：]?\s*", re.I | re.A)
_QUESTIONISH = fastre.compile(
    r"[?？]$|^(?:介绍|讲|说说|说一下|聊|谈|问|为什么|为何|如何|怎么|怎样|什么|哪些|手撕|手写|写|实现|解释|比较|描述|分析|推导|证明|设计"
    r"|简述|请|你|能否|是否|lc|leetcode|力扣|代码题|算法题|场景题|智力题)"
    r"|是什么|有哪些|有什么|区别|原理|怎么|如何|为什么|作用|优缺点|优势|流程|过程|实现|了解|知道|计算|公式|复杂度"
    r"|^(?:what|how|why|explain|implement|design|describe|tell|walk|write|given|compare|can you|do you|have you|find|merge|reverse|build|code)",
    re.I | re.A,
)
_OUTCOME_TALK = fastre.compile(
    r"挂了|oc了|已oc|收到oc|拿到oc|拿到offer|泡池子|许愿|感谢信|没答好|答得(?:不好|一般|还行)|凉了|等通知|等结果|哈哈|hhh",
    re.I,
)
_NARRATIVE = re.compile(
    r"^(?:我|本人|楼主|面试官(?:人|很|挺|比较)|整体|总体|感觉|体验|时长|时间|base|背景|hr说|后来|之后|结果|ps|p\.s)",
    re.I | re.A,
)
_PROSE_CUE = fastre.compile(
    r"(?:先|又|再|还|接着|然后|之后|最后|后面|随后|开始|上来)?(?:就)?(?:开始)?"
    r"(?:(?<!反)问(?!的|得|题|过)了?(?:我|一下|一些|几个|很多|点)*(?:关于)?|(?<!反)问到了?|考了?(?:我)?"
    r"|聊(?:了|聊|一下)+|聊(?=我|你)"
    r"|[让要]我?(?=讲|说|介绍|手撕|手写|写|实现|推导|证明|设计|解释|比较|对比|估|算|分析|谈|做)"
    r"|(?:算法|代码|编程)题(?:是|为)[:：]?|(?:算法|代码|编程|题目)(?:是|为)[:：]?(?=[:：]|力扣|lc|leetcode|一道|\S{0,12}(?:的变种|那题|原题))"
    r"|问得[^：:，,。]{0,6}[:：]|出了?(?:一道|道|个)(?:算法题|代码题|题)?[,，:：]?"
    r"|给了?(?:我)?(?:一?个|一道|道)(?=场景|智力题|题|代码题|算法题)|(?=手撕|手写)|(?:深挖|挖|拷打)(?:了|了下|了一下)?(?=我|你)"
    r"|(?:是)?(?:一个|一道)?(?:开放题|场景题|智力题|算法题|系统设计题)[:：]"
    r"|follow[- ]?up(?:就)?(?:是|问了?|[:：])|第[二三四五2-5]题(?:是|[:：])|上来就是|(?:出题[，,]?说|(?:面试官|他|她|小哥)说[，,:：])(?=我们|你|现在|如果|假设|给))"
    r"|\b(?:asked (?:me )?(?:about |to )?|wanted me to |had me |we discussed |discussed |(?:he |she |they )?pushed (?:me )?on "
    r"|probed (?:into |on )?|drilled (?:into |on )|quizzed me on |grilled me on |followed up (?:on |with )"
    r"|talked about |(?:finished|started|ended) by asking |(?:first|second|next|last) problem: |leetcode-style one: "
    r"|question was about "
    r"|(?:the |one |first |second |next |another )?(?:questions?|problem|task) (?:was|were) (?:about |on |related to |to )?"
    r"|(?:was |were )(?:given|presented with) |asked (?:if|whether) (?=\w)|(?:was )?curious about "
    r"|(?:started|starting|began|beginning) (?:off )?with (?=(?:the |an? |some )?(?:basic|introduc|definition|question))"
    r"|moved? (?:on )?(?:to|onto) (?=discuss|talk|(?:my |the )?(?:resume|cv|projects?|algorithms|system))"
    r"|then (?:a |an )?(?=(?:coding|design|question)))",
    re.I | re.A,
)
_AFTER_COMMA = re.compile(
    r"[，,]\s*(?:他|她|面试官|又|还|再|就|顺着|接着|然后|and |also |he |she |they |then )*$", re.I
)
_WH_START = re.compile(r"^(?:and )?(?:then )?(?=(?:what|how|why|whether)\b)", re.I | re.A)
_PROSE_TAIL = re.compile(
    r"[，,](?=\s*(?:我|他|她|面试官|感觉|结果|写完|答完|说完|讲完|其实|写得|答得|还算|但是|但我|然而|不过|楼主|然后我|当时|i |he |she |they ))",
    re.I | re.A,
)
# "onsite，第一轮，…", "电面：…": a round named at the head of the line that tells it.
_ROUND_LEAD = re.compile(
    r"^(?:(?:电面|店面|onsite|vo|面试)\s*[，,:：]\s*)?(?:第[一二三四五六七八九十\d]{1,2}轮|电面|店面|onsite)\s*[，,:：]\s*(?=\S)",
    re.I,
)
# What says only the kind of round or who ran it ("coding", "和某小哥远程面", "就是manager聊"), not an ask.
_ROUND_ONLY = re.compile(
    r"^(?:coding|system design|design|bq|behavioral|算法|设计)(?:的题|题)?$|(?:面|聊|聊天|简单|难)$|^[^，,]*(?:小哥|小姐姐|大哥|面试官)",
    re.I,
)
# Where the author's own story takes over from the ask: "isomorphic string原题，我正好…".
_REACTION = re.compile(
    r"[，,](?=\s*(?:我|似乎|总之|结果|感觉|当时|其实|不过|但是|然而|反正|楼主|很多面经|这道题|这题|最后没|然后我|上来就说))"
)


def _cut_reaction(text: str) -> str:
    if not _CJK.search(text):
        return text
    return _REACTION.split(text, maxsplit=1)[0].strip(" ，,")


_NEGATED = re.compile(r"(?:没|不|别|未)[有怎么太再被]{0,4}$")
_OWN_TURN = re.compile(r"\S{0,6}?问(?:我|你)?问题|\S{0,4}?问(?:他|她|面试官|对方)")
_YOU_ASK = re.compile(r"^[^，,。]{0,6}说[:：]?\s*你[^，,。]{1,24}吗$|^你[^，,。]{1,24}吗$")
_SELF_INTRO = fastre.compile(
    r"自我介绍|聊项目|聊聊项目|介绍(?:一下)?(?:你的)?项目|项目介绍|简单聊(?:了)?(?:一下)?项目|聊(?:了)?(?:一下)?实习|介绍(?:一下)?实习"
    r"|introduce yourself|self[- ]intro(?:duction)?|walk (?:me )?through your (?:resume|cv|background)|tell me about yourself",
    re.I | re.A,
)


@dataclass
class Extracted:
    questions: list[str] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)
    confident: bool = True


def strip_numbering(line: str) -> tuple[bool, str]:
    m = _NUMBERING.match(line)
    if not m or m.end() == 0:
        return False, line
    return True, line[m.end() :].strip()


def split_inline(line: str) -> list[str]:
    """'1、A 2、B 3、C' on one line is three items when the numbers count up."""
    hits = list(_INLINE_NUMBER.finditer(line))
    if len(hits) < 2:
        return [line]
    cuts: list[int] = []
    expected: int | None = None
    for m in hits:
        n = int(m.group(1))
        # Authors repeat or skip a number now and then ("3. … 4. … 4. … 5."): still the same list.
        if expected is None or expected - 1 <= n <= expected + 1:
            cuts.append(m.start())
            expected = n + 1
    # A list that starts mid-line ("…分享一下。1.… 2.… 3.…", a flattened caption) needs three items to count.
    if len(cuts) < 2 or (cuts[0] > 2 and len(cuts) < 3):
        return [line]
    head = [line[: cuts[0]].strip()] if line[: cuts[0]].strip() else []
    return head + [line[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(line)], strict=True)]


_COMPOUND_END = re.compile(r"区别|对比|比较|异同|关系|联系|原理|优缺点|差异|哪个好|顺序|分别")


def split_listing(text: str) -> list[str]:
    """ "自我介绍、RoPE、LoRA、手撕快排" is four asks; "RoPE、ALiBi的区别" is one."""
    items = [item.strip() for item in re.split(r"[、；;]", text) if item.strip()]
    if len(items) < 3 or re.search(r"[:：]", items[0]):
        return [text]  # "评价指标：准确率、召回率、AUC" asks about the whole list
    if any(len(item) > 24 for item in items) or _COMPOUND_END.search(items[-1]):
        return [text]
    if re.search(r"分别|各自|都是|这[几些]|以上|哪个", items[-1]):
        return [text]  # "Redis缓存穿透、击穿、雪崩分别怎么处理" asks one thing of the whole list
    asks_first = re.search(r"为什么|如何|怎么|什么|哪些|是否|why|how|what", items[0], re.I)
    if re.search(r"[，,]", text) or (asks_first and any(re.match(r"\d", item) for item in items[1:])):
        # A sentence that happens to list things: "做一个能写代码、跑测试、修bug的Agent，怎么设计",
        # "MLM为什么要80%替换成[MASK]、10%随机替换、10%保持不变".
        return [text]
    if re.search(r"[？?。]", text):
        return [text]
    return items


# An answer written on the question's own line: "RoPE原理 —— 我说了旋转矩阵…", "… 答：…".
_INLINE_ANSWER = fastre.compile(
    r"\s*(?:答[:：]|回答[:：]|\ba[:：]\s|我答[:：]?|answer[:：])|\s+(?:——|--|->|=>)\s+|(?:——|—|->|=>)\s*(?=我|答|回答|说了|讲了)"
    r"|(?<=[.!])\s+(?=(?:he|she|they|i|we|my|the interviewer|interviewer)\b)",
    re.I | re.A,
)


_ASIDE = re.compile(r"[(（]([^()（）]{2,200})[)）]")
_COMMA = re.compile(r"，|, ")
_OPEN_ASIDE = re.compile(r"\s*\([^()]*$")
_ASK_LABEL = re.compile(r"^(?:问[:：]|q[:：]|question[:：])\s*", re.I | re.A)
_SPACES = re.compile(r"\s+")


def _clean_question(text: str, tips: list[str]) -> str:
    """Drop parenthesised author comments (keeping tips among them) and any inline answer."""
    # The rules and the candidate reader clean the same lines: each text is cleaned once.
    cleaned = _CLEANED.get(text)
    if cleaned is None:
        cleaned, found = _cleaned(text)
        if len(text) <= 2000:
            if len(_CLEANED) >= 8192:
                _CLEANED.clear()
                _ASIDE_TIPS.clear()
            _CLEANED[text] = cleaned
            if found:
                _ASIDE_TIPS[text] = found
    else:
        found = _ASIDE_TIPS.get(text, ())
    tips.extend(found)
    return cleaned


# Strings only (tips are rare): memos the garbage collector never has to walk.
_CLEANED: dict[str, str] = {}
_ASIDE_TIPS: dict[str, tuple[str, ...]] = {}


def _cleaned(text: str) -> tuple[str, tuple[str, ...]]:
    tips: list[str] = []

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        if _TIP_VOICE.search(inner) and len(inner) >= 8:
            tips.append(inner)
            return ""
        if _COMMENTARY.search(inner) or (len(inner) > 16 and _COMMA.search(inner)):
            return ""  # "（写了双指针，面试官让…）", "(yes really, a LeetCode medium…)"
        return m.group(0)

    text = _ASIDE.sub(paren, text)
    text = _INLINE_ANSWER.split(text, maxsplit=1)[0]
    text = _OPEN_ASIDE.sub("", text)  # an aside whose closing bracket went with the sentence after it
    text = _ASK_LABEL.sub("", text)
    return _SPACES.sub(" ", text).strip(" ，,;；:：-—"), tuple(tips)


def _is_tip(text: str) -> bool:
    return bool(_TIP_VOICE.search(text)) and not _QUESTIONISH.search(text.split("，")[0][:12])


_FOLLOW_ON = ("愿", "能", "会", "是否", "有没有", "为什么", "怎么", "如何")


def _trim_narration(q: str) -> str:
    """ "为什么想来百度、期望薪资是多少，十分钟结束": a short tail after the last comma is narration."""
    head, sep, tail = q.rpartition("，")
    if sep and len(tail) <= 8 and not _QUESTION_WORDS.search(tail) and not re.search(r"[a-z]", tail, re.I):
        return head
    return q


def _listed_asks(line: str) -> tuple[list[str], str]:
    """ "asked things like `Tell me about …`, `How did you …`" or an italic "*A, B, C*" list inside a sentence."""
    spans = _EN_LISTED.findall(line)
    if len(spans) >= 2 and _latin(line):
        return [x.strip() for x in spans], _EN_LISTED.sub("", line)
    italic = _EN_ITALIC_LIST.search(line) if _latin(line) else None
    if italic:
        parts = [x.strip(" .") for x in re.split(r",\s+(?=[A-Z])", italic.group(1))]
        if len(parts) >= 3 and all(3 <= len(x) <= 120 for x in parts):
            return parts, line[: italic.start()] + line[italic.end() :]
    return [], line


def prose_questions(text: str) -> list[str]:
    """Questions inside sentences: '先问了我KV cache的原理，然后让我手撕LRU' → two questions."""
    found: list[str] = []
    listed_next = False
    for line in text.split("\n"):
        listed, line = _listed_asks(line)
        found.extend(listed)
        # "八股问了：" then the asks, one per line.
        if listed_next and line.strip() and not _NARRATIVE.match(line.strip()):
            found.append(line.strip().rstrip("。"))
            listed_next = False
            continue
        listed_next = bool(re.search(r"问了?[:：]$|asked[:：]$", line.strip()))
        if listed_next:
            continue
        found.extend(_en_prose_line(line) if _latin(line) else _prose_line(line))
    return found


# An English sentence that tells of an ask: the sentence itself is the question as the author put it.
_EN_ASK_CUE = fastre.compile(
    r"\b(?:(?:was|were|got) (?:asked|questioned|given|presented with)|asked (?:me|us|him|her|if|whether|about|to|a|an|some|for)"
    r"|had me|wanted me to|(?:we|they|he|she|interviewer) (?:discussed|talked|went through|started with|began with)"
    r"|(?:discussing|talking about|discussion (?:on|about|regarding)|questions? (?:on|about|regarding|related to))"
    r"|(?:the|one|first|second|next|another|last) (?:question|problem|task) (?:was|were|is)"
    r"|question (?:was|were) (?:about|on|related|to)|(?:starting|started|began) with (?:introductions|an? intro|the basic)"
    r"|introduced (?:himself|herself|themselves)|curious about|grilled|quizzed|probed|drilled)\b",
    re.I,
)
_EN_NOT_ASK = fastre.compile(
    r"\b(?:recruiter|hr team|scheduled?|reschedul\w*|timings?|availability|calendar|slot|online assessment|test link"
    r"|any questions for|questions for (?:him|her|them|me)|offer|feedback|referr\w*)\b",
    re.I,
)


# "I then asked about …" is the author's own question; "he did not ask …" is no ask.
_EN_OWN_ASK = fastre.compile(r"\bI (?:(?!was|were|got|had|been|am)\w+ )?asked\b|\b(?:did not|didn'?t|never) ask", re.I)


def _en_prose_line(text: str) -> list[str]:
    """English narration: each sentence that tells of an ask is one question, kept as written."""
    found: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'(*])|;\s+(?=(?:i|we|he|she|they|then)\b)", text):
        sentence = sentence.strip(" *_")
        if len(sentence) < 8:
            continue
        if sentence.endswith("?") and len(sentence) <= 160 and not _NARRATIVE.match(sentence):
            if not re.match(r"(?:i|we|my)\b", sentence, re.I):
                found.append(sentence)
            continue
        cue = _EN_ASK_CUE.search(sentence)
        if not cue or _EN_NOT_ASK.search(sentence) or _EN_OWN_ASK.search(sentence):
            continue
        if re.search(r"(?:[:—–-]|\bas follows|\bthe followings?|\blike)\s*$", sentence, re.I):
            continue  # "The problem was as follows:": the ask is below
        if len(sentence) > 220:
            # A long sentence: the ask is the clause that holds the cue.
            start = max(sentence.rfind(", ", 0, cue.start()), sentence.rfind("; ", 0, cue.start()))
            sentence = sentence[start + 2 if start >= 0 else 0 :]
            after = _EN_ASK_CUE.search(sentence).end()
            end = re.search(r"[,;]\s+(?=(?:i|he|she|they|which|but|so)\b)", sentence[after:], re.I)
            if end:
                sentence = sentence[: after + end.start()]
        found.append(sentence.rstrip(" .,;:"))
    return found


def _prose_line(text: str) -> list[str]:
    found: list[str] = []
    for sentence in re.split(r"[。！!；;]|(?<=[?？])|(?<=[a-z0-9)][.])\s+(?=[A-Z])|\.{3,}|…+", text):
        # "，以及" starts a second ask only when what follows is one ("以及愿不愿意去杭州"), not a rider
        # on the first ("…的理解，以及它们大概是怎么训出来的").
        clauses = re.split(
            r"[，,](?=\s*(?:然后|接着|之后|又|再|最后|后面|随后|and then|then|以及(?:愿|能|会|是否|有没有|为什么|怎么|如何|我)))",
            sentence,
        )
        asked = False
        for k, clause in enumerate(clauses):
            joined = bool(re.match(r"^\s*以及", clause))
            clause = re.sub(r"^\s*以及", "", clause).strip()
            cues = [m for m in _PROSE_CUE.finditer(clause) if m.group(0)]
            # A later cue starts a new ask only at a clause boundary ("…论文，我讲了DAPO，他顺着问了…"),
            # not inside one ("满意度下降了…问答", "写完让我讲了一下复杂度").
            cues = cues[:1] + [
                m for m in cues[1:] if _AFTER_COMMA.search(clause[: m.start()]) or "follow" in m.group(0).lower()
            ]
            # "没怎么被问到…" is no ask; "你必须问我问题" is the candidate's turn at the end.
            cues = [
                m for m in cues if not _NEGATED.search(clause[: m.start()]) and not _OWN_TURN.match(clause[m.start() :])
            ]
            for i, m in enumerate(cues):
                # Each ask runs to the next cue or to the narration that follows it ("，我推了一半…").
                end = cues[i + 1].start() if i + 1 < len(cues) else len(clause)
                q = _PROSE_TAIL.split(clause[m.end() : end], maxsplit=1)[0].strip(" ，,:：")
                if not m.group(0).startswith(("让我", "要我")):
                    q = re.sub(r"^(?:了|我|的|一下|一些|些|个|道|下)+", "", q)
                q = re.sub(r"^(?:场景题?|智力题|代码题|算法题|开放题)[:：]", "", q).strip(" ，,")
                # "问了一道题，<name>，…": the problem comes after the count.
                q = re.sub(r"^(?:一道|一个|道|个)?(?:算法题|代码题|题)[，,:：]\s*", "", q)
                if not q and i == len(cues) - 1 and k + 1 < len(clauses):
                    # "…聊一下，<the problem>": the cue closes its clause and the ask is the next one.
                    nxt = _PROSE_TAIL.split(clauses[k + 1], maxsplit=1)[0].strip(" ，,")
                    if not _NARRATIVE.match(nxt) and not _PROSE_CUE.search(nxt):
                        q = nxt
                q = _trim_narration(q)
                if len(q) >= 3 and not _NARRATIVE.match(q) and not q.startswith(("的", "，")):
                    mark = "？" if clause.endswith(("?", "？")) and i == len(cues) - 1 else ""
                    found.extend(split_listing(q.rstrip("?？. ") + mark))
            if cues:
                asked = True
                continue
            intro = _SELF_INTRO.search(clause)
            if intro and len(clause) <= 20:
                found.append(intro.group(0))  # "上来先自我介绍"
                continue
            if asked and len(clause) >= 4 and (joined or clause.startswith(_FOLLOW_ON)):
                # "…问了我的职业规划，以及愿不愿意去杭州": a second ask of the same verb.
                found.append(re.sub(r"^我(?:最近)?", "", clause) if joined else clause)
                continue
            if (
                clause.endswith(("?", "？"))
                and 4 <= len(clause) <= 120
                and not _NARRATIVE.match(clause)
                and not _OUTCOME_TALK.search(clause)
            ):
                found.append(clause)
            elif _YOU_ASK.search(clause) and len(clause) <= 40 and not _OUTCOME_TALK.search(clause):
                found.append(clause)  # "他说你会…吗": a question told without a question mark
            elif _WH_START.match(clause) and len(clause) >= 12:
                # "…, and then what happens when…": the ask carries on without a verb of asking.
                found.append(_WH_START.sub("", clause, count=1).strip())
    return found


_STRONG_TIP = fastre.compile(
    r"建议|一定要|务必|大家|记得|千万(?:不要|别|要|记得)|切记|别着急|别只|都要想清楚|最后说一句|要准备|准备一下|要多看|多看看"
    r"|要提前|提前想|主动说|别含糊|更重要|很重要|最重要|关键是|不要急着"
    r"|recommend|make sure|\btips?\b|\bbrush up\b",
    re.I | re.A,
)
_COMMENT_LINE = fastre.compile(
    r"^(?:这轮|这一轮|这题|这道|整轮|本轮|感觉|面试官|结果|后来|当时|然后|最后我|ps|note)|我|感觉|约了|还没|估计|凉|没消息"
    r"|\bi\b|\bmy\b",
    re.I | re.A,
)
_TIMELINE_LINE = re.compile(r"^\d{1,2}[./月]\d{1,2}日?\s*\S{0,12}$|^(?:oc|offer|挂|感谢信|意向)$", re.I)


_CJK = re.compile(r"[\u4e00-\u9fff]")
# "**Verdict:**", "**Take home**": a bold-only English line is a sub-heading.
_EN_BOLD_LINE = re.compile(r"^(?:\*\*|__)(?P<t>[^*_\n]{1,80}?)(?:\*\*|__)\s*[:：]?\s*$")
# "#### Question 1:", "**Q2.**": a label alone, with the problem statement on the next line.
_EN_Q_LABEL = re.compile(r"^(?:#{1,6}\s*)?[*_]*\s*(?:q|question|problem)\s*\d{1,3}\s*[:.)]?\s*[*_]*\s*[:.]?\s*$", re.I)
# Sections that hold the author's advice, or no asks at all.
_EN_TIPS_SECTION = fastre.compile(
    r"\b(?:tips?|advice|take[- ]?homes?|takeaways?|learnings?|lessons?(?: learned)?|suggestions?|dos and don'?ts)\b",
    re.I,
)
_EN_SKIP_SECTION = re.compile(
    r"^(?:(?:in )?conclusions?|final (?:thoughts|words|verdict)|verdict|results?|outcome|resources|references"
    r"|(?:interview |study )?materials|useful links|preparation|timeline|about me|background|acknowledge?ments?)\b",
    re.I,
)
# The author's solution and the problem's worked example, under the problem statement.
_EN_DETAIL = re.compile(
    r"^(?:solution|approach|my approach|expected(?: time| space)? complexity|(?:time |space )?complexity|expectation"
    r"|input|output|sample(?: input| output)?|examples?|explanation|constraints?|note|hint|verdict|result|outcome"
    r"|status|offer|e\.?g)\b[^:：]{0,24}[:：]",
    re.I,
)
# "Practice …", "Don't …", "Make sure …": advice to the reader, not an ask.
_EN_ADVICE = re.compile(
    r"^(?:practi[cs]e|prepare|don'?t|do not|never|always|make sure|avoid|try (?:to|and)|be (?!able)|keep|stay|remember"
    r"|focus on|start (?:preparing|early|your|with a)|take (?:time|mock|a few|your|care)|think (?:aloud|out loud|loud|before)"
    r"|apply (?:through|early|to)|have patience|read up|learn|know (?:every|your|the basics)|ask (?:for|clarif|questions)"
    r"|interact|break (?:the|down)|communicate|understand|revise|brush up|go through|stick to|spend|persistence|patience"
    r"|consistency|good luck)\b",
    re.I,
)
# A line that narrates the process ("I had 2 rounds", "Interview was scheduled on …", "2 questions in 90 min").
_EN_NARRATION = fastre.compile(
    r"^(?:i|we|my|our|he|she|they|it|this|that|there|overall|around|total|after|before|finally|later|also|so|luckily"
    r"|unfortunately|the (?:interview|interviewer|interviewers|round|recruiter|hr|process|online|test|coding|first|second"
    r"|third|next|final|last|whole|overall|entire)|interview(?:er)?s?|rounds?|everyone|each|both)\b"
    r"|^\d{1,3}\s+(?:[\w-]+\s+){0,2}(?:questions?|problems?|rounds?|interviews?)\b"
    r"|\b(?:was|were|had|took|went|got|felt)\b|\b(?:scheduled|shortlisted|eliminated|selected|rejected)\b",
    re.I,
)
_EN_LISTED = re.compile(r"`([^`\n]{6,200})`")
_EN_ITALIC_LIST = fastre.compile(r"(?<![*\w])\*([^*\n]{30,})\*(?![*\w])")


def _latin(text: str) -> bool:
    return not _CJK.search(text)


def _title_case(text: str) -> bool:
    """ "How Did I Apply?", "What After The Interview?": a section title, not an ask."""
    words = re.findall(r"[A-Za-z][\w']*", text)
    long_words = [w for w in words if len(w) > 3 or w == "I"]
    return len(words) >= 2 and len(long_words) >= 2 and all(w[0].isupper() for w in long_words)


def _en_narrated(text: str) -> bool:
    """An English line about the process or the author rather than an ask."""
    if not _latin(text) or text.rstrip("*_ ").endswith("?") or _QUESTION_START.match(text) or _IMPERATIVE.match(text):
        return False
    return bool(_EN_NARRATION.search(text))


_LETTER = re.compile(r"[A-Za-z\u4e00-\u9fff]")
_DATA_CHAR = re.compile(r"[\[\]{}=≤≥<>\d]")
_SPACE = re.compile(r"\s")
_FENCE = re.compile(r"\s*(?:```|~~~)")


def _data_line(text: str) -> bool:
    """ "B: [1, 6, 2, 3]", "[1 ≤ N ≤ 1e5]": an example or a bound, not words."""
    letters = len(_LETTER.findall(text))
    return bool(_DATA_CHAR.search(text)) and letters < 0.35 * len(_SPACE.sub("", text))


def extract(lines: list[str], *, in_round: bool = True) -> Extracted:
    """Questions and tips from the lines of one round (or of the whole post when it has no rounds)."""
    out = Extracted()
    items: list[tuple[bool, str, bool]] = []  # (numbered, text, indented)
    headings: set[int] = set()  # items that were markdown headings ("### 3. …", "# 项目")
    statements: set[int] = set()  # the line under a bare "Question 1:" label: the problem statement
    want_statement = False
    in_code = False
    for raw in lines:
        if _FENCE.match(raw):  # Markdown fences only: a Liquid block's comments can be asks
            in_code = not in_code  # a code block is the author's code, never an ask
            continue
        if in_code or raw.lstrip().startswith(">"):
            continue  # ... and a "> " quote is the author's aside or a pasted answer
        if not raw.strip():
            items.append((False, "", False))
            continue
        indented = raw.startswith("  ")
        stripped = raw.strip()
        if _EN_Q_LABEL.match(stripped):
            want_statement = True
            continue
        if want_statement:
            statements.add(len(items))
            want_statement = False
        bold = _EN_BOLD_LINE.match(stripped) if _latin(stripped) else None
        if bold and not bold.group("t").rstrip().endswith("?"):
            headings.add(len(items))
            items.append((False, bold.group("t").strip(" :："), False))
            continue
        mark = _HEADING_MARK.match(stripped) if stripped.startswith("#") else None
        if mark:
            headings.add(len(items))
            numbered, text = strip_numbering(stripped[mark.end() :])
            items.append((numbered, text.strip("*_ "), False))
            continue
        lead = _ROUND_LEAD.match(stripped) if _CJK.search(stripped) else None
        if lead:
            # "第二轮，<the problem>。<narration>": the round's ask opens the line, the story follows it.
            head, _, rest = stripped[lead.end() :].partition("。")
            head = _cut_reaction(head)
            if head and not _ROUND_ONLY.search(head):
                items.append((True, head, False))
            if rest.strip():
                items.append((False, rest.strip(), False))
            continue
        for piece in split_inline(stripped):
            numbered, text = strip_numbering(piece)
            if _latin(text) and re.match(r"[*_]", text):
                text = text.strip("*_ ")  # "*Given a 2xN matrix …*": an italic statement
            items.append((numbered, text, indented))
    # A numbered line whose own indented sub-items follow it ("3. 项目细节" then "  + …？"): a topic heading,
    # and the sub-items are the asks.
    parents: set[int] = set()
    children: set[int] = set()
    last_top: int | None = None
    for i, (numbered, text, indented) in enumerate(items):
        if not text:
            continue
        if not indented:
            last_top = i if numbered and i not in headings else None
        elif numbered and last_top is not None and _topic_line(items[last_top][1]):
            parents.add(last_top)
            children.add(i)
    numbered_count = sum(1 for i, (numbered, text, _) in enumerate(items) if numbered and text and i not in headings)
    bare_plain = sum(
        1
        for i, (numbered, text, _) in enumerate(items)
        if text and not numbered and i not in headings and _bare_item(text)
    )
    # A few bullets among many bare lines ("# CSS", "居中", "Promise 实现", "- 缓存"): the bare lines are the list.
    list_mode = numbered_count >= 2 and bare_plain < 2 * numbered_count + 2
    texts = [text for i, (_, text, _) in enumerate(items) if text and i not in headings]
    # A round written as bare short lines ("transformer结构", "bn和ln区别", "投机解码"): each line is an ask.
    body_texts = texts[1:] if texts and _TITLE_LINE.search(texts[0]) else texts
    bare_list = (
        in_round
        and not list_mode
        and len(body_texts) >= 4
        and sum(1 for t in body_texts if _bare_item(t)) >= 0.6 * len(body_texts)
    )
    mode = "questions"
    prose_buffer: list[str] = []
    # The question the previous line opened, while a broken line may still continue it.
    open_question: int | None = None
    answers_below = False  # under a "### 3. question" heading, its bullets are the author's answer
    for i, (numbered, text, indented) in enumerate(items):
        if not text:
            if mode == "reverse" or open_question is None or not _CODING_LABEL.match(out.questions[open_question]):
                open_question = None
            if mode == "reverse":
                mode = "questions"
            continue
        if i in headings:
            open_question = None
            answers_below = False
            if _JD_HEADER.match(text):
                mode = "jd"
                continue
            if mode in ("jd", "reverse", "skip", "answer") or (mode == "tips" and not numbered):
                mode = "questions"
            if _latin(text) and not numbered:
                if text.endswith("?") and _title_case(text):
                    continue  # "How Did I Apply?": a section title in the form of a question
                if _EN_TIPS_SECTION.search(text) and len(text) <= 60:
                    mode = "tips"
                    continue
                if _EN_SKIP_SECTION.match(text):
                    mode = "skip"
                    continue
            if not numbered and not text.endswith(("?", "？")):
                if _REVERSE.match(text):
                    mode = "reverse"
                elif _TIPS_HEADER.match(text):
                    mode = "tips"
                continue  # "# CSS", "## 二面": a heading, not an ask
            answers_below = numbered
        elif answers_below and (numbered or indented) and mode == "questions":
            if _STRONG_TIP.search(text):
                out.tips.append(text)
            continue
        if mode in ("jd", "skip"):
            continue
        if i in statements and mode != "tips" and not _EN_DETAIL.match(text):
            mode = "questions"
            out.questions.append(_clean_question(text, out.tips))
            open_question = None
            continue
        if mode == "answer":
            continue
        if _latin(text):
            if _EN_DETAIL.match(text):
                if not text.split(":", 1)[-1].strip(" *_"):
                    mode = "answer"  # "Solution:" / "Approach:" alone: the author's answer follows
                open_question = None
                continue
            if _data_line(text) or (
                re.match(r"^(?:\{\{|\{%|!?\[[^\]]*\]\([^)]*\)\s*$)", text) and "leetcode.com/problems" not in text
            ):
                continue  # an example, a site shortcode or a bare link (a linked LeetCode problem is an ask)
            label = re.match(r"^([A-Za-z][\w ]{0,30}?)[:：]\s*$", text)
            if label and _EN_TIPS_SECTION.search(label.group(1)):
                mode = "tips"  # "Learnings:" on a line of its own
                open_question = None
                continue
            if mode != "tips" and _EN_ADVICE.match(text) and not text.endswith("?"):
                out.tips.append(text)
                open_question = None
                continue
            if mode == "questions" and _en_narrated(text) and i not in children:
                if in_round:
                    prose_buffer.append(text)
                open_question = None
                continue
        if _JD_HEADER.match(text) and text.endswith(("：", ":")):
            mode = "jd"
            continue
        if _JD_DUTY.search(text) and not _QUESTION_WORDS.search(text) and not text.endswith(("?", "？", "吗")):
            continue  # "熟悉PyTorch，有大模型训练经验者优先": a requirement of the job ad
        if i in children and _COMMENT_LINE.search(text):
            continue  # "  + 我这里答得太细了": the author's note under the ask
        if i in children:
            indented = False
            numbered = True
        reverse = _REVERSE.match(text)
        if reverse:
            # "反问：" opens a section; "最后反问了组里的业务。" is one line about it.
            rest = text[reverse.end() :].strip(" :：")
            if len(rest) <= 4:
                mode = "reverse"
            open_question = None
            continue
        if _TIMELINE_LINE.match(text):
            continue
        header = _TIPS_HEADER.match(text)
        rest = text[header.end() :].strip(" :：") if header else ""
        if header and (not numbered or len(rest) >= 6):
            if len(rest) >= 6:
                out.tips.append(rest)  # "建议：…" / "★给姐妹们的建议：…" on one line
            else:
                mode = "tips"
            open_question = None
            continue
        if mode == "reverse":
            continue
        if mode == "tips":
            if len(text) >= 6:
                out.tips.append(text)
            continue
        if indented or _ANSWER.match(text):
            if _STRONG_TIP.search(text):
                out.tips.append(text)
            open_question = None
            continue
        follow = _FOLLOW_UP.match(text)
        if follow:
            text = text[follow.end() :]
            numbered = True
        if list_mode and not numbered and _SELF_INTRO.match(text):
            numbered = True
        if not numbered and _STRONG_TIP.search(text) and not text.endswith(("?", "？")):
            out.tips.append(re.sub(r"^[^，,:：]{0,8}[:：]", "", text).strip())
            open_question = None
            continue
        if bare_list and texts and text is texts[0] and _TITLE_LINE.search(text):
            continue  # "拼多多 服务端研发 秋招面经" is the title
        intro = _SELF_INTRO.search(text) if not numbered and not list_mode else None
        if intro and text.rstrip().endswith(("：", ":")):
            out.questions.append(intro.group(0))  # "先自我介绍，然后直接开始问："
            continue
        if numbered or (not list_mode and (_plain_question(text) or (bare_list and _bare_item(text)))):
            if _is_tip(text) and not _QUESTIONISH.search(text):
                out.tips.append(text)
                continue
            if _OUTCOME_TALK.search(text) and not _QUESTION_WORDS.search(text):
                continue  # "★二面挂了 感觉投机解码没答好": the author's mood, not an ask
            question = _clean_question(_cut_reaction(text) if len(text) > 30 else text, out.tips)
            # "6. 推理加速连环问：" heads the sub-questions 6.1, 6.2 below it.
            heads = re.sub(r"\s*[(（][^()（）]{0,16}[)）]$", "", text.rstrip()).endswith(("：", ":"))
            if len(question) >= 2 and not (heads and len(question) <= 16):
                out.questions.extend(split_listing(question))
                open_question = len(out.questions) - 1
            continue
        if (
            open_question is not None
            and (list_mode or _CODING_LABEL.match(out.questions[open_question]))
            and not _COMMENT_LINE.search(text)
            and not text.startswith(("(", "（"))
        ):
            # An OCR or copy-paste break: the line carries on the numbered question above it.
            prev = out.questions[open_question]
            if len(prev) > 400:
                open_question = None  # no question runs this long: the list has ended
                continue
            joiner = " " if prev[-1:].isascii() and text[:1].isascii() else ""
            out.questions[open_question] = _clean_question(prev + joiner + text, out.tips)
            continue
        open_question = None
        if list_mode and _IMPERATIVE.match(text):
            out.questions.append(_clean_question(text, out.tips))  # "Design the ranking system for …"
            continue
        if list_mode and text.endswith(("?", "？")) and not _NARRATIVE.match(text) and not _OUTCOME_TALK.search(text):
            out.questions.append(_clean_question(text, out.tips))
            continue
        long_prose = len(text) > 150 and _CJK.search(text) and _PROSE_CUE.search(text)
        if _TIP_VOICE.search(text) and not _QUESTIONISH.search(text[:8]):
            out.tips.append(text)
            if not long_prose:
                continue
        if not list_mode and in_round:
            prose_buffer.append(text)
    if prose_buffer:
        out.questions.extend(prose_questions("\n".join(prose_buffer)))
        out.confident = False
    out.questions = _dedupe(out.questions)
    out.tips = _dedupe([t.strip().rstrip("。") for t in out.tips if len(t.strip()) >= 6])
    return out


_QUESTION_START = re.compile(
    r"^(?:介绍|讲|说说|说一下|聊|谈|问|为什么|为何|如何|怎么|怎样|什么|哪些|手撕|手写|写|实现|解释|比较|对比|描述|分析|推导|证明|设计"
    r"|简述|请|你|能否|是否|lc|leetcode|力扣|代码题|算法题|场景题|智力题|概率题"
    r"|what|how|why|explain|implement|design|describe|tell|walk|write|given|compare|can you|do you|have you|find|merge"
    r"|reverse|build|code|coding|leetcode)",
    re.I | re.A,
)
_QUESTION_WORDS = re.compile(
    r"什么|有哪些|区别|原理|为何|如何|怎么|怎样|作用|优缺点|哪些|多少|干嘛|过程|流程|讲一下|说一下|吗$|呢$"
)


def _bare_item(text: str) -> bool:
    return (
        len(text) <= 30
        and not text.endswith("。")
        and not _NARRATIVE.match(text)
        and not _OUTCOME_TALK.search(text)
        and not _STRONG_TIP.search(text)
        and not _REVERSE.match(text)
    )


def _topic_line(text: str) -> bool:
    """ "项目细节", "Linux 基础操作", "问了一些延伸问题：": a heading over sub-questions, not an ask of its own."""
    return text.rstrip().endswith(("：", ":")) or (
        len(text) <= 16 and not _QUESTION_WORDS.search(text) and "？" not in text
    )


# "手撕代码：一道模拟题（C++环境）": the problem statement follows on the next lines.
_CODING_LABEL = re.compile(r"^(?:手撕|手写|代码|编程|算法|coding)(?:代码|题|算法|题目)?\s*[:：][^，,。]{0,20}$", re.I)


_IMPERATIVE = re.compile(
    r"^(?:design|implement|given|write|find|build|explain|describe|compare|code up|how would you)\s", re.I
)
_TITLE_LINE = fastre.compile(r"面经|面试记录|面试经历|interview experience", re.I)
_TOLD_ASK = fastre.compile(
    r"[，,]\s*(?:又|还|然后|接着|最后)?(?:问了|问我|让我|要我)|\b(?:asked me|had me)\b", re.I | re.A
)


def _plain_question(text: str) -> bool:
    """An unnumbered line in a post without numbering: a question, or narration?"""
    if _TOLD_ASK.search(text):
        return False  # "过了几天二面，问了DPO…": narration around an ask; the prose reader takes it
    if _OUTCOME_TALK.search(text):
        return False
    if re.search(r"[。！!][^。！!]", text.rstrip("。！! ")) and _CJK.search(text) and _PROSE_CUE.search(text):
        return False  # several sentences that tell of asks: the prose reader takes them one by one
    if text.endswith(("?", "？")):
        return not _NARRATIVE.match(text)
    latin = not re.search(r"[\u4e00-\u9fff]", text)
    limit = (
        (600 if _IMPERATIVE.match(text) or re.match(r"(?:assume|suppose|consider)\b", text, re.I) else 200)
        if latin
        else 80
    )
    if len(text) > limit or _NARRATIVE.match(text):
        return False
    # "LP: Tell me about a time…", "Coding: Given a list…": a short label ahead of the ask.
    unlabelled = re.sub(r"^[A-Za-z][\w /&+-]{0,24}:\s*", "", text) if latin else text
    if _QUESTION_START.match(unlabelled):
        return True
    return bool(_QUESTION_WORDS.search(text)) and "我" not in text and len(text) <= 60


_NON_WORDS = re.compile(r"\W+")


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for item in items:
        key = _NON_WORDS.sub("", item.lower())
        if key and key not in seen:
            seen.add(key)
            result.append(item)
    return result


def is_self_intro(question: str) -> bool:
    return bool(_SELF_INTRO.search(question)) and len(question) <= 40
