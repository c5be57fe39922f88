"""Many posts at once: bounded async concurrency, a SQLite checkpointer per --out folder, atomic results.

Each post's thread id is its content hash, so the same content is analysed once, a finished post is
never analysed again, and a post cut mid-way resumes from its last finished node.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.context import Context, left_of_run
from graph.errors import InputError
from graph.exports import write_atomic
from graph.inputs import read_post, source_label
from graph.state import Analysis


@dataclass
class BatchSummary:
    posts: int = 0
    analysed: int = 0
    already_done: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    resumed: list[tuple[str, str]] = field(default_factory=list)  # (post, where it was taken up again)
    questions: int = 0
    requests: int = 0
    can_request: bool = False  # a key is set and the engine may call a model
    engines: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    bank_entries: int = 0
    distinct_posts: int = 0

    def lines(self) -> list[str]:
        # Only what happened: no "0 duplicates", no question count when nothing was analysed.
        counts = [f"{self.analysed} analysed"]
        counts += [f"{self.already_done} already done"] if self.already_done else []
        counts += [_n(self.duplicates, "duplicate")] if self.duplicates else []
        counts += [f"{len(self.failed)} unreadable"] if self.failed else []
        out = [f"posts: {self.posts} ({', '.join(counts)})"]
        out += [f"resumed: {path}, {where}" for path, where in self.resumed]  # named, so they can be checked
        bank = f"question bank: {_n(self.bank_entries, 'entry', 'entries')}"
        bank += f" from {_n(self.distinct_posts, 'distinct post')}"
        out.append(f"questions: {self.questions} in the posts analysed; {bank}" if self.analysed else bank)
        work = [f"model requests: {self.requests}"] if self.can_request or self.requests else []
        if self.engines:
            work.append("node runs: " + ", ".join(f"{k} {v}" for k, v in self.engines.most_common()))
        out += ["; ".join(work)] if work else []
        out.append(f"time: {self.seconds:.1f} s")
        out += [f"skipped {path}: {reason}" for path, reason in self.failed]
        return out


def _n(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _engine_mix(engines: dict[str, str]) -> str:
    """'offline', or 'gemini 3 nodes, offline 2' when a post's nodes ran on both."""
    mix = Counter(engines.values()).most_common()
    if len(mix) == 1:
        return mix[0][0]
    return ", ".join(f"{engine} {_n(n, 'node')}" for engine, n in mix)


def _stem(path: str) -> str:
    name = Path(path).stem if path != "-" else "stdin"
    return re.sub(r"[^\w.-]+", "_", name)[:60] or "post"


def result_path(out: Path, source: str, content_hash: str) -> Path:
    return out / "posts" / f"{_stem(source)}.{content_hash[:12]}.json"


def existing_result(out: Path, content_hash: str) -> Path | None:
    return next((out / "posts").glob(f"*.{content_hash[:12]}.json"), None)


def iter_results(out: Path) -> Iterator[dict]:
    """Every finished post in --out, read one file at a time."""
    for path in sorted((out / "posts").glob("*.json")):
        yield json.loads(path.read_text(encoding="utf-8"))


class Reporter:
    """A rich progress bar on a terminal, plain lines elsewhere (CI logs, pipes)."""

    def __init__(self, total: int, summary: BatchSummary, requests: Callable[[], int]) -> None:
        self.total, self.summary, self.requests = total, summary, requests
        self.done = 0
        self.progress = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(
                TextColumn("[bold]posts"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[info]}"),
                TimeRemainingColumn(),
                transient=False,
                console=Console(stderr=True),  # stdout keeps the summary, for pipes
            )
            self.task = self.progress.add_task("posts", total=total, info="")
            self.progress.start()

    def tally(self) -> str:
        """The running totals worth reading: questions once there are some, requests when a model may be called."""
        parts = [f"{_n(self.summary.questions, 'question')} so far"] if self.summary.questions else []
        if self.summary.can_request:
            parts.append(_n(self.requests(), "model request"))
        return ", ".join(parts)

    def advance(self, source: str, status: str) -> None:
        self.done += 1
        tally = self.tally()
        if self.progress is not None:
            self.progress.update(self.task, advance=1, info=tally)
        else:
            sys.stderr.write(f"[{self.done}/{self.total}] {source}: {status}{' · ' + tally if tally else ''}\n")
            sys.stderr.flush()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


