"""Batch speed and memory, offline: `mianjing analyze --out` against a plain loop over the same posts.

    python -m tests.bench.batch                 # 1,000 and 10,000 posts
    python -m tests.bench.batch 200 1000        # other sizes

For each size, in this one run: the time of a sequential in-process loop of
`analyze_text(text, context=Context(engine="offline"))` over the posts (a fresh process; its texts read and
the graph imported before the clock starts), the wall time of `mianjing analyze DIR --out OUT --engine
offline` as a user runs it (from the command's start to its exit, the bank and every export included),
their ratio, and the batch's peak memory: the largest sum of the resident sizes of the command and all
its descendants (worker processes included), sampled every 50 ms from /proc. The load average is printed
beside the figures: the machine may be shared.

The posts are the project's fixture posts (every folder of tests/fixtures, about 120), repeated, each with
a question of its own added so every one has its own content hash.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SIZES = (1000, 10000)

LOOP = """
import sys, time
from pathlib import Path
from graph.context import Context
from graph.batch.inputs import read_post
import graph.workflow  # imported before the clock starts, as a program that loops would have it

texts = [read_post(str(p), max_bytes=2_000_000)[0] for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
from graph.run import analyze_text

start, cpu = time.perf_counter(), time.process_time()
for text in texts:
    analyze_text(text, context=Context(engine="offline"))
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def make_posts(folder: Path, n: int) -> None:
    from graph.offline.decode import decode_bytes

    sources = [decode_bytes(p.read_bytes())[0] for p in sorted(FIXTURES.glob("*/*.txt"))]
    for i in range(n):
        text = sources[i % len(sources)]
        (folder / f"post{i:05d}.txt").write_text(f"{text}\n补充第{i}题：讲讲第{i}种位置编码？\n", encoding="utf-8")


def _tree(root: int, cpu: dict[int, float]) -> int:
    """Resident KiB of `root` and every process below it (Linux /proc; 0 elsewhere); each one's CPU
    seconds so far are noted in `cpu` (the last sample before a process ends counts)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    ticks: dict[int, float] = {}
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields["PPid"])
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
        with suppress(OSError, IndexError, ValueError):
            stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            ticks[int(entry.name)] = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    tree, grew = {root}, True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= below
        grew = bool(below)
    cpu.update({pid: ticks[pid] for pid in tree if pid in ticks})
    return sum(rss.get(pid, 0) for pid in tree)


def batch(folder: Path, out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MiB of the process tree of one `mianjing analyze --out`."""
    cmd = [sys.executable, "-m", "graph.cli", "analyze", str(folder), "--out", str(out), "--engine", "offline"]
    peak = 0
    cpu: dict[int, float] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, _tree(proc.pid, cpu))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"mianjing analyze exited {code}")
    return wall, sum(cpu.values()), peak / 1024


def loop(folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the sequential loop."""
    result = subprocess.run([sys.executable, "-c", LOOP, str(folder)], capture_output=True, text=True, check=True)
    wall, cpu = result.stdout.split()
    return float(wall), float(cpu)


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or list(SIZES)
    print(f"{os.cpu_count()} cores; {load()}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "posts"
            folder.mkdir()
            make_posts(folder, n)
            before = load()
            sequential, sequential_cpu = loop(folder)
            wall, cpu, peak = batch(folder, Path(tmp) / "out")
            print(
                f"{n:6d} posts: loop {sequential:6.1f} s, batch {wall:6.1f} s ({n / wall:5.1f} posts/s), "
                f"ratio {wall / sequential:.2f}, peak RSS {peak:6.1f} MiB ({before} → {load()}); "
                f"CPU: loop {sequential_cpu:.1f} s, batch {cpu:.1f} s (all its processes)",
                flush=True,
            )


if __name__ == "__main__":
    main()
