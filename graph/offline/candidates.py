"""Every piece of a round that could be a question, with the layout and wording a reader judges it by.

The rules in `questions.py` propose questions; real posts break them in ways no one rule foresees (answers
that look like questions, questions told in a sentence, job-ad duty lines). So every line and clause of a
round is also a candidate, and a small learned model (`question_model.py`) decides, with the rules' vote
as one of its features.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from graph.offline import fastre
from graph.offline import questions as rules
from graph.offline.clean import CODE_FENCE
from graph.offline.clean import match_key as _key
from graph.offline.tips import is_advice

_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*[^*]{1,60}\*\*\s*[:：]?\s*$|[【\[][^】\]]{1,30}[】\]]\s*$)")
_CLAUSE_SPLIT = re.compile(r"[。！!；;]|(?<=[?？])|(?<=[a-z0-9)][.])\s+(?=[A-Z])")
# Where a narrated ask starts inside a sentence: "…，然后问了我X" / "then he asked about X".
_CLAUSE_BREAK = fastre.compile(
    r"[，,]\s*(?=(?:然后|接着|之后|又|再|最后|后面|随后|还|以及|面试官|他|她|我|这里|这块|这个地方|感觉|结果|所以"
    r"|and |then|also|after that|but|so|which|i |he |she |they |we |since|because|as |while|although|though"
    r"|where|followed by)\S)"
    r"|\s+(?=\(q\d{1,2}\)\s)|\s+[-–—]\s+(?=[*_`]?[A-Z])",
    re.I,
)
# Asks an author set apart inside a sentence: `Tell me about a time…`, *What is X, Difference between Y…*.
_SPAN = fastre.compile(r"`([^`\n]{8,300})`|(?<![*\w])\*([^*\n]{8,800})\*(?![*\w])|(?<![\w_])_([^_\n]{8,800})_(?![\w_])")
_LETTER_ITEM = re.compile(r"^[a-h][.)]\s+(?=\S)")
# "**Q1.** …", "__2.__ …": emphasis around the numbering hides it.
_EMPHASIS = re.compile(r"^(?:\*\*|__|\*|_)([^*_\s]{1,12}?)(?:\*\*|__|\*|_)\s*")
_CUE_PREFIX = re.compile(
    r"^(?:(?:先|又|再|还|接着|然后|之后|最后|后面|随后|上来|首先|面试官|他|她|就|也)+)?"
    r"(?:(?:让我?|要我?|问了?我?|问到了?|考了?|聊了?|是)(?:一下|一些|几个|下|个|道|点)?(?:关于)?)?",
)
_EN_CUE_PREFIX = re.compile(
    r"^(?:and |then |also |after that,? )*(?:(?:he|she|they|the interviewer|interviewer|i was) )?"
    r"(?:asked (?:me )?(?:about |to |if |whether )?|wanted me to |had me |discussed |talked about )?",
    re.I,
)
# Where an English sentence hands over to the ask it reports: "I was asked to X", "the problem was that X",
# "the round covered X", "he wanted me to X". What follows is a candidate of its own.
_EN_TOLD = fastre.compile(
    r"\b(?:i was|we were|i got|i had)\s+(?:(?:then|also|first|later|again)\s+)?(?:asked|given|presented with|told|tasked with)"
    r"\s+(?:(?:to|about|with|if|whether|a question on|a question about)\s+)?"
    r"|\b(?:he|she|they|s/he|the interviewer|interviewer|the interviewers)\s+(?:then\s+|also\s+|first\s+)?"
    r"(?:asked|gave|wanted|had|made)\s+(?:(?:me|us)\s+)?(?:(?:to|about|if|whether|with)\s+)?"
    r"|\b(?:the|my|our|first|second|next|last|other|one)\s+(?:\w+\s+){0,2}(?:question|problem|task|challenge|exercise)s?"
    r"(?:\s+statement)?\s+(?:was|were|is)\s+(?:(?:that|to|about|on|like|based on)\b\s*)?:?\s*"
    r"|\b(?:it|the round|the interview|this round|the call|the session)\s+(?:was about|covered|focused on|consisted of"
    r"|involved|revolved around|was on)\s+",
    re.I,
)
_ITEM_SPLIT = re.compile(r"\s*[,，、;；]\s*")
# An English sentence that reports an ask, whatever its wording.
_EN_ASK = fastre.compile(
    r"\b(?:asked|ask(?:ing)?|question(?:s|ed)?|problem|puzzle|discuss(?:ed|ion)?|talked about|wanted (?:me )?to|"
    r"had to|to (?:design|implement|write|explain|code|solve|find|describe)|given an?\b|what|how|why)\b",
    re.I,
)
_LIST_WORD = re.compile(r"[A-Za-z]+|[\u4e00-\u9fff]|\d+")


_HEADING_MARKS = fastre.compile(r"^[#>*_\s]+|[*_]+$")
_OUTRO = fastre.compile(
    r"conclusion|final thoughts|summary|verdict|result|outcome|offer|what(?:'s| is)? next|after the interview"
    r"|aftermath|waiting|timeline|结果|结论|后记|感想|最后|时间线|进度|offer|oc",
    re.I,
)
_INTRO = fastre.compile(
    r"apply|application|background|about me|introduction|preparation|prepare|resources?|materials?|how i got"
    r"|个人背景|背景|投递|准备|资料|简介|前言|写在前面",
    re.I,
)


def _section_kind(heading: str) -> str:
    if rules._TIPS_HEADER.match(heading) or re.search(
        r"\btips?\b|advice|take ?aways?|learnings?|lessons?", heading, re.I
    ):
        return "tips"
    if _OUTRO.search(heading):
        return "outro"
    if _INTRO.search(heading):
        return "intro"
    return "questions"


@dataclass
class Candidate:
    text: str
    kinds: set[str]
    line_index: int
    features: list[str] = field(default_factory=list)
    line: str = ""  # the line it was read from, asides included
    # Which sentence of its line the piece is in, and how many the line has (-1, 0: the whole line). In a
    # round told as "Topic. How it went. What I did.", the ask comes first and the story after it.
    sentence: int = -1
    sentences: int = 0
    # Never a question whatever the model says (a company's bare name); still an example to learn from.
    barred: bool = False


@dataclass
class _Line:
    raw: str
    text: str  # numbering stripped
    numbering: str
    indented: bool
    in_code: bool
    mode: str
    heading: bool
    cleaned: str = ""  # the text as a question would read: asides in brackets and inline answers dropped


def _numbering_kind(piece: str) -> str:
    m = rules._NUMBERING.match(piece)
    if not m or m.end() == 0:
        return "none"
    head = m.group(0).strip().lower()
    if head[:1] in "-*•·●○▪►◆◇":
        return "bullet"
    if head.startswith(("q", "问", "题", "question")):
        return "q"
    if head[:1] in "(（":
        return "paren"
    if "\u20e3" in head:
        return "keycap"
    if head.startswith("第"):
        return "ordinal"
    return "digit"


_MARKS = re.compile(r"^#{1,6}\s*|^\*\*|\*\*$")
_Q_MARKER = re.compile(r"^\(q\d{1,2}\)\s*", re.I)


def _lines(lines: list[str]) -> list[_Line]:
    out: list[_Line] = []
    in_code, mode = False, "questions"
    for raw in lines:
        stripped = raw.strip()
        if CODE_FENCE.match(stripped):
            in_code = not in_code
            continue
        if not stripped:
            if mode == "reverse":
                mode = "questions"
            continue
        heading = bool(_HEADING.match(stripped))
        if not in_code:
            bare = _HEADING_MARKS.sub("", stripped)
            reverse = rules._REVERSE.match(bare)
            if reverse and len(bare[reverse.end() :].strip(" :：")) <= 4:
                mode = "reverse"
                continue
            header = rules._TIPS_HEADER.match(bare)
            if header and len(bare[header.end() :].strip(" :：")) < 6:
                mode = "tips"
                continue
            if heading or (len(bare) <= 40 and bare.endswith((":", "："))):
                # A heading opens a new part of the post; what kind of part is a feature of its lines.
                mode = _section_kind(bare)
        for piece in rules.split_inline(stripped) if not in_code else [stripped]:
            piece = _EMPHASIS.sub(r"\1 ", piece) if not in_code else piece
            kind = _numbering_kind(piece) if not in_code else "none"
            _, text = rules.strip_numbering(piece) if kind != "none" else (False, piece)
            if kind == "none" and not in_code and _LETTER_ITEM.match(piece):
                kind, text = "letter", _LETTER_ITEM.sub("", piece)
            text = _MARKS.sub("", text).strip()
            if text:
                cleaned = text if in_code else (rules._clean_question(text, []) or text)
                out.append(_Line(raw, text, kind, raw.startswith("  "), in_code, mode, heading, cleaned))
    return out


def _sentences(text: str) -> list[str]:
    return [s for s in (x.strip() for x in _CLAUSE_SPLIT.split(text)) if s]


def _clauses(sentences: list[str]) -> list[tuple[str, int]]:
    """The asks narrated sentences carry, with the cue words in front of each dropped, and which sentence
    each is in."""
    out = []
    for n, sentence in enumerate(sentences):
        for part in _CLAUSE_BREAK.split(sentence):
            part = _tidy(part)
            if len(part) >= 3:
                out.append((part, n))
    return out


def _tidy(part: str) -> str:
    part = part.strip(" ，,:：")
    if part[:1].isascii():
        # "(Q1) Search in array (not from LC, closest match: #162)": the marker and the aside go.
        part = _Q_MARKER.sub("", _EN_CUE_PREFIX.sub("", part))
        part = rules._clean_question(part, []) or part
    else:
        part = _CUE_PREFIX.sub("", part)
    return part.strip(" ，,:：")


_CJK = re.compile(r"[\u4e00-\u9fff]")


def candidates(lines: list[str], *, in_round: bool, rule_questions: list[str]) -> list[Candidate]:
    """Candidates of one section, in reading order, each with its features."""
    parsed = _lines(lines)
    found: dict[str, Candidate] = {}
    order: list[str] = []

    def add(text: str, kind: str, index: int, sentence: int = -1, sentences: int = 0) -> None:
        text = text.strip()
        key = _key(text)
        if len(key) < 2:
            return
        if key in found:
            found[key].kinds.add(kind)
            return
        found[key] = Candidate(text, {kind}, index, sentence=sentence, sentences=sentences)
        order.append(key)

    rule_keys = {_key(q) for q in rule_questions}
    for i, line in enumerate(parsed):
        text = line.cleaned
        if len(line.text) >= 16 and not line.in_code:
            sentences = _sentences(line.text)
            many = len(sentences)
            add(text or line.text, "line", i, sentences=many)
            pieces = _clauses(sentences)
            if len(pieces) > 1:
                for piece, n in pieces:
                    add(piece, "clause", i, n, many)
            for n, sentence in enumerate(sentences):
                for told in _EN_TOLD.finditer(sentence):
                    ask = _tidy(sentence[told.end() :])
                    if len(ask) >= 8:
                        add(ask, "told", i, n, many)
            for span in _SPAN.finditer(line.text):
                quoted = next(g for g in span.groups() if g)
                add(quoted.strip(" .,;…"), "quoted", i)
                parts = [x.strip(" .;…") for x in _ITEM_SPLIT.split(quoted)]
                if len(parts) >= 3 and all(3 <= len(x) <= 120 for x in parts):
                    for part in parts:
                        add(part, "item", i)
            # "What is X, Difference between Y and Z, How W works": a run of short asks on one line.
            items = [x.strip(" *_.;；") for x in _ITEM_SPLIT.split(text or line.text)]
            if len(items) >= 3 and all(2 <= len(x) <= 80 for x in items):
                for item in items:
                    add(item, "item", i)
        else:
            add(text or line.text, "line", i, sentences=1)
    # Where each rule question stands: one search over all lines joined, not a scan per question.
    starts, joined = [], []
    offset = 0
    for p in parsed:
        starts.append(offset)
        key = _key(p.text) + "\x00"
        joined.append(key)
        offset += len(key)
    haystack = "".join(joined)
    for q in rule_questions:
        q_key = _key(q)
        at = haystack.find(q_key) if q_key else -1
        add(q, "rule", bisect.bisect_right(starts, at) - 1 if at >= 0 else 0)
    numbered_share = sum(1 for p in parsed if p.numbering != "none") / max(1, len(parsed))
    lists = _list_context(parsed, rule_keys)
    out = []
    parts: dict[int, tuple[list[str], list[str], list[str]]] = {}
    for key in order:
        cand = found[key]
        if key in rule_keys:
            cand.kinds.add("rule")
        if parsed and cand.line_index not in parts:
            parts[cand.line_index] = _line_parts(parsed, cand.line_index)
        cand.features = _features(
            cand, parsed, in_round=in_round, numbered_share=numbered_share, line_parts=parts.get(cand.line_index)
        )
        cand.line = parsed[cand.line_index].text if parsed else ""
        cand.barred = _is_company_name(cand.text)
        if parsed:
            size, share = lists[cand.line_index]
            cand.features += [f"listsize:{_bucket(size, (2, 4, 8))}", f"listrule:{_bucket(share, (0.01, 0.3, 0.7))}"]
        out.append(cand)
    return out


def _list_context(parsed: list[_Line], rule_keys: set[str]) -> list[tuple[int, float]]:
    """For each line, the list it stands in (a run of lines numbered alike): its size, and the share of its
    items the rules took for questions. An item among asks is an ask, whatever its wording."""
    out: list[tuple[int, float]] = []
    start = 0
    for i in range(len(parsed) + 1):
        if i < len(parsed) and i > start and parsed[i].numbering == parsed[start].numbering != "none":
            continue
        run = parsed[start:i]
        hits = sum(1 for p in run if _key(p.cleaned) in rule_keys)
        size = len(run) if run and run[0].numbering != "none" else 0
        out += [(size, hits / len(run) if size else 0.0)] * len(run)
        start = i
    return out


def _bucket(n: float, edges: tuple[float, ...]) -> int:
    """How many of the (ascending) edges `n` has reached."""
    return bisect.bisect_right(edges, n)


def _end_class(text: str) -> str:
    last = text.rstrip()[-1:]
    if last in "?？":
        return "q"
    if last in ":：":
        return "colon"
    if last in "。.!！":
        return "stop"
    if last in ")）】]":
        return "paren"
    if last.isdigit():
        return "digit"
    if last.isascii():
        return "latin"
    return "cjk"


_CHECKS: dict[str, re.Pattern[str]] = {
    "qstart": rules._QUESTION_START,
    "qwords": rules._QUESTION_WORDS,
    "questionish": rules._QUESTIONISH,
    "narrative": rules._NARRATIVE,
    "comment": rules._COMMENT_LINE,
    "tipvoice": rules._TIP_VOICE,
    "strongtip": rules._STRONG_TIP,
    "answer": rules._ANSWER,
    "outcome": rules._OUTCOME_TALK,
    "selfintro": rules._SELF_INTRO,
    "cue": rules._PROSE_CUE,
    "reverse": rules._REVERSE,
    "title": rules._TITLE_LINE,
    "imperative": rules._IMPERATIVE,
    "told": rules._TOLD_ASK,
    "enask": _EN_ASK,
}
# Dates, durations, counts and verdicts: the frame of an interview, not its asks.
_LOGISTICS = fastre.compile(
    r"\b(?:\d{1,2}[/-]\d{1,2}[/-]\d{2,4}|\d+\s*(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?)\b|scheduled|rescheduled"
    r"|verdict|offer|selected|rejected|eliminat\w*|duration|took (?:about|around|~)|\d+ (?:rounds?|questions?|problems?)\b)"
    r"|\d+\s*(?:分钟|小时|天|周)|约了|等通知|意向|感谢信",
    re.I,
)
_URL = fastre.compile(r"https?://|www\.|\.(?:com|cn|io|org)\b", re.I)
_FIRST_PERSON = fastre.compile(r"我|\bI\b|\bmy\b|\bme\b|\bwe\b")
_CODE_CHARS = fastre.compile(r"[{};=<>]|\bdef |\breturn\b|\bint |//|->")


_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def _is_company_name(text: str) -> bool:
    """ "3. PayPal", "### Workday": a multi-company post's header names the employer; it is never an ask."""
    if len(text) > 40:
        return False
    from graph.offline.resources import companies

    index = companies()
    bare = _EDGE.sub("", text.lower())
    # Not a product or model (qwen, 豆包) nor an alias that is an ordinary word (seed): those may be asked about.
    return bare in index.canonical and bare not in index.products and bare not in index.weak


