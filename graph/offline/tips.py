"""Find the author's advice in the whole cleaned post: tips sections, and advice sentences anywhere else.

Two ways a tip shows up in a real post:
- under a header that announces advice ("## Tips", "Learnings:", "总结", "写在前面：", "**Take home**"): the
  section's list items are tips; its prose paragraphs give only the sentences that read as advice;
- as one sentence in the author's voice inside the narrative ("建议多刷…", "一定要…", "make sure …",
  "I'd recommend …", "Practice …", "It is important to …").
Not tips: narration, the interviewer's own advice to the candidate, questions, thanks and good-luck lines.
The work is linear in the text and bounded per line and per post.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graph.offline import fastre
from graph.offline.clean import CODE_FENCE
from graph.offline.clean import match_key as _key

MAX_LINES = 3000
LINE_CHARS = 20_000
TOTAL_CHARS = 400_000
MAX_TIPS = 60
MAX_QUESTIONS = 500
# A sentence tip longer than this is cut down to the clauses around its advice.
LONG_SENTENCE = {"zh": 160, "en": 400}

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}(?!\S*#)")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(.{1,80}?)(?:\*\*|__)\s*[:：]?\s*$")
_LIST_ITEM = re.compile(
    r"^\s*(?:[-*+•·●○▪►◆◇>]\s*|\d{1,3}\s*[、.．,，:：)）](?!\d)\s*|[(（]\d{1,3}[)）]\s*|[a-h][.)]\s+"
    r"|[一二三四五六七八九十]{1,2}[、.．]\s*)",
    re.A,
)
_DECOR = re.compile(r"^[\s#>*_`~\-+•·●○▪►◆◇★☆※◎\u2600-\u27bf\u2b00-\u2bff\U0001f300-\U0001faff\ufe0f]+")
_DECOR_END = re.compile(r"[\s#*_`~:：\ufe0f\u2600-\u27bf\U0001f300-\U0001faff]+$")
_SECTION_NUMBER = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\s*[、.．)）]?|[一二三四五六七八九十]{1,2}[、.．]|part\s*\d+[:.]?)\s*", re.I
)

# Header words. Strong: the section is advice, its list items are tips as they stand.
# Weak: a summary or a closing section; only what reads as advice is taken from it.
_STRONG_HEADER = fastre.compile(
    r"\b(?:tips?|advice|advices|learnings?|lessons?(?:\s+learn(?:ed|t))?|take[- ]?aways?|take[- ]home(?:\s+\w+)?"
    r"|suggestions?|recommendations?|pointers|words of wisdom|dos and don'?ts|do'?s and don'?ts|pro[- ]tips?"
    r"|things (?:to|i wish)\b.{0,24}|what i (?:learned|learnt|wish)\b.{0,24}|how to (?:prepare|crack|ace|clear)\b.{0,30}"
    r"|preparation (?:notes|tips|advice|strategy|guide))\b"
    r"|建议|忠告|心得|经验|注意事项|避坑|踩坑|教训|干货|攻略|小贴士|提醒|tips",
    re.I,
)
_WEAK_HEADER = fastre.compile(
    r"\b(?:in summary|summary|summing up|conclusions?|final (?:thoughts|words|notes|remarks)|closing (?:thoughts|notes)"
    r"|reflections?|afterthoughts?|retrospective|preparation|how i prepared|my prep(?:aration)?)\b"
    r"|总结|小结|写在前面|写在最后|写在后面|感想|感受|感悟|体会|收获|反思|复盘|后记|结语|碎碎念|最后说|准备过程|准备方法|如何准备",
    re.I,
)
# A round or a company heading: the tips section above it has ended.
_ROUND_HEADER = re.compile(
    r"^(?:[一二三四五六七八九十\d]+面|hr面|终面|加面|笔试|电面|店面|onsite|phone|round\s*\d|oa\b|online assessment)",
    re.I,
)
_CLOSER = re.compile(
    r"^(?:thanks?\b|thank you|good luck|all the best|best of luck|happy (?:coding|interviewing)|cheers|hope (?:this|it|you)"
    r"|i hope|feel free|if you have any|祝|最后祝|希望(?:对|能|大家|本文|这篇)|以上|欢迎|有问题|感谢|谢谢|共勉|加油|冲冲冲|好运)",
    re.I,
)
_LINK_ONLY = re.compile(r"^(?:!?\[[^\]]*\]\([^)]*\)|<[^>]*>|https?://\S+|\s|[,，、;；])+$")

# Advice in the author's voice, anywhere in the post.
_ZH_ADVICE = fastre.compile(
    r"建议(?!书|我)|一定(?:要|得|不要|别)|务必|千万(?:不要|别|要|记得|注意|得)|切记|记得(?:要|提前|先|多|把|带|复习|准备|刷|看|写|问)"
    r"|最好(?!的|看|吃|玩|成绩|水平|结果)|(?<!内)推荐(?:大家|你|两|几|一|给|看|刷|去|用|先|多|的书|阅读|《)|(?:强烈|比较|很|我)推荐"
    r"|(?<![更很最太])多(?:刷|练|看|写|准备|总结|复习|思考|想|投|沟通|交流)(?!了)|刷[两三几\d]+遍"
    r"|尽量(?:直接|多|先|不要|别|避免|提前|把|说|表现|保持|往|引导|少|用|展示|讲|准备)"
    r"|别(?:着急|慌|紧张|怕|急|太|只|忘|想|觉得|客气|放弃|灰心)|(?<!要)不要(?!问我|问他|我)|不用(?:太|慌|紧张|担心)|不需要太|不必"
    r"|(?:还是|必须|一定)要(?!求|我|么)|(?:需要|要|得|务必|一定)注意(?!的|事项)|注意(?:一下|下)(?!的)"
    r"|(?<![需只主重我])要(?:及时|多|提前|熟|掌握|搞清楚|弄清楚|弄懂|有针对性|会|重视|准备|简洁|简短|简介|清楚|自信|冷静|加强|沉住气|表现|主动)"
    r"|主动(?:说|问|讲|跑|沟通|提|交流|表达|展示|争取)(?!意识|能力|性)|(?:比|更|很|最|非常|特别|尤其|相当)重要|关键(?:是|在于)"
    r"|可以(?:关注|多|先|考虑|试试|参考|提前|看看|去找|去看|去刷|重点)|的同学(?:可以|要|一定|建议|注意|最好)"
    r"|(?:经验|心得|教训|建议)就是|给(?:后来人|后人|学弟学妹|学弟|学妹)的|如果(?:你|大家|想)(?!们)|想[^，。]{1,12}的话"
    r"|以后(?:面试|一定|要|得)|应该(?:提前|多|先|把|好好)|有机会(?:还是|可以|一定)|(?:一定|必须)得|面试官会觉得",
)
# Sentences that ask (a question copied without its "?") or answer, or speak of the post itself.
_NOT_ADVICE = fastre.compile(
    r"^(?:为什么|为何|如何|怎么|怎样|什么|是否|能否|有没有|答|a[:：]|what\b|how\b|why\b|which\b|when\b|do you\b|can you\b"
    r"|have you\b|is there\b)|吗$|侵权|联系我|删除|转载|私信",
    re.I,
)
# "面试官给我提出建议", "他建议我…": the interviewer's advice is not the author's.
_ZH_OTHERS_ADVICE = fastre.compile(
    r"(?:面试官|面评|他|她|hr|HR|主管|leader|对方)[^，。；]{0,8}(?:建议|提醒|说|让|要我|叫我|告诉)|建议我|给我[^，。]{0,6}建议"
)
# "我是尽量…", "我也不要…": the author narrating what they did, not advising (unless "我建议", "我觉得…").
_ZH_SELF = fastre.compile(r"(?<!自)我(?!建议|推荐|觉得|认为|个人|的建议|的经验|想说)")
_EN_ADVICE = fastre.compile(
    r"\b(?:make sure|be sure to|(?:i|i'd|i would|i'll|i will|i)\s+(?:\w+\s+)?(?:recommend|suggest|advise|advice)"
    r"|my (?:advice|suggestion|recommendation|tip)|you (?:really |definitely |absolutely |just )?(?:should|must|'ll want to|will want to|might want to|may want to|better"
    r"|(?:have|need) to (?:prepare|practi[cs]e|know|be |study|review|learn|understand|focus|keep|brush|revise|read up"
    r"|do well|spend|show|demonstrate|think|stay|remain|ask|communicate|explain your|talk|make sure))|(?:it is|it's|it was|is|are) (?:\w+ )?"
    r"(?:important|crucial|essential|vital|critical|key|worth|helpful|useful|a good idea|a must)\b|don'?t forget|do not forget"
    r"|keep in mind|remember to|it would have been (?:wise|worthwhile|better|good|smart)|would highly|highly recommend"
    r"|(?:one|a|my|some|the best|any) (?:piece of |word of )?advice|if i (?:had|were) to (?:give|say|pick)"
    r"|if you(?:'re|'ve|\s+(?:are|have|want|plan|intend|can|get|do not|don'?t|apply|prep|prepare))\b[^.!?]{0,80}[,;:]\s*"
    r"(?:you |then |try|make|be|do|don|go|start|prepare|practice|focus|always|never|just|read|know|learn|review|study))",
    re.I,
)
# An imperative in the author's voice: a verb of preparing, behaving, practising at the start of a sentence.
_EN_IMPERATIVE = re.compile(
    r"^(?:(?:so|also|again|lastly|finally|and|but|just|definitely|please|therefore|hence|overall|in short|most importantly)"
    r"[,:]?\s+)?(?:practice|prepare|practise|don'?t|do not|never|always|be (?!asked)|try (?:to|and|your|out)|avoid|focus"
    r"|remember|know (?:your|every|the basics|what)|ask (?:for|questions|clarif|the interviewer|about)|think (?:aloud|out loud|loud"
    r"|before|about|of)|review|revise|brush up|study|apply|spend|stay|relax|interact|engage|communicate|listen|learn"
    r"|recognize|have (?:patience|confidence|a |some |your )|take (?:time|mock|a |your |notes|care|advantage)|seek|aim"
    r"|start (?:preparing|early|practicing|practising|with|your|by)|go through|read (?:up|about|the)|do (?:not|mock|lots|a lot)"
    r"|get (?:comfortable|familiar|used|good|a referral)|keep (?:calm|practicing|practising|it|your|in)|understand|clarify"
    r"|treat|utilize|leverage|research|prioriti[sz]e|create a|build a (?:strong|solid)|work on|make (?:a|it|your))\b",
    re.I,
)
# The same, looser: inside an advice section a sentence may also open with a verb of explaining or trying out.
_EN_SECTION_IMPERATIVE = re.compile(
    r"^(?:\w+[,:]\s+)?(?:explain|describe|discuss|give|use|keep|start|break|complete|have|think|try|take|write|check|test"
    r"|consider|look|show|talk|mention|ask|be|do|make|know|get|go|read|learn|build|create|solve|code|draw|sketch|state"
    r"|outline|list|note|walk|verify|validate|double[- ]check|split|clarify|confirm)\b",
    re.I,
)
# "He told me to…", "the interviewer suggested…": someone else's advice.
_EN_OTHERS_ADVICE = fastre.compile(
    r"\b(?:he|she|they|interviewers?|recruiters?|hr|manager|the panel)\s+(?:\w+\s+)?(?:told|asked|advised|suggested|wanted"
    r"|recommended|said|mentioned|gave)\b|\b(?:told|asked|advised) me\b",
    re.I,
)
# "?" and "!" inside a link ("…/detail?id=3") do not end a sentence.
_ZH_SENTENCE = re.compile(r"(?:[^。！？!?；;\n]|[!?](?=[\w=&/%.-]))+[。！？!?；;]*", re.A)
_EN_SENTENCE = re.compile(r".+?(?:[.!?]+(?=\s+[\"'(*_]*[A-Z0-9])|[.!?]+\s*$|$)", re.S)
_CLAUSE = re.compile(r"[^，,；;]+[，,；;]?")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MIN_CHARS = {"zh": 6, "en": 12}


def find_tips(clean: str, *, questions: Iterable[str] = (), seed: Iterable[str] = ()) -> list[str]:
    """The author's tips in a cleaned post, in post order; `seed` tips found elsewhere are merged in."""
    question_keys = [k for k in dict.fromkeys(_key(q) for q in questions) if k]
    found: list[str] = []
    section: str | None = None  # "strong" / "weak" inside an advice section, "others" under "His advice:"
    plain_header = False  # the section was opened by a "Tips:" line, not a markdown heading
    seen_items = False
    in_code = False
    budget = TOTAL_CHARS
    block: list[str] = []  # the list items read since the last line of prose, outside advice sections
    for raw in clean.split("\n")[:MAX_LINES]:
        if budget <= 0 or len(found) > 4 * MAX_TIPS:
            break
        line = raw[:LINE_CHARS]
        budget -= len(line)
        if CODE_FENCE.match(line):
            in_code = not in_code
            continue
        if in_code or not line.strip():
            continue
        heading = _heading(line)
        if heading is not None:
            found.extend(_list_advice(block))
            block = []
            kind, rest = _header_kind(heading)
            if kind and rest:
                # "建议：多刷题" / "Tip: practise aloud" on one line; "总结：…" gives its advice sentences.
                if kind == "strong":
                    found.append(rest)
                else:
                    found.extend(_advice_sentences(rest, section=True))
                continue
            section = kind
            plain_header = kind is not None and not _MD_HEADING.match(line)
            seen_items = False
            continue
        listed = bool(_LIST_ITEM.match(line))
        text = _strip_marks(line)
        if len(text) < 4:
            continue
        if _CLOSER.match(text):
            section = None
            continue
        if section and plain_header and (seen_items or section == "others") and not listed:
            section = None  # "Learnings:" + a list, then the narrative carries on
        if section == "others":
            continue  # "His advice:" and what it lists
        if section:
            seen_items = seen_items or listed
            if _LINK_ONLY.match(text) or text.endswith(("?", "？")):
                continue
            if listed and (section == "strong" or not _NARRATIVE_ITEM.match(text)):
                found.append(_shorten_item(text))
                continue
            found.extend(_advice_sentences(text, section=True))
            continue
        if listed:
            block.append(text)
            continue
        found.extend(_list_advice(block))
        block = []
        found.extend(_advice_sentences(text, section=False))
    found.extend(_list_advice(block))
    tips = [
        t
        for t in (_tidy(t) for t in found[: 4 * MAX_TIPS])
        if t and not _is_question(_key(t), question_keys) and not _carries_question(_key(t), question_keys)
    ]
    seeds = [t for s in list(seed)[: 4 * MAX_TIPS] if _keep_seed(s) for t in _seed_tips(s)]
    return _merge(seeds, tips, clean)


