"""report.html: the page's escaping and self-containedness, then the page as a user opens it in Chromium."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graph.batch.bank import build_bank
from graph.batch.report import render_report, safe_url, write_report
from tests.conftest import CORPUS, run_cli_env

HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
LABELS = {"llm": "大模型 (llm)", "coding": "代码 (coding)"}


def analysis(source: str, questions: list[dict], **extra) -> dict:
    return {
        "source": source,
        "language": "zh",
        "companies": ["美团"],
        "role": "算法",
        "outcome": "offer",
        "rounds": [{"label": "一面", "company": "美团", "questions": questions}],
        "tips": [{"text": "多刷题"}],
        "summary": "美团 – 算法",
        "advice": {"key_points": ["讲清项目"], "plan": ["复习大模型"], "leetcode": []},
        **extra,
    }


def question(text: str, topic: str = "llm", leetcode: list | None = None) -> dict:
    return {"text": text, "topic": topic, "topics": [topic], "leetcode": leetcode or [], "in_stats": True}


def render(analyses: list[dict], chart_png: bytes | None = PNG) -> str:
    entries = build_bank(analyses)[0].entries()
    return "".join(render_report(entries, LABELS, iter(analyses), posts=len(analyses), distinct=2, chart_png=chart_png))


def hostile_page() -> str:
    evil = analysis(
        f"posts/{HOSTILE}.txt",
        [question(f"KV cache {HOSTILE}"), question("接雨水", "coding", [42])],
        companies=[f"美团{HOSTILE}"],
        role=HOSTILE,
        tips=[{"text": HOSTILE}],
        summary=HOSTILE,
        notes=[HOSTILE],
        advice={
            "key_points": [HOSTILE],
            "plan": [HOSTILE],
            "project_prep": [HOSTILE],
            "focus_topics": [{"topic": "llm", "label": HOSTILE, "questions": 1, "share": 0.5}],
            # A model could be talked into any link: only LeetCode problem pages stay links.
            "leetcode": [{"id": 1, "title": HOSTILE, "difficulty": "Easy", "url": "javascript:alert(1)"}],
        },
    )
    evil["rounds"][0]["company"] = f"快手{HOSTILE}"
    evil["rounds"][0]["label"] = HOSTILE
    return render([evil, analysis("b.txt", [question("KV cache 的原理")])])


class Loads(HTMLParser):
    """Every tag with its attributes, and the text of inline <script> and <style> blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._open = tag if tag in self.inline else None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.inline[self._open].append(data)

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def parse(page: str) -> Loads:
    parser = Loads()
    parser.feed(page)
    return parser


def test_post_text_is_escaped_everywhere() -> None:
    page = hostile_page()
    parsed = parse(page)
    assert [t for t, _ in parsed.tags].count("script") == 1, "only the page's own script"
    assert not any(t == "img" and a.get("src") == "x" for t, a in parsed.tags)
    assert not any(k.startswith("on") for _, a in parsed.tags for k in a), "no event handler attributes"
    assert "javascript:" not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    # Every place a post's text lands shows it as text.
    assert page.count("&lt;img src=x onerror=") >= 10


def test_the_page_loads_nothing_from_the_network() -> None:
    parsed = parse(hostile_page())
    for tag, attrs in parsed.tags:
        for name in ("src", "srcset", "poster", "data", "action", "formaction", "background"):
            assert not attrs.get(name) or attrs[name].startswith("data:"), (tag, name, attrs[name])
        if tag == "link":
            assert attrs["href"].startswith("data:"), attrs
        if tag == "a" and attrs["href"].startswith(("http://", "https://")):
            assert safe_url(attrs["href"]), attrs  # a link the user may click, never a load
    css = "".join(parsed.inline["style"])
    assert "url(" not in css and "@import" not in css
    js = "".join(parsed.inline["script"])
    assert not re.search(r"\b(fetch|import|sendBeacon)\s*\(|XMLHttpRequest|WebSocket|EventSource", js)
    assert any(t == "img" and a["src"].startswith("data:image/png;base64,") for t, a in parsed.tags)


