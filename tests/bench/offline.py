"""Offline speed figures (issue: the offline graph). Prints numbers; asserts nothing.

python -m tests.bench.offline
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
REAL = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real"


def stress_inputs(scale: int) -> dict[str, str]:
    """Inputs built to find super-linear paths: one huge line, many round markers, many numbered lines."""
    sentence = "面试官问了我KV cache的原理，然后让我手撕LRU，还问了RoPE和ALiBi的区别。"
    line = sentence * (scale // len(sentence.encode("utf-8")))
    # 2 MB holds 10,000 of each at full scale.
    count = scale // 200
    markers = "\n".join(f"{i % 9 + 1}面 问了Transformer的结构和原理，还有一些项目细节" for i in range(count))
    numbered = "\n".join(f"{i}. 讲一下第{i}个问题的原理和它的实现细节，以及优缺点" for i in range(1, count + 1))
    return {"one long line": line, "round markers": markers, "numbered lines": numbered}


def timed(text: str) -> float:
    from graph.run import analyze_text

    start = time.perf_counter()
    analyze_text(text)
    return time.perf_counter() - start


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

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it)")
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
    if REAL.is_dir():
        real = [decode_bytes(p.read_bytes())[0] for p in sorted(REAL.glob("*/*.txt"))]
        real_ms, real_cpu = [], []
        for text in real:
            start, cpu = time.perf_counter(), time.process_time()
            analyze_text(text)
            real_ms.append((time.perf_counter() - start) * 1000)
            real_cpu.append((time.process_time() - cpu) * 1000)
        # CPU time beside wall time: on a shared machine the wall clock also counts the waits for a core.
        print(
            f"offline analysis, {len(real)} real posts: median {statistics.median(real_ms):.1f} ms "
            f"(CPU {statistics.median(real_cpu):.1f} ms), max {max(real_ms):.0f} ms"
        )
    else:
        print(f"no real corpus at {REAL}: real-post timing skipped")
    # 2 MB is the input limit; a quarter and a half of it show whether time grows linearly.
    for scale in (500_000, 1_000_000, 2_000_000):
        figures = ", ".join(f"{name} {timed(text):.2f} s" for name, text in stress_inputs(scale).items())
        print(f"stress inputs of ~{scale // 1000} kB: {figures}")
    print(f"mianjing --help wall time: best {help_best:.3f} s, median {help_median:.3f} s")
    print(f"cold mianjing analyze (example post): best {cold_best:.3f} s, median {cold_median:.3f} s")


if __name__ == "__main__":
    main()
