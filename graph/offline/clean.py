"""Turn a pasted post into clean lines: HTML, hashtags, stickers, emoji and social noise out; broken lines joined."""

from __future__ import annotations

import re
import unicodedata

from graph.offline import fastre

_HTML_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|span|h[1-6]|strong|b|em|section|article|table|tr|td)\b[^>]*>", re.I | re.A
)
_HTML_ENTITY = re.compile(r"&(?:nbsp|amp|lt|gt|quot|#\d+|#x[0-9a-f]+);", re.I | re.A)

_CIRCLED = {chr(0x2460 + i): f"({i + 1}) " for i in range(20)}  # ① … ⑳ would become bare digits under NFKC
_CIRCLED_TABLE = str.maketrans(_CIRCLED)
_KEYCAP = re.compile(r"([0-9#*])\ufe0f?\u20e3")
_TOPIC_HASHTAG = re.compile(r"#[^#\n]{1,40}?\[话题\]#?")
# "#347" is a problem number, not a tag ("closest match: #347)").
_HASHTAG = fastre.compile(r"(?<![\w#&/])#(?![\s#])(?!\d{1,5}(?!\w))[^\s#，。,.!?！？]{1,30}#?")
_STICKER = re.compile(
    r"\[[\u4e00-\u9fffA-Za-z]{1,8}R\]|\[(?:话题|表情|图片|捂脸|笑哭|哭惹|偷笑|doge|微笑|赞|流泪|皱眉|生气"
    r"|强|弱|握手|抱拳|旺柴|吃瓜|破涕为笑|让我看看|裂开|苦涩|666)\]"
)
# A chat paste: "小鹿 2025/11/12 20:31" heads each message.
_CHAT_STAMP = re.compile(
    r"^\S{1,16}\s+(?:\d{4}[/-])?\d{1,2}[/-]\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?$|^\d{1,2}:\d{2}(?::\d{2})?$"
)
_SOCIAL_LINE = fastre.compile(
    r"求(?:点赞|关注|三连|收藏|offer)|点赞(?:收藏|关注|\+|加)|(?:欢迎|麻烦)?(?:点赞|关注|收藏)(?:一下|我|呀|哦|啊|吧)"
    r"|关注我|欢迎(?:评论|留言|私信|交流|关注)|评论区(?:见|交流|留言|扣|聊)|(?:一键)?三连|码字不易"
    r"|私信(?:我|获取)|(?:本文|本帖)?(?:转自|转载|转发自|来源[:：]|原帖|原文链接|搬运)|编辑于|发布于"
    r"|\b(?:upvote|like and (?:follow|subscribe)|please (?:like|upvote)|follow me|dm me)\b"
    r"|^\d+\s+\d+\s+comments?\b|\bcomments?\s+share\s+save\b|^share\s+save\b",
    re.I | re.A,
)
_LEADING_SYMBOL = re.compile(r"^\s*[\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff\U0001f300-\U0001faff※◎☆★]+\ufe0f?\s*")
_KEYCAP_START = re.compile(r"^[0-9#*]\u20e3")
_TERMINAL = "。？！?!；;：:…~）)」】"
_LIST_START = re.compile(
    r"^\s*(?:[-*•·●○▪►]|\d{1,4}(?:\.\d{1,2})?\s*[、.．:：)）]|[(（]\d{1,3}[)）]|第\s*[\d一二三四五六七八九十]+\s*[题问轮]"
    r"|[QqAa]\s*\d*\s*[:：.]|[a-h][.)]\s|[一二三四五六七八九十]{1,2}[、.．]|答|#|【|\[|round\b|r\d\b|追问|反问|总结|tips?\b)",
    re.I | re.A,
)


# Chinese full-width punctuation reads better than its ASCII fold; everything else is NFKC-normalised.
_CJK_PUNCT_RUNS = re.compile(r"[^，。？！：；（）【】、“”‘’《》]+")


_NON_WORD = re.compile(r"[\W_]+")


