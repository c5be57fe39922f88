"""Score analyses against gold annotations (tests/fixtures/README.md describes the gold format).

Run it to print the figures: `python -m tests.scoring tests/fixtures/corpus tests/fixtures/holdout`.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

MATCH_THRESHOLD = 75.0


def norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def similarity(a: str, b: str) -> float:
    a, b = norm(a), norm(b)
    if not a or not b:
        return 0.0
    short, long_ = sorted((a, b), key=len)
    best = fuzz.ratio(a, b)
    if len(short) >= 0.5 * len(long_):
        best = max(best, fuzz.partial_ratio(short, long_))
    return best


def match(gold: list[str], pred: list[str]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching by similarity above the threshold."""
    pairs = sorted(
        ((similarity(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)),
        reverse=True,
    )
    used_g, used_p, out = set(), set(), []
    for sim, i, j in pairs:
        if sim < MATCH_THRESHOLD:
            break
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


@dataclass
class Score:
    posts: int = 0
    gold_q: int = 0
    pred_q: int = 0
    matched_q: int = 0
    topic_right: int = 0
    prose_gold: int = 0
    prose_matched: int = 0
    rounds_exact: int = 0
    lc_gold: int = 0
    lc_found: int = 0
    tips_gold: int = 0
    tips_found: int = 0
    company_posts: int = 0
    company_found: int = 0
    non_interview_posts: int = 0
    non_interview_questions: int = 0
    interview_right: int = 0
    post_f1: dict[str, float] = field(default_factory=dict)
    post_confidence: dict[str, float] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched_q / self.pred_q if self.pred_q else 1.0

    @property
    def recall(self) -> float:
        return self.matched_q / self.gold_q if self.gold_q else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 3) if b else 1.0

        return {
            "posts": self.posts,
            "question_precision": round(self.precision, 3),
            "question_recall": round(self.recall, 3),
            "question_f1": round(self.f1, 3),
            "prose_recall": ratio(self.prose_matched, self.prose_gold),
            "topic_accuracy": ratio(self.topic_right, self.matched_q),
            "round_count_exact": ratio(self.rounds_exact, self.posts),
            "leetcode_recall": ratio(self.lc_found, self.lc_gold),
            "tips_recall": ratio(self.tips_found, self.tips_gold),
            "company_found": ratio(self.company_found, self.company_posts),
            "is_interview_accuracy": ratio(self.interview_right, self.posts),
            "non_interview_questions": self.non_interview_questions,
        }


def questions_of(doc: dict) -> list[dict]:
    return [q for r in doc.get("rounds", []) for q in r.get("questions", [])]


def post_f1(gold_n: int, pred_n: int, matched: int) -> float:
    """One post's question F1; a post with no gold question read as none is perfect."""
    if gold_n == 0 and pred_n == 0:
        return 1.0
    if matched == 0:
        return 0.0
    p, r = matched / pred_n, matched / gold_n
    return 2 * p * r / (p + r)


def score_post(gold: dict, pred: dict, total: Score) -> None:
    total.posts += 1
    gq, pq = questions_of(gold), questions_of(pred)
    pairs = match([q["text"] for q in gq], [q["text"] for q in pq])
    total.gold_q += len(gq)
    total.pred_q += len(pq)
    total.matched_q += len(pairs)
    for i, j in pairs:
        if gq[i]["topic"] == pq[j]["topic"]:
            total.topic_right += 1
        else:
            total.misses.append(f"{gold['source']}: topic {pq[j]['topic']} != {gq[i]['topic']}: {gq[i]['text'][:50]}")
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    total.misses += [f"{gold['source']}: missed: {q['text'][:60]}" for i, q in enumerate(gq) if i not in matched_g]
    total.misses += [f"{gold['source']}: extra: {q['text'][:60]}" for j, q in enumerate(pq) if j not in matched_p]
    if gold.get("format", "").startswith("prose"):
        total.prose_gold += len(gq)
        total.prose_matched += len(pairs)
    if len(gold.get("rounds", [])) == len(pred.get("rounds", [])):
        total.rounds_exact += 1
    else:
        total.misses.append(f"{gold['source']}: rounds {len(pred.get('rounds', []))} != {len(gold.get('rounds', []))}")
    gold_lc = {x for q in gq for x in q.get("leetcode", [])}
    pred_lc = {x for q in pq for x in q.get("leetcode", [])}
    total.lc_gold += len(gold_lc)
    total.lc_found += len(gold_lc & pred_lc)
    if gold_lc - pred_lc:
        total.misses.append(f"{gold['source']}: leetcode missed {sorted(gold_lc - pred_lc, key=str)}")
    pred_tips = [t["text"] if isinstance(t, dict) else t for t in pred.get("tips", [])]
    for tip in gold.get("tips", []):
        total.tips_gold += 1
        if any(fuzz.partial_ratio(norm(tip), norm(p)) >= MATCH_THRESHOLD for p in pred_tips):
            total.tips_found += 1
        else:
            total.misses.append(f"{gold['source']}: tip missed: {tip[:50]}")
    if gold.get("companies"):
        total.company_posts += 1
        if set(gold["companies"]) & set(pred.get("companies", [])):
            total.company_found += 1
        else:
            total.misses.append(f"{gold['source']}: companies {pred.get('companies')} vs {gold['companies']}")
    if bool(gold.get("is_interview", True)) == bool(pred.get("is_interview", True)):
        total.interview_right += 1
    else:
        total.misses.append(f"{gold['source']}: is_interview {pred.get('is_interview')} != {gold.get('is_interview')}")
    total.post_f1[gold["source"]] = post_f1(len(gq), len(pq), len(pairs))
    total.post_confidence[gold["source"]] = pred.get("reading_confidence", 1.0)
    if gold.get("is_interview") is False:
        total.non_interview_posts += 1
        total.non_interview_questions += len(pq)


def unsure_shares(f1: dict[str, float], confidence: dict[str, float], floor: float) -> dict[str, float]:
    """How well the reading's confidence tells bad readings (F1 < 0.8) from good ones (F1 >= 0.95)."""
    bad = [k for k, v in f1.items() if v < 0.8]
    good = [k for k, v in f1.items() if v >= 0.95]
    return {
        "bad_posts": len(bad),
        "bad_flagged_unsure": round(sum(confidence[k] < floor for k in bad) / len(bad), 3) if bad else 1.0,
        "good_posts": len(good),
        "good_flagged_unsure": round(sum(confidence[k] < floor for k in good) / len(good), 3) if good else 0.0,
    }


def gold_files(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in Path(folder).glob("*.gold.json"))


def evaluate(folders: list[Path]) -> Score:
    return evaluate_files(gold_files(*folders))


def evaluate_files(paths: list[Path], total: Score | None = None) -> Score:
    from graph.offline.decode import decode_bytes
    from graph.run import analyze_text

    total = total or Score()
    for gold_path in paths:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        post = gold_path.with_name(gold["source"])
        text, encoding = decode_bytes(post.read_bytes())
        pred = analyze_text(text, source=post.name, encoding=encoding).model_dump()
        score_post(gold, pred, total)
    return total


if __name__ == "__main__":
    folders = [Path(a) for a in sys.argv[1:] if not a.startswith("-")] or [Path("tests/fixtures/corpus")]
    score = evaluate(folders)
    if "-v" in sys.argv:
        print("\n".join(score.misses))
    print(json.dumps(score.figures(), indent=2))
