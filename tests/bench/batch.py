"""Batch scale figures: N posts offline through `mianjing analyze --out`, wall time and peak memory.

    python -m tests.bench.batch            # 1000 posts, and 250 for the memory comparison
    python -m tests.bench.batch 200        # a smaller run

The posts are the fixture corpora with small edits (so each has its own content hash).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def make_posts(folder: Path, n: int) -> None:
    from graph.offline.decode import decode_bytes

    sources = [
        decode_bytes(p.read_bytes())[0] for d in ("corpus", "dev2") for p in sorted((FIXTURES / d).glob("*.txt"))
    ]
    for i in range(n):
        text = sources[i % len(sources)]
        (folder / f"post{i:05d}.txt").write_text(f"{text}\n补充第{i}题：讲讲第{i}种位置编码？\n", encoding="utf-8")


def run(n: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "posts", Path(tmp) / "out"
        folder.mkdir()
        make_posts(folder, n)
        cmd = [sys.executable, "-m", "graph.cli", "analyze", str(folder), "--out", str(out), "--engine", "offline"]
        start = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)", *cmd],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        wall = time.perf_counter() - start
        return wall, int(child.stdout.strip()) / 1024


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    for size in sorted({max(50, n // 4), n}):
        wall, peak = run(size)
        print(f"{size:5d} posts offline: {wall:6.1f} s wall ({size / wall:5.1f} posts/s), peak RSS {peak:6.1f} MiB")


if __name__ == "__main__":
    main()