def _list_advice(items: list[str]) -> list[str]:
    """Advice in one list outside any advice section; a list that is mostly advice is read as one."""
    strict = [_advice_sentences(item, section=False) for item in items]
    advisory = sum(1 for x in strict if x)
    if advisory < 2 or 2 * advisory < len(items):
        return [t for x in strict for t in x]
    out = []
    for item, sentences in zip(items, strict, strict=True):
        if sentences:
            out.extend(sentences)
        elif not item.endswith(("?", "？")) and _is_advice(item, section=True):
            out.append(_shorten_item(item))
    return out


def _heading(line: str) -> str | None:
    """The text of a header-like line (markdown heading, bold-only line, short "…：" line), else None."""
    if _MD_HEADING.match(line):
        return _DECOR_END.sub("", _DECOR.sub("", line)).strip()
    bold = _BOLD_LINE.match(line)
    if bold and len(bold.group(1)) <= 60:
        return _DECOR_END.sub("", _DECOR.sub("", bold.group(1))).strip()
    stripped = _DECOR.sub("", line).strip()
    if _LIST_ITEM.match(line) and not _LIST_ITEM.match(stripped):
        return None  # "- Facebook vs. Amazon: some minors:" is an item, not a heading
    if stripped.endswith((":", "：")) and len(stripped) <= (24 if _CJK.search(stripped) else 48):
        return _DECOR_END.sub("", stripped).strip()
    # "Tips: …" / "建议：…" heads a line and carries its advice after the colon.
    m = re.match(r"^(.{1,24}?)[:：]\s*(.+)$", stripped)
    if m and _names_a_section(_header_words(m.group(1))):
        return stripped
    if len(stripped) <= 30 and _names_a_section(_header_words(stripped)):
        return stripped
    return None