async def run_batch(
    targets: list[str], out: Path, context: Context, *, jobs: int = 4, max_bytes: int = 2_000_000
) -> BatchSummary:
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    from graph.offline.engine import clean_text as offline_clean
    from graph.render import to_markdown
    from graph.services import services
    from graph.store import check_checkpoints
    from graph.workflow import build_graph

    out.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary(posts=len(targets))
    pool = services().pool if context.engine != "offline" else None
    summary.can_request = pool is not None and services().settings.has_keys
    sent_before = pool.sent if pool else 0

    def requests() -> int:
        return (pool.sent - sent_before) if pool else 0

    reporter = Reporter(len(targets), summary, requests)
    seen: dict[str, str] = {}
    started = time.perf_counter()
    semaphore = asyncio.Semaphore(max(1, jobs))
    run_started = time.monotonic()
    # SQLite would create its file 0644 whatever the umask; created here first, the checkpoint database
    # (and its journal, which SQLite gives the database's mode) has the mode of every result file.
    os.close(os.open(out / "checkpoints.sqlite", os.O_WRONLY | os.O_CREAT, 0o666))
    check_checkpoints(out / "checkpoints.sqlite")
    async with AsyncSqliteSaver.from_conn_string(str(out / "checkpoints.sqlite")) as saver:
        graph = build_graph().compile(checkpointer=saver)

        async def one(path: str) -> None:
            source = source_label(path)  # '-' is shown and recorded as '(stdin)'
            async with semaphore:
                try:
                    text, encoding = await asyncio.to_thread(read_post, path, max_bytes=max_bytes)
                except InputError as exc:
                    reason = str(exc).removeprefix(f"{path}: ").removeprefix(f"{source}: ")
                    summary.failed.append((source, reason))
                    reporter.advance(source, f"unreadable: {reason}")
                    return
                content_hash = offline_clean(text)["content_hash"]
                if content_hash in seen:
                    summary.duplicates += 1
                    reporter.advance(source, f"same content as {seen[content_hash]}")
                    return
                seen[content_hash] = source
                if existing_result(out, content_hash):
                    summary.already_done += 1
                    reporter.advance(source, "already done")
                    return
                config = {"configurable": {"thread_id": content_hash}}
                post_context = left_of_run(context, run_started, time.monotonic())
                snapshot = await graph.aget_state(config)
                resumed = ""
                # durability="sync": a node's checkpoint is on disk before the next node starts, so a kill
                # (or a crash) never loses a finished step, however loaded the machine is.
                if snapshot.next:  # cut mid-way last time: carry on from the last finished node
                    resumed = f"from {', '.join(snapshot.next)}"
                    result = await graph.ainvoke(None, config, context=post_context, durability="sync")
                elif snapshot.values.get("advice"):  # finished, but killed before its file was written
                    resumed = "after its last step (only its files were missing)"
                    result = snapshot.values
                else:
                    result = await graph.ainvoke(
                        {"text": text, "source": source, "encoding": encoding},
                        config,
                        context=post_context,
                        durability="sync",
                    )
                analysis = Analysis.model_validate({**result, "source": source, "encoding": encoding})
                target = result_path(out, path, content_hash)
                write_atomic(target.with_suffix(".md"), to_markdown(analysis))
                write_atomic(target, analysis.model_dump_json(indent=1))
                n_rounds, n_questions = len(analysis.rounds), sum(len(r.questions) for r in analysis.rounds)
                summary.analysed += 1
                summary.questions += n_questions
                summary.engines.update(analysis.engines.values())
                status = (
                    [_n(n_rounds, "round"), _n(n_questions, "question")]
                    if analysis.is_interview
                    else ["not an interview"]
                )
                if resumed:
                    summary.resumed.append((source, resumed))
                    status.insert(0, f"resumed {resumed}")
                reporter.advance(source, ", ".join([*status, _engine_mix(analysis.engines)]))

        try:
            await asyncio.gather(*(one(t) for t in targets))
        finally:
            reporter.close()
    summary.requests = requests()
    export_all(out, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def export_all(out: Path, summary: BatchSummary) -> None:
    """The bank and its exports, from every finished post in --out (streamed from disk)."""
    from graph.bank import build_bank
    from graph.exports import anki_deck, bank_csv, bank_json, bank_markdown, corpus_plan, topic_chart
    from graph.offline.resources import companies, taxonomy

    tax = taxonomy()
    labels = {t: f"{tax.label(t, 'zh')} ({t})" for t in tax.ids}
    bank, groups = build_bank(iter_results(out))
    entries = bank.entries()
    posts = len(groups)
    distinct = len(set(groups.values()))
    summary.bank_entries, summary.distinct_posts = len(entries), distinct
    write_atomic(out / "bank.json", bank_json(entries, posts=posts, groups=distinct))
    write_atomic(out / "bank.csv", bank_csv(entries))
    write_atomic(out / "bank.md", bank_markdown(entries, labels))
    write_atomic(out / "plan.md", corpus_plan(entries, labels, posts=distinct))
    anki_deck(entries, labels, out / "bank.apkg")
    topic_chart(entries, companies().english, out / "topic_mix.png")  # the bank's own counts
    # One page to browse it all; per-post rounds and advice are read back one result file at a time.
    from graph.report import render_report, write_report

    chart = out / "topic_mix.png"
    page = render_report(
        entries,
        labels,
        iter_results(out),
        posts=posts,
        distinct=distinct,
        chart_png=chart.read_bytes() if entries and chart.exists() else None,
    )
    write_report(out / "report.html", page)