def match_key(text: str) -> str:
    """Text reduced to its letters and digits, lower-cased: how two readings of one ask are compared."""
    key = _KEYS.get(text)
    if key is None:
        key = _NON_WORD.sub("", text.lower())
        if len(text) <= 2000:  # a huge pasted line is not worth keeping
            if len(_KEYS) >= 16_384:
                _KEYS.clear()
            _KEYS[text] = key
    return key


# A post's lines and candidates are compared many times over. A plain dict of strings: the garbage collector
# never walks it (an lru_cache's entries it would).
_KEYS: dict[str, str] = {}


def nfkc_keep_cjk_punct(text: str) -> str:
    return _CJK_PUNCT_RUNS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def strip_html(text: str) -> str:
    if not (_HTML_TAG.search(text) or _HTML_ENTITY.search(text)):
        return text
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    # Page chrome pasted along with the post: related-post lists, navigation, comments.
    for tag in soup.find_all(["nav", "aside", "footer", "script", "style"]):
        tag.decompose()
    for tag in soup.find_all(class_=re.compile(r"recommend|related|footer|comment|sidebar|nav|share", re.I)):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(["p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"]):
        if block.name == "li":
            block.insert(0, "- ")
        if block.name in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            block.insert(0, "#" * int(block.name[1]) + " ")
        block.append("\n")
    return soup.get_text()


_INVISIBLE = "\ufe0f\ufe0e\u200d\u200b\u200c\u2060\ufeff"


def _strip_symbols(line: str) -> str:
    # Emoji and pictographs are So; variation selectors and joiners are Mn/Cf. Each character is judged once
    # (per process): a 2 MB line, or ten thousand lines, stay fast.
    chars = set(line)
    for ch in chars - _PLAIN - _SYMBOLS:
        (_SYMBOLS if ch in _INVISIBLE or unicodedata.category(ch) == "So" else _PLAIN).add(ch)
    if len(_PLAIN) > 100_000:
        _PLAIN.clear()  # bounded: a long batch of many scripts meets new characters without end
    found = chars & _SYMBOLS
    return line.translate({ord(ch): " " for ch in found}) if found else line


_PLAIN: set[str] = set()
_SYMBOLS: set[str] = set()


def _is_social(line: str) -> bool:
    # Only a short line is social noise: a long one is not searched at all.
    return len(line) <= 60 and _SOCIAL_LINE.search(line) is not None


_DOUBLE_SPACE = re.compile(r"[ ]{2,}")
_RULE_LINE = re.compile(r"[#\s\-—=_*~.·]+")