def _names_a_section(words: str) -> bool:
    """ "总结", "面试小结", "General tips": a few words ending in a header word."""
    if len(words) > (10 if _CJK.search(words) else 32):
        return False
    return any((m := p.search(words)) and m.end() == len(words) for p in (_STRONG_HEADER, _WEAK_HEADER))


def _header_words(text: str) -> str:
    text = _SECTION_NUMBER.sub("", text.strip())
    return re.sub(
        r"^(?:my|some|a few|general|personal|final|our|个人|一些|一点|我的|几点|小)\s*", "", text, flags=re.I
    ).strip()


def _header_kind(heading: str) -> tuple[str | None, str]:
    """("strong" | "weak" | None, advice written after the header's colon)."""
    head, rest = heading, ""
    m = re.match(r"^(.{1,40}?)[:：]\s*(.*)$", heading)
    if m:
        head, rest = m.group(1), m.group(2).strip()
    head = _header_words(head)
    if len(head) > 60 or _ROUND_HEADER.match(head):
        return None, ""
    if _STRONG_HEADER.search(head) and _OTHERS_HEADER.search(head):
        return "others", ""
    if _STRONG_HEADER.search(head):
        return "strong", rest if len(rest) >= 6 else ""
    if _WEAK_HEADER.search(head):
        return "weak", rest if len(rest) >= 6 else ""
    return None, ""


