"""Many posts at once: worker processes (offline) or threads (with a key), a SQLite checkpointer and a
table of claims per --out folder, atomic results.

Each post's thread id is its content hash, so the same content is analysed once, a finished post is
never analysed again, and a post cut mid-way resumes from its last finished node. A post is claimed
before it is analysed, so batches running at once on the same folder share the work.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from graph.batch.exports import write_atomic
from graph.batch.inputs import read_post, source_label
from graph.context import Context, left_of_run
from graph.errors import InputError
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


# How long a claim of a batch on another host holds without a heartbeat (a batch on this host is checked
# directly: a claim whose process is gone is taken over at once), and how often a batch renews its own.
CLAIM_LEASE_S = 120.0
HEARTBEAT_S = 30.0
# How often a batch looks again at posts another batch on the same --out is analysing.
BUSY_POLL_S = 0.2
# Posts analysed at once with a key: threads, which wait on the network.
DEFAULT_THREADS = 4
# Posts read, cleaned and claimed ahead of the workers: enough to read on while they start (the posts are
# read during their first seconds), few enough to keep memory flat (a few MB).
IN_FLIGHT = 256
_CLAIMS_TABLE = (
    "CREATE TABLE IF NOT EXISTS mianjing_claims (thread_id TEXT PRIMARY KEY, run TEXT NOT NULL, "
    "source TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, identity TEXT, beat REAL NOT NULL, "
    "result TEXT)"
)


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _identity(pid: int) -> str | None:
    """What tells a process apart from a later one given the same pid: the boot and its start time (Linux);
    None where /proc is not there, and then the pid alone is checked."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return f"{_boot_id()}:{stat.rsplit(')', 1)[1].split()[19]}"


@dataclass(frozen=True)
class Owner:
    """The batch process a claim belongs to."""

    host: str
    pid: int
    identity: str | None

    @classmethod
    def this_process(cls) -> Owner:
        import socket

        return cls(socket.gethostname(), os.getpid(), _identity(os.getpid()))

    def alive(self, host: str, pid: int, identity: str | None) -> bool | None:
        """Whether a claim's process is still running; None when it is on another host (then its lease says)."""
        if host != self.host:
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # another user's process: it exists
            pass
        return identity is None or _identity(pid) in (identity, None)