def test_the_policy_allows_exactly_the_inline_script_and_style() -> None:
    parsed = parse(render([analysis("a.txt", [question("KV cache 的原理")])]))
    csp = next(a["content"] for t, a in parsed.tags if a.get("http-equiv") == "Content-Security-Policy")

    def source(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert "default-src 'none'" in csp and "img-src data:" in csp
    assert f"script-src {source(''.join(parsed.inline['script']))}" in csp
    assert f"style-src {source(''.join(parsed.inline['style']))}" in csp


def test_only_leetcode_problem_pages_stay_links() -> None:
    assert safe_url("https://leetcode.cn/problems/two-sum/")
    assert safe_url("https://leetcode.com/problems/lru-cache/")
    for url in (
        "javascript:alert(1)",
        "https://leetcode.cn.evil.example/problems/x/",
        "http://leetcode.cn/problems/x/",
    ):
        assert safe_url(url) is None
    page = render([analysis("a.txt", [question("接雨水", "coding", [42])])])
    assert 'href="https://leetcode.cn/problems/trapping-rain-water/"' in page


def test_posts_are_rendered_one_at_a_time() -> None:
    """The page streams: a post is read from its file only after the previous one is written out."""
    chunks: list[str] = []
    posts = [analysis(f"p{i}.txt", [question(f"第{i}题")]) for i in range(3)]

    def one_by_one() -> Iterator[dict]:
        for i, post in enumerate(posts):
            if i:
                assert f"p{i - 1}.txt" in "".join(chunks), "the previous post is already rendered"
            yield post

    entries = build_bank(posts)[0].entries()
    page = render_report(entries, LABELS, one_by_one(), posts=3, distinct=3)
    for chunk in page:
        chunks.append(chunk)
    assert all(f"p{i}.txt" in "".join(chunks) for i in range(3))


def test_an_empty_batch_still_gets_a_page(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    write_report(path, render_report([], LABELS, iter([]), posts=0, distinct=0))
    page = path.read_text(encoding="utf-8")
    assert "No chart" in page and "No posts." in page
    assert list(tmp_path.iterdir()) == [path], "no temporary file left behind"


# --- In a real browser ----------------------------------------------------------------------------------

FIXTURE_POSTS = ("douyin_llm_3rounds.txt", "leetcode_google_swe_ml_en.txt", "xhs_meituan_noisy_gbk.txt")
# A post whose text carries markup: cleaning decodes the entities, so the question text holds real tags.
HOSTILE_POST = (
    "字节跳动 前端 一面\n"
    "1. XSS 怎么防？比如 &lt;script&gt;window.__xss=1&lt;/script&gt; 和 &lt;img src=x onerror=window.__xss=2&gt;\n"
    "2. 手撕 LRU 缓存\n"
)


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    reason = "Chromium is not installed (Debian: apt-get install chromium); the report's browser test needs it"
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{reason}; CI must run it (.ci/run installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small batch made by the CLI, as a user runs it."""
    folder = tmp_path_factory.mktemp("report")
    (folder / "xss_frontend.txt").write_text(HOSTILE_POST, encoding="utf-8")
    out = folder / "out"
    cli = Path(sys.executable).with_name("mianjing")
    files = [str(CORPUS / name) for name in FIXTURE_POSTS] + [str(folder / "xss_frontend.txt")]
    proc = subprocess.run(
        [str(cli), "analyze", *files, "--out", str(out)],
        capture_output=True,
        env=run_cli_env(tmp_path_factory.mktemp("home")),
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return out / "report.html"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # The system's Chromium: Playwright never downloads a browser here.
        browser = pw.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


# What the page said on the console, and every request it made, per test.
problems: list[str] = []
requests: list[str] = []


@pytest.fixture
def page(browser, report: Path) -> Iterator:
    problems.clear()
    requests.clear()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(5000)  # a missing element fails in seconds, not half a minute
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    yield page
    context.close()


def visible_rows(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#bank tbody tr')).filter(r => !r.hidden).map(r => ({
            rank: Number(r.dataset.rank), text: r.textContent, topic: r.dataset.topic,
            companies: Array.from(r.querySelectorAll('.co'), c => c.textContent),
            posts: Number(r.cells[3].textContent), leetcode: r.cells[6].textContent.trim()}))"""
    )


@pytest.mark.slow
def test_report_opens_offline_without_errors(page, report: Path) -> None:
    assert problems == []
    assert requests == [report.as_uri()], "nothing but the file itself is loaded"
    assert page.evaluate("window.__xss") is None, "a post's markup never runs"
    assert "window.__xss=1" in page.inner_text("#bank"), "it shows as text"
    assert page.locator("#chart").evaluate("img => img.naturalWidth") > 0
    # Each post with its rounds and advice; a post's link from the bank opens it.
    assert page.locator("details.post").count() == 4
    douyin = page.locator("details.post", has_text="douyin_llm_3rounds.txt")
    assert not douyin.evaluate("d => d.open")
    link = page.locator("#bank .sources a", has_text="douyin_llm_3rounds.txt").first
    link.locator("xpath=ancestor::details[1]/summary").click()
    link.click()
    assert douyin.evaluate("d => d.open") and douyin.get_by_role("heading", name="一面").is_visible()
    google = page.locator("details.post", has_text="leetcode_google_swe_ml_en")
    google.locator("summary").click()
    for heading in ("Phone Screen", "Round 1", "Advice"):
        assert google.get_by_role("heading", name=heading).is_visible()
    assert google.get_by_role("link", name="146. LRU Cache").is_visible()


@pytest.mark.slow
def test_typing_in_the_search_box_filters_rows(page) -> None:
    everything = visible_rows(page)
    page.locator("#search").press_sequentially("lru")
    rows = visible_rows(page)
    assert 0 < len(rows) < len(everything)
    assert all("lru" in r["text"].lower() for r in rows)
    assert page.inner_text("#count") == f"{len(rows)} / {len(everything)}"
    page.fill("#search", "no such question anywhere")
    assert visible_rows(page) == [] and page.locator("#empty").is_visible()
    page.fill("#search", "")
    assert len(visible_rows(page)) == len(everything)


@pytest.mark.slow
def test_filters_by_company_topic_and_leetcode(page) -> None:
    everything = visible_rows(page)
    page.select_option("#company", "Google")
    rows = visible_rows(page)
    assert 0 < len(rows) < len(everything) and all("Google" in r["companies"] for r in rows)
    page.select_option("#leetcode", "yes")
    lc = visible_rows(page)
    assert 0 < len(lc) < len(rows) and all(r["leetcode"] for r in lc)
    page.select_option("#company", "")
    page.select_option("#leetcode", "")
    page.select_option("#topic", "coding")
    coding = visible_rows(page)
    assert 0 < len(coding) < len(everything) and {r["topic"] for r in coding} == {"coding"}


@pytest.mark.slow
def test_clicking_a_header_sorts(page) -> None:
    ranked = [r["posts"] for r in visible_rows(page)]
    assert ranked == sorted(ranked, reverse=True) and ranked[0] > ranked[-1]
    header = page.locator("#bank th", has_text="posts")
    header.click()  # most asked first
    header.click()  # then least asked first
    assert header.get_attribute("aria-sort") == "ascending"
    rows = visible_rows(page)
    assert [r["posts"] for r in rows] == sorted(ranked) and rows[0]["rank"] != 1
    page.locator("#bank th", has_text="LeetCode").click()
    numbers = [int(r["leetcode"].split()[0]) for r in visible_rows(page) if r["leetcode"]]
    assert len(numbers) > 1 and numbers == sorted(numbers, reverse=True)
    assert visible_rows(page)[len(numbers)]["leetcode"] == "", "questions without a problem come last"


@pytest.mark.slow
def test_a_screenshot_of_the_page(page, tmp_path: Path) -> None:
    from PIL import Image

    shot = tmp_path / "report.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(shot) as image:
        width, height = image.size
    assert width == 1280 and height > 900, "the whole page, taller than the window"