# A summary item that tells what happened rather than what to do.
_NARRATIVE_ITEM = re.compile(
    r"^(?:我|本人|楼主|说实话|说真的|面试官|面试(?:时长|时间|体验|难度)|整体|总体|总的来说|感觉|体验|结果|时长|时间|后来|之后|然后|最后|共|一共"
    r"|i\b|my\b|we\b|the interviewer|interviewers?\b|overall|it was|there (?:was|were)|they\b|he\b|she\b)",
    re.I,
)
# "面试官的建议", "Interviewer's advice": advice given to the author, not by them.
_OTHERS_HEADER = fastre.compile(r"面试官|hr的|他的|她的|\b(?:his|her|their|interviewer|recruiter|feedback)", re.I)


def _strip_marks(line: str) -> str:
    text = _LIST_ITEM.sub("", line.strip(), count=1)
    return _DECOR.sub("", text).strip()


def is_advice(sentence: str) -> bool:
    """Advice in the author's voice, judged on its own (no section around it)."""
    return _is_advice(sentence, section=False)


def _is_advice(sentence: str, *, section: bool) -> bool:
    s = sentence.strip()
    if not s or s.endswith(("?", "？")):
        return False
    if _NOT_ADVICE.search(s):
        return False
    if _CJK.search(s):
        cue = _ZH_ADVICE.search(s) or (_ZH_LENIENT.search(s) if section else None)
        if not cue:
            return False
        start = max(s.rfind(p, 0, cue.start()) for p in "，,；;：:") + 1
        clause = s[start : cue.end()]
        return not (_ZH_OTHERS_ADVICE.search(clause) or _ZH_SELF.search(clause))
    if _EN_OTHERS_ADVICE.search(s):
        return False
    bare = _DECOR.sub("", s)
    if _EN_ADVICE.search(bare) or _EN_IMPERATIVE.match(bare):
        return True
    return section and bool(_EN_SECTION_IMPERATIVE.match(bare))


