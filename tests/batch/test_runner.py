"""Batches as a user runs them: the CLI as a subprocess over a folder, kill -9 and resume, the exports opened."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from graph.batch.runner import CLAIM_LEASE_S, Claims, Owner
from graph.offline.decode import decode_bytes
from tests import fake_gemini as fg
from tests.conftest import CORPUS, MIANJING, run_cli_env
from tests.gemini_helpers import KEY_A, responder


def mianjing(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [*MIANJING, *args], capture_output=True, env=run_cli_env(home, **env), timeout=300, check=False
    )
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    folder.mkdir()
    for name in (
        "douyin_llm_3rounds.txt",
        "xhs_meituan_noisy_gbk.txt",
        "prose_baidu_wenxin.txt",
        "backend_jd_java_go.txt",
    ):
        shutil.copy(CORPUS / name, folder / name)
    # A repost: the same post with a different title and tags, saved under another name.
    douyin = (CORPUS / "douyin_llm_3rounds.txt").read_text(encoding="utf-8")
    repost = douyin.replace("AUC的两种公式是？", "AUC的两种公式是什么？").replace("#面经[话题]#", "")
    (folder / "repost.txt").write_text("转载自小红书\n补充：面试官人很好\n" + repost, encoding="utf-8")
    # The very same bytes twice, and a file nobody can read.
    shutil.copy(CORPUS / "backend_jd_java_go.txt", folder / "backend_copy.txt")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02\x89PNG" * 64)
    return folder


def test_batch_over_a_folder_writes_every_export(isolated_env: Path, posts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = mianjing(isolated_env, "analyze", str(posts), "--out", str(out))
    assert result.returncode == 2, result.stderr  # one unreadable file: reported, the rest analysed
    assert "broken.txt" in result.stdout and "the file looks binary" in result.stdout
    assert "posts: 7 (5 analysed, 1 duplicate, 1 unreadable)" in result.stdout
    assert re.search(r"node runs: offline \d+\n", result.stdout) and "model requests" not in result.stdout  # no key
    # Plain progress lines off a terminal, one per post, each a sentence with no empty slots.
    progress = result.stderr.splitlines()
    assert len(progress) == 7 and all(re.match(r"\[\d/7\] \S+: \w", line) for line in progress)
    assert not any(odd in result.stderr for odd in ("· )", "()", "questions 0", "requests 0", ":0"))
    assert any("broken.txt: unreadable: the file looks binary, not a text post" in line for line in progress)
    assert any(re.search(r"douyin_llm_3rounds.txt: 3 rounds, 25 questions, offline · \d+ questions so far$", line) for line in progress)  # fmt: skip

    results = sorted((out / "posts").glob("*.json"))
    assert len(results) == 5 and len(list((out / "posts").glob("*.md"))) == 5
    gbk = json.loads(next(p for p in results if p.name.startswith("xhs_meituan")).read_text(encoding="utf-8"))
    assert gbk["encoding"] == "gb18030" and gbk["companies"] == ["美团"]

    bank = json.loads((out / "bank.json").read_text(encoding="utf-8"))
    assert bank["posts"] == 5 and bank["distinct_posts"] == 4, "the repost counts once"
    assert all(entry["posts"] <= 4 for entry in bank["entries"])
    assert not any(entry["canonical"] in ("聊项目。", "自我介绍") for entry in bank["entries"])

    raw = (out / "bank.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == len(bank["entries"]) and rows[0]["question"] == bank["entries"][0]["canonical"]

    with zipfile.ZipFile(out / "bank.apkg") as deck:
        deck.extract("collection.anki2", tmp_path)
    with sqlite3.connect(tmp_path / "collection.anki2") as db:
        assert db.execute("select count(*) from notes").fetchone()[0] == len(bank["entries"])

    with Image.open(out / "topic_mix.png") as chart:
        chart.load()
        assert chart.format == "PNG" and chart.size[0] >= 600

    markdown = (out / "bank.md").read_text(encoding="utf-8")
    assert "## By topic" in markdown and "## By company" in markdown
    assert "Preparation plan" in (out / "plan.md").read_text(encoding="utf-8")


def test_a_second_run_skips_finished_posts(isolated_env: Path, posts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    mianjing(isolated_env, "analyze", str(posts), "--out", str(out))
    stamps = {p: p.stat().st_mtime_ns for p in (out / "posts").glob("*.json")}
    again = mianjing(isolated_env, "analyze", str(posts), "--out", str(out))
    assert "posts: 7 (0 analysed, 5 already done, 1 duplicate, 1 unreadable)" in again.stdout
    assert "questions:" not in again.stdout and "node runs" not in again.stdout  # nothing was analysed this time
    assert "douyin_llm_3rounds.txt: already done\n" in again.stderr
    assert stamps == {p: p.stat().st_mtime_ns for p in (out / "posts").glob("*.json")}


EXPORTS = ("bank.json", "bank.csv", "bank.md", "plan.md", "report.html")


def test_the_exports_are_the_same_whichever_worker_finishes_first_and_on_a_rerun(
    isolated_env: Path, tmp_path: Path
) -> None:
    """Each post's part of the bank and of the page is made by the worker that analysed it and taken in
    the order of the paths: two worker processes, one worker, and a rerun where every post is already
    done (its part made again from its result file) give the same files."""
    folder = twenty_posts(tmp_path / "posts")
    runs = {}
    for name, jobs in (("two", "2"), ("one", "1")):
        out = tmp_path / name
        result = mianjing(
            isolated_env, "analyze", str(folder), "--out", str(out), "--engine", "offline", "--jobs", jobs
        )
        assert result.returncode == 0, result.stderr
        runs[name] = {export: (out / export).read_bytes() for export in EXPORTS}
    assert runs["two"] == runs["one"]
    for export in EXPORTS:
        (tmp_path / "two" / export).unlink()
    again = mianjing(isolated_env, "analyze", str(folder), "--out", str(tmp_path / "two"), "--engine", "offline")
    assert "posts: 20 (0 analysed, 20 already done)" in again.stdout
    assert {export: (tmp_path / "two" / export).read_bytes() for export in EXPORTS} == runs["one"]
    assert not [p.name for p in (tmp_path / "two").iterdir() if p.name.startswith((".", "tmp"))]  # no spool left


def test_posts_an_earlier_batch_analysed_from_other_paths_stay_in_the_exports(
    isolated_env: Path, posts: Path, tmp_path: Path
) -> None:
    out, others = tmp_path / "out", tmp_path / "others"
    others.mkdir()
    shutil.move(posts / "prose_baidu_wenxin.txt", others / "prose_baidu_wenxin.txt")
    (posts / "broken.txt").unlink()  # an unreadable file makes the exit code 2
    assert mianjing(isolated_env, "analyze", str(others), "--out", str(out)).returncode == 0
    result = mianjing(isolated_env, "analyze", str(posts), "--out", str(out))
    assert result.returncode == 0, result.stderr
    bank = json.loads((out / "bank.json").read_text(encoding="utf-8"))
    sources = {Path(s).name for entry in bank["entries"] for s in entry["sources"]}
    assert {"prose_baidu_wenxin.txt", "douyin_llm_3rounds.txt"} <= sources
    assert "prose_baidu_wenxin.txt</strong>" in (out / "report.html").read_text(encoding="utf-8")


@pytest.fixture
def gemini() -> Iterator[fg.FakeGemini]:
    with fg.FakeGemini() as fake:
        fake.responder = responder
        yield fake


def test_kill_9_mid_batch_then_resume(isolated_env: Path, tmp_path: Path, gemini: fg.FakeGemini) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(5):
        (folder / f"post{i}.txt").write_text(f"一面\n1. 讲讲RoPE的第{i}个细节\n2. 手撕LRU缓存\n", encoding="utf-8")
    out = tmp_path / "out"
    env = run_cli_env(isolated_env, GEMINI_API_KEYS=KEY_A, GOOGLE_GEMINI_BASE_URL=gemini.base_url)
    # Posts 0 and 1 are answered; post 2's request hangs, so the batch is cut inside write_advice.
    gemini.script(fg.ok(), fg.ok(), fg.hang())
    proc = subprocess.Popen([*MIANJING, "analyze", str(folder), "--out", str(out), "--jobs", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while gemini.count() < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gemini.count() == 3, "the third request never arrived"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    gemini.release_hangs()
    finished = sorted(p.name.split(".")[0] for p in (out / "posts").glob("*.json"))
    assert finished == ["post0", "post1"]
    assert not list((out / "posts").glob(".*.tmp")), "no half-written result files"

    # The cut post's checkpoint stops right before the node that was running.
    from langgraph.checkpoint.sqlite import SqliteSaver

    from graph.offline.engine import clean_text
    from graph.workflow import build_graph

    thread = clean_text((folder / "post2.txt").read_text(encoding="utf-8"))["content_hash"]
    with SqliteSaver.from_conn_string(str(out / "checkpoints.sqlite")) as saver:
        snapshot = build_graph().compile(checkpointer=saver).get_state({"configurable": {"thread_id": thread}})
    assert snapshot.next == ("write_advice",)

    before = gemini.count()
    resumed = subprocess.run([*MIANJING, "analyze", str(folder), "--out", str(out), "--jobs", "1"], env=env,
                             capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert "3 analysed, 2 already done" in resumed.stdout
    assert f"resumed: {folder / 'post2.txt'}, from write_advice" in resumed.stdout  # the resumed post is named
    assert re.search(r"post2.txt: resumed from write_advice, 1 round, 2 questions, offline \d nodes, gemini 1 node", resumed.stderr)  # fmt: skip
    assert "model requests: 3" in resumed.stdout
    # Posts 0 and 1 cost nothing; posts 2, 3 and 4 one request each.
    assert gemini.count() - before == 3
    assert len(list((out / "posts").glob("*.json"))) == 5
    doc = json.loads(next((out / "posts").glob("post2.*.json")).read_text(encoding="utf-8"))
    assert doc["engines"]["write_advice"] == "gemini"
    # Checkpoints, caches and results never hold the key.
    written = [p for root in (out, isolated_env) for p in root.rglob("*") if p.is_file()]
    assert any(p.name == "checkpoints.sqlite" for p in written)
    assert not any(KEY_A.encode() in p.read_bytes() for p in written)


def test_progress_bar_on_a_terminal(isolated_env: Path, posts: Path, tmp_path: Path) -> None:
    import pty
    import threading

    leader, follower = pty.openpty()
    chunks: list[bytes] = []

    def read_screen() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read_screen, daemon=True)
    reader.start()
    proc = subprocess.Popen(
        [*MIANJING, "analyze", str(posts), "--out", str(tmp_path / "out")],
        stdout=subprocess.DEVNULL, stderr=follower, env=run_cli_env(isolated_env, COLUMNS="120"),
    )  # fmt: skip
    os.close(follower)
    assert proc.wait(timeout=300) == 2  # the broken file
    reader.join(timeout=10)
    os.close(leader)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "posts" in screen and "questions so far" in screen and "7/7" in screen
    assert "request" not in screen  # no key: no model request can be made, so none is counted
    assert "[1/7]" not in screen  # the plain lines are for pipes, not terminals


def test_every_file_in_out_has_the_mode_the_umask_gives(isolated_env: Path, posts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    # umask 002 tells apart both old modes: mkstemp's 0600 for results and SQLite's fixed 0644.
    subprocess.run([*MIANJING, "analyze", str(posts), "--out", str(out)], env=run_cli_env(isolated_env),
                   capture_output=True, timeout=300, check=False, umask=0o002)  # fmt: skip
    modes = {p.relative_to(out).as_posix(): p.stat().st_mode & 0o777 for p in out.rglob("*") if p.is_file()}
    assert {"checkpoints.sqlite", "bank.json", "bank.apkg", "topic_mix.png"} <= set(modes)
    assert {mode for mode in modes.values()} == {0o664}, modes


def twenty_posts(folder: Path) -> Path:
    """Twenty distinct posts made from the fixture corpus, each with a question of its own."""
    folder.mkdir()
    sources = sorted(CORPUS.glob("*.txt"))
    for i in range(20):
        text = decode_bytes(sources[i % len(sources)].read_bytes())[0]
        (folder / f"post{i:02d}.txt").write_text(f"{text}\n补充：讲讲第{i}种位置编码？\n", encoding="utf-8")
    return folder


def analysed_by(stderr: str) -> set[str]:
    """The posts a batch analysed itself, from its progress lines (not those already done or duplicates)."""
    lines = [re.match(r"\[\d+/\d+\] (\S+): (.*)$", line) for line in stderr.splitlines()]
    return {Path(m[1]).name for m in lines if m and not m[2].startswith(("already done", "same content"))}


def assert_shared_once(results: list[tuple[int, str, str]], out: Path, folder: Path) -> None:
    posts = {p.name for p in folder.glob("*.txt")}
    for code, stdout, stderr in results:
        assert code == 0, stderr
        counts = re.search(r"posts: 20 \((\d+) analysed(?:, (\d+) already done)?\)", stdout)
        assert counts, stdout
        assert int(counts[1]) + int(counts[2] or 0) == 20  # every post accounted for by each batch
    (_, out_a, err_a), (_, out_b, err_b) = results
    mine, theirs = analysed_by(err_a), analysed_by(err_b)
    assert not mine & theirs, f"analysed by both: {sorted(mine & theirs)}"
    assert mine | theirs == posts
    total = sum(int(re.search(r"(\d+) analysed", stdout)[1]) for stdout in (out_a, out_b))
    assert total == len(posts)
    results = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "posts").glob("*.json")]
    assert len(results) == len(list((out / "posts").glob("*.md"))) == 20
    interviews = sum(r["is_interview"] for r in results)  # a job ad and a study plan are not in the bank
    assert json.loads((out / "bank.json").read_text(encoding="utf-8"))["posts"] == interviews


def test_two_batches_at_once_on_one_folder_analyse_each_post_once(isolated_env: Path, tmp_path: Path) -> None:
    folder, out = twenty_posts(tmp_path / "posts"), tmp_path / "out"
    cmd = [*MIANJING, "analyze", str(folder), "--out", str(out), "--engine", "offline"]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=run_cli_env(isolated_env))
        for _ in range(2)
    ]
    results = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        results.append((proc.returncode, stdout.decode(), stderr.decode()))
    assert_shared_once(results, out, folder)


def test_keyed_batches_hold_claims_at_the_same_time(isolated_env: Path, tmp_path: Path, gemini: fg.FakeGemini) -> None:
    """Both batches are certainly mid-way at once: each one's first request hangs until both have sent one."""
    folder, out = twenty_posts(tmp_path / "posts"), tmp_path / "out"
    env = run_cli_env(isolated_env, GEMINI_API_KEYS=KEY_A, GOOGLE_GEMINI_BASE_URL=gemini.base_url,
                      GEMINI_RPM="1000", GEMINI_RPD="1000")  # fmt: skip
    gemini.script(fg.hang(), fg.hang())
    cmd = [*MIANJING, "analyze", str(folder), "--out", str(out), "--jobs", "4"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    try:
        deadline = time.monotonic() + 60
        while gemini.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        # Each batch probes the model with one request and holds the posts its workers claimed meanwhile.
        assert gemini.count() == 2 and all(p.poll() is None for p in procs)
    finally:
        gemini.release_hangs()
    results = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        results.append((proc.returncode, stdout.decode(), stderr.decode()))
    assert_shared_once(results, out, folder)


def test_a_keyed_batch_analyses_as_many_posts_at_once_as_jobs_asks(
    isolated_env: Path, tmp_path: Path, gemini: fg.FakeGemini
) -> None:
    """Once the probe is answered, six threads each have a request in flight: six posts at once."""
    folder, out = twenty_posts(tmp_path / "posts"), tmp_path / "out"
    env = run_cli_env(isolated_env, GEMINI_API_KEYS=KEY_A, GOOGLE_GEMINI_BASE_URL=gemini.base_url,
                      GEMINI_RPM="1000", GEMINI_RPD="1000")  # fmt: skip
    gemini.script(fg.ok(), *[fg.hang() for _ in range(6)])
    proc = subprocess.Popen([*MIANJING, "analyze", str(folder), "--out", str(out), "--jobs", "6"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while gemini.count() < 7 and time.monotonic() < deadline:
            time.sleep(0.05)
        at_once, running = gemini.count(), proc.poll() is None
    finally:
        gemini.release_hangs()
    stdout, stderr = proc.communicate(timeout=120)
    assert at_once == 7 and running
    assert proc.returncode == 0, stderr.decode()
    assert "posts: 20 (20 analysed)" in stdout.decode()


@pytest.fixture
def claims_db(tmp_path: Path) -> Path:
    (tmp_path / "posts").mkdir()
    return tmp_path / "checkpoints.sqlite"


def claims(db: Path, run: str, owner: Owner | None = None) -> Claims:
    table = Claims(db, run, owner or Owner.this_process())
    table.create()
    return table


def test_a_claim_is_held_while_its_batch_runs_and_taken_over_when_it_stops(claims_db: Path) -> None:
    gone = _exited_pid()
    here = Owner.this_process()
    running, stopped = claims(claims_db, "running"), claims(claims_db, "stopped", Owner(here.host, gone, None))
    assert running.claim([("post-a", "a.txt")]) == [("mine", "")]
    assert stopped.claim([("post-b", "b.txt")]) == [("mine", "")]
    ours = claims(claims_db, "ours")
    assert ours.claim([("post-a", "a2.txt")]) == [("busy", "a.txt")]  # its batch is running
    assert ours.claim([("post-b", "b2.txt")]) == [("mine", "")]  # its batch is gone: taken over at once
    assert ours.claim([("post-b", "b3.txt")]) == [("duplicate", "b2.txt")]  # the same content twice in one run


def test_a_lot_is_claimed_in_one_go_and_a_repeat_inside_it_is_a_duplicate(claims_db: Path) -> None:
    other = claims(claims_db, "other")
    other.claim([("post-b", "b.txt")])
    lot = claims(claims_db, "lot").claim([("post-a", "a.txt"), ("post-b", "b2.txt"), ("post-a", "a-copy.txt")])
    assert lot == [("mine", ""), ("busy", "b.txt"), ("duplicate", "a.txt")]


def test_a_reused_pid_does_not_keep_a_claim(claims_db: Path) -> None:
    here = Owner.this_process()
    # This process's pid, but a process that started at another time: the batch that claimed is gone.
    claims(claims_db, "old", Owner(here.host, here.pid, "another-boot:1")).claim([("post", "a.txt")])
    assert claims(claims_db, "new").claim([("post", "a.txt")]) == [("mine", "")]


def test_a_claim_from_another_host_holds_for_its_lease(claims_db: Path) -> None:
    far = claims(claims_db, "far", Owner("another-host", 1, None))
    far.claim([("post", "a.txt")])
    near = claims(claims_db, "near")
    assert near.claim([("post", "a.txt")]) == [("busy", "a.txt")]  # its process cannot be checked from here
    near.clock = lambda: time.time() + CLAIM_LEASE_S - 1
    far.clock = near.clock
    far.heartbeat()  # renewed: held for another lease
    near.clock = lambda: time.time() + 2 * CLAIM_LEASE_S - 2
    assert near.claim([("post", "a.txt")]) == [("busy", "a.txt")]
    near.clock = lambda: time.time() + 2 * CLAIM_LEASE_S
    assert near.claim([("post", "a.txt")]) == [("mine", "")]  # no heartbeat for a whole lease: taken over


def test_a_finished_post_is_done_until_its_result_file_is_gone(claims_db: Path) -> None:
    first = claims(claims_db, "first")
    first.claim([("post", "a.txt")])
    first.finish([("post", "a.0123456789ab.json")])
    (claims_db.parent / "posts" / "a.0123456789ab.json").write_text("{}", encoding="utf-8")
    assert claims(claims_db, "second").claim([("post", "a.txt")]) == [("done", "a.0123456789ab.json")]
    (claims_db.parent / "posts" / "a.0123456789ab.json").unlink()
    assert claims(claims_db, "third").claim([("post", "a.txt")]) == [("mine", "")]


def _exited_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_an_offline_post_cut_mid_way_resumes_in_a_worker_process(isolated_env: Path, tmp_path: Path) -> None:
    from langgraph.checkpoint.sqlite import SqliteSaver

    from graph.batch.inputs import read_post
    from graph.context import Context
    from graph.offline.engine import clean_text
    from graph.workflow import build_graph

    folder, out = twenty_posts(tmp_path / "posts"), tmp_path / "out"
    out.mkdir()
    cut = folder / "post01.txt"  # douyin_llm_3rounds, an interview in three rounds
    text, encoding = read_post(str(cut), max_bytes=2_000_000)
    config = {"configurable": {"thread_id": clean_text(text)["content_hash"]}}
    # A batch that stopped right after split_rounds had finished for this post.
    with SqliteSaver.from_conn_string(str(out / "checkpoints.sqlite")) as saver:
        graph = build_graph().compile(checkpointer=saver, interrupt_after=["split_rounds"])
        graph.invoke(
            {"text": text, "source": str(cut), "encoding": encoding}, config, context=Context(engine="offline")
        )
        assert graph.get_state(config).next == ("extract_questions",)
    result = mianjing(isolated_env, "analyze", str(folder), "--out", str(out), "--engine", "offline")
    assert result.returncode == 0, result.stderr
    assert "posts: 20 (20 analysed)" in result.stdout
    assert f"resumed: {cut}, from extract_questions" in result.stdout
    assert re.search(r"post01.txt: resumed from extract_questions, 3 rounds, \d+ questions, offline · ", result.stderr)
    doc = json.loads(next((out / "posts").glob("post01.*.json")).read_text(encoding="utf-8"))
    assert doc["source"] == str(cut) and doc["rounds"] and set(doc["engines"]) >= {"clean_text", "write_advice"}


def test_an_offline_batch_killed_leaves_no_worker_behind_and_finishes_on_the_next_run(
    isolated_env: Path, tmp_path: Path
) -> None:
    folder, out = tmp_path / "posts", tmp_path / "out"
    folder.mkdir()
    sources = sorted(CORPUS.glob("*.txt"))
    for i in range(80):
        text = decode_bytes(sources[i % len(sources)].read_bytes())[0]
        (folder / f"post{i:03d}.txt").write_text(f"{text}\n补充：第{i}题\n", encoding="utf-8")
    cmd = [*MIANJING, "analyze", str(folder), "--out", str(out), "--engine", "offline"]
    # A session of its own: what is left of it after the batch is killed can be found.
    proc = subprocess.Popen(cmd, env=run_cli_env(isolated_env), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while len(list((out / "posts").glob("*.json"))) < 8 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        proc.kill()  # the batch process alone, as `kill -9 PID` does
        proc.wait()
    deadline = time.monotonic() + 15
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = _group_alive(proc.pid)
    if alive:
        os.killpg(proc.pid, signal.SIGKILL)
    assert not alive, "the workers and the forkserver outlived their batch"
    finished = len(list((out / "posts").glob("*.json")))
    assert finished >= 8
    again = mianjing(isolated_env, *cmd[3:])
    assert again.returncode == 0, again.stderr
    counts = re.search(r"posts: 80 \((\d+) analysed(?:, (\d+) already done)?\)", again.stdout)
    assert counts and int(counts[1]) == 80 - finished and int(counts[2] or 0) == finished, again.stdout
    results = list((out / "posts").glob("*.json"))
    assert len(results) == 80 and all(json.loads(p.read_text(encoding="utf-8")) for p in results)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