class Claims:
    """Which batch analyses which post, in a table of the --out folder's checkpoint database.

    A post (by content hash) is claimed in one `BEGIN IMMEDIATE` transaction, so two batches on the same
    folder never both analyse it. A claim names its batch (run id, host, pid and the process's start time)
    and is renewed by a heartbeat: the claim of a batch that was killed is taken over at once on the same
    host, after CLAIM_LEASE_S without a heartbeat from another host."""

    def __init__(self, path: Path, run: str, owner: Owner) -> None:
        import sqlite3

        self.run, self.owner, self.posts = run, owner, path.parent / "posts"
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL: a killed process loses nothing committed
        self.lock = threading.Lock()  # one connection, shared by the threads of a keyed batch
        self.clock = time.time

    def create(self) -> None:
        with self.lock:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(_CLAIMS_TABLE)

    def claim(self, thread_id: str, source: str) -> tuple[str, str]:
        """('mine', ''), ('duplicate', the source that claimed it in this run), ('done', ''), or ('busy',
        the source another running batch is analysing)."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                verdict = self._decide(thread_id, source, self.clock())
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
            return verdict

    def _decide(self, thread_id: str, source: str, now: float) -> tuple[str, str]:
        row = self.db.execute(
            "SELECT run, source, host, pid, identity, beat, result FROM mianjing_claims WHERE thread_id = ?",
            (thread_id,),
        ).fetchone()
        if row is not None:
            run, other, host, pid, identity, beat, result = row
            if run == self.run:
                return "duplicate", other
            if result and (self.posts / result).exists():
                return "done", ""
            if result is None:
                alive = self.owner.alive(host, pid, identity)
                if alive or (alive is None and now - beat < CLAIM_LEASE_S):
                    return "busy", other
        # New, or its batch stopped before finishing it, or its result files are gone: ours now.
        self.db.execute(
            "INSERT OR REPLACE INTO mianjing_claims VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
            (thread_id, self.run, source, self.owner.host, self.owner.pid, self.owner.identity, now),
        )
        return "mine", ""

    def finish(self, thread_id: str, result: str) -> None:
        with self.lock:
            self.db.execute("UPDATE mianjing_claims SET result = ? WHERE thread_id = ?", (result, thread_id))

    def heartbeat(self) -> None:
        with self.lock:
            self.db.execute(
                "UPDATE mianjing_claims SET beat = ? WHERE run = ? AND result IS NULL", (self.clock(), self.run)
            )

    def release(self) -> None:
        """Unfinished claims of this run (a crash, an interrupt) are given up, for the next batch to take."""
        with self.lock:
            self.db.execute("DELETE FROM mianjing_claims WHERE run = ? AND result IS NULL", (self.run,))
            self.db.close()


@dataclass
class Outcome:
    """What happened to one path."""

    path: str
    source: str
    status: str  # unreadable, duplicate, done, busy or analysed
    detail: str = ""  # why it is unreadable, or the post with the same content
    content_hash: str = ""
    rounds: int = 0
    questions: int = 0
    is_interview: bool = True
    engines: dict[str, str] = field(default_factory=dict)
    resumed: str = ""
    result: str = ""  # the name of its result file, once written


@dataclass(frozen=True)
class Post:
    """A post this batch has read, cleaned and claimed, for a worker to analyse."""

    path: str
    source: str
    text: str
    encoding: str | None
    cleaned: dict  # the offline engine's clean_text: the content hash in it is the post's thread id


@dataclass(frozen=True)
class WorkerSpec:
    out: Path
    context: Context
    run_started: float  # monotonic, shared by the processes of one machine: the deadline is the run's
    batch: Owner  # the batch process: its workers stop when it is gone
    # With a key, a post's checkpoint is written after every node, so a cut post resumes at its last
    # finished step and no answered request is paid for twice. Offline, a post takes milliseconds: one
    # checkpoint when it finishes costs a sixth as much, and a cut post is simply run again.
    per_node: bool = True


class PostWorker:
    """Runs the checkpointed graph on claimed posts and writes their result files, in a worker process
    (built once per process, so the graph is imported and compiled once) or in threads of this one."""

    def __init__(self, spec: WorkerSpec) -> None:
        import sqlite3

        from langgraph.checkpoint.sqlite import SqliteSaver

        from graph.workflow import build_graph

        self.spec = spec
        conn = sqlite3.connect(spec.out / "checkpoints.sqlite", timeout=30, check_same_thread=False)
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL: a killed process loses nothing committed
        self.graph = build_graph().compile(checkpointer=SqliteSaver(conn))

    def analyse(self, post: Post) -> Outcome:
        from graph.batch.render import to_markdown
        from graph.offline.engine import remember_clean

        spec, source, content_hash = self.spec, post.source, post.cleaned["content_hash"]
        config = {"configurable": {"thread_id": content_hash}}
        post_context = left_of_run(spec.context, spec.run_started, time.monotonic())
        snapshot = self.graph.get_state(config)
        resumed = ""
        # durability="sync": a node's checkpoint is on disk before the next node starts, so a kill (or a
        # crash) never loses a finished step, however loaded the machine is.
        durability = "sync" if spec.per_node else "exit"
        if snapshot.next:  # cut mid-way last time: carry on from the last finished node
            resumed = f"from {', '.join(snapshot.next)}"
            result = self.graph.invoke(None, config, context=post_context, durability=durability)
        elif snapshot.values.get("advice"):  # finished, but killed before its file was written
            resumed = "after its last step (only its files were missing)"
            result = snapshot.values
        else:
            remember_clean(post.text, post.cleaned)  # the graph's first node need not clean it again
            result = self.graph.invoke(
                {"text": post.text, "source": source, "encoding": post.encoding},
                config,
                context=post_context,
                durability=durability,
            )
        analysis = Analysis.model_validate({**result, "source": source, "encoding": post.encoding})
        target = result_path(spec.out, post.path, content_hash)
        write_atomic(target.with_suffix(".md"), to_markdown(analysis))
        write_atomic(target, analysis.model_dump_json(indent=1))
        return Outcome(
            post.path,
            source,
            "analysed",
            content_hash=content_hash,
            rounds=len(analysis.rounds),
            questions=sum(len(r.questions) for r in analysis.rounds),
            is_interview=analysis.is_interview,
            engines=dict(analysis.engines),
            resumed=resumed,
            result=target.name,
        )


_worker: PostWorker | None = None
# A post that loads what the offline engine loads on first use (the LeetCode catalogue, the question model).
_WARM_UP = "一面\n1. 讲讲Transformer和RoPE\n2. 手撕LRU缓存，leetcode 146\n反问\n"


def _start_worker(spec: WorkerSpec) -> None:
    global _worker
    import signal

    from graph.workflow import graph

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle, not each worker's
    threading.Thread(target=_exit_with, args=(spec.batch,), daemon=True).start()
    _worker = PostWorker(spec)
    # Loaded now, while this process reads the first posts, rather than when the first one arrives.
    graph.invoke({"text": _WARM_UP}, context=Context(engine="offline"))


def _exit_with(batch: Owner) -> None:
    """A worker whose batch was killed would otherwise wait for posts forever: the pipes it reads from
    are never closed, as every worker holds their other ends too."""
    while batch.alive(batch.host, batch.pid, batch.identity):
        time.sleep(1)
    os._exit(0)


def _ready() -> None:
    """Starts a worker process (its initializer runs first) before there is a post for it."""


def _work(post: Post) -> Outcome:
    assert _worker is not None
    return _worker.analyse(post)


def _load_for_exports() -> None:
    """What export_all imports and loads, ahead of it."""
    with suppress(Exception):  # export_all says what is wrong, if anything
        import genanki  # noqa: F401
        import jinja2  # noqa: F401
        import rapidfuzz  # noqa: F401
        from matplotlib.figure import Figure  # noqa: F401

        from graph.offline.resources import companies, leetcode, taxonomy

        taxonomy(), companies(), leetcode()


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _process_pool(workers: int, spec: WorkerSpec) -> Executor:
    """Worker processes started from a clean forkserver that imported the graph once (spawn where there
    is no forkserver); never fork, which would copy this process's threads and locks."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "forkserver" in multiprocessing.get_all_start_methods():
        mp = multiprocessing.get_context("forkserver")
        mp.set_forkserver_preload(["graph.batch.runner", "graph.workflow"])
    else:
        mp = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=mp, initializer=_start_worker, initargs=(spec,))
    for _ in range(workers):  # started now: they import and warm up while this process reads the posts
        pool.submit(_ready)
    return pool