# Inside an advice section a plainer "要…", "别…" is advice too.
_ZH_LENIENT = fastre.compile(
    r"(?<![需只主重我])要(?!求|我|么|是|不要)|(?<![区分差类级特个告识派])别|(?<!要)不要|得(?=多|先)"
)


def _advice_sentences(text: str, *, section: bool) -> list[str]:
    zh = bool(_CJK.search(text[:400]))
    lang = "zh" if zh else "en"
    pattern = _ZH_SENTENCE if zh else _EN_SENTENCE
    out = []
    for m in pattern.finditer(text):
        sentence = m.group(0).strip()
        if len(sentence) < _MIN_CHARS[lang] or not _is_advice(sentence, section=section):
            continue
        if len(sentence) > LONG_SENTENCE[lang]:
            sentence = _around_cue(sentence, lang)
        out.append(sentence)
    return out


def _around_cue(sentence: str, lang: str) -> str:
    """A long sentence cut to the clause that carries the advice and the two after it."""
    clauses = [c.group(0) for c in _CLAUSE.finditer(sentence)]
    for i, clause in enumerate(clauses):
        if _is_advice(clause, section=False) or (lang == "en" and _EN_ADVICE.search(clause)):
            return "".join(clauses[i : i + 3]).strip(" ，,；;")
    return sentence[: LONG_SENTENCE[lang]]