def clean_text(raw: str) -> str:
    """The cleaned post: one logical line per line, leading indentation kept (it marks answers)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u3000", " ")
    text = strip_html(text)
    text = text.translate(_CIRCLED_TABLE)
    text = _KEYCAP.sub(lambda m: f"{m.group(1)}\u20e3 ", text)
    text = nfkc_keep_cjk_punct(text)
    text = _TOPIC_HASHTAG.sub(" ", text)
    text = _STICKER.sub(" ", text)
    lines: list[str] = []
    # Lines that end in a Markdown hard break (two spaces): their author ended them on purpose.
    broken: set[int] = set()
    raw_lines = unwrap_paragraphs(text.split("\n"))
    for line in raw_lines:
        if line.endswith("  ") and line.strip():
            broken.add(len(lines))
        line = line.replace("\t", "    ").rstrip()
        line = _HASHTAG.sub(" ", line)
        indent = len(line) - len(line.lstrip(" "))
        # "▲ 手撕…", "★ 讲讲RoPE": a leading symbol is a bullet, not indentation.
        if not _KEYCAP_START.match(line.lstrip()):
            line = _LEADING_SYMBOL.sub(" " * indent + "- ", line)
        line = _strip_symbols(line)
        body = _DOUBLE_SPACE.sub(" ", line.strip())
        if not body or _is_social(body) or _CHAT_STAMP.match(body) or _RULE_LINE.fullmatch(body):
            lines.append("")
            continue
        lines.append(" " * min(indent, 8) + body)
    lines = join_broken_lines(lines, broken)
    out = "\n".join(lines)
    out = re.sub(r"\n{3,}", "\n\n", out).strip("\n")
    return out


# A code fence: Markdown's ``` / ~~~, or a Liquid {% highlight %} block of a Jekyll post.
CODE_FENCE = re.compile(r"^\s*(?:```|~~~|\{%\s*(?:end)?highlight)")
_BLOCK_START = re.compile(r"^\s*(?:#|>|\||!\[|<|```|~~~|\{%|={3,}|-{3,})")


def _width(line: str) -> int:
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in line)


def unwrap_paragraphs(lines: list[str]) -> list[str]:
    """Join a paragraph that its author hard-wrapped at a fixed width (mailing lists, mitbbs, old blogs).

    Its lines, all but the last, run to about the same width and end mid-sentence; a list of short
    asks or a Markdown line ending in two spaces (a deliberate break) is left alone.
    """
    out: list[str] = []
    block: list[str] = []
    in_code = False

    def flush() -> None:
        out.extend(_unwrapped(block) if len(block) >= 2 else block)
        block.clear()

    for line in lines:
        if CODE_FENCE.match(line):
            flush()
            in_code = not in_code
            out.append(line)
        elif in_code or not line.strip():
            flush()
            out.append(line)
        else:
            block.append(line)
    flush()
    return out


def _unwrapped(block: list[str]) -> list[str]:
    # A list or a block (checked first: it is cheaper than measuring every line) is never unwrapped.
    if any(_LIST_START.match(line.strip()) or _BLOCK_START.match(line) for line in block):
        return block
    widths = [_width(line.rstrip()) for line in block]
    widest = max(widths[:-1])
    if widest < 50:
        return block
    if any(re.match(r"^[\w-]{1,20}:(?:\s|$)", line) for line in block):
        return block  # a front-matter block of "key: value" lines
    near = [w >= 0.85 * widest for w in widths]
    # The wrap width shows in two lines that reach it; a two-line block must run long.
    if sum(near[:-1]) < 2 and not (len(block) == 2 and widest >= 70):
        return block
    out = [block[0].rstrip()]
    for i, line in enumerate(block[1:]):
        prev = block[i]
        if not near[i] or prev.endswith("  ") or prev.rstrip()[-1:] in _TERMINAL + ".!":
            out.append(line.rstrip())  # the sentence ended where the line did
            continue
        sep = " " if out[-1][-1:].isascii() and line.lstrip()[:1].isascii() else ""
        out[-1] += sep + line.strip()
    return out


def join_broken_lines(lines: list[str], hard_breaks: set[int] = frozenset()) -> list[str]:
    """Re-join a sentence that OCR or a narrow screen broke: no end punctuation, and the next line
    does not start a new item and cannot stand on its own. A line after a hard break stays apart."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if out and i - 1 not in hard_breaks and _continues(out[-1], line):
            prev = out[-1]
            sep = " " if prev[-1:].isascii() and prev[-1:].isalnum() and line.lstrip()[:1].isascii() else ""
            out[-1] = prev + sep + line.strip()
        else:
            out.append(line)
    return out


_CONTINUATION_START = re.compile(
    r"^[，,、的了和与及或是在吗呢么？?）)a-z]|^(?:以及|还有|并且|而且|然后说|为什么|怎么|如何)"
)


def _continues(prev: str, line: str) -> bool:
    if not prev.strip() or not line.strip() or line.startswith(" "):
        return False
    stripped = line.strip()
    if _LIST_START.match(stripped) or prev.rstrip()[-1] in _TERMINAL:
        return False
    # Other breaks are judged by the question extractor, which knows whether a numbered item is open.
    # (Checked before the round headers: it is cheap and rules out nearly every line.)
    if not _CONTINUATION_START.match(stripped) or len(prev.strip()) < 6:
        return False
    from graph.offline.rounds import is_round_header

    if is_round_header(prev) or is_round_header(stripped):
        return False
    if stripped[0].isascii() and stripped[0].isalpha():
        # A lowercase start continues only an English sentence cut mid-way, not "transformer结构" after "bn和ln".
        return len(prev.strip()) >= 30 and prev.rstrip()[-1].isascii() and prev.rstrip()[-1] not in ".?!:"
    return True