async def run_batch(
    targets: list[str], out: Path, context: Context, *, jobs: int | None = None, max_bytes: int = 2_000_000
) -> BatchSummary:
    """This process reads each post, names it by its content hash and claims it; the posts it claimed are
    analysed offline by worker processes, one per core (at most `jobs`), and with a key by `jobs` threads
    (default 4) of this process, which share the pool's probing and limits: model calls wait on the
    network, not on the CPU.

    Worker processes import the caller's main module, as multiprocessing does: a script that calls this
    keeps its top-level code under `if __name__ == "__main__":`."""
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    from graph.offline.engine import clean_text as offline_clean
    from graph.router.store import check_checkpoints

    out.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary(posts=len(targets))
    svc = None
    if context.engine != "offline":
        from graph.router.services import services

        svc = services()
    pool = svc.pool if svc is not None and svc.settings.has_keys else None
    summary.can_request = pool is not None
    sent_before = pool.sent if pool else 0

    def requests() -> int:
        return (pool.sent - sent_before) if pool else 0

    reporter = Reporter(len(targets), summary, requests)
    seen: dict[str, str] = {}
    started = time.perf_counter()
    db = out / "checkpoints.sqlite"
    # SQLite would create its file 0644 whatever the umask; created here first, the checkpoint database
    # (and its journal, which SQLite gives the database's mode) has the mode of every result file.
    os.close(os.open(db, os.O_WRONLY | os.O_CREAT, 0o666))
    check_checkpoints(db)
    owner = Owner.this_process()
    claims = Claims(db, uuid.uuid4().hex, owner)
    claims.create()
    (out / "posts").mkdir(exist_ok=True)
    finished = {
        name.rsplit(".", 2)[-2]: name
        for name in os.listdir(out / "posts")
        if name.endswith(".json") and not name.startswith(".")
    }
    spec = WorkerSpec(out, context, time.monotonic(), owner, per_node=pool is not None)
    workers = min(jobs or cores(), cores(), len(targets))
    processes = pool is None and workers > 1
    executor: Executor | None = None
    work: Callable[[Post], Outcome] | None = None

    async def start_workers() -> None:
        nonlocal executor, work
        if processes:
            executor, work = _process_pool(workers, spec), _work
            # The exports' libraries and data are loaded meanwhile, while a core waits for the workers.
            threading.Thread(target=_load_for_exports, daemon=True).start()
        else:
            executor = ThreadPoolExecutor(jobs or DEFAULT_THREADS, thread_name_prefix="mianjing-batch")
            work = (await asyncio.to_thread(PostWorker, spec)).analyse

    def prepare(path: str) -> Outcome | Post:
        source = source_label(path)  # '-' is shown and recorded as '(stdin)'
        try:
            text, encoding = read_post(path, max_bytes=max_bytes)
        except InputError as exc:
            reason = str(exc).removeprefix(f"{path}: ").removeprefix(f"{source}: ")
            return Outcome(path, source, "unreadable", reason)
        cleaned = offline_clean(text)
        content_hash = cleaned["content_hash"]
        verdict, other = claims.claim(content_hash, source)
        if verdict != "mine":
            return Outcome(path, source, verdict, other, content_hash)
        if done := finished.get(content_hash[:12]):  # finished by a batch before claims were kept
            claims.finish(content_hash, done)
            return Outcome(path, source, "done", "", content_hash)
        return Post(path, source, text, encoding, cleaned)

    def record(outcome: Outcome) -> None:
        source = outcome.source
        if outcome.status == "unreadable":
            summary.failed.append((source, outcome.detail))
            reporter.advance(source, f"unreadable: {outcome.detail}")
            return
        first = outcome.detail if outcome.status == "duplicate" else seen.get(outcome.content_hash)
        if first:
            summary.duplicates += 1
            reporter.advance(source, f"same content as {first}")
            return
        seen[outcome.content_hash] = source
        if outcome.status == "done":
            summary.already_done += 1
            reporter.advance(source, "already done")
            return
        summary.analysed += 1
        summary.questions += outcome.questions
        summary.engines.update(outcome.engines.values())
        status = (
            [_n(outcome.rounds, "round"), _n(outcome.questions, "question")]
            if outcome.is_interview
            else ["not an interview"]
        )
        if outcome.resumed:
            summary.resumed.append((source, outcome.resumed))
            status.insert(0, f"resumed {outcome.resumed}")
        reporter.advance(source, ", ".join([*status, _engine_mix(outcome.engines)]))

    # Posts read but not yet analysed stay a bounded few, so memory does not grow with the size of the batch.
    in_flight = asyncio.Semaphore(IN_FLIGHT)

    async def analyse(post: Post) -> None:
        try:
            outcome = await asyncio.get_running_loop().run_in_executor(executor, work, post)
        finally:
            in_flight.release()
        claims.finish(outcome.content_hash, outcome.result)
        record(outcome)

    async def run(paths: list[str]) -> list[str]:
        """Reads, claims and hands out `paths`, reporting each as it is done; returns those another batch
        on this folder is analysing."""
        busy = []
        async with asyncio.TaskGroup() as group:
            for path in paths:
                prepared = prepare(path)
                if isinstance(prepared, Post):
                    if work is None:
                        await start_workers()
                    await in_flight.acquire()
                    group.create_task(analyse(prepared))
                elif prepared.status == "busy":
                    busy.append(path)
                else:
                    record(prepared)
                await asyncio.sleep(0)  # posts the workers finished meanwhile are reported as they finish
        return busy

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            await asyncio.to_thread(claims.heartbeat)

    beating = asyncio.create_task(heartbeat())
    try:
        if not finished:  # a new folder: the workers start while the first posts are read
            await start_workers()
        busy = await run(targets)
        while busy:  # posts another batch on this folder is analysing: done when it is, or ours if it stops
            await asyncio.sleep(BUSY_POLL_S)
            busy = await run(busy)
    except BaseExceptionGroup as group:  # the first failure (a bug, a killed worker) stopped the others
        raise group.exceptions[0] from None
    finally:
        beating.cancel()
        reporter.close()
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        claims.release()
    summary.requests = requests()
    export_all(out, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def export_all(out: Path, summary: BatchSummary) -> None:
    """The bank and its exports, from every finished post in --out (streamed from disk)."""
    from graph.batch.bank import build_bank
    from graph.batch.exports import anki_deck, bank_csv, bank_json, bank_markdown, corpus_plan, topic_chart
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
    from graph.batch.report import render_report, write_report

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
