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
# Posts a worker process is handed at once, and lots handed out ahead per worker: enough that a worker
# never waits for its next lot, few enough to keep memory flat.
LOT = 8
IN_FLIGHT_LOTS = 4
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

    def claim(self, posts: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """For each (thread id, source): ('mine', ''), ('duplicate', the source that claimed it in this
        run), ('done', its result file), or ('busy', the source another running batch is analysing). One transaction
        for the lot: a worker claims the posts it was handed at once."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                now = self.clock()
                verdicts = [self._decide(thread_id, source, now) for thread_id, source in posts]
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
            return verdicts

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
                return "done", result
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

    def finish(self, results: list[tuple[str, str]]) -> None:
        """(thread id, result file) of posts whose files are written."""
        if not results:
            return
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "UPDATE mianjing_claims SET result = ? WHERE thread_id = ?", [(r, t) for t, r in results]
            )
            self.db.execute("COMMIT")

    def heartbeat(self) -> None:
        with self.lock:
            self.db.execute(
                "UPDATE mianjing_claims SET beat = ? WHERE run = ? AND result IS NULL", (self.clock(), self.run)
            )

    def release(self) -> None:
        """Unfinished claims of this run (a crash, an interrupt) are given up, for the next batch to take."""
        with self.lock:
            self.db.execute("DELETE FROM mianjing_claims WHERE run = ? AND result IS NULL", (self.run,))
            self.close()

    def close(self) -> None:
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
    result: str = ""  # the name of its result file, once written (or found written)
    # What the exports need of an analysed or done post, made in the worker: its part of the question
    # bank (None when it is not an interview) and its section of report.html.
    bank: dict | None = None
    section: str = ""


def unreadable(path: str, exc: InputError) -> Outcome:
    """Why a path could not be read, without the path the message starts with."""
    source = source_label(path)
    return Outcome(path, source, "unreadable", str(exc).removeprefix(f"{path}: ").removeprefix(f"{source}: "))


def export_shares(doc: dict, labels: dict[str, str]) -> tuple[dict | None, str]:
    """A finished post's part of the question bank (None when it is not an interview) and its section
    of report.html, from its result document."""
    from graph.batch.bank import slim_post
    from graph.batch.report import render_post

    return slim_post(doc), render_post(doc, labels)


@dataclass(frozen=True)
class Item:
    """A path to analyse; standard input ('-') is read by the batch process, which owns it, and handed
    on as text."""

    path: str
    text: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class Post:
    """A post a worker has read, cleaned and claimed."""

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
    batch: Owner  # the batch process: claims name it, and its workers stop when it is gone
    run: str  # the batch's run id, shared by its workers' claims
    max_bytes: int
    # Results written before claims were kept (content hash prefix → file name): done, not redone.
    finished: dict[str, str] = field(default_factory=dict)
    # With a key, a post's checkpoint is written after every node, so a cut post resumes at its last
    # finished step and no answered request is paid for twice. Offline, a post takes milliseconds and
    # checkpointing it would add a sixth to that: the post is the unit, recorded by its claim and its
    # result file, and a cut one is run again.
    per_node: bool = True


class PostWorker:
    """Reads, cleans, claims and analyses the posts it is handed, and writes their result files: in a
    worker process (built once per process, so the graph is imported and compiled once), or shared by
    the threads of a keyed batch. The batch process only hands out paths and reports."""

    def __init__(self, spec: WorkerSpec) -> None:
        import sqlite3

        from langgraph.checkpoint.sqlite import SqliteSaver

        from graph.workflow import build_graph
        from graph.workflow import graph as graph_without_checkpoints

        self.spec = spec
        conn = sqlite3.connect(spec.out / "checkpoints.sqlite", timeout=30, check_same_thread=False)
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL: a killed process loses nothing committed
        self.graph = build_graph().compile(checkpointer=SqliteSaver(conn))
        self.unsaved = graph_without_checkpoints
        self.claims = Claims(spec.out / "checkpoints.sqlite", spec.run, spec.batch)
        self.labels: dict[str, str] | None = None

    def exports_of(self, outcome: Outcome, doc: dict) -> Outcome:
        """The outcome with the post's part of the bank and of report.html, from its result document."""
        from graph.batch.exports import topic_labels

        if self.labels is None:
            self.labels = topic_labels()
        outcome.bank, outcome.section = export_shares(doc, self.labels)
        return outcome

    def run(self, items: list[Item]) -> list[Outcome]:
        from graph.offline.engine import clean_text

        outcomes: dict[int, Outcome] = {}
        read: list[tuple[int, Post]] = []
        for i, item in enumerate(items):
            source = source_label(item.path)  # '-' is shown and recorded as '(stdin)'
            if item.text is not None:
                text, encoding = item.text, item.encoding
            else:
                try:
                    text, encoding = read_post(item.path, max_bytes=self.spec.max_bytes)
                except InputError as exc:
                    outcomes[i] = unreadable(item.path, exc)
                    continue
            read.append((i, Post(item.path, source, text, encoding, clean_text(text))))
        verdicts = self.claims.claim([(post.cleaned["content_hash"], post.source) for _, post in read])
        mine: list[tuple[int, Post]] = []
        legacy: list[tuple[str, str]] = []
        for (i, post), (verdict, other) in zip(read, verdicts, strict=True):
            content_hash = post.cleaned["content_hash"]
            if verdict == "mine" and (done := self.spec.finished.get(content_hash[:12])):
                legacy.append((content_hash, done))  # finished by a batch before claims were kept
                verdict, other = "done", done
            if verdict == "mine":
                mine.append((i, post))
            elif verdict == "done":
                outcomes[i] = self.done(post, content_hash, other)
            else:
                outcomes[i] = Outcome(post.path, post.source, verdict, other, content_hash)
        self.claims.finish(legacy)
        try:
            for i, post in mine:
                outcomes[i] = self.analyse(post)
        finally:  # what was written is recorded, even when a later post of the lot fails
            self.claims.finish([(o.content_hash, o.result) for o in outcomes.values() if o.status == "analysed"])
        return [outcomes[i] for i in range(len(items))]

    def done(self, post: Post, content_hash: str, result: str) -> Outcome:
        """A post finished by an earlier batch: its exports are made again from its result file."""
        outcome = Outcome(post.path, post.source, "done", content_hash=content_hash, result=result)
        try:
            doc = json.loads((self.spec.out / "posts" / result).read_text(encoding="utf-8"))
        except (OSError, ValueError):  # removed or damaged since: the exports read what is there at the end
            return outcome
        return self.exports_of(outcome, doc)

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
        if snapshot.next:  # cut mid-way last time (by a keyed batch): carry on from the last finished node
            resumed = f"from {', '.join(snapshot.next)}"
            result = self.graph.invoke(None, config, context=post_context, durability="sync")
        elif snapshot.values.get("advice"):  # finished, but killed before its file was written
            resumed = "after its last step (only its files were missing)"
            result = snapshot.values
        else:
            remember_clean(post.text, post.cleaned)  # the graph's first node need not clean it again
            post_input = {"text": post.text, "source": source, "encoding": post.encoding}
            if spec.per_node:
                result = self.graph.invoke(post_input, config, context=post_context, durability="sync")
            else:  # the same compiled graph, without a checkpointer
                result = self.unsaved.invoke(post_input, context=post_context)
        analysis = Analysis.model_validate({**result, "source": source, "encoding": post.encoding})
        target = result_path(spec.out, post.path, content_hash)
        write_atomic(target.with_suffix(".md"), to_markdown(analysis))
        write_atomic(target, analysis.model_dump_json(indent=1))
        outcome = Outcome(
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
        return self.exports_of(outcome, analysis.model_dump(mode="json"))

    def close(self) -> None:
        self.claims.close()


_worker: PostWorker | None = None


def _start_worker(spec: WorkerSpec) -> None:
    global _worker
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle, not each worker's
    threading.Thread(target=_exit_with, args=(spec.batch,), daemon=True).start()
    _worker = PostWorker(spec)  # the graph and the engine's data were loaded by the forkserver (preload.py)


def _exit_with(batch: Owner) -> None:
    """A worker whose batch was killed would otherwise wait for posts forever: the pipes it reads from
    are never closed, as every worker holds their other ends too."""
    while batch.alive(batch.host, batch.pid, batch.identity):
        time.sleep(1)
    os._exit(0)


def _ready() -> None:
    """Starts a worker process (its initializer runs first) before there is a post for it."""


def _work(items: list[Item]) -> list[Outcome]:
    assert _worker is not None
    return _worker.run(items)


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
        mp.set_forkserver_preload(["graph.batch.runner", "graph.batch.preload"])
    else:
        mp = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=mp, initializer=_start_worker, initargs=(spec,))
    for _ in range(workers):  # started now: they import and warm up while this process lists the paths
        pool.submit(_ready)
    return pool


async def run_batch(
    targets: list[str], out: Path, context: Context, *, jobs: int | None = None, max_bytes: int = 2_000_000
) -> BatchSummary:
    """Offline, worker processes (one per core, at most `jobs`) each read, clean, claim and analyse the
    lots of paths they are handed; with a key, `jobs` threads (default 4) of this process do, one post at
    a time, sharing the pool's probing and limits: model calls wait on the network, not on the CPU. This
    process hands out paths, reports, and builds the bank and its exports at the end.

    Worker processes import the caller's main module, as multiprocessing does: a script that calls this
    keeps its top-level code under `if __name__ == "__main__":`."""
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    from graph.batch.inputs import read_post as read_stdin
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
    spec = WorkerSpec(out, context, time.monotonic(), owner, claims.run, max_bytes, finished, per_node=pool is not None)
    workers = min(jobs or cores(), cores(), len(targets))
    processes = pool is None and workers > 1
    threads = jobs or DEFAULT_THREADS
    # Offline, a worker is handed a few posts at a time: one message, one claim and one finish per lot
    # rather than per post; smaller in a small batch, so every worker has some. With a key, one post each.
    lot = max(1, min(LOT, len(targets) // (workers * IN_FLIGHT_LOTS))) if processes else 1
    executor: Executor | None = None
    work: Callable[[list[Item]], list[Outcome]] | None = None
    thread_worker: PostWorker | None = None

    def start_workers() -> None:
        nonlocal executor, work, thread_worker
        if processes:
            executor, work = _process_pool(workers, spec), _work
            # The exports' libraries and data are loaded meanwhile, while a core waits for the workers.
            threading.Thread(target=_load_for_exports, daemon=True).start()
        else:
            executor = ThreadPoolExecutor(threads, thread_name_prefix="mianjing-batch")
            thread_worker = PostWorker(spec)
            work = thread_worker.run

    def item(path: str) -> Item | Outcome:
        if path != "-":
            return Item(path)
        try:  # standard input is this process's: read here, handed on as text
            text, encoding = read_stdin(path, max_bytes=max_bytes)
        except InputError as exc:
            return unreadable(path, exc)
        return Item(path, text, encoding)

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

    collected = Collected(out)  # closed at the end, whatever happens
    handed_out = 0  # paths handed out so far, over every pass: each one's index in `collected`

    # Lots handed out but not yet done stay a bounded few, so memory does not grow with the batch.
    in_flight = asyncio.Semaphore(IN_FLIGHT_LOTS * (workers if processes else threads))

    async def run(paths: list[str]) -> list[str]:
        """Hands out `paths` in lots, reporting each post as its lot is done; returns those another batch
        on this folder is analysing."""
        nonlocal handed_out
        busy: list[str] = []

        async def analyse(items: list[Item], first: int) -> None:
            try:
                outcomes = await asyncio.get_running_loop().run_in_executor(executor, work, items)
            finally:
                in_flight.release()
            for index, outcome in enumerate(outcomes, first):
                if outcome.status == "busy":
                    busy.append(outcome.path)
                else:
                    record(outcome)
                collected.put(index, outcome if outcome.status in ("analysed", "done") else None)

        async with asyncio.TaskGroup() as group:
            pending: list[Item] = []
            for path in paths:
                ready = item(path)
                if isinstance(ready, Outcome):
                    record(ready)
                    collected.put(handed_out, None)
                    handed_out += 1
                    continue
                pending.append(ready)
                handed_out += 1
                if len(pending) == lot:
                    await in_flight.acquire()
                    group.create_task(analyse(pending, handed_out - len(pending)))
                    pending = []
            if pending:
                await in_flight.acquire()
                group.create_task(analyse(pending, handed_out - len(pending)))
        return busy

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            await asyncio.to_thread(claims.heartbeat)

    beating = asyncio.create_task(heartbeat())
    try:
        try:
            start_workers()
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
            if thread_worker is not None:
                thread_worker.close()
            claims.release()
        summary.requests = requests()
        export_all(out, summary, collected)
    finally:
        collected.close()
    summary.seconds = time.perf_counter() - started
    return summary


class Collected:
    """What the exports need of each post, gathered while the workers run instead of read back after:
    each post's part of the question bank and its section of report.html (both made by the worker that
    analysed it). Posts are taken in the order of the batch's paths, whichever worker finished first, so
    the bank and the page are the same from run to run; the sections wait in a spool file, so memory
    holds only the bank."""

    def __init__(self, out: Path) -> None:
        import tempfile

        from graph.batch.bank import QuestionBank

        self.out = out
        self.bank = QuestionBank()
        self.results: set[str] = set()  # result files taken, each once
        self.spool = tempfile.TemporaryFile(dir=out)  # noqa: SIM115 - closed by close(); unlinked at once
        self.sections: list[int] = []  # the byte length of each section in the spool, in order
        self.waiting: dict[int, Outcome | None] = {}
        self.next = 0

    def put(self, index: int, outcome: Outcome | None) -> None:
        """The outcome of the index-th path handed out (None: nothing of it goes into the exports)."""
        self.waiting[index] = outcome
        while self.next in self.waiting:
            taken = self.waiting.pop(self.next)
            self.next += 1
            if taken is not None and taken.result and taken.result not in self.results:
                self.results.add(taken.result)
                if taken.bank is not None:
                    self.bank.add_post(taken.bank)
                if taken.section:  # none when its result file could not be read back
                    self._section(taken.section)

    def _section(self, html: str) -> None:
        data = html.encode("utf-8")
        self.spool.write(data)
        self.sections.append(len(data))

    def add_the_rest(self) -> None:
        """Results in --out that no path of this batch led to (an earlier batch's, on other paths)."""
        from graph.batch.exports import topic_labels

        labels = None
        for path in sorted((self.out / "posts").glob("*.json")):
            if path.name in self.results:
                continue
            labels = labels or topic_labels()
            bank, section = export_shares(json.loads(path.read_text(encoding="utf-8")), labels)
            self.results.add(path.name)
            if bank is not None:
                self.bank.add_post(bank)
            self._section(section)

    def read_sections(self) -> Iterator[str]:
        self.spool.seek(0)
        for size in self.sections:
            yield self.spool.read(size).decode("utf-8")

    def close(self) -> None:
        self.spool.close()


def export_all(out: Path, summary: BatchSummary, collected: Collected) -> None:
    """The bank and its exports, from every finished post in --out: those of this batch as collected,
    the others read from their result files."""
    from graph.batch.exports import (
        anki_deck,
        bank_csv,
        bank_json,
        bank_markdown,
        corpus_plan,
        topic_chart,
        topic_labels,
    )
    from graph.offline.resources import companies

    collected.add_the_rest()
    labels = topic_labels()
    bank = collected.bank
    groups = bank.groups()
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
    # One page to browse it all; each post's section was rendered by the worker that analysed it.
    from graph.batch.report import render_report, write_report

    chart = out / "topic_mix.png"
    page = render_report(
        entries,
        labels,
        (),
        posts=posts,
        distinct=distinct,
        chart_png=chart.read_bytes() if entries and chart.exists() else None,
        sections=collected.read_sections(),
    )
    write_report(out / "report.html", page)