def _line_parts(parsed: list[_Line], index: int) -> tuple[list[str], list[str], list[str]]:
    """The features a candidate takes from its line and the lines around it, in three runs (the candidate's own
    layout features go between them): the same for every candidate of the line, so worked out once."""
    line = parsed[index]
    head = [f"num:{line.numbering}", f"mode:{line.mode}"]
    middle = [f"mode+num:{line.mode}+{line.numbering}"]
    if line.indented:
        middle.append("indented")
    if line.in_code:
        middle.append("incode")
    if line.heading:
        middle.append("heading")
    if index == 0:
        middle.append("first")
    tail = [f"linelen:{_bucket(len(line.text), (16, 48, 120, 300))}"]
    prev = parsed[index - 1] if index > 0 else None
    nxt = parsed[index + 1] if index + 1 < len(parsed) else None
    if prev is not None:
        tail.append(f"prevend:{_end_class(prev.text)}")
        tail.append(f"prevnum:{prev.numbering}")
        if prev.heading:
            tail.append("prevheading")
    if nxt is not None:
        tail.append(f"nextnum:{nxt.numbering}")
        if nxt.indented and not line.indented:
            tail.append("nextindented")
        if rules._ANSWER.match(nxt.text):
            tail.append("nextanswer")
    return head, middle, tail