def _shorten_item(text: str) -> str:
    limit = 600
    if len(text) <= limit:
        return text
    cut = max(text.rfind(p, 0, limit) for p in ("。", ". ", "！", "! "))
    return text[: cut + 1] if cut > 0 else text[:limit]


def _tidy(text: str) -> str:
    text = _DECOR.sub("", text.strip()).strip()
    text = re.sub(r"^[,，、;；:：\s]+", "", text)
    return text.rstrip("。 ").strip()


def _is_question(key: str, question_keys: list[str]) -> bool:
    """A tip that is (nearly) all of one extracted question is that question, not advice."""
    return any(key in qk and len(key) >= 0.8 * len(qk) for qk in question_keys[:MAX_QUESTIONS])


def _keep_seed(tip: str) -> bool:
    """Tips the line reader found: all kept but headings and bare header words."""
    text = tip.strip()
    if not text or text.startswith("#") or text.endswith(("?", "？")):
        return False
    words = _header_words(_DECOR_END.sub("", _DECOR.sub("", text)))
    return not (_names_a_section(words) or (len(words) <= 8 and "注意" in words))


def _seed_tips(tip: str) -> list[str]:
    """A tip the line reader found, kept when it reads as advice; a long one gives its advice sentences."""
    text = _tidy(tip)
    lang = "zh" if _CJK.search(text[:400]) else "en"
    if len(text) <= LONG_SENTENCE[lang] // 2:
        return [text] if _is_advice(text, section=True) else []
    return [_tidy(t) for t in _advice_sentences(text, section=False)]


def _carries_question(key: str, question_keys: list[str]) -> bool:
    """A question line with advice in brackets ("代码题（别着急写…）：lc 46"): the advice is a seed, the line is not."""
    return any(len(q) >= 4 and q in key for q in question_keys)


def _merge(seed: list[str], found: list[str], clean: str) -> list[str]:
    kept: list[str] = []
    keys: list[str] = []
    seed_keys = {_key(t) for t in seed}
    for tip in [*seed, *found]:
        key = _key(tip)
        if len(key) < 4 or any(key in k for k in keys):
            continue
        if key not in seed_keys and any(k in key for k in seed_keys if len(k) >= 4):
            continue  # a seed is the precise reading (a bracketed tip); the line around it is not advice
        shorter = [i for i, k in enumerate(keys) if k in key]
        if shorter:
            # the longer reading of the same advice replaces the shorter one(s)
            kept = [t for i, t in enumerate(kept) if i not in shorter]
            keys = [k for i, k in enumerate(keys) if i not in shorter]
        kept.append(tip)
        keys.append(key)
        if len(kept) >= MAX_TIPS:
            break
    head = clean[:TOTAL_CHARS]

    def position(tip: str) -> int:
        at = head.find(tip[:24])
        return at if at >= 0 else len(head)

    return sorted(kept, key=position)
