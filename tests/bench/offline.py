"""Offline speed figures (issue: the offline graph). Prints numbers; asserts nothing.

python -m tests.bench.offline
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
EXAMPLE = CORPUS / "douyin_llm_3rounds.txt"


def wall(cmd: list[str], runs: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    from graph.offline.decode import decode_bytes
    from graph.run import analyze_text

    posts = [decode_bytes(p.read_bytes())[0] for p in sorted(CORPUS.glob("*.txt"))]
    analyze_text(posts[0])  # warm: data files and the compiled graph load once
    per_post = []
    for _ in range(5):
        for text in posts:
            start = time.perf_counter()
            analyze_text(text)
            per_post.append((time.perf_counter() - start) * 1000)
    example = EXAMPLE.read_text(encoding="utf-8")
    example_ms = []
    for _ in range(20):
        start = time.perf_counter()
        analyze_text(example)
        example_ms.append((time.perf_counter() - start) * 1000)
    help_best, help_median = wall([sys.executable, "-m", "graph.cli", "--help"])
    cold_best, cold_median = wall([sys.executable, "-m", "graph.cli", "analyze", str(EXAMPLE)], runs=3)
    print(f"offline analysis, example post (after import): median {statistics.median(example_ms):.1f} ms")
    print(
        f"offline analysis, {len(posts)} corpus posts x5: median {statistics.median(per_post):.1f} ms, "
        f"p95 {sorted(per_post)[int(len(per_post) * 0.95)]:.1f} ms"
    )
    print(f"mianjing --help wall time: best {help_best:.3f} s, median {help_median:.3f} s")
    print(f"cold mianjing analyze (example post): best {cold_best:.3f} s, median {cold_median:.3f} s")


if __name__ == "__main__":
    main()