# Feature names made once: a name met again is the same string, its hash already known.
_CHECK_FEATURES = [(f"re:{name}", pattern) for name, pattern in _CHECKS.items()]


def _features(
    cand: Candidate,
    parsed: list[_Line],
    *,
    in_round: bool,
    numbered_share: float,
    line_parts: tuple[list[str], list[str], list[str]] | None = None,
) -> list[str]:
    text = cand.text
    line = parsed[cand.line_index] if parsed else None
    low = text.lower()
    cjk = len(_CJK.findall(text)) / max(1, len(text))
    kinds = sorted(cand.kinds)
    joined = "+".join(kinds)
    f = ["bias", f"round:{in_round}", f"numshare:{_bucket(numbered_share, (0.01, 0.3, 0.6))}"]
    f += [f"kind:{k}" for k in kinds]
    f.append("kinds:" + joined)
    f.append(f"len:{_bucket(len(text), (4, 8, 16, 32, 64, 128, 256))}")
    f.append(f"cjk:{_bucket(cjk, (0.05, 0.4, 0.8))}")
    f.append(f"end:{_end_class(text)}")
    if cand.sentences:
        f.append(f"sents:{_bucket(cand.sentences, (2, 3, 5))}")
        if cand.sentence >= 0:
            f.append(f"sentno:{min(cand.sentence, 2)}")
            f.append(f"sentno+kinds:{min(cand.sentence, 2)}+{joined}")
    for name, pattern in _CHECK_FEATURES:
        if pattern.search(text):
            f.append(name)
    if _URL.search(text):
        f.append("url")
    if is_advice(text):
        f.append("advice")  # what the tips reader would take: advice is not a question
    if _LOGISTICS.search(text):
        f.append("logistics")
    if _FIRST_PERSON.search(text):
        f.append("firstperson")
    if _CODE_CHARS.search(text):
        f.append("codechars")
    if line is not None:
        head, middle, tail = line_parts or _line_parts(parsed, cand.line_index)
        f += head
        # How the rules' vote reads depends on the layout it was cast in.
        f.append(f"num+kinds:{line.numbering}+{joined}")
        f += middle
        share = len(text) / max(1, len(line.cleaned))
        f.append(f"share:{_bucket(share, (0.3, 0.6, 0.95))}")
        f += tail
    # Wording: how the piece starts and ends, and what it is made of.
    f += [f"p1:{low[:1]}", f"p2:{low[:2]}", f"p3:{low[:3]}", f"s1:{low[-1:]}", f"s2:{low[-2:]}"]
    words = _LIST_WORD.findall(low)
    if words:
        f.append(f"w0:{words[0]}")
        if len(words) > 1:
            f.append(f"w01:{words[0]} {words[1]}")
    for w in set(words[:40]):
        f.append(f"w:{w}")
    for a, b in {(words[i], words[i + 1]) for i in range(min(len(words) - 1, 40))}:
        f.append(f"ww:{a}{b}")
    return f
